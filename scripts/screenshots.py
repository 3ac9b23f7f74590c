"""Take the README's screenshots from the real app in headless Chromium.

Usage (from the repo root, with the dev requirements installed and Debian's chromium):
    python scripts/screenshots.py [--out docs/img]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.appserver import CHROMIUM, CHROMIUM_ARGS, app_pages, running_server  # noqa: E402

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# The Dying ReLU shot shows the animation's last frame, scrolled so that the chart with its play button and
# step slider is in view (the first frame, step 0, has hardly any decision boundary yet).
LAST_FRAME = """() => { const el = document.querySelector('.js-plotly-plot');
  const last = el._transitionData._frames.at(-1).name;
  document.querySelector("[data-testid='stMetric']").scrollIntoView({block: 'start'});
  return Plotly.animate(el, [last], {mode: 'immediate', frame: {duration: 0, redraw: true},
                                     transition: {duration: 0}}); }"""
# The share dialog: the sidebar's "Share in class" button pressed (its key is share_in_class: ui/share.py).
SHARE = """() => document.querySelector("[data-testid='stSidebar'] .st-key-share_in_class button").click()"""
# A lesson step's question answered (a slider as it stands, a choice's first answer) and run: the reveal and the run.
PREDICT = """async () => {
  const option = document.querySelector("[data-testid='stForm'] [role='radiogroup'] label");
  if (option) { option.click(); await new Promise(r => setTimeout(r, 300)); }  // a choice: its first answer
  document.querySelector("[data-testid='stFormSubmitButton'] button").click(); }"""
SHOTS = [  # file name, path and query, viewport, theme, script to run before the shot
    ("home.png", "/", (1400, 1000), "light", None),
    ("explorer.png", "/explorer?fn=selu&eps=0.05", (1400, 1000), "light", None),
    ("explorer-rrelu-dark.png", "/explorer?fn=rrelu&autograd=1", (1400, 1000), "dark", None),
    ("compare.png", "/compare?fns=sigmoid,tanh,relu,gelu,silu&x=-4.0,4.0", (1400, 900), "light", None),
    ("gradient-flow.png", "/gradient_flow", (1400, 1000), "light", None),
    ("dying-relu.png", "/dying_relu?opt=adam&lr=0.3", (1400, 1000), "light", LAST_FRAME),
    ("home-dark.png", "/", (1400, 1000), "dark", None),
    ("own.png", "/own?formula=x%2Bsin(a*x)**2/a&a=3.0&x=-4.0,4.0", (1400, 1150), "light", None),
    ("real-data.png", "/real_data?depth=10&init=default", (1400, 1500), "light", None),
    ("lessons.png", "/lessons", (1400, 1000), "light", None),
    ("lesson-step.png", "/lessons?lesson=dying-relu&step=2", (1400, 1250), "light", PREDICT),
    # 한국어: the README's Korean section
    ("ko-explorer.png", "/explorer?lang=ko&fn=selu&eps=0.05", (1400, 1000), "light", None),
    ("ko-gradient-flow.png", "/gradient_flow?lang=ko", (1400, 1000), "light", None),
    ("ko-dying-relu.png", "/dying_relu?lang=ko&opt=adam&lr=0.3", (1400, 1000), "light", LAST_FRAME),
    ("ko-own.png", "/own?lang=ko&formula=(x%2Bsqrt(x**2%2Bb))/2&b=1.0", (1400, 1150), "light", None),
    ("ko-share.png", "/dying_relu?lang=ko&opt=adam&lr=0.3&lock=lr", (1280, 820), "light", SHARE),
    ("ko-lesson-step.png", "/lessons?lang=ko&lesson=sigmoid&step=2", (1400, 1150), "light", PREDICT),
    ("ko-glossary.png", "/glossary?lang=ko", (1400, 1000), "light", None),
]


# Every page on a phone (390 px, touch), in both languages: from the top to the end of its first chart, which on a
# phone comes after the controls (they stack above it).
FIRST_CHART_END = """() => { const main = document.querySelector("[data-testid='stMain']");
  const chart = document.querySelector('.js-plotly-plot').getBoundingClientRect();
  return Math.ceil(chart.bottom - main.getBoundingClientRect().top + main.scrollTop + 24); }"""


def has_charts(path: str) -> bool:
    """Whether the page at `path` draws a chart as it opens (labs.pages: the lessons' list and the glossary do not)."""
    from labs import pages

    key = path.split("?")[0].strip("/") or pages.HOME
    return pages.get(key).charts


def phone_shots(browser, base: str, out: Path) -> None:
    for lang in ("en", "ko"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      locale="ko-KR" if lang == "ko" else "en-US")
        page = context.new_page()
        for path in (path for _title, path in app_pages()):
            name = path.strip("/").replace("_", "-") or "home"  # phone-dying-relu.png
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(base + path + ("?lang=ko" if lang == "ko" else ""), timeout=90000)
            charts = has_charts(path)
            if charts:
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90000)
            page.wait_for_selector(IDLE, timeout=90000)
            height = page.evaluate(FIRST_CHART_END) if charts else 1600  # a page of text: its first screens
            page.set_viewport_size({"width": 390, "height": min(height, 4000)})
            page.wait_for_timeout(1500)  # Plotly redraws for the new height
            file = out / f"phone-{'ko-' if lang == 'ko' else ''}{name}.png"
            page.screenshot(path=str(file))
            print("wrote", file)
        context.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(mode="w+") as log, running_server(log=log) as (base, _server):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path, (w, h), theme, script in SHOTS:
                page = browser.new_page(viewport={"width": w, "height": h}, color_scheme=theme)
                page.goto(base + path, timeout=90000)
                if has_charts(path) and script is not PREDICT:
                    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90000)
                page.wait_for_selector(IDLE, timeout=90000)
                page.wait_for_timeout(500)
                if script:
                    page.evaluate(script)
                    if script is SHARE:
                        page.wait_for_selector("[role='dialog'] img", timeout=30000)
                    if script is PREDICT:
                        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90000)
                        page.wait_for_selector(IDLE, timeout=90000)
                page.wait_for_timeout(1500)  # let Plotly finish its transitions
                page.screenshot(path=str(out / name))
                print("wrote", out / name)
                page.close()
            phone_shots(browser, base, out)
            browser.close()


if __name__ == "__main__":
    main()
