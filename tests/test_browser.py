"""The real app in real Chromium: what a learner would notice on each page.

One Streamlit server is started for the module (`streamlit run app.py` on a free port) and driven
with Playwright's sync API in the system Chromium (/usr/bin/chromium; `playwright install` is never
used). Without that browser the module is skipped, or fails when the CI environment variable is set.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browserkit import launch_browser, running_server

TIMEOUT_MS = 60_000

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = ".js-plotly-plot .main-svg"
EXCEPTION = "[data-testid='stException']"
ALERT = "[data-testid='stAlert']"
SLIDER = "[data-testid='stSlider']"
THUMB = "input[type='range']"  # the focusable thumb(s) inside a slider (react-aria)

# Every chart's traces as {name, x, y}; numpy arrays arrive as {dtype, bdata} (base64) and are decoded.
CHART_DATA = """() => {
  const TYPES = {f8: Float64Array, f4: Float32Array, i4: Int32Array, u4: Uint32Array, i2: Int16Array,
                 u2: Uint16Array, i1: Int8Array, u1: Uint8Array, u1c: Uint8ClampedArray};
  const decode = (v) => {
    if (v == null) return [];
    if (Array.isArray(v)) return v;
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (typeof v.bdata === 'string') {
      const bin = atob(v.bdata), bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return Array.from(new TYPES[v.dtype](bytes.buffer));
    }
    return [];
  };
  return Array.from(document.querySelectorAll('.js-plotly-plot'))
    .map(el => (el.data || []).map(t => ({name: t.name ?? null, x: decode(t.x), y: decode(t.y)})));
}"""
# A cheap string that changes whenever any chart's data does.
FINGERPRINT = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(el => JSON.stringify((el.data || []).map(t => [t.x, t.y]))).join('|')"""


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def server(browser):
    with running_server() as base:
        yield base


class Tab:
    """A page in its own browser context (a fresh Streamlit session), with what it logged."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("dialog", self._on_dialog)

    def _on_console(self, msg) -> None:
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            self.console_errors.append(msg.text[:500])

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, path: str) -> None:
        """Go to base+path and wait until the run is over and a chart is drawn."""
        self.page.goto(self.base + path, timeout=TIMEOUT_MS)
        self.page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
        self.idle()

    def idle(self) -> None:
        self.page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)

    def charts(self) -> list[list[dict]]:
        return self.page.evaluate(CHART_DATA)

    def fingerprint(self) -> str:
        return self.page.evaluate(FINGERPRINT)

    def press_on_slider(self, key: str, slider_index: int = 0, label: str | None = None) -> None:
        """Focus a slider's first thumb, press a key, and wait for the chart to change and the run to end."""
        sliders = self.page.locator(SLIDER)
        slider = sliders.filter(has_text=label).first if label else sliders.nth(slider_index)
        before = self.fingerprint()
        slider.locator(THUMB).first.focus()
        self.page.keyboard.press(key)
        self.page.wait_for_function(f"(b) => ({FINGERPRINT})() !== b", arg=before, timeout=TIMEOUT_MS)
        self.idle()

    def wait_for_query(self, name: str) -> dict[str, list[str]]:
        self.page.wait_for_function("(n) => new URLSearchParams(location.search).has(n)", arg=name,
                                    timeout=TIMEOUT_MS)
        return parse_qs(urlparse(self.page.url).query)

    def exceptions(self) -> list[str]:
        boxes = self.page.locator(EXCEPTION)
        return [boxes.nth(i).inner_text()[:500] for i in range(boxes.count())]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, server):
    t = Tab(browser, server)
    yield t
    t.close()


def trace(chart: list[dict], name: str) -> dict:
    found = [t for t in chart if t["name"] == name]
    assert found, f"no trace named {name!r}; traces: {[t['name'] for t in chart]}"
    return found[0]


@pytest.mark.parametrize("path", ["/", "/explorer", "/compare", "/gradient_flow", "/dying_relu", "/self_normalizing",
                                  "/why_nonlinear", "/vector"])
def test_every_page_draws_a_chart_without_errors(tab, path):
    tab.open(path)
    assert tab.page.locator(".js-plotly-plot").count() >= 1
    assert tab.exceptions() == []
    assert tab.console_errors == [], f"console errors on {path}"


def test_explorer_slider_changes_the_chart_and_the_address(tab):
    tab.open("/explorer")
    f_before = trace(tab.charts()[0], "f(x)")["y"]
    label = tab.page.locator(SLIDER).first.locator(THUMB).first.get_attribute("aria-label") or ""
    tab.press_on_slider("ArrowRight")
    f_after = trace(tab.charts()[0], "f(x)")["y"]
    assert f_after != f_before, "moving the first slider did not change f(x)"
    name = label.split(" ")[0]  # "alpha ($\alpha$)" -> "alpha": the URL key of ELU's first parameter
    query = tab.wait_for_query(name)
    value = float(tab.page.locator(SLIDER).first.locator(THUMB).first.get_attribute("value"))
    assert float(query[name][0]) == pytest.approx(value), f"address bar {tab.page.url} vs slider {value}"
    assert tab.exceptions() == []


def test_a_copied_link_reproduces_the_view(browser, server):
    tab = Tab(browser, server)  # a new browser context: nothing from another session can leak in
    try:
        tab.open("/explorer?fn=leaky_relu&negative_slope=0.2&x=-3.0,3.0")
        assert tab.exceptions() == []
        f = trace(tab.charts()[0], "f(x)")
        xs, ys = f["x"], f["y"]
        assert min(xs) == pytest.approx(-3.0, abs=1e-12) and max(xs) == pytest.approx(3.0, abs=1e-12)
        negative = [(x, y) for x, y in zip(xs, ys, strict=True) if x < 0]
        assert negative, "no x < 0 in the f(x) trace"
        worst = max(abs(y - 0.2 * x) for x, y in negative)
        assert worst <= 1e-9, f"f(x) != 0.2 x for x < 0 (worst error {worst:g})"
        query = parse_qs(urlparse(tab.page.url).query)
        assert query.get("fn") == ["leaky_relu"], f"the address bar lost the link: {tab.page.url}"
    finally:
        tab.close()


def test_a_hostile_link_is_explained_not_executed(tab):
    tab.open("/explorer?fn=%3Cscript%3Ealert(1)%3C/script%3E&alpha=nan&x=1e999,abc")
    tab.page.wait_for_timeout(500)  # give any injected script a moment to fire
    assert tab.dialogs == [], "a dialog fired"
    assert tab.exceptions() == []
    alerts = tab.page.locator(ALERT)
    text = " ".join(alerts.nth(i).inner_text() for i in range(alerts.count()))
    assert alerts.count() >= 1, "no warning about the changed values"
    for name in ("fn", "alpha", "x"):
        assert f"{name} =" in text, f"the warning does not mention {name}: {text!r}"
    assert tab.page.locator(".js-plotly-plot").count() >= 1
    injected = tab.page.evaluate(
        "() => Array.from(document.querySelectorAll('script')).some(s => s.textContent.includes('alert(1)'))")
    assert not injected, "the link's <script> ended up in the page"


def test_compare_x_range_slider_changes_the_chart(tab):
    tab.open("/compare")
    lows_before = {min(t["x"]) for t in tab.charts()[0] if t["x"]}
    tab.press_on_slider("ArrowRight", label="x-range")  # the lower end moves one step right
    lows_after = {min(t["x"]) for t in tab.charts()[0] if t["x"]}
    assert lows_after != lows_before and min(lows_after) > min(lows_before), (lows_before, lows_after)
    assert "x" in tab.wait_for_query("x")
    assert tab.exceptions() == []


def test_home_gallery_shows_every_family_and_links_to_elu(tab):
    tab.open("/")
    tab.page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 7",
                               timeout=TIMEOUT_MS)
    hrefs = tab.page.evaluate("""() => Array.from(document.querySelectorAll('a'))
        .map(a => a.getAttribute('href') || a.getAttribute('xlink:href')).filter(Boolean)
        .map(h => new URL(h, location.href).href)""")
    to_elu = [h for h in hrefs
              if urlparse(h).path.rstrip("/").endswith("explorer") and parse_qs(urlparse(h).query).get("fn") == ["elu"]]
    assert to_elu, f"no link to the ELU explorer among {len(hrefs)} links"
    assert tab.exceptions() == []


def test_a_shared_link_is_the_first_request_of_a_fresh_server(browser):
    """A hosted demo restarts; the first visitor arrives through a teacher's deep link."""
    with running_server() as base:
        tab = Tab(browser, base)
        try:
            tab.open("/explorer?fn=gelu&approximate=tanh")
            nav = tab.page.locator("[data-testid='stSidebarNav']").inner_text().split()
            assert "Explorer" in nav and "Compare" in nav and "app" not in nav, nav
            assert "nn.GELU" in tab.page.locator("[data-testid='stMain']").inner_text()  # GELU's caption
            assert any(t["name"] == "f(x)" for t in tab.charts()[0])
            assert tab.exceptions() == []
        finally:
            tab.close()


def test_gradient_flow_depth_slider_redraws_the_norms(tab):
    tab.open("/gradient_flow")
    norms = trace(tab.charts()[0], "‖∂L/∂W‖ (weights)")
    assert len(norms["y"]) == 20  # the default: sigmoid, depth 20
    tab.press_on_slider("ArrowRight", label="Depth")
    assert len(trace(tab.charts()[0], "‖∂L/∂W‖ (weights)")["y"]) == 21
    assert "21" in tab.wait_for_query("depth")["depth"]
    assert tab.exceptions() == []


def test_dying_relu_animation_has_frames_and_plays(tab):
    tab.open("/dying_relu")
    info = tab.page.evaluate("""() => {
        const el = Array.from(document.querySelectorAll('.js-plotly-plot'))
            .find(d => d._transitionData && d._transitionData._frames && d._transitionData._frames.length);
        return el ? {frames: el._transitionData._frames.length, title: el.layout.title.text} : null;
    }""")
    assert info and info["frames"] >= 60, info
    assert "step 0:" in info["title"]  # Streamlit's theme may wrap the title in <b>
    tab.page.get_by_text("▶ play").first.click()
    tab.page.wait_for_function("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .some(d => d.layout && d.layout.title && /step [1-9][0-9]*:/.test(d.layout.title.text))""", timeout=30_000)
    assert tab.exceptions() == []


def test_compare_measures_the_cost_of_every_activation(tab):
    tab.open("/compare?fns=sigmoid,relu")
    assert tab.page.locator(".js-plotly-plot").count() == 1
    tab.page.get_by_role("button", name="Measure now").click()
    tab.page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=TIMEOUT_MS)
    tab.idle()
    bars = tab.page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[1].data.map(t => t.y.length)")
    assert bars == [26, 26]
    assert tab.exceptions() == [] and tab.console_errors == []
