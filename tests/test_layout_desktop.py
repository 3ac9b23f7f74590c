"""Every page on a desktop (1400 x 900) in Chromium, in English and the light theme: each chart's plot area uses the
width it has (the training animation used half of it beside its legend), nothing lies under a chart's toolbar, the
page never scrolls sideways. (The phone's twin, in Korean and dark, is test_layout_phone.py.)"""
from __future__ import annotations

from layoutkit import DESKTOP, walk


def test_every_page_reads_well_on_a_desktop_in_english_and_the_light_theme(browser, server):
    """An English browser opens the bare address and moves through the sidebar: every page reads well, in English
    with a clean address, a slider answers (test_browser.EnglishLearner), and a hostile link opened last is
    explained, not executed."""
    from test_browser import EnglishLearner

    assert walk(browser, server, DESKTOP, "light", "en", visitor=EnglishLearner) == []
