"""URL values are untrusted text: every parser returns a valid value and says what it changed."""
import math

import pytest

from activations import urlvalues as uv


@pytest.mark.parametrize("raw,value,changed", [
    ("0.5", 0.5, False), (" 2 ", 2.0, False), ("1e-3", 0.001, False),
    ("nan", 1.0, True), ("NaN", 1.0, True), ("inf", 3.0, True), ("-inf", 0.0, True), ("1e999", 3.0, True),
    ("abc", 1.0, True), ("", 1.0, True), ("0x10", 1.0, True), ("5", 3.0, True), ("-0.1", 0.0, True),
])
def test_parse_float(raw, value, changed):
    v, note = uv.parse_float("alpha", raw, 0.0, 3.0, 1.0)
    assert v == value and math.isfinite(v)
    assert (note is not None) is changed
    if changed:
        assert "**alpha**" in note


def test_encode_float_round_trips_exactly():
    for v in (0.1, 1.6732632423543772, -6.0, 1e-300, 0.30000000000000004):
        assert float(uv.encode_float(v)) == v


@pytest.mark.parametrize("raw,value,changed", [
    ("-6,6", (-6.0, 6.0), False), ("6,-6", (-6.0, 6.0), True), ("1,1", (-5.0, 5.0), True),
    ("7", (-5.0, 5.0), True), ("a,b", (-5.0, 5.0), True), ("-1e999,2", (-50.0, 2.0), True),
    ("1,2,3", (-5.0, 5.0), True),
])
def test_parse_range(raw, value, changed):
    v, note = uv.parse_range("x", raw, -50.0, 50.0, (-5.0, 5.0), min_width=0.5)
    assert v == value and (note is not None) is changed


def test_parse_choice_is_forgiving_about_case_only():
    assert uv.parse_choice("fn", "ReLU", ["relu", "elu"], "elu") == ("relu", None)
    v, note = uv.parse_choice("fn", "relu7", ["relu", "elu"], "elu")
    assert v == "elu" and "relu7" in note


def test_parse_choices_drops_unknown_and_duplicates_and_caps():
    v, note = uv.parse_choices("fns", "relu,relu,bogus,elu", ["relu", "elu", "gelu"], ["gelu"], 8)
    assert v == ["relu", "elu"] and "bogus" in note
    v, note = uv.parse_choices("fns", "relu,elu,gelu", ["relu", "elu", "gelu"], ["gelu"], 2)
    assert v == ["relu", "elu"] and "at most 2" in note
    v, note = uv.parse_choices("fns", ",,", ["relu"], ["relu"], 2)
    assert v == ["relu"] and "default" in note


def test_parse_bool():
    assert uv.parse_bool("a", "1", False) == (True, None)
    assert uv.parse_bool("a", "off", True) == (False, None)
    v, note = uv.parse_bool("a", "maybe", False)
    assert v is False and note


@pytest.mark.parametrize("raw", ["`rm -rf`", "<script>alert(1)</script>", "[x](javascript:alert(1))",
                                 "a\nb\x00c", "x" * 500])
def test_shown_is_safe_inline_code(raw):
    s = uv.shown(raw)
    assert s.startswith("`") and s.endswith("`") and s.count("`") == 2
    assert "\n" not in s and "\x00" not in s and len(s) <= uv.MAX_SHOWN + 2
