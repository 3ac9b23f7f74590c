"""Your own activation, in real Chromium: typing a new formula to its chart, next to a slider move, same run.

What it measures (one `streamlit run app.py`, one browser tab per subject, rounds interleaved so that load on
this shared machine hits every subject alike; medians over --repeat rounds after 2 warm-up rounds):
  explorer slider  ArrowRight (then ArrowLeft) on the Explorer's first slider (ELU's alpha) to the chart's data
                   changing: the reference a typed formula is held to (target: typing <= 2x this)
  own slider       the same on the own page's first slider (the formula's a): the compiled formula is reused
                   (with the autograd check, on by default there; "own, no autograd" without it)
  own typed        a formula never typed before (x*sigmoid(k*x) + a*x/10 with a new k each round) filled into the
                   box and Enter pressed, to the chart's data changing: parse, SymPy's f', compile, chart
  bare slider      a one-slider, two-curve Plotly app (the floor any Streamlit app pays), served alongside
Nothing here asserts on time: it prints figures, as ratios. Usage, from the repository root:
  python bench/bench_own.py [--repeat 15] [--json results.json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.appserver import CHROMIUM, CHROMIUM_ARGS, DEV_ARGS, free_port, running_server  # noqa: E402
from bench.bench_pages import REFERENCE_APP  # noqa: E402

WARMUP = 2
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = ".js-plotly-plot .main-svg"
# a string that changes whenever any chart's data does (arrays may arrive as {dtype, bdata}: stringified as they are)
DATA = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(el => JSON.stringify((el.data || []).map(t => [t.x, t.y]))).join('|')"""


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, timeout=120_000)
    page.wait_for_selector(CHART, timeout=120_000)
    page.wait_for_selector(IDLE, timeout=120_000)
    return page


def _until_changed(page, act) -> float:
    """ms from `act()` to the chart's data being different, then waits for the run to end (not counted)."""
    page.bring_to_front()  # a background tab's timers are throttled; let it repaint before timing
    page.wait_for_timeout(400)
    before = page.evaluate(DATA)
    t = time.perf_counter()
    act()
    page.wait_for_function(f"(b) => ({DATA})() !== b", arg=before, timeout=120_000)
    dt = (time.perf_counter() - t) * 1e3
    page.wait_for_selector(IDLE, timeout=120_000)
    return dt


def _slider(page, i: int) -> float:
    thumb = page.locator("[data-testid='stSlider'] input[type='range']").first
    thumb.focus()
    return _until_changed(page, lambda: page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft"))


def _typed(page, i: int) -> float:
    box = page.locator("input[aria-label='f(x) =']")
    box.fill(f"x*sigmoid({1 + (i + 1) / 997:.6f}*x) + a*x/10")
    return _until_changed(page, lambda: box.press("Enter"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--json", metavar="PATH")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile(mode="w+") as log:
        bare = Path(tmp) / "bare.py"
        bare.write_text(REFERENCE_APP, encoding="utf-8")
        port = free_port()
        bare_argv = ["streamlit", "run", str(bare), f"--server.port={port}", *DEV_ARGS]
        with running_server(log=log) as (base, _), running_server(bare_argv, log=log, cwd=Path(tmp), port=port) \
                as (bare_base, _b):
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                subjects = {
                    "explorer slider": (_open(browser, base + "/explorer"), _slider),
                    "own slider": (_open(browser, base + "/own"), _slider),
                    "own, no autograd": (_open(browser, base + "/own?autograd=0"), _slider),
                    "own typed": (_open(browser, base + "/own"), _typed),
                    "bare slider": (_open(browser, bare_base + "/"), _slider),
                }
                times: dict[str, list[float]] = {k: [] for k in subjects}
                for i in range(WARMUP + args.repeat):
                    for name, (page, measure) in subjects.items():
                        dt = measure(page, i)
                        if i >= WARMUP:
                            times[name].append(dt)
                browser.close()
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"Chromium, one server, {args.repeat} rounds after {WARMUP} warm-up (interleaved); median ms")
    for name, m in med.items():
        print(f"{name:<16} {m:8.1f} ms   {m / med['bare slider']:5.2f}x bare   {m / med['explorer slider']:5.2f}x "
              "Explorer slider")
    print("targets: own typed <= 2x Explorer slider; own slider <= 1.3x bare")
    if args.json:
        Path(args.json).write_text(json.dumps({"repeat": args.repeat, "median_ms": med, "times_ms": times},
                                              indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
