"""Frames per second while a slider is dragged (issue 26: the curve follows the finger), and the bytes a page open
sends for it.

One `streamlit run app.py`, one Chromium. For each case (a page, a slider), on a desktop (1400 × 900, mouse) and a
phone (390 × 844, touch, the CPU slowed 4× through DevTools' Emulation.setCPUThrottlingRate): open the page, then
drag the slider's thumb across its track in --moves steps, one every 16 ms, and count
  fps       requestAnimationFrame callbacks per second during the drag (the display's rate when nothing blocks),
  stops     distinct values the slider passed, as sampled once a frame,
  redraws   times the chart was redrawn (ui.live's Plotly.react),
  missed    stops the slider passed that the chart never drew;
then the bytes of the component's data at the page open (its JSON, as the websocket carries it). Medians over
--rounds drags, back and forth. Nothing asserted; the figures go to the closing note and docs/benchmarks.md.

Usage: python bench/bench_follow.py [--rounds 5] [--moves 60] [--cases ELU,base] [--screens phone] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from livekit import LIVE, drag  # noqa: E402

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, running_server  # noqa: E402

CASES = (  # (name, path, slider, chart)
    ("ELU α", "/explorer?fn=elu", "explorer-elu-alpha", "explorer-curve"),
    ("Swish β", "/explorer?fn=swish", "explorer-swish-beta", "explorer-curve"),
    ("sigmoid ε", "/explorer?fn=sigmoid", "explorer-eps", "explorer-curve"),
    ("own a (ko)", "/own?formula=x*sigmoid(a*x)&lang=ko", "own-own-a", "own-curve"),
    ("ELU x-range", "/explorer?fn=elu", "explorer-x", "explorer-curve"),
    # the reference: a slider no chart follows (Gradient flow's depth), so only Streamlit's own slider redraws
    ("base: depth", "/gradient_flow", "gradient_flow-depth", None),
)
SCREENS = {"desktop": dict(viewport={"width": 1400, "height": 900}),
           "phone": dict(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                         device_scale_factor=2)}


def one(browser, base: str, screen: str, path: str, slider: str, chart: str, rounds: int, moves: int) -> dict:
    context = browser.new_context(**SCREENS[screen])
    page = context.new_page()
    received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.append(len(p))))
    page.goto(base + path, timeout=120_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)
    if chart:
        page.wait_for_function("(c) => window.__live && window.__live[c]", arg=chart, timeout=60_000)
    open_kb = sum(received) / 1024
    if screen == "phone":
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    rows = []
    for r in range(rounds):
        none = {"redraws": 0, "stops": [], "reacts": 0}
        before = page.evaluate(LIVE, chart) if chart else none
        seen = drag(page, slider, 0.9 if r % 2 == 0 else 0.1, steps=moves, touch=screen == "phone", release=False)
        after = page.evaluate(LIVE, chart) if chart else none
        seen["let_go"]()
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)
        page.wait_for_timeout(500)
        values = list(dict.fromkeys(seen["seen"]))
        drawn = {s for name, s in after["stops"][len(before["stops"]):] if name == slider}
        if not chart:  # nothing follows it: nothing is missed
            drawn = set(range(len(values)))
        if not rows and not values[1:]:
            raise SystemExit(f"{slider}: the slider did not move")
        rows.append({"fps": seen["frames"] / seen["seconds"], "stops": len(values),
                     "redraws": after["redraws"] - before["redraws"],
                     "missed": max(0, len(values) - 1 - len(drawn)),
                     "reacts": after["reacts"] - before["reacts"]})
    context.close()
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    return {**med, "open_kb": open_kb, "rounds": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--moves", type=int, default=60)
    ap.add_argument("--cases", default="", help="comma-separated words: the cases whose name holds one")
    ap.add_argument("--screens", default="desktop,phone")
    ap.add_argument("--json")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    out = {}
    with tempfile.TemporaryFile(mode="w+") as log, running_server(log=log) as (base, _proc), \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"{'case':<14}{'screen':<9}{'fps':>6}{'stops':>7}{'redraws':>9}{'missed':>8}{'reacts':>8}{'open KB':>9}")
        words = [w for w in args.cases.split(",") if w]
        for name, path, slider, chart in CASES:
            if words and not any(w in name for w in words):
                continue
            for screen in args.screens.split(","):
                res = one(browser, base, screen, path, slider, chart, args.rounds, args.moves)
                out[f"{name} / {screen}"] = res
                print(f"{name:<14}{screen:<9}{res['fps']:>6.1f}{res['stops']:>7.0f}{res['redraws']:>9.0f}"
                      f"{res['missed']:>8.0f}{res['reacts']:>8.0f}{res['open_kb']:>9.0f}", flush=True)
        browser.close()
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
