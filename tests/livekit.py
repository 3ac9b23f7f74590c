"""Dragging a slider in Chromium, by mouse or finger, and what the chart drew on the way (ui.live): the browser tests'
and bench/bench_follow.py's shared part."""
from __future__ import annotations

import numpy as np

# Samples, once a frame, the slider's value and which stop the chart shows: the test's own eye on the drag.
WATCH = """(slider) => {
  const input = document.querySelector(`.st-key-${slider} input[type=range]`);
  const seen = window.__seen = [];
  let frames = 0;
  const start = performance.now();
  window.__frames = () => ({frames, seconds: (performance.now() - start) / 1000});
  (function loop() { frames += 1; seen.push(input.value); window.__watch = requestAnimationFrame(loop); })();
}"""
STOP_WATCH = "() => { cancelAnimationFrame(window.__watch); return {seen: window.__seen, ...window.__frames()}; }"
LIVE = """(chart) => { const s = (window.__live || {})[chart];
  return s ? {redraws: s.redraws, stops: s.stops, reacts: s.reacts} : null; }"""
# The f and f′ the chart holds now (typed arrays or Plotly's {dtype, bdata}), and its y-range.
DRAWN = """(names) => {
  const gd = document.querySelector('.js-plotly-plot');
  const arr = (v) => ArrayBuffer.isView(v) ? Array.from(v) : Array.isArray(v) ? v : null;
  const f = gd.data.find((d) => d.name === names[0]);
  const df = gd.data.filter((d) => d.name === names[1]).slice(-1)[0];  // Compare: the same name, the f′ panel
  return {x: arr(f.x), f: arr(f.y), df: arr(df.y), names: gd.data.map((d) => d.name),
          yspan: gd.layout.yaxis.range ? gd.layout.yaxis.range[1] - gd.layout.yaxis.range[0] : null};
}"""
CURVE = ("f(x)", "f′(x)")


# The address holds the value the slider shows (a select slider: the option at its index): the release's rerun is over.
RELEASED = """([slider, name, options]) => {
  const i = document.querySelector(`.st-key-${slider} input[type=range]`);
  const q = new URLSearchParams(location.search).get(name);
  if (q === null || !i) return false;
  const shown = options ? options[parseInt(i.value)] : parseFloat(i.value);
  return Math.abs(parseFloat(q.split(',')[0]) - shown) < 1e-9;
}"""
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def settled(page, slider: str, name: str, options: list[float] | None = None) -> None:
    """Wait until a released slider's value is in the address (its rerun ran) and the app is idle again."""
    page.wait_for_function(RELEASED, arg=[slider, name, options], timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)


def thumb(page, slider: str) -> tuple[float, float, float, float]:
    """(x, y of the slider's thumb centre, the track's left and right ends): where a finger goes."""
    box = page.locator(f".st-key-{slider} [data-testid='stSlider']").first
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(200)  # scrolling settles before the finger lands
    value = page.locator(f".st-key-{slider} [data-testid='stSliderThumbValue']").first.bounding_box()  # the first thumb
    rail = box.bounding_box()
    x, y = value["x"] + value["width"] / 2, value["y"] + value["height"] + 8
    return x, y, rail["x"] + 8, rail["x"] + rail["width"] - 8


def drag(page, slider: str, to: float, steps: int = 40, touch: bool = False, release: bool = True,
         hold_ms: float = 16) -> dict:
    """Drag `slider`'s thumb to the fraction `to` of its track in `steps` moves, a frame apart; what the page's eye
    saw (every value the slider passed, the number of frames) and, unless `release`, "let_go" to lift the finger."""
    x, y, left, right = thumb(page, slider)
    target = left + to * (right - left)
    page.evaluate(WATCH, slider)
    cdp = page.context.new_cdp_session(page) if touch else None

    def touch_event(kind: str, px: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": px, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    if touch:
        touch_event("touchStart", x)
    else:
        page.mouse.move(x, y)
        page.mouse.down()
    for i in range(1, steps + 1):
        px = x + (target - x) * i / steps
        touch_event("touchMove", px) if touch else page.mouse.move(px, y)
        page.wait_for_timeout(hold_ms)
    page.wait_for_timeout(100)
    seen = page.evaluate(STOP_WATCH)

    def let_go() -> None:
        touch_event("touchEnd", target) if touch else page.mouse.up()
        if cdp is not None:
            cdp.detach()
    if release:
        let_go()
    else:
        seen["let_go"] = let_go
    return seen


def check_follows(page, slider: str, chart: str, spec_key: str, param: str, fixed: dict, to: float = 0.9,
                  touch: bool = False, names: tuple[str, str] = CURVE) -> dict:
    """Drag and, before releasing, check what the learner saw: the chart redrew at every stop the slider passed
    (the server had no say: it hears of the drag on release), and what it shows now is the core's f and f′ at the
    slider's value, to float32. Returns the figures for the closing note."""
    import activations

    before = page.evaluate(LIVE, chart)
    assert before is not None, f"no live chart {chart}: the component did not load"
    seen = drag(page, slider, to, touch=touch, release=False)
    after = page.evaluate(LIVE, chart)
    values = [float(v) for v in dict.fromkeys(seen["seen"])]
    assert len(values) >= 5, f"the slider hardly moved: {values}"
    drawn_stops = {s for name, s in after["stops"][len(before["stops"]):] if name == slider}
    redraws = after["redraws"] - before["redraws"]
    assert redraws >= len(values) - 1 and len(drawn_stops) >= len(values) - 1, (redraws, drawn_stops, values)
    value = float(page.locator(f".st-key-{slider} input[type=range]").first.input_value())
    chart_now = page.evaluate(DRAWN, list(names))
    spec = activations.get(spec_key)
    p = spec.resolve({**fixed, param: value})[0]
    x = np.asarray(chart_now["x"], dtype=np.float32).astype(np.float64)
    # the chart's x is float32 too: compare the core at the drawn x's float64 originals, found on the float32 grid
    # to a 20,000th of the chart's height (ui.live.frames.FINER: 16-bit steps), or float32 where no range is held
    fine = (chart_now["yspan"] or 0) / 20_000 + 1e-6
    np.testing.assert_allclose(chart_now["f"], spec.f(x, **p), rtol=2e-6, atol=fine)
    np.testing.assert_allclose(chart_now["df"], spec.df(x, **p), rtol=2e-6, atol=fine)
    seen["let_go"]()
    return {"values": len(values), "redraws": redraws, "frames": seen["frames"], "value": value}
