"""Every page on a phone (390 x 844, touch) in Chromium, in Korean and the dark theme: each chart's plot area uses
the width it has, nothing lies under a chart's toolbar, the page never scrolls sideways; what the learner does on
the way answers, by touch where a phone is touched (the presets' full-width buttons, the training animation).
(The desktop's twin, in English and light, is test_layout_desktop.py.)"""
from __future__ import annotations

from layoutkit import PHONE, walk


def test_a_korean_learner_walks_every_page_on_a_phone_in_the_dark_theme(browser, server):
    """A phone set to Korean opens the bare address and moves through the sidebar: every page reads well (the
    layout checks) and in Korean, with ?lang=ko in every address, its charts drawn, no error, and what the learner
    does answered (test_browser.KoreanLearner: a slider, a preset tapped, the animation played, paused and scrubbed
    by touch). One walk per screen: the desktop's, in English and light, is in test_layout_desktop.py."""
    from test_browser import KoreanLearner

    assert walk(browser, server, PHONE, "dark", "ko", visitor=KoreanLearner) == []
