"""What the layout tests measure on a page in Chromium: charts that use their width, nothing under the modebar,
no sideways scrolling; and the page paths and screen set-ups they measure on (a phone and a desktop)."""
from __future__ import annotations

from dataclasses import dataclass

MIN_PLOT_SHARE = 0.6  # of a chart's width, for its plot area (a colour bar may take the rest)


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    touch: bool

    def context(self, browser, theme: str, lang: str):
        """A fresh browser context (a new visitor) on this screen, in `theme` ("light"/"dark") and `lang`."""
        return browser.new_context(viewport={"width": self.width, "height": self.height}, is_mobile=self.touch,
                                   has_touch=self.touch, device_scale_factor=2 if self.touch else 1,
                                   color_scheme=theme, locale="ko-KR" if lang == "ko" else "en-US")


PHONE = Screen("phone", 390, 844, touch=True)
DESKTOP = Screen("desktop", 1400, 900, touch=False)

# Per chart: its width, its plot area's width (Plotly's _fullLayout._size), the boxes of its modebar, title and
# legend; and whether any scroll container of the page is wider than the window.
MEASURE = """() => {
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? [r.left, r.top, r.right, r.bottom] : null; };
  const charts = Array.from(document.querySelectorAll('.js-plotly-plot')).map((el) => {
    const fl = el._fullLayout || {}, size = fl._size || {};
    let plot = size.w || 0;
    // subplots (the Home gallery, Compare's panels): the area the axes span, not one cell
    const xs = Object.keys(fl).filter(k => /^xaxis\\d*$/.test(k)).map(k => fl[k].domain);
    if (xs.length > 1) plot = (Math.max(...xs.map(d => d[1])) - Math.min(...xs.map(d => d[0]))) * size.w;
    return {width: el.getBoundingClientRect().width, plot: plot,
            title: (el.layout && el.layout.title && el.layout.title.text) || '',
            modebar: box(el.querySelector('.modebar')), titleBox: box(el.querySelector('.gtitle')),
            legend: box(el.querySelector('.legend')), top: el.getBoundingClientRect().top,
            notes: Array.from(el.querySelectorAll('.infolayer .annotation')).map(box).filter(Boolean)};
  });
  const wide = [document.scrollingElement, ...document.querySelectorAll(
      "[data-testid='stMain'], [data-testid='stAppViewContainer'], [data-testid='stAppScrollToBottomContainer']")]
    .filter(el => el && el.scrollWidth > el.clientWidth + 1)
    .map(el => (el.getAttribute && el.getAttribute('data-testid')) || el.tagName);
  return {charts, wide, innerWidth: window.innerWidth};
}"""


def overlap(a, b) -> float:
    """The area two boxes [left, top, right, bottom] share (0 if either is missing)."""
    if not a or not b:
        return 0.0
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def problems(measured: dict) -> list[str]:
    """What a learner would notice: a chart squeezed into part of its width, a title or legend under the
    modebar, a page that scrolls sideways."""
    out = []
    if measured["wide"]:
        out.append(f"the page scrolls sideways: {measured['wide']}")
    for i, c in enumerate(measured["charts"]):
        name = f"chart {i + 1} ({c['title'][:40]!r})"
        if c["width"] > 0 and c["plot"] < MIN_PLOT_SHARE * c["width"]:
            out.append(f"{name}: plot area {c['plot']:.0f} of {c['width']:.0f} px")
        for part in ("titleBox", "legend"):
            if overlap(c["modebar"], c[part]) > 2:  # a pixel of anti-aliasing is not an overlap
                out.append(f"{name}: the modebar covers its {'title' if part == 'titleBox' else 'legend'}")
        for note in c["notes"]:  # panel titles and labels: not under the toolbar, the legend or the title
            for part in ("modebar", "legend", "titleBox"):
                if overlap(note, c[part]) > 2:
                    out.append(f"{name}: a label lies under its {part.replace('Box', '')}")
    return out


IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = ".js-plotly-plot .main-svg"
HEADING = "[data-testid='stMain'] h1"
TIMEOUT_MS = 90_000


def settled(page, chart: bool = True) -> None:
    """The run is over, a chart is drawn (on a page that has one), and Plotly's last relayout after the run (legend
    and margins) is done."""
    if chart:
        page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)


def open_page(page, url: str) -> None:
    page.goto(url, timeout=TIMEOUT_MS)
    settled(page)


def go(page, title: str, chart: bool = True) -> None:
    """To the page named `title` through the sidebar, as a learner moves (one session; the app is not reloaded, which
    halves a walk's time). On a phone the sidebar is folded away: tap it open first."""
    heading = page.locator(HEADING).first.inner_text()
    sidebar = page.locator("[data-testid='stSidebar']")
    folded = sidebar.get_attribute("data-collapsed") == "true"
    if folded:
        page.locator("[data-testid='stExpandSidebarButton']").first.click()
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
    page.wait_for_function("([sel, h]) => { const el = document.querySelector(sel); return el && el.innerText !== h; }",
                           arg=[HEADING, heading], timeout=TIMEOUT_MS)
    if folded:  # fold it away again: over a phone's page it covers what the learner taps next
        page.locator("[data-testid='stSidebarCollapseButton'] button").first.click()
        page.wait_for_function("() => document.querySelector(\"[data-testid='stSidebar']\")"
                               ".getAttribute('data-collapsed') === 'true'", timeout=TIMEOUT_MS)
    settled(page, chart)


# The training animation's state as Plotly holds it: the slider's active step and the title of the frame shown.
ANIMATION = """() => { const el = document.querySelector('.js-plotly-plot');
  return {active: el._fullLayout.sliders[0].active, title: el._fullLayout.title.text,
          names: el._fullData.slice(1, 3).map(t => t.name)}; }"""


def centre(box) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def tap_preset(page, name: str, width: int) -> None:
    """The presets stack into full-width buttons on a phone (`width` wide): a tap sets the controls and the address."""
    button = page.locator(f".st-key-preset-{name} button:visible")
    assert button.bounding_box()["width"] >= 0.8 * width - 40  # full width, easy to hit
    button.scroll_into_view_if_needed()
    before = page.url
    page.touchscreen.tap(*centre(button.bounding_box()))
    page.wait_for_function("(b) => location.href !== b", arg=before, timeout=TIMEOUT_MS)
    settled(page)


def touch_the_animation(page) -> None:
    """On Dying ReLU, by touch: the animation plays, pauses where it was, and the rail scrubs it, its title and its
    legend's counts following the step. Run at a learning rate too high (its preset), so that first-layer units die
    while it trains and the counts move."""
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    start = page.evaluate(ANIMATION)
    assert start["active"] == 0
    play, pause = (chart.locator(".updatemenu-button").nth(i) for i in (0, 1))
    page.touchscreen.tap(*centre(play.bounding_box()))
    page.wait_for_function(f"() => ({ANIMATION})().active >= 3", timeout=TIMEOUT_MS)  # it plays
    page.touchscreen.tap(*centre(pause.bounding_box()))
    page.wait_for_timeout(400)
    paused = page.evaluate(ANIMATION)
    page.wait_for_timeout(600)
    assert page.evaluate(ANIMATION)["active"] == paused["active"] < 60  # and stops where it was
    assert paused["title"] != start["title"]  # the title follows the step
    rail = chart.locator(".slider-rail-rect").bounding_box()
    assert rail["width"] >= 0.6 * chart.bounding_box()["width"]  # wide enough for a finger
    page.touchscreen.tap(rail["x"] + 0.9 * rail["width"], rail["y"] + rail["height"] / 2)
    page.wait_for_function(f"(a) => ({ANIMATION})().active > a + 10", arg=paused["active"], timeout=TIMEOUT_MS)
    end = page.evaluate(ANIMATION)
    assert end["names"] != start["names"]  # the legend's counts follow the step too


def walk(browser, base: str, screen: Screen, theme: str, lang: str, visitor=None) -> list[str]:
    """Every page on `screen`: a new visitor opens the bare address (the browser's language is `lang`) and moves
    through the sidebar, page by page; what a learner would notice on each. `visitor(page, base)` makes a callable
    `visit(page, key)` that checks more on each page after it is measured (and may interact with it)."""
    from labs import pages

    context = screen.context(browser, theme, lang)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        visit = visitor(page, base) if visitor else None
        found = []
        for i, p in enumerate(pages.PAGES):
            if i == 0:
                open_page(page, base + p.path)
            else:
                try:
                    go(page, translated(p.title, lang), p.charts)
                except Exception as e:  # say which page did not come
                    raise AssertionError(f"{p.path} did not settle: {e!r}"[:600]) from None
            exceptions = page.locator("[data-testid='stException']").count()
            found += [f"{p.path}: {problem}" for problem in problems(page.evaluate(MEASURE))]
            found += [f"{p.path}: {exceptions} exception(s)"] if exceptions else []
            if visit:
                visit(page, p.key)
        errors = getattr(getattr(visit, "tab", None), "console_errors", [])
        return found + [f"console: {e}" for e in errors]
    finally:
        context.close()


def translated(message: str, lang: str) -> str:
    import i18n

    return i18n.translations(lang).gettext(message) if lang != "en" else message
