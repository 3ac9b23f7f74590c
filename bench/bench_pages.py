"""Server-side timing of Activation Lab's pages, next to a bare one-slider reference app.

What it measures (all with streamlit.testing.v1.AppTest, i.e. the script run on the server,
without a browser, network or chart drawing):
  rerun      the time of one script rerun after a widget change, per page, over --repeat rounds
             after 2 warm-up rounds (each round reruns every subject once, interleaved): Explorer
             (its first slider, e.g. ELU's alpha, moved one step up and back down alternately),
             Compare (the x-range slider, same), Home (plain rerun),
             and the reference app (its alpha slider). Reported as median and p90 in ms, and as a
             ratio to the reference's median: the ratio is what to read on a noisy machine.
             Target: Explorer and Compare at most 2x the reference.
             Curves are recomputed on every rerun (cheaper than a cache lookup); the measured
             properties come from a bounded cache after the first visit of a value.
  cold start the time a fresh Python process needs for its first complete run of app.py (Home),
             and the same for the reference app: median of 3 processes each, both as the run()
             alone and as the whole process (interpreter start, imports, run, exit).
  torch      whether `torch` was imported after running Home, Explorer and Compare in a fresh
             process. It must not be: PyTorch loads only when the learner asks for autograd.

Nothing here asserts on time: it prints figures. Usage, from the repository root:
  python bench/bench_pages.py [--repeat 15] [--json results.json]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # labs.pages, when run as `python bench/bench_pages.py`
APP = ROOT / "app.py"
REFERENCE_APP = """\
import numpy as np, plotly.graph_objects as go, streamlit as st
a = st.slider("alpha", 0.0, 3.0, 1.0, 0.01)
x = np.linspace(-6, 6, 1001)
y = np.where(x > 0, x, a * np.expm1(x))
st.plotly_chart(go.Figure([go.Scatter(x=x, y=y), go.Scatter(x=x, y=np.where(x > 0, 1.0, y + a))]))
"""
# The same reference page behind a two-page st.navigation, as app.py routes ours: what any multipage
# Streamlit app pays per rerun before its page does anything. Printed as a second baseline.
REFERENCE_NAV_APP = """\
import streamlit as st
st.set_page_config(page_title="Reference", page_icon=":material/show_chart:", layout="wide")
page = st.navigation([st.Page("reference_app.py", title="Reference", default=True),
                      st.Page("reference_app.py", title="Other", url_path="other")])
st.sidebar.caption("A caption in the sidebar, as in app.py.")
page.run()
"""
WARMUP = 2
COLD_RUNS = 3

# Run in a fresh interpreter: argv[1] = script; argv[2:] = pages to visit after the first run.
COLD_CHILD = """\
import json, sys, time
t0 = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=30)
t1 = time.perf_counter()
at.run()
t2 = time.perf_counter()
errors = len(at.exception)
for page in sys.argv[2:]:
    at.switch_page(page)
    at.run()
    errors += len(at.exception)
print(json.dumps({"run_s": t2 - t1, "import_and_run_s": t2 - t0, "errors": errors,
                  "torch_loaded": "torch" in sys.modules}))
"""


def p90(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(0.9 * (len(s) - 1)))]


def nudge(widget) -> list:
    """Two values to alternate between: the slider's value and one step away from it."""
    v, step = widget.value, widget.step
    if isinstance(v, (tuple, list)):  # range slider: move the upper end
        lo, hi = v
        other = (lo, hi + step) if hi + step <= widget.max else (lo, hi - step)
        return [other, tuple(v)]
    return [v + step if v + step <= widget.max else v - step, v]


TYPED = "typed"  # a subject whose rerun is a new formula typed into the own activation's box


def rerun_once(at, slider_index: int | str | None, values, i: int) -> float:
    """One rerun in ms: a plain rerun, the slider set to the next of its two values, or (TYPED) a formula never
    typed before (so it is parsed, differentiated and compiled, not found in the cache)."""
    if slider_index == TYPED:
        box = at.text_input(key="_own:text").input(f"x*sigmoid({1 + (i + 1) / 997:.6f}*x) + a*x/10")
        t = time.perf_counter()
        box.run()
        return (time.perf_counter() - t) * 1e3
    t = time.perf_counter()
    if slider_index is None:
        at.run()
    else:
        at.slider[slider_index].set_value(values[i % 2]).run()
    return (time.perf_counter() - t) * 1e3


def page_file(stem: str) -> str:
    """The page script app.py routes to for e.g. 'explorer' ("views/explorer.py"), as AppTest.switch_page wants:
    from the pages' one declaration (labs.pages), which app.py reads."""
    from labs import pages

    for p in pages.PAGES:
        if Path(p.view).stem == stem:
            return p.view
    raise SystemExit(f"no page {stem}.py in labs.pages")


def new_app_test(script: Path):
    from streamlit.testing.v1 import AppTest

    # AppTest outside a server warns "missing ScriptRunContext" on creation: harmless, hide it.
    # A filter, not a level: Streamlit resets its loggers' levels when it (re)reads its config.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    return AppTest.from_file(str(script), default_timeout=30)


def rerun_figures(reference: Path, reference_nav: Path, repeat: int) -> dict:
    """Every subject is rerun once per round, round after round, so that load on this shared
    machine hits all of them alike (timing one after the other skews the ratios)."""
    subjects = {}  # name -> (AppTest, slider index or None)
    for name, script in (("Reference", reference), ("Ref + nav", reference_nav)):
        at = new_app_test(script)
        at.run()
        subjects[name] = (at, 0)
    for name in ("Home", "Explorer", "Compare", "Own", "Own, typed"):
        at = new_app_test(APP)
        if name != "Home":
            at.switch_page(page_file(name.split(",")[0].lower()))
        at.run()
        index = None
        if name in ("Explorer", "Own"):
            index = 0  # the first parameter slider (ELU's alpha by default; the formula's a)
        elif name == "Compare":
            index = [s.label for s in at.slider].index("x-range")
        elif name == "Own, typed":
            index = TYPED
        subjects[name] = (at, index)
    values = {n: nudge(at.slider[i]) if isinstance(i, int) else None for n, (at, i) in subjects.items()}
    times = {n: [] for n in subjects}
    errors = {n: len(at.exception) for n, (at, _) in subjects.items()}
    for i in range(WARMUP + repeat):
        for name, (at, index) in subjects.items():
            dt = rerun_once(at, index, values[name], i)
            errors[name] += len(at.exception)
            if i >= WARMUP:
                times[name].append(dt)
    return {k: {"median_ms": statistics.median(t), "p90_ms": p90(t), "runs": len(t), "errors": errors[k],
                "times_ms": t} for k, t in times.items()}


def cold_start(script: Path, then_visit: tuple[str, ...] = ()) -> dict:
    runs = []
    for _ in range(COLD_RUNS):
        t = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", COLD_CHILD, str(script), *then_visit],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
        wall = time.perf_counter() - t
        if res.returncode != 0:
            raise SystemExit(f"cold-start child failed for {script}:\n{res.stderr[-2000:]}")
        runs.append({**json.loads(res.stdout.strip().splitlines()[-1]), "process_s": wall})
    med = {k: statistics.median(r[k] for r in runs) for k in ("run_s", "import_and_run_s", "process_s")}
    return {**med, "errors": sum(r["errors"] for r in runs),
            "torch_loaded": any(r["torch_loaded"] for r in runs), "runs": runs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=15, help="measured reruns per page (default 15)")
    ap.add_argument("--json", metavar="PATH", help="also write every figure to this JSON file")
    args = ap.parse_args()
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "reference_app.py"
        reference.write_text(REFERENCE_APP, encoding="utf-8")
        reference_nav = Path(tmp) / "reference_nav_app.py"
        reference_nav.write_text(REFERENCE_NAV_APP, encoding="utf-8")
        reruns = rerun_figures(reference, reference_nav, args.repeat)
        cold = {"app": cold_start(APP, (page_file("explorer"), page_file("compare"))),
                "reference": cold_start(reference)}

    base = reruns["Reference"]["median_ms"]
    print(f"Rerun after a slider change (AppTest, {args.repeat} reruns after {WARMUP} warm-up runs)")
    base_nav = reruns["Ref + nav"]["median_ms"]
    print(f"{'page':<12} {'median ms':>10} {'p90 ms':>8} {'x reference':>12} {'x ref + nav':>12}  note")
    notes = {"Explorer": "target <= 2x the reference", "Compare": "target <= 2x the reference",
             "Home": "plain rerun (7 charts)", "Ref + nav": "the reference behind st.navigation",
             "Own": "the formula's a slider (autograd check on)",
             "Own, typed": "a new formula: parse, f', compile, chart"}
    for name in ("Explorer", "Compare", "Own", "Own, typed", "Home", "Reference", "Ref + nav"):
        r = reruns[name]
        r["ratio"] = r["median_ms"] / base if base else float("nan")
        r["ratio_nav"] = r["median_ms"] / base_nav if base_nav else float("nan")
        note = notes.get(name, "")
        if r["errors"]:
            note += f"  EXCEPTIONS: {r['errors']}"
        print(f"{name:<12} {r['median_ms']:>10.1f} {r['p90_ms']:>8.1f} {r['ratio']:>11.2f}x {r['ratio_nav']:>11.2f}x"
              f"  {note}")
    print("A slider move in the browser reruns only the page's st.fragment (controls, chart, formulas);"
          "\nAppTest reruns the whole page, so these are upper bounds.")
    a, b = cold["app"], cold["reference"]
    print(f"\nCold start, fresh process, median of {COLD_RUNS} (first run() / imports+run / whole process)")
    for name, c in (("app (Home)", a), ("reference", b)):
        print(f"{name:<11} {c['run_s']:6.2f} s / {c['import_and_run_s']:6.2f} s / {c['process_s']:6.2f} s")
    print(f"ratio app/reference: first run() {a['run_s'] / b['run_s']:.2f}x, "
          f"whole process {a['process_s'] / b['process_s']:.2f}x")
    print(f"\ntorch in sys.modules after Home, Explorer and Compare: {a['torch_loaded']}"
          + ("  <-- should be False" if a["torch_loaded"] else " (good)"))
    if a["errors"]:
        print(f"exceptions during cold-start runs: {a['errors']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"repeat": args.repeat, "warmup": WARMUP, "reruns": reruns,
                                               "cold_start": cold}, indent=2), encoding="utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
