"""`python -m bench.fuzz`: fuzz every page's address (see the package's docstring)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from . import __doc__ as DOC
from .generate import generate, split_count
from .keys import PAGES
from .report import print_summary, summarize
from .run import run_all


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=DOC.split("\n")[0])
    ap.add_argument("--count", type=int, default=1000, help="URLs in all (split over the pages)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pages", default="all", help="'all' or a comma-separated list, e.g. explorer,compare")
    ap.add_argument("--lab-count", type=int, default=None,
                    help="URLs per lab page (one with a `cost` control: it trains networks); the rest go to the "
                         "others. Default: an even split")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--json", metavar="PATH", help="save the figures, failures and lenient readings here")
    ap.add_argument("--strict", action="store_true", help="exit 1 on any failed check, not only on exceptions")
    args = ap.parse_args(argv)
    pages = PAGES if args.pages == "all" else tuple(p.strip() for p in args.pages.split(",") if p.strip())
    bad = [p for p in pages if p not in PAGES]
    if bad:
        ap.error(f"unknown page(s) {bad}; pages: {', '.join(PAGES)}")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    counts = split_count(args.count, pages, args.lab_count)
    cases = generate(counts, args.seed)
    print(f"fuzzing {len(cases)} URLs: {counts}", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    results = run_all(cases, args.workers)
    summary = summarize(results, time.perf_counter() - t0)
    summary.update(seed=args.seed, workers=args.workers, counts=counts)
    print_summary(summary, args)
    if args.json:
        summary["cases"] = [{"case": r.case.describe(), "url": r.case.url(), "seconds": round(r.seconds, 3),
                             "failures": [{**asdict(f), "value": None} for f in r.failures]} for r in results]
        Path(args.json).write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"saved {args.json}")
    if summary["exceptions"]:
        return 1
    return 1 if args.strict and summary["failed_urls"] else 0


if __name__ == "__main__":
    sys.exit(main())
