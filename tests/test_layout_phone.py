"""Every page on a phone (390 x 844, touch) in Chromium, in Korean and the dark theme: each chart's plot area uses
the width it has, nothing lies under a chart's toolbar, the page never scrolls sideways; and the training animation
plays, pauses and scrubs by touch, in both languages. (The desktop's twin, in English and light, is
test_layout_desktop.py.)"""
from __future__ import annotations

import pytest
from layoutkit import PHONE, TIMEOUT_MS, open_page, settled, walk


def test_a_korean_learner_walks_every_page_on_a_phone_in_the_dark_theme(browser, server):
    """A phone set to Korean opens the bare address and moves through the sidebar: every page reads well (the
    layout checks) and in Korean, with ?lang=ko in every address, its charts drawn, no error, and what the learner
    does answered (test_browser.KoreanLearner). One walk per screen: the desktop's, in English and light, is in
    test_layout_desktop.py; the touch tests below run in both languages."""
    from test_browser import KoreanLearner

    assert walk(browser, server, PHONE, "dark", "ko", visitor=KoreanLearner) == []


# The animation's state as Plotly holds it: the slider's active step and the title of the frame shown.
ANIMATION = """() => { const el = document.querySelector('.js-plotly-plot');
  return {active: el._fullLayout.sliders[0].active, title: el._fullLayout.title.text,
          names: el._fullData.slice(1, 3).map(t => t.name)}; }"""


def centre(box) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_training_animation_plays_pauses_and_scrubs_by_touch(browser, server, lang):
    context = PHONE.context(browser, "light", lang)
    try:
        page = context.new_page()
        # a learning rate too high: first-layer units die while it trains, so the legend's counts move too. In
        # English a link sets it; in Korean a tap on its preset does (a full-width button on a phone)
        if lang == "en":
            open_page(page, server + "/dying_relu?opt=adam&lr=0.3")
        else:
            open_page(page, server + "/dying_relu?lang=ko")
            tap_preset(page, "high-lr")
            settled(page)
            assert "opt=adam" in page.url and "lang=ko" in page.url
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
    finally:
        context.close()


def tap_preset(page, name: str) -> None:
    """The presets stack into full-width buttons on a phone: a tap sets the controls and the address."""
    button = page.locator(f".st-key-preset-{name} button:visible")
    assert button.bounding_box()["width"] >= 0.8 * PHONE.width - 40  # full width, easy to hit
    button.scroll_into_view_if_needed()
    page.touchscreen.tap(*centre(button.bounding_box()))
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '0.3'", timeout=TIMEOUT_MS)
