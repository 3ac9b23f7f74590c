"""Where a slider move's time goes in the browser, and what it costs on the wire, page by page.

One `streamlit run app.py` and one bare one-slider app (the probe's reference), one Chromium, interleaved rounds.
For every page given (default: every page; Home is only opened), after its first chart: --presses presses of
ArrowRight / ArrowLeft on the page's first slider (the one `../shared/tools/browser_probe.py` presses), each timed
  first msg  key press -> the first websocket message of the rerun (the server began answering)
  chart      key press -> some chart's data changed (the probe's figure)
  idle       key press -> the script is not running any more (every element of the rerun has arrived)
and the bytes the page received over its websocket for the open and for each press (Streamlit's messages,
decompressed). Bytes and the first message are taken in a second visit of their own: copying every message out of
the browser slows the page down. Medians; ratios to the bare app's (open: its first chart; presses: its chart
time) in the same rounds, each page in a new browser context (a new visitor) on a warm server. Nothing asserted.

Usage: python bench/bench_actions.py [--pages explorer,compare] [--presses 7] [--rounds 2] [--query lang=ko]
                                     [--against OTHER_CHECKOUT] [--json OUT]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.appserver import CHROMIUM, CHROMIUM_ARGS, DEV_ARGS, free_port, running_server  # noqa: E402

# The probe's reference app and its fingerprint of every chart's data, so the figures read as the probe's.
BARE = '''
import numpy as np, plotly.graph_objects as go, streamlit as st
a = st.slider("alpha", 0.0, 3.0, 1.0, 0.01)
x = np.linspace(-6, 6, 1001)
y = np.where(x > 0, x, a * np.expm1(x))
st.plotly_chart(go.Figure([go.Scatter(x=x, y=y), go.Scatter(x=x, y=np.where(x > 0, 1.0, y + a))]))
'''
FINGERPRINT = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(d => d.data ? JSON.stringify(d.data.map(t => [t.x, t.y, t.z])).length + ':' +
        JSON.stringify(d.data.map(t => [t.y, t.z])).slice(0, 4000) : '').join('|')"""
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PAGES = ("home", "explorer", "compare", "own", "gradient_flow", "dying_relu", "self_normalizing", "real_data",
         "why_nonlinear", "vector")


class Wire:
    """Bytes received and the time of the last message on a page's websockets."""

    def __init__(self, page):
        self.rx, self.first = 0, None
        if page is not None:
            page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.rx += len(payload)
        if self.first is None:
            self.first = time.perf_counter()

    def reset(self) -> None:
        self.rx, self.first = 0, None


def measure(page, wire: Wire | None, url: str, presses: int) -> dict:
    """Times without `wire` (its listener has every websocket payload copied out of the browser, which slows the
    page down: up to 2x on the Explorer), bytes and the first message's time with it."""
    wire = wire or Wire(None)
    wire.reset()
    t = time.perf_counter()
    page.goto(url, timeout=120_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
    first_chart = time.perf_counter() - t
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_timeout(300)  # late messages of the open
    out = {"open_s": first_chart, "open_kb": wire.rx / 1024, "first_msg_ms": [], "chart_ms": [], "idle_ms": [],
           "press_kb": []}
    sliders = page.locator("[data-testid='stSlider'] input[type=range]")
    if not sliders.count():  # Home: opened only
        return out
    sliders.first.focus()
    for i in range(presses):
        before = page.evaluate(FINGERPRINT)
        wire.reset()
        t = time.perf_counter()
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(f"(b) => ({FINGERPRINT})() !== b", arg=before, timeout=60_000)
        out["chart_ms"].append((time.perf_counter() - t) * 1e3)
        page.wait_for_selector(IDLE, timeout=60_000)
        out["idle_ms"].append((time.perf_counter() - t) * 1e3)
        page.wait_for_timeout(200)
        out["first_msg_ms"].append(((wire.first or t) - t) * 1e3)
        out["press_kb"].append(wire.rx / 1024)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--presses", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=1, help="passes over the pages, each with the bare app first")
    ap.add_argument("--query", default="")
    ap.add_argument("--json")
    ap.add_argument("--against", metavar="DIR",
                    help="another checkout of the app, served too and measured in the same rounds, page by page "
                         "(rows 'page@other'): an A/B of a change on a noisy machine")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    pages = [p for p in args.pages.split(",") if p]
    q = ("?" + args.query) if args.query else ""
    names = ["bare", *(n for p in pages for n in ([p, f"{p}@other"] if args.against else [p]))]
    results: dict[str, list[dict]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        bare = Path(tmp, "bare.py")
        bare.write_text(BARE)
        bases = {}
        for name, argv, cwd in (("app", None, ROOT), ("other", None, Path(args.against or ROOT)),
                                ("bare", ["streamlit", "run", str(bare)], ROOT)):
            if name == "other" and not args.against:
                continue
            port = free_port()
            argv = [*(argv or ["streamlit", "run", "app.py"]), f"--server.port={port}", *DEV_ARGS]
            log = stack.enter_context(open(Path(tmp, f"{name}.log"), "w+"))
            bases[name] = stack.enter_context(running_server(argv, log=log, cwd=cwd, port=port))[0]
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _round in range(args.rounds + 1):  # round 0 warms the servers' caches and imports
            for name in names:
                page_name, _, other = name.partition("@")
                path = "" if page_name in ("bare", "home") else page_name
                url = f"{bases['bare' if name == 'bare' else other or 'app']}/{path}{q}"
                res = {}
                for counted in (False, True):  # timed as a learner has it, then counted in a visit of its own
                    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                    page = ctx.new_page()
                    got = measure(page, Wire(page) if counted else None, url, args.presses)
                    keep = ("open_kb", "press_kb", "first_msg_ms") if counted else ("open_s", "chart_ms", "idle_ms")
                    res |= {k: got[k] for k in keep}
                    ctx.close()
                if _round:
                    results[name].append(res)
        browser.close()
    med = statistics.median
    floor = med(v for r in results["bare"] for v in r["chart_ms"])
    print(f"{'page':<24} {'open s':>7} {'x bare':>7} {'open KB':>8} {'1st msg':>8} {'chart':>7} {'x bare':>7} "
          f"{'idle':>7} {'KB/press':>9}")
    summary = {}
    for name, runs in results.items():
        pressed = [v for r in runs for v in r["chart_ms"]]
        row = {k: med([v for r in runs for v in r[k]] or [float("nan")])
               for k in ("first_msg_ms", "chart_ms", "idle_ms", "press_kb")}
        row |= {k: med(r[k] for r in runs) for k in ("open_s", "open_kb")}
        row["x_bare"] = row["chart_ms"] / floor if pressed else float("nan")
        row["open_x_bare"] = row["open_s"] / summary["bare"]["open_s"] if summary else 1.0
        summary[name] = row
        print(f"{name:<24} {row['open_s']:>7.2f} {row['open_x_bare']:>6.2f}x {row['open_kb']:>8.0f} "
              f"{row['first_msg_ms']:>8.0f} {row['chart_ms']:>7.0f} {row['x_bare']:>6.2f}x {row['idle_ms']:>7.0f} "
              f"{row['press_kb']:>9.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "runs": results}, indent=1))


if __name__ == "__main__":
    main()
