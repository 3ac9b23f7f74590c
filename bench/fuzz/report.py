"""The report: per page figures, exceptions with their URLs, notice coverage, failures by check, lenient readings."""
from __future__ import annotations

from collections import Counter, defaultdict

from .check import Result
from .generate import short
from .keys import PAGES


def summarize(results: list[Result], seconds: float) -> dict:
    pages: dict[str, dict] = {}
    for p in PAGES:
        rs = [r for r in results if r.case.page == p]
        if not rs:
            continue
        t = sorted(r.seconds for r in rs)
        pages[p] = {
            "urls": len(rs), "params": sum(len(r.case.query) for r in rs),
            "repeated_keys": sum(len(vs) > 1 for r in rs for _, vs in r.case.query),
            "real_keys": sum(r.real for r in rs), "unknown_keys": sum(r.unknown for r in rs),
            "exceptions": sum(bool(r.exceptions) for r in rs), "with_chart": sum(r.charts > 0 for r in rs),
            "notices_needed": sum(r.needed for r in rs), "notices_named": sum(r.named for r in rs),
            "unknown_named": sum(r.unknown_named for r in rs), "lenient": sum(len(r.lenient) for r in rs),
            "failed_urls": sum(bool(r.failures) for r in rs),
            "failures": dict(Counter(f.check for r in rs for f in r.failures)),
            "seconds": round(sum(t), 2), "median_s": round(t[len(t) // 2], 3), "max_s": round(t[-1], 2),
        }
    failures = [{"check": f.check, "page": r.case.page, "key": f.key, "raw": f.raw, "detail": f.detail,
                 "case": r.case.describe(), "url": r.case.url()}
                for r in results for f in r.failures]
    lenient = Counter((r.case.page, f.key, f.raw, f.detail) for r in results for f in r.lenient)
    py_warnings: dict[str, list[str]] = defaultdict(list)
    for r in results:
        for w in r.py_warnings:
            py_warnings[w].append(r.case.describe())
    return {
        "urls": len(results), "seconds": round(seconds, 1), "pages": pages,
        "exceptions": sum(bool(r.exceptions) for r in results),
        "failed_urls": sum(bool(r.failures) for r in results),
        "failures_by_check": dict(Counter(f["check"] for f in failures)),
        "failures": failures,
        "lenient": [{"page": p, "key": k, "raw": raw, "detail": d, "times": n}
                    for (p, k, raw, d), n in lenient.most_common()],
        "python_warnings": [{"warning": w, "urls": len(cs), "examples": cs[:3]} for w, cs in py_warnings.items()],
    }


def print_summary(s: dict, args) -> None:
    tot = defaultdict(int)
    print(f"\nActivation Lab URL fuzz: {s['urls']} URLs, seed {args.seed}, {args.workers} worker(s), "
          f"{s['seconds']:.1f} s wall ({s['seconds'] / max(s['urls'], 1):.2f} s/URL)")
    head = (f"{'page':18} {'URLs':>5} {'params':>6} {'real':>5} {'unkn':>5} {'rep':>4} {'exc':>4} {'chart':>6} "
            f"{'notice':>9} {'unknown':>9} {'lenient':>7} {'failed':>6} {'run s':>7} {'med s':>6} {'max s':>6}")
    print(head)
    print("-" * len(head))
    for p, d in s["pages"].items():
        print(f"{p:18} {d['urls']:>5} {d['params']:>6} {d['real_keys']:>5} {d['unknown_keys']:>5} "
              f"{d['repeated_keys']:>4} {d['exceptions']:>4} {d['with_chart']:>6} "
              f"{d['notices_named']:>4}/{d['notices_needed']:<4} {d['unknown_named']:>4}/{d['unknown_keys']:<4} "
              f"{d['lenient']:>7} {d['failed_urls']:>6} {d['seconds']:>7.1f} {d['median_s']:>6.2f} {d['max_s']:>6.1f}")
        for k in ("urls", "params", "real_keys", "unknown_keys", "repeated_keys", "exceptions", "with_chart",
                  "notices_named", "notices_needed", "unknown_named", "lenient", "failed_urls"):
            tot[k] += d[k]
        tot["seconds"] += d["seconds"]
    print("-" * len(head))
    print(f"{'all':18} {tot['urls']:>5} {tot['params']:>6} {tot['real_keys']:>5} {tot['unknown_keys']:>5} "
          f"{tot['repeated_keys']:>4} {tot['exceptions']:>4} {tot['with_chart']:>6} "
          f"{tot['notices_named']:>4}/{tot['notices_needed']:<4} {tot['unknown_named']:>4}/{tot['unknown_keys']:<4} "
          f"{tot['lenient']:>7} {tot['failed_urls']:>6} {tot['seconds']:>7.1f}")
    pct = lambda a, b: f"{100 * a / b:.1f}%" if b else "n/a"
    print(f"\nnotice coverage: invalid or repeated values of real keys named in the warning: "
          f"{tot['notices_named']}/{tot['notices_needed']} ({pct(tot['notices_named'], tot['notices_needed'])}); "
          f"unknown keys listed: {tot['unknown_named']}/{tot['unknown_keys']} "
          f"({pct(tot['unknown_named'], tot['unknown_keys'])})")
    exc = [f for f in s["failures"] if f["check"] == "exception"]
    print(f"exceptions: {len(exc)}")
    for f in exc[:50]:
        print(f"  {f['case']}\n    {f['url']}\n    {f['detail'][:500]}")
    print(f"failed checks: {s['failures_by_check'] or 'none'}")
    by_check: dict[str, list] = defaultdict(list)
    for f in s["failures"]:
        if f["check"] != "exception":
            by_check[f["check"]].append(f)
    for c, fs in by_check.items():
        pages = Counter(f["page"] for f in fs)
        print(f"  {c}: {len(fs)} on {dict(pages)}")
        seen = set()
        for f in fs:
            sig = (f["page"], f["key"], f["raw"])
            if sig in seen:
                continue
            seen.add(sig)
            if len(seen) > 6:
                print("    …")
                break
            key = short(f["key"] or "", 40)
            print(f"    {f['page']}: {key} = {f['raw']}: {f['detail'][:220]}\n      {f['url'][:300]}")
    for w in s["python_warnings"]:
        print(f"python warning from the app ({w['urls']} URL(s)): {w['warning']}\n    e.g. {w['examples'][0]}")
    if s["lenient"]:
        print(f"lenient readings (accepted without a notice, value as read): "
              f"{sum(x['times'] for x in s['lenient'])}, e.g.")
        for x in s["lenient"][:8]:
            print(f"    {x['page']}: {x['key']} = {x['raw']} {x['detail']}")
