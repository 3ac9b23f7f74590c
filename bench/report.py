"""Run every benchmark and write one report, docs/benchmarks.md.

Runs, one after the other (so that they do not slow each other down), with this Python:
  bench/bench_pages.py --json   page reruns next to the bare reference app, cold start, torch import
  bench/bench_gradflow.py       the Gradient-flow lab (core and page rerun)
  bench/bench_labs.py           the experiment labs (core and page reruns)
  bench/bench_own.py            the own activation in Chromium: a typed formula and its slider vs the Explorer's
  bench/bench_follow.py         a slider dragged in Chromium (desktop; phone at 4x CPU): frames per second, stops
                                drawn while the finger moves, bytes per page open (issue 26)
  bench/bench_actions.py        every page in Chromium: key press to first message, chart and idle, bytes per
                                page open and per key press, next to the bare app in the same rounds
  bench/load_test.py --json     N real Chromium sessions against `streamlit run app.py`: latency percentiles,
                                server memory (per session, at warm-up end and at the end, slope), exceptions
  python -m bench.load.run      a class: 50 Locust learners on Streamlit's websocket for 3 minutes (the page mix of
                                bench/load/plan.py), per page and action p50/p95/p99, timeouts, KB, the server's
                                cores and RSS (needs `pip install -r requirements-bench.txt`; skipped without it)
and writes the figures with the date and the machine (cores, CPU model, RAM) to docs/benchmarks.md.
A sub-benchmark that fails or times out is reported as such, with the end of its output; the others go on.
Exit status 0 even then: the report is the result (nothing here asserts on time).

Usage, from the repository root:
  python bench/report.py            full run (about 6-7 minutes on an idle 2-core machine)
  python bench/report.py --quick    fewer repeats and a 30 s load stage
  python bench/report.py --load-seconds 600   a 10-minute load stage: does memory level off?
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "benchmarks.md"
PY = sys.executable


def loadavg() -> float | None:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def run(name: str, args: list[str], timeout: float) -> dict:
    """Run one benchmark script; never raises. Notes the highest 1-minute load average seen meanwhile, so that
    a figure taken while something else loaded the machine can be recognized."""
    print(f"[report] {name}: {' '.join(args)}", flush=True)
    t = time.monotonic()
    peak = [loadavg()]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(5):
            peak.append(loadavg())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        p = subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        res = {"rc": p.returncode, "stdout": p.stdout, "stderr": p.stderr}
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        res = {"rc": None, "stdout": out, "stderr": err + f"\n(timed out after {timeout:.0f} s)"}
    except OSError as e:
        res = {"rc": None, "stdout": "", "stderr": str(e)}
    done.set()
    watcher.join()
    res["seconds"] = time.monotonic() - t
    res["load_before"] = peak[0]
    res["load_peak"] = max((v for v in peak if v is not None), default=None)
    res["cmd"] = "python " + " ".join(args)
    print(f"[report] {name}: exit {res['rc']} after {res['seconds']:.0f} s", flush=True)
    return res


def load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def machine() -> dict:
    cpu, ram = "unknown", "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        nproc = str(len(os.sched_getaffinity(0)))
    versions = {}
    for pkg in ("streamlit", "torch", "numpy", "plotly", "playwright"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    chromium = "not found"
    if Path("/usr/bin/chromium").exists():
        try:
            chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                      timeout=30).stdout.strip() or "unknown version"
        except (OSError, subprocess.TimeoutExpired):
            chromium = "unknown version"
    return {"nproc": nproc, "cpu": cpu, "ram": ram, "python": platform.python_version(),
            "os": platform.platform(), "versions": versions, "chromium": chromium}


def failed(res: dict) -> str:
    why = "timed out" if res["rc"] is None else f"exit status {res['rc']}"
    tail = (res["stderr"].strip() or res["stdout"].strip())[-2500:]
    return (f"**This benchmark failed** ({why}, after {res['seconds']:.0f} s): `{res['cmd']}`\n\n"
            f"```text\n{tail}\n```\n")


def code(text: str) -> str:
    return f"```text\n{text.strip()}\n```\n"


def fmt(v, spec: str = ".1f", none: str = "n/a") -> str:
    if v is None:
        return none
    try:
        return format(v, spec)
    except (TypeError, ValueError):
        return str(v)


def pages_section(res: dict, data: dict | None) -> str:
    s = "## Page reruns and cold start (AppTest, server side)\n\n"
    s += (f"`{res['cmd']}` ({res['seconds']:.0f} s; {busy(res)}). The script run on the server without a "
          "browser: one rerun after a slider change, next to a bare one-slider, one-chart reference app timed "
          "in the same rounds (read the ratio: it holds on a noisy machine where the ms do not). Target: "
          "Explorer and Compare at most 2x the reference. AppTest reruns the whole page; in the browser a "
          "slider reruns only the page's fragment, so these are upper bounds.\n\n")
    if res["rc"] != 0 or not data:
        return s + failed(res)
    r = data["reruns"]
    base = r["Reference"]["median_ms"]
    base_nav = r["Ref + nav"]["median_ms"]
    s += (f"{data['repeat']} measured reruns per page after {data['warmup']} warm-up reruns.\n\n"
          "| page | median ms | p90 ms | x reference | x reference + nav | exceptions |\n"
          "|---|---:|---:|---:|---:|---:|\n")
    for name in ("Explorer", "Compare", "Own", "Own, typed", "Home", "Reference", "Ref + nav"):
        if name not in r:
            continue
        x = r[name]
        s += (f"| {name} | {x['median_ms']:.1f} | {x['p90_ms']:.1f} | {x['median_ms'] / base:.2f}x | "
              f"{x['median_ms'] / base_nav:.2f}x | {x['errors']} |\n")
    s += ("\n*Reference*: the bare app; *Ref + nav*: the same page behind a two-page `st.navigation`, as "
          "`app.py` routes ours. *Own*: the own activation's page, its formula's `a` slider (autograd check on); "
          "*Own, typed*: a formula never typed before, so parsed, differentiated and compiled.\n\n")
    c = data["cold_start"]
    a, b = c["app"], c["reference"]
    s += ("### Cold start\n\nA fresh Python process's first complete run of `app.py` (Home) and of the "
          "reference app, median of 3.\n\n"
          "| | first `run()` s | imports + run s | whole process s |\n|---|---:|---:|---:|\n"
          f"| app (Home) | {a['run_s']:.2f} | {a['import_and_run_s']:.2f} | {a['process_s']:.2f} |\n"
          f"| reference | {b['run_s']:.2f} | {b['import_and_run_s']:.2f} | {b['process_s']:.2f} |\n"
          f"| ratio | {a['run_s'] / b['run_s']:.2f}x | {a['import_and_run_s'] / b['import_and_run_s']:.2f}x | "
          f"{a['process_s'] / b['process_s']:.2f}x |\n\n"
          f"`torch` imported after running Home, Explorer and Compare in a fresh process: **{a['torch_loaded']}** "
          "(it should be False: PyTorch loads only for the autograd check and the labs).\n")
    if a["errors"]:
        s += f"\n**Exceptions during the cold-start runs: {a['errors']}**\n"
    return s


def busy(res: dict) -> str:
    """How loaded the machine was while a benchmark ran (its own load included)."""
    return (f"1-minute load average {fmt(res.get('load_before'), '.1f')} at the start, at most "
            f"{fmt(res.get('load_peak'), '.1f')} during the run")


def text_section(title: str, intro: str, res: dict) -> str:
    s = f"## {title}\n\n`{res['cmd']}` ({res['seconds']:.0f} s; {busy(res)}). {intro}\n\n"
    if res["rc"] != 0:
        return s + failed(res)
    return s + code(res["stdout"])


def class_section(res: dict | None) -> str:
    """The class load test's own Markdown report, under this report's heading level."""
    title = "## A class at once (protocol-level load test, Locust)\n\n"
    if res is None:
        return title + "Skipped: Locust is not installed (`pip install -r requirements-bench.txt`).\n"
    s = title + f"`{res['cmd']}` ({res['seconds']:.0f} s; {busy(res)}).\n\n"
    if res["rc"] not in (0, 1):  # 1: the run finished and a learner saw an exception (reported below)
        return s + failed(res)
    return s + res["stdout"].split("\n", 1)[1].replace("\n## ", "\n### ").strip() + "\n"


def load_section(res: dict, data: dict | None) -> str:
    s = "## Load test (real Chromium sessions against `streamlit run app.py`)\n\n"
    s += f"`{res['cmd']}` ({res['seconds']:.0f} s; {busy(res)}).\n\n"
    if not data:  # exit status 1 only means exceptions were seen: the figures are still there
        return s + failed(res)
    m, st = data["memory"], data["stages"]
    n = data["sessions"]
    s += (f"{n} browser contexts in one headless Chromium (viewport 1280x800), each its own Streamlit session, "
          "moving between pages with the sidebar links. On every page: the page's first chart drawn, then "
          f"{data['presses']} key presses (ArrowRight, ArrowLeft, ...) on one slider, each timed until a chart's "
          "data changed (Home has no slider). Stage 1: one session on a cold server; stage 2: sessions 2.."
          f"{n} arrive together and do one pass each (the warm-up); stage 3: every session loops for "
          f"{data['seconds']:.0f} s (hard stop), session i starting at page i mod 9. The slider goes one step "
          "and back, so after stage 1 its values come from the server's caches: stages 2 and 3 measure serving "
          f"and drawing, not computing. **The server and the {n} browsers share this machine's cores**: a "
          "learner on their own computer waits less.\n\n")
    s += (f"Stage 1 took {fmt(st['stage1_warm_s'], '.0f')} s, stage 2 {fmt(st['stage2_warm_s'], '.0f')} s"
          f"{'' if st['warmup_complete'] else ' (**incomplete**: the warm-up hit its time limit)'}, stage 3 "
          f"{fmt(st['load_s'], '.0f')} s. Pages opened per session during stage 3: "
          f"{', '.join(str(v) for v in data.get('load_pages_opened', {}).values())} "
          "(a complete pass opens every page once).\n\n")
    s += "### Server memory\n\n"
    s += ("| | RSS MB |\n|---|---:|\n"
          f"| server alone, before any session | {fmt(m['rss0_mb'], '.0f')} |\n"
          f"| 1 session, after its warm-up pass (at rest) | {fmt(m['rss1_mb'], '.0f')} |\n"
          f"| {n} sessions, at warm-up end (at rest) | {fmt(m['rss_warmup_end_mb'], '.0f')} |\n"
          f"| end of the load (median of the last 5 samples) | {fmt(m['rss_end_mb'], '.0f')} |\n"
          f"| end of the load, at rest | {fmt(m['rss_end_at_rest_mb'], '.0f')} |\n\n"
          f"- **MB per session: {fmt(m['mb_per_session'])}** = (RSS with {n} sessions - RSS with 1 session) / "
          f"({n} - 1), both read at rest after their stage's warm-up pass (so the shared caches are already "
          "warm in both).\n"
          f"- **Slope after warm-up: {fmt(m['slope_mb_per_min'], '+.2f')} MB/min**, least squares over the "
          "stage-3 samples (VmRSS of the server process, one per second); over the second half of stage 3 only: "
          f"{fmt(m.get('slope_second_half_mb_per_min'), '+.2f')} MB/min.\n")
    load_samples = [(t, mb) for t, mb, stage in m.get("samples", []) if stage == "3"]
    if load_samples:
        t_start, every = load_samples[0][0], max(1, round(len(load_samples) / 12))
        s += ("- RSS during stage 3 (s since its start: MB): "
              + ", ".join(f"{t - t_start:.0f}: {mb:.0f}" for t, mb in load_samples[::every])
              + f"; range {min(mb for _, mb in load_samples):.0f}-{max(mb for _, mb in load_samples):.0f} MB "
              "(short-lived allocations of the runs in flight swing it by several MB, so a slope over a minute "
              "or two is noisy).\n")
    for what, key in (("stage 2", "server_cpu_share_warmup"), ("stage 3", "server_cpu_share")):
        if data.get(key) is not None:
            s += f"- Server CPU during {what}: {data[key]:.2f} cores busy; the browsers had the rest.\n"
    s += "\n### Latency percentiles (seconds)\n\n"
    s += ("*load* = page load until its first chart; *open* = sidebar click until the page's first chart; "
          "*slider* = key press until a chart's data changed. *KB received*: median of what the page received "
          "over its websocket per action (until the run ended), all stages together.\n\n")
    order = ["stage 3: load, every session", "stage 2: warm-up of sessions 2..N together",
             "stage 1: one session, cold server"]
    for phase in order + [p for p in data["latency_s"] if p not in order]:
        rows = data["latency_s"].get(phase) or {}
        if not rows:
            continue
        s += (f"**{phase.replace('2..N', f'2..{n}')}**\n\n"
              "| action | n | p50 | p90 | p99 | max | KB received |\n|---|---:|---:|---:|---:|---:|---:|\n")
        for kind, x in rows.items():
            kb = data.get("received_kb_median", {}).get(kind.replace(" (unchanged)", ""))
            s += (f"| {kind} | {x['n']} | {x['p50']:.2f} | {x['p90']:.2f} | {x['p99']:.2f} | {x['max']:.2f} | "
                  f"{fmt(kb, '.0f')} |\n")
        s += "\n"
    s += "### Errors\n\n"
    exc = data["exceptions"]
    s += f"- Exceptions (Streamlit exception boxes, uncaught JavaScript errors, server tracebacks): **{len(exc)}**\n"
    for e in exc[:10]:
        text = " ".join(e["text"].split())[:300]
        s += f"  - [{e['source']}] session {e['session']}, page {e['page']}: `{text}`\n"
    s += f"- Console errors (\"Failed to load resource\" ignored): {len(data['console_errors'])}\n"
    for c in data["console_errors"][:10]:
        s += f"  - session {c['session']}, page {c['page']}: `{' '.join(c['text'].split())[:200]}`\n"
    s += f"- Actions that timed out: {len(data['timeouts'])}\n"
    for t in data["timeouts"][:10]:
        s += f"  - session {t['session']}, {t['action']} (stage {t['stage']}), after {t['after_s']} s: `{t['error']}`\n"
    if data["unchanged_presses"]:
        s += f"- Key presses after which no chart changed: {data['unchanged_presses']}\n"
    notes = data.get("server_log_notes") or []
    s += f"- Warning or error lines in the server's log: {len(notes)}\n"
    for line in notes[:5]:
        s += f"  - `{line[:200]}`\n"
    if res["rc"] not in (0, 1):
        s += "\n" + failed(res)
    return s


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summary_section(pages_data: dict | None, load_data: dict | None) -> str:
    rows = []
    if pages_data:
        r = pages_data["reruns"]
        base = r["Reference"]["median_ms"]
        for name in ("Explorer", "Compare"):
            rows.append((f"{name} rerun after a slider change (AppTest)",
                         f"{r[name]['median_ms']:.1f} ms median, {r[name]['median_ms'] / base:.2f}x the reference "
                         "(target <= 2x)"))
        a, b = pages_data["cold_start"]["app"], pages_data["cold_start"]["reference"]
        rows.append(("Cold start, first run of Home", f"{a['run_s']:.2f} s, {a['run_s'] / b['run_s']:.2f}x the "
                     f"reference; torch loaded: {a['torch_loaded']}"))
    if load_data:
        n = load_data["sessions"]
        ev = [e for e in load_data.get("events", []) if e[4] == "3"]
        for verb, what in (("open", "page open -> first chart"), ("slider", "slider key -> chart changed")):
            v = [e[3] for e in ev if e[2].startswith(verb + " ")]
            if v:
                rows.append((f"Load, {n} sessions: {what}, all pages",
                             f"p50 {percentile(v, 50):.2f} s, p90 {percentile(v, 90):.2f} s, "
                             f"p99 {percentile(v, 99):.2f} s (n = {len(v)})"))
        m = load_data["memory"]
        rows.append(("Server RSS at warm-up end / end of the load",
                     f"{fmt(m['rss_warmup_end_mb'], '.0f')} MB / {fmt(m['rss_end_mb'], '.0f')} MB, slope "
                     f"{fmt(m['slope_mb_per_min'], '+.2f')} MB/min"))
        rows.append(("Memory per session", f"{fmt(m['mb_per_session'])} MB"))
        rows.append(("Exceptions under load", str(len(load_data["exceptions"]))))
    if not rows:
        return ""
    return ("## Summary\n\n| | |\n|---|---|\n" + "".join(f"| {k} | {v} |\n" for k, v in rows) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repeats and a 30 s load stage")
    ap.add_argument("--load-seconds", type=float, default=None,
                    help="length of the load test's steady stage (default 120, 30 with --quick); 600 shows whether "
                         "memory levels off")
    ap.add_argument("--out", default=str(OUT), help=f"where to write the report (default {OUT.relative_to(ROOT)})")
    args = ap.parse_args()
    started = dt.datetime.now().astimezone()
    t0 = time.monotonic()
    if args.quick:
        pages_args, flow_args, labs_args = ["--repeat", "5"], ["--repeat", "3"], ["--repeat", "3"]
        load_seconds, warmup = 30.0, 400
    else:
        pages_args, flow_args, labs_args, load_seconds, warmup = [], [], [], 120.0, 600
    if args.load_seconds is not None:
        load_seconds = max(10.0, args.load_seconds)
    load_args = ["--seconds", f"{load_seconds:g}", "--warmup-timeout", str(warmup)]
    with tempfile.TemporaryDirectory() as tmp:
        pages_json, load_json_path = Path(tmp) / "pages.json", Path(tmp) / "load.json"
        pages = run("pages", ["bench/bench_pages.py", *pages_args, "--json", str(pages_json)], 1800)
        pages_data = load_json(pages_json)
        flow = run("gradflow", ["bench/bench_gradflow.py", *flow_args], 1800)
        labs = run("labs", ["bench/bench_labs.py", *labs_args], 1800)
        own = run("own", ["bench/bench_own.py", *flow_args], 1800)
        follow = run("follow", ["bench/bench_follow.py", "--rounds", "3" if args.quick else "5"], 1800)
        actions = run("actions", ["bench/bench_actions.py", "--rounds", "1" if args.quick else "2"], 2400)
        load = run("load", ["bench/load_test.py", "--sessions", "10", *load_args, "--json", str(load_json_path)],
                   warmup + load_seconds + 600)
        load_data = load_json(load_json_path)
        try:
            import locust  # noqa: F401
            users, minutes = ("20", "1") if args.quick else ("50", "3")
            klass = run("class", ["-m", "bench.load.run", "--users", users, "--minutes", minutes], 1800)
        except ImportError:
            klass = None
        for res, path in ((pages, pages_json), (load, load_json_path)):
            res["cmd"] = res["cmd"].replace(str(path), path.name)
    mach = machine()
    total = time.monotonic() - t0
    v = mach["versions"]
    doc = (
        "# Benchmarks\n\n"
        f"Generated by `bench/report.py{' --quick' if args.quick else ''}"
        f"{f' --load-seconds {load_seconds:g}' if args.load_seconds is not None else ''}` on "
        f"{started:%Y-%m-%d %H:%M %Z} in {total / 60:.0f} min. Figures only: nothing here is asserted, and "
        "every figure depends on the machine and on what else ran on it.\n\n"
        f"**Machine**: {mach['nproc']} cores (`nproc`), {mach['cpu']}, {mach['ram']} RAM; {mach['os']}; "
        f"Python {mach['python']}, Streamlit {v['streamlit']}, torch {v['torch']}, NumPy {v['numpy']}, "
        f"Plotly {v['plotly']}, Playwright {v['playwright']}, {mach['chromium']}.\n\n"
        "**How to reproduce**: from the repository root, `.venv/bin/python bench/report.py` "
        "(or `--quick`); each benchmark also runs alone, see `bench/README.md`. Run it on an otherwise idle "
        "machine: each section gives the load average seen during its run (the load test's own browsers "
        "load the machine by design; for the others, a load average well above 1-2 means something else "
        "was running and the times are inflated).\n\n"
    )
    status = [("page reruns, cold start", pages), ("gradient-flow lab", flow), ("experiment labs", labs),
              ("own activation in Chromium", own), ("a slider dragged", follow), ("every page in Chromium", actions),
              ("load test", load)]
    bad = [n for n, r in status if r["rc"] != 0 and not (n == "load test" and r["rc"] == 1 and load_data)]
    if bad:
        doc += f"**Failed**: {', '.join(bad)} (see their sections).\n\n"
    if load_data and load_data["exceptions"]:
        doc += f"**The load test saw {len(load_data['exceptions'])} exception(s)** (see its section).\n\n"
    doc += summary_section(pages_data, load_data)
    doc += pages_section(pages, pages_data) + "\n"
    doc += text_section("Gradient-flow lab", "Every measured run uses a new seed, so no cache helps: real "
                        "forward and backward passes. Targets: depth 50, width 256, batch 256 <= 300 ms per change "
                        "when warm; depth 100, width 512 <= 1 s (with a progress bar).", flow) + "\n"
    doc += text_section("Experiment labs", "New settings (a new seed) for every timed run, so no cache helps. "
                        "Targets: dying ReLU 300 steps <= 500 ms warm, the sweep <= 15 s, every change on an "
                        "experiment page <= 300 ms server time when warm (or a progress indicator).", labs) + "\n"
    doc += text_section("Your own activation, in Chromium", "Typing a formula never typed before to its chart, "
                        "and a move of its parameter's slider, next to the Explorer's slider and a bare one-slider "
                        "app in the same run (interleaved rounds). Targets: typing <= 2x the Explorer's slider; "
                        "the parameter's slider <= 1.3x the bare app.", own) + "\n"
    doc += text_section("A slider dragged, in Chromium", "The curve follows the finger (ui.live): a slider's thumb "
                        "dragged across its track in 60 moves a frame apart, on a desktop (mouse) and a phone (390 x "
                        "844, touch, CPU slowed 4x by DevTools). *fps* = requestAnimationFrame callbacks per second "
                        "during the drag, *stops* = values the slider passed, *redraws* = chart redraws in the "
                        "browser, *missed* = stops passed but never drawn, *reacts* = full Plotly.react redraws "
                        "(the rest take Plotly's animation path), *open KB* = the page open on the websocket. The "
                        "depth row is the reference: a slider no chart follows (Gradient flow's). Targets: >= 30 "
                        "fps on both screens, no stop missed, <= 300 KB for a slider of 101 stops.", follow) + "\n"
    doc += text_section("Every page in Chromium, per action", "A new visitor (a new browser context) opens each page "
                        "on a warm server, then presses ArrowRight / ArrowLeft on its first slider 7 times (the "
                        "probe's slider): *1st msg* = key press to the rerun's first websocket message, *chart* = to a "
                        "chart's data changed, *idle* = to the end of the run in the browser; *open KB* and "
                        "*KB/press* = what the page received (decompressed). Medians; *x bare* = the same figure of "
                        "the bare one-slider app, measured in the same rounds. Targets: Explorer and Compare chart <= "
                        "1.2x bare, every lab <= 2x; Home's open <= 1.2x; Dying ReLU <= 276 KB per open and 12.5 KB "
                        "per press, Why non-linear <= 130 KB per open.", actions) + "\n"
    doc += load_section(load, load_data)
    doc += "\n" + class_section(klass)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(doc, encoding="utf-8")
    print(f"[report] written to {out} ({total / 60:.1f} min)")


if __name__ == "__main__":
    main()
