"""The real app in real Chromium: what a learner would notice on each page, in Korean and in English.

One Streamlit server is started for the module (`streamlit run app.py` on a free port) and driven
with Playwright's sync API in the system Chromium (/usr/bin/chromium; `playwright install` is never
used). Without that browser the module is skipped, or fails when the CI environment variable is set.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from layoutkit import PHONE, tap_preset, touch_the_animation
from livekit import CURVE, DRAWN, LIVE, check_follows, drag, settled

import activations
import i18n
from activations import own_key
from labs import explore, gradflow, pages
from labs import own as own_lab

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



class Tab:
    """A page in its own browser context (a fresh Streamlit session), with what it logged."""

    def __init__(self, browser, base: str, locale: str = "en-US", page=None):
        self.base = base
        if page is None:
            self.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale=locale)
            self.context.set_default_timeout(TIMEOUT_MS)
            page = self.context.new_page()
        else:  # a page another walk drives (the layout tests'): its context is theirs
            self.context = None
        self.page = page
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

    def go(self, title: str) -> None:
        """Move to another page through the sidebar (the same session, as a learner clicks), and wait for it."""
        before = self.page.url
        self.page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
        self.page.wait_for_function("(b) => location.href !== b", arg=before, timeout=TIMEOUT_MS)
        self.page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
        self.idle()

    def main_text(self) -> str:
        return self.page.locator("[data-testid='stMain']").inner_text()

    def exceptions(self) -> list[str]:
        boxes = self.page.locator(EXCEPTION)
        return [boxes.nth(i).inner_text()[:500] for i in range(boxes.count())]

    def close(self) -> None:
        if self.context is not None:
            self.context.close()


def trace(chart: list[dict], name: str) -> dict:
    found = [t for t in chart if t["name"] == name]
    assert found, f"no trace named {name!r}; traces: {[t['name'] for t in chart]}"
    return found[0]


KO = i18n.translations("ko")
HANGUL = re.compile("[가-힣]")



def ko(message: str) -> str:
    return KO.gettext(message)


def query(tab: Tab) -> dict[str, list[str]]:
    return parse_qs(urlparse(tab.page.url).query)


class KoreanLearner:
    """What a learner whose browser speaks Korean must find on each page of a walk (layoutkit.walk's `visit`): the
    page in Korean, `lang=ko` in every address so that a link copied on the way opens in Korean too, and the page
    answering what they do (a slider, the animation). Console errors are collected for the whole walk."""

    def __init__(self, page, base: str):
        self.tab = Tab(None, base, page=page)

    def __call__(self, page, key: str) -> None:
        tab = self.tab
        title = tab.page.locator("h1").first.inner_text()
        assert HANGUL.search(title), f"{key}: the title {title!r} is not Korean"
        assert query(tab).get("lang") == ["ko"], f"{key}: {tab.page.url}"
        if key == "home":  # the gallery's links carry the language (the first tab: Sigmoid, Tanh, ...)
            hrefs = tab.page.evaluate("""() => Array.from(document.querySelectorAll('a'))
                .map(a => a.getAttribute('href') || a.getAttribute('xlink:href')).filter(Boolean)
                .map(h => new URL(h, location.href).href)""")
            to_tanh = [h for h in hrefs if urlparse(h).path.rstrip("/").endswith("explorer")
                       and parse_qs(urlparse(h).query).get("fn") == ["tanh"]]
            assert to_tanh and all(parse_qs(urlparse(h).query).get("lang") == ["ko"] for h in to_tanh), to_tanh
        elif key == "explorer":
            before = trace(tab.charts()[0], "f(x)")["y"]
            tab.press_on_slider("ArrowRight")
            assert trace(tab.charts()[0], "f(x)")["y"] != before
            assert "alpha" in tab.wait_for_query("alpha") and query(tab).get("lang") == ["ko"]
            tab.idle()
            # by touch, on a phone: the curve follows the finger at every stop, before the server hears of it
            check_follows(tab.page, "explorer-elu-alpha", "explorer-curve", "elu", "alpha", {}, to=0.15, touch=True)
            settled(tab.page, "explorer-elu-alpha", "alpha")
        elif key == "compare":  # the window shown (the live chart's while the server answers, then the server's)
            shown = "() => document.querySelector('.js-plotly-plot').layout.xaxis.range[0]"
            before = tab.page.evaluate(shown)
            tab.press_on_slider("ArrowRight", label=ko(explore.COMPARE.x.label))
            assert tab.page.evaluate(shown) > before
            tab.wait_for_query("x")
            tab.idle()
            assert tab.page.evaluate(shown) > before and min(t["x"][0] for t in tab.charts()[0] if t["x"]) > before
        elif key == "gradient_flow":
            name = ko(gradflow.PROBE.depth.label)
            assert tab.page.locator(SLIDER).filter(has_text=name).count() == 1, name
            tab.press_on_slider("ArrowRight", label=name)
            assert "21" in tab.wait_for_query("depth")["depth"]
        elif key == "dying_relu":  # the animation, Korean; then a preset tapped and the animation by touch
            info = tab.page.evaluate("""() => {
                const el = Array.from(document.querySelectorAll('.js-plotly-plot'))
                    .find(d => d._transitionData && d._transitionData._frames && d._transitionData._frames.length);
                return el ? {frames: el._transitionData._frames.length, title: el.layout.title.text} : null;
            }""")
            assert info and info["frames"] >= 60 and HANGUL.search(info["title"]), info
            tap_preset(tab.page, "high-lr", PHONE.width)
            q = query(tab)
            assert q.get("opt") == ["adam"] and q.get("lr") == ["0.3"] and q.get("lang") == ["ko"], tab.page.url
            touch_the_animation(tab.page)
        elif key == "lessons":
            do_a_lesson(tab, "smooth")


def tap(page, selector: str) -> None:
    """A finger on the element's centre (scrolled into view first, as a thumb scrolls)."""
    element = page.locator(f"{selector}:visible").first
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def do_a_lesson(tab: Tab, lesson_id: str) -> None:
    """A whole lesson by touch, in Korean: start it from the list; at each step predict (the first answer of a
    choice, a slider's start), run, read the reveal, then go on; at the end the list is back."""
    from labs import lessons

    page = tab.page
    lesson = lessons.get(lesson_id)
    tap(page, f".st-key-start-{lesson_id} button")
    for n, step in enumerate(lesson.steps, start=1):
        page.wait_for_function("([l, s]) => { const q = new URLSearchParams(location.search);"
                               " return q.get('lesson') === l && (q.get('step') || '1') === s; }",
                               arg=[lesson_id, str(n)], timeout=TIMEOUT_MS)
        tab.idle()
        assert query(tab).get("lang") == ["ko"], page.url
        if step.question is not None:
            assert page.locator("[data-testid='stForm']").count() == 1, f"step {n}: no question"
            if step.question.kind == "choice":
                tap(page, "[data-testid='stForm'] [role='radiogroup'] label")
            tap(page, "[data-testid='stFormSubmitButton'] button")
            mine = ko("**Your prediction:** {predicted} · **this run:** {measured} ({verdict})").split("**")[1]
            page.wait_for_function("(t) => document.querySelector(\"[data-testid='stMain']\").innerText.includes(t)",
                                   arg=mine, timeout=TIMEOUT_MS)
            tab.idle()
            reveal = page.locator(ALERT).filter(has_text=mine).first.inner_text()
            assert HANGUL.search(reveal.split(mine, 1)[1]), reveal
        assert page.locator(CHART).count() >= 1 or page.locator("[data-testid='stMarkdown'] .katex").count() >= 1
        tap(page, f".st-key-lesson-{'next' if n < len(lesson.steps) else 'done'} button")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('lesson')", timeout=TIMEOUT_MS)
    tab.idle()
    assert tab.exceptions() == []


class EnglishLearner:
    """What a learner whose browser speaks English finds on a walk (layoutkit.walk's `visit`): English, with no
    `lang` in any address (English is the default), and a slider that moves the curve and the address. Last, the
    same browser opens a hostile link: it is explained, not executed."""

    def __init__(self, page, base: str):
        self.tab = Tab(None, base, page=page)

    def __call__(self, page, key: str) -> None:
        tab = self.tab
        assert "lang" not in query(tab), f"{key}: English is the default, no lang in {tab.page.url}"
        if key == "explorer":
            assert tab.page.locator("h1").first.inner_text().strip() == "Explorer"
            f_before = trace(tab.charts()[0], "f(x)")["y"]
            label = tab.page.locator(SLIDER).first.locator(THUMB).first.get_attribute("aria-label") or ""
            tab.press_on_slider("ArrowRight")
            assert trace(tab.charts()[0], "f(x)")["y"] != f_before, "moving the first slider did not change f(x)"
            name = label.split(" ")[0]  # "alpha ($\alpha$)" -> "alpha": the URL key of ELU's first parameter
            q = tab.wait_for_query(name)
            value = float(tab.page.locator(SLIDER).first.locator(THUMB).first.get_attribute("value"))
            assert float(q[name][0]) == pytest.approx(value), f"address bar {tab.page.url} vs slider {value}"
            tab.idle()
            # by mouse: the curve follows α at every stop; then ε (a select slider) moves the regions
            check_follows(tab.page, "explorer-elu-alpha", "explorer-curve", "elu", "alpha", {}, to=0.8)
            settled(tab.page, "explorer-elu-alpha", "alpha")
            seen = drag(tab.page, "explorer-eps", 0.95, release=False)
            names = tab.page.evaluate(DRAWN, list(CURVE))["names"]
            drawn = {s for name, s in tab.page.evaluate(LIVE, "explorer-curve")["stops"] if name == "explorer-eps"}
            seen["let_go"]()
            assert len(set(seen["seen"])) >= 3 and len(drawn) >= len(set(seen["seen"])) - 1, (seen["seen"], drawn)
            assert "saturating: 0 < |f′| < ε" in names, names
            settled(tab.page, "explorer-eps", "eps", list(explore.EXPLORER.eps.options))
            # the x-range's low thumb: the chart shows the window the thumbs make, the core's values in it
            seen = drag(tab.page, "explorer-x", 0.1, release=False)
            shown = tab.page.evaluate("() => document.querySelector('.js-plotly-plot').layout.xaxis.range")
            lo = float(tab.page.locator(".st-key-explorer-x input[type=range]").first.input_value())
            drawn = tab.page.evaluate(DRAWN, list(CURVE))
            seen["let_go"]()
            assert len(set(seen["seen"])) >= 5 and shown[0] == pytest.approx(lo) and shown[1] == 6.0, (shown, lo)
            x = np.asarray(drawn["x"], dtype=np.float64)
            alpha = float(tab.page.locator(".st-key-explorer-elu-alpha input[type=range]").first.input_value())
            np.testing.assert_allclose(drawn["f"], activations.get("elu").f(x, alpha=alpha), rtol=1e-6, atol=1e-5)
            settled(tab.page, "explorer-x", "x")
        if key == "gradient_flow":
            self.focus_link()
        if key == pages.PAGES[-1].key:
            self.hostile_link()

    def focus_link(self) -> None:
        """A teacher's focus link: the init and width hidden, the depth shown, locked at its value (the page's
        default: the server has that run already) and saying why; the share dialog's QR code reads back as the very
        link of this view."""
        import io

        import zxingcpp
        from PIL import Image

        tab = self.tab
        tab.open("/gradient_flow?hide=init,width&lock=depth")
        labels = tab.page.locator("[data-testid='stWidgetLabel']").all_inner_texts()
        assert not any(t.startswith((gradflow.PROBE.init.label, gradflow.PROBE.width.label)) for t in labels), labels
        depth = tab.page.locator(SLIDER).filter(has_text=gradflow.PROBE.depth.label).first
        assert depth.locator(THUMB).first.is_disabled() and str(gradflow.PROBE.depth.default) in depth.inner_text()
        url = tab.page.url
        assert query(tab).get("hide") == ["init,width"] and query(tab).get("lock") == ["depth"], url
        tab.page.locator(".st-key-share_in_class button:visible").first.click()
        image = tab.page.locator("[data-testid='stDialog'] img").first
        image.wait_for(timeout=TIMEOUT_MS)
        shot = Image.open(io.BytesIO(image.screenshot())).convert("L")
        read = [b.text for b in zxingcpp.read_barcodes(shot)]
        assert len(read) == 1, read
        same = [(u.netloc, u.path, parse_qs(u.query)) for u in map(urlparse, (read[0], url))]
        assert same[0] == same[1], (read, url)
        tab.page.keyboard.press("Escape")

    def hostile_link(self) -> None:
        tab = self.tab
        tab.open("/explorer?lang=%3Cscript%3Ealert(2)%3C/script%3E&fn=%3Cscript%3Ealert(1)%3C/script%3E&alpha=nan"
                 "&x=1e999,abc")
        tab.page.wait_for_timeout(500)  # give any injected script a moment to fire
        assert tab.dialogs == [], "a dialog fired"
        assert tab.exceptions() == []
        alerts = tab.page.locator(ALERT)
        text = " ".join(alerts.nth(i).inner_text() for i in range(alerts.count()))
        assert alerts.count() >= 1, "no warning about the changed values"
        for name in ("lang", "fn", "alpha", "x"):
            assert f"{name} =" in text, f"the warning does not mention {name}: {text!r}"
        assert "Explorer" in tab.page.locator("h1").first.inner_text()  # the bad language fell back to English
        assert tab.page.locator(".js-plotly-plot").count() >= 1
        injected = tab.page.evaluate(
            "() => Array.from(document.querySelectorAll('script')).some(s => s.textContent.includes('alert('))")
        assert not injected, "the link's <script> ended up in the page"


def test_a_typed_formula_is_shared_by_link_and_trains_in_a_lab(browser, server):
    """A learner on the Korean page types an activation; the copied link opens the same view, in Korean, in a fresh
    browser that speaks English (the link alone says Korean), and its page's link to Gradient flow trains a deep net
    with it."""
    a = Tab(browser, server)
    try:
        a.open("/own?lang=ko")
        heading = a.page.locator("h1").first.inner_text()
        assert HANGUL.search(heading), heading
        before = a.fingerprint()
        box = a.page.locator("input[aria-label='f(x) =']")
        box.fill("x*tanh(exp(a*x))")
        box.press("Enter")
        a.page.wait_for_function(f"(b) => ({FINGERPRINT})() !== b", arg=before, timeout=TIMEOUT_MS)
        a.idle()
        link = a.page.url
        assert parse_qs(urlparse(link).query).get("formula") == ["x*tanh(exp(a*x))"], link
        assert parse_qs(urlparse(link).query).get("lang") == ["ko"], link
        expected = trace(a.charts()[0], "f(x)")
    finally:
        a.close()
    b = Tab(browser, server)
    try:
        b.open(urlparse(link)._replace(scheme="", netloc="").geturl())
        assert b.page.locator("h1").first.inner_text() == heading
        assert b.page.locator(ALERT).count() == 0, "a copied link must open without a notice"
        assert b.page.locator("input[aria-label='f(x) =']").input_value() == "x*tanh(exp(a*x))"
        f = trace(b.charts()[0], "f(x)")
        assert f["x"] == expected["x"] and f["y"] == expected["y"]
        # the learner's formula follows its parameter's slider too, on the Korean page
        check_follows(b.page, "own-own-a", "own-curve", own_key(own_lab.normalized("x*tanh(exp(a*x))")[0]), "a", {},
                      to=0.7)
        settled(b.page, "own-own-a", "a")  # the release's rerun is over: no link is clicked during it
        b.page.locator("[data-testid='stPageLink'] a").filter(has_text=ko("Gradient flow")).first.click()
        b.page.wait_for_function("() => location.pathname.endsWith('gradient_flow')", timeout=TIMEOUT_MS)
        b.page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
        b.idle()
        q = query(b)
        assert q.get("act") == ["own"] and q.get("formula") == ["x*tanh(exp(a*x))"], b.page.url
        assert q.get("lang") == ["ko"], b.page.url
        # the metric names the formula (textContent: a long metric label may be clipped on screen)
        label = ko("max |f′| of {name}").format(name="x * tanh(exp(a * x))")
        try:
            b.page.wait_for_function("(t) => document.querySelector(\"[data-testid='stMain']\").textContent"
                                     ".includes(t)", arg=label, timeout=TIMEOUT_MS)
        except Exception:  # say what the metrics did show
            shown = b.page.locator("[data-testid='stMetricLabel']").all_text_contents()
            raise AssertionError(f"no metric {label!r}; the metrics: {shown}") from None
        assert b.exceptions() == [] and b.console_errors == []
    finally:
        b.close()


def test_the_curve_follows_a_parameter_on_compare(browser, server):
    """Issue 26 on Compare (the Explorer's and the own formula's are in the walks above): ELU's α, in its expander,
    dragged across its slider: the chart redraws at every stop on the way and shows the core's f and f′ there; then
    the x-range: both panels follow the low thumb."""
    tab = Tab(browser, server)
    try:
        tab.open("/compare?fns=elu,relu")
        tab.page.locator("[data-testid='stExpander'] summary").first.click()
        tab.page.locator(".st-key-compare-elu-alpha [data-testid='stSliderThumbValue']").wait_for(state="visible")
        tab.page.wait_for_timeout(500)  # the expander's opening animation: the thumb must be where it is drawn
        check_follows(tab.page, "compare-elu-alpha", "compare-compare", "elu", "alpha", {}, to=0.7,
                      names=("ELU", "ELU"))
        settled(tab.page, "compare-elu-alpha", "elu.alpha")
        seen = drag(tab.page, "compare-x", 0.3, release=False)  # the x-range: both panels show the new window
        shown = tab.page.evaluate("""() => { const l = document.querySelector('.js-plotly-plot').layout;
                                          return [l.xaxis.range, l.xaxis2.range]; }""")
        lo = float(tab.page.locator(".st-key-compare-x input[type=range]").first.input_value())
        seen["let_go"]()
        assert len(set(seen["seen"])) >= 5 and shown[0] == shown[1] == [pytest.approx(lo), 5.0], (shown, lo)
        assert tab.exceptions() == [] and tab.console_errors == []
    finally:
        tab.close()
