"""Every page on a desktop (1400 x 900) in Chromium, light and dark, English and Korean: each chart's plot area uses
the width it has (the training animation used half of it beside its legend), nothing lies under a chart's
toolbar, the page never scrolls sideways. (The phone's twin is test_layout_phone.py.)"""
from __future__ import annotations

import pytest
from layoutkit import DESKTOP, walk


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_page_reads_well_on_a_desktop(browser, server, lang, theme):
    assert walk(browser, server, DESKTOP, theme, lang) == []
