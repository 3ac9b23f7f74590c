"""What the layout tests measure on a page in Chromium: charts that use their width, nothing under the modebar,
no sideways scrolling; and the page paths and screen set-ups they measure on (a phone and a desktop)."""
from __future__ import annotations

from dataclasses import dataclass

from bench.appserver import app_pages

PAGES = [path for _title, path in app_pages()]  # every page, in the sidebar's order, as a link opens it
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
TIMEOUT_MS = 90_000


def open_page(page, url: str) -> None:
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)  # Plotly's last relayout after the run (legend and margins settle)


def walk(browser, base: str, screen: Screen, theme: str, lang: str) -> list[str]:
    """Every page as a new visitor on `screen` opens it: what a learner would notice, page by page."""
    context = screen.context(browser, theme, lang)
    try:
        page = context.new_page()
        found = []
        for path in PAGES:
            open_page(page, base + path + ("?lang=ko" if lang == "ko" else ""))
            exceptions = page.locator("[data-testid='stException']").count()
            found += [f"{path}: {p}" for p in problems(page.evaluate(MEASURE))]
            found += [f"{path}: {exceptions} exception(s)"] if exceptions else []
        return found
    finally:
        context.close()
