"""Untrusted values (a link's text, a lab's config): every checker of activations/validate.py returns a valid value
and one message per condition, whatever it is given. In-process and fast: the hostile-URL corpus lives here, not in
AppTest runs."""
import math

import pytest

import activations
from activations import validate as v
from activations.lookup import activation_and_params
from activations.registry import RRELU_SWAPPED
from i18n import MAX_SHOWN

HOSTILE_TEXT = ["abc", "", "   ", "0x10", "1,5", "`rm -rf`", "<script>alert(1)</script>", "[x](javascript:1)",
                "a\nb\x00c\x1b[31m", "x" * 10_000, "🙂"]
NOT_NUMBERS = [*HOSTILE_TEXT, None, [1.0], {"a": 1}, object(), 10**400, complex(1, 1)]


def msgids(note) -> list[str]:
    """The message ids inside a note (a joined note holds several)."""
    if note is None:
        return []
    if note.msgid == v.JOINED:
        values = dict(note.values)
        return msgids(values["first"]) + msgids(values["second"])
    return [note.msgid]


def assert_safe(text: str) -> None:
    """A rendered note is one line of Markdown whose untrusted parts stay inside inline code."""
    assert "\n" not in text and "\x00" not in text and "\x1b" not in text
    outside_code = text.split("`")[::2]
    assert text.count("`") % 2 == 0
    assert not any("](" in part or "<script" in part for part in outside_code), text


# ---- number ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw,value", [("0.5", 0.5), (" 2 ", 2.0), ("1e-3", 0.001), (2.5, 2.5), (0, 0.0),
                                       ("3", 3.0), ("-0", 0.0)])
def test_number_accepts_numbers_in_range_quietly(raw, value):
    assert v.number("alpha", raw, 0.0, 3.0, 1.0) == (value, None)


@pytest.mark.parametrize("raw", ["nan", "NaN", "-nan", float("nan"), *NOT_NUMBERS])
def test_number_gives_the_default_for_what_is_not_a_number(raw):
    value, note = v.number("alpha", raw, 0.0, 3.0, 1.0)
    assert value == 1.0 and note.msgid == v.NOT_A_NUMBER
    assert_safe(note.render())


@pytest.mark.parametrize("raw,value", [("inf", 3.0), ("-inf", 0.0), ("1e999", 3.0), ("-1e999", 0.0),
                                       (float("inf"), 3.0), ("5", 3.0), ("-0.1", 0.0), (1e308, 3.0)])
def test_number_clamps_what_is_outside_the_range(raw, value):
    got, note = v.number("alpha", raw, 0.0, 3.0, 1.0)
    assert got == value and math.isfinite(got) and note.msgid == v.OUT_OF_RANGE
    assert dict(note.values)["value"] == value


def test_number_messages_read_right_in_english():
    assert v.number("alpha", "abc", 0.0, 3.0, 1.0)[1].render() == (
        "**alpha** = `abc` is not a number: used the default 1.")
    assert v.number("alpha", "1e999", 0.0, 3.0, 1.0)[1].render() == (
        "**alpha** = `1e999` is outside [0, 3]: clamped to 3.")
    assert v.number("depth", "2.4", 1, 50, 10, integer=True)[1].render() == (
        "**depth** = `2.4` must be a whole number: rounded to 2.")


@pytest.mark.parametrize("raw,value,msgid", [("7", 7, None), ("7.0", 7, None), ("2.4", 2, v.NOT_WHOLE),
                                             ("2.6", 3, v.NOT_WHOLE), ("999", 50, v.OUT_OF_RANGE),
                                             ("inf", 50, v.OUT_OF_RANGE), ("-1e999", 1, v.OUT_OF_RANGE),
                                             ("nan", 10, v.NOT_A_NUMBER), ("seven", 10, v.NOT_A_NUMBER)])
def test_number_integer(raw, value, msgid):
    got, note = v.number("depth", raw, 1, 50, 10, integer=True)
    assert got == value and isinstance(got, int)
    assert msgids(note) == ([msgid] if msgid else [])


def test_untrusted_text_is_shown_short_and_as_inline_code():
    for raw in HOSTILE_TEXT:
        text = v.number("alpha", raw, 0.0, 3.0, 1.0)[1].render()
        assert_safe(text)
        assert len(text) <= len("**alpha** =  is not a number: used the default 1.") + MAX_SHOWN + 2
    assert "(empty)" in v.number("alpha", "", 0.0, 3.0, 1.0)[1].render()


# ---- step (a select slider's options) ---------------------------------------------------------------------------
OPTIONS = (0.001, 0.01, 0.1, 1.0)


@pytest.mark.parametrize("raw,value,msgid", [("0.1", 0.1, None), ("0.05", 0.01, v.NOT_A_STEP),
                                             ("0.9", 1.0, v.NOT_A_STEP), ("5", 1.0, v.OUT_OF_RANGE),
                                             ("-inf", 0.001, v.OUT_OF_RANGE), ("nan", 0.01, v.NOT_A_NUMBER),
                                             ("lr", 0.01, v.NOT_A_NUMBER)])
def test_step_takes_the_nearest_option(raw, value, msgid):
    got, note = v.step("lr", raw, OPTIONS, 0.01)
    assert got == value and got in OPTIONS
    assert msgids(note) == ([msgid] if msgid else [])


# ---- choice -----------------------------------------------------------------------------------------------------
def test_choice_is_forgiving_about_case_and_spaces_only():
    assert v.choice("fn", "ReLU", ["relu", "elu"], "elu") == ("relu", None)
    assert v.choice("fn", " elu ", ["relu", "elu"], "elu") == ("elu", None)
    value, note = v.choice("fn", "relu7", ["relu", "elu"], "elu")
    assert value == "elu" and note.msgid == v.NOT_A_CHOICE
    assert note.render() == "**fn** = `relu7` is not one of `relu`, `elu`: used `elu`."


@pytest.mark.parametrize("raw", [*HOSTILE_TEXT, None, 5, ["relu"], ("relu",), {"relu": 1}])
def test_choice_gives_the_default_for_anything_else(raw):
    value, note = v.choice("fn", raw, ["relu", "elu"], "elu")
    assert value == "elu" and note.msgid == v.NOT_A_CHOICE
    assert_safe(note.render())


def test_choice_lists_at_most_eight_options():
    options = [f"o{i}" for i in range(20)]
    text = v.choice("fn", "zzz", options, "o0")[1].render()
    assert "`o7`, …" in text and "o8" not in text


# ---- choices (a multiselect) ------------------------------------------------------------------------------------
FNS = ["relu", "elu", "gelu"]


@pytest.mark.parametrize("raw,value,ids", [
    ("relu,gelu", ["relu", "gelu"], []),
    ("RELU, elu", ["relu", "elu"], []),
    (["gelu", "relu"], ["gelu", "relu"], []),
    ("relu,relu,elu,relu", ["relu", "elu"], []),  # repeated entries: kept once, in first-seen order
    ("relu,bogus,elu", ["relu", "elu"], [v.UNKNOWN_ITEMS]),
    ("relu,elu,gelu", ["relu", "elu"], [v.TOO_MANY]),
    ("bogus,relu,elu,gelu", ["relu", "elu"], [v.UNKNOWN_ITEMS, v.TOO_MANY]),
    (",,", ["gelu"], [v.NOTHING_VALID]),
    ("", ["gelu"], [v.NOTHING_VALID]),
    ("zzz", ["gelu"], [v.UNKNOWN_ITEMS, v.NOTHING_VALID]),
    (None, ["gelu"], [v.NOTHING_VALID]),
    (5, ["gelu"], [v.UNKNOWN_ITEMS, v.NOTHING_VALID]),
    (["relu", 5, None, ["elu"]], ["relu"], [v.UNKNOWN_ITEMS]),
])
def test_choices(raw, value, ids):
    got, note = v.choices("fns", raw, FNS, ["gelu"], 2)
    assert got == value and msgids(note) == ids


def test_choices_survive_huge_lists_and_name_only_a_few_unknowns():
    got, note = v.choices("fns", ",".join(["relu"] * 100_000 + ["elu"]), FNS, ["gelu"], 8)
    assert got == ["relu", "elu"] and note is None
    got, note = v.choices("fns", ",".join(f"bad{i}" for i in range(50_000)), FNS, ["gelu"], 8)
    assert got == ["gelu"] and msgids(note) == [v.UNKNOWN_ITEMS, v.NOTHING_VALID]
    unknown = dict(note.values)["first"].render()
    assert "`bad4`" in unknown and "bad5" not in unknown and len(unknown) < 100
    assert len(note.render()) < 250


def test_choices_unknown_entries_cannot_inject_markdown():
    raw = "x`[a](http://e.vil)`,a\nb,c\x00d,relu"
    got, note = v.choices("fns", raw, FNS, ["gelu"], 8)
    assert got == ["relu"]
    assert_safe(note.render())


def test_choices_messages_read_right_in_english():
    assert v.choices("fns", "relu,elu,gelu", FNS, ["gelu"], 2)[1].render() == (
        "**fns**: at most 2 at once; kept the first 2.")
    assert v.choices("fns", "relu,bogus", FNS, ["gelu"], 2)[1].render() == "**fns**: unknown `bogus` dropped."


# ---- toggle -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw,value", [("1", True), ("true", True), (" YES ", True), ("on", True), (True, True),
                                       ("0", False), ("False", False), ("no", False), ("off", False),
                                       (False, False)])
def test_toggle_reads_the_usual_spellings(raw, value):
    assert v.toggle("autograd", raw, not value) == (value, None)


@pytest.mark.parametrize("raw", ["maybe", "", "2", "-1", None, 2, 1.5, "1\n0", "`1`"])
def test_toggle_gives_the_default_otherwise(raw):
    value, note = v.toggle("autograd", raw, True)
    assert value is True and note.msgid == v.NOT_A_TOGGLE
    assert_safe(note.render())
    assert note.render().endswith("should be 1 or 0: used 1.")


# ---- pair (a range slider) --------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw,value,ids", [
    ("-6,6", (-6.0, 6.0), []),
    ((-2, 3), (-2.0, 3.0), []),
    (" -1 , 2 ", (-1.0, 2.0), []),
    ("6,-6", (-6.0, 6.0), [v.SWAPPED]),
    ("1,1", (-5.0, 5.0), [v.TOO_NARROW]),
    ("1,1.2", (-5.0, 5.0), [v.TOO_NARROW]),
    ("1.2,1", (-5.0, 5.0), [v.TOO_NARROW]),  # swapped and narrow: only the outcome is said
    ("1e999,1e999", (-5.0, 5.0), [v.TOO_NARROW]),
    ("-1e999,2", (-50.0, 2.0), [v.OUT_OF_RANGE]),
    ("-inf,inf", (-50.0, 50.0), [v.OUT_OF_RANGE, v.OUT_OF_RANGE]),
    ("nan,2", (-5.0, 2.0), [v.NOT_A_NUMBER]),
    ("a,b", (-5.0, 5.0), [v.NOT_A_NUMBER, v.NOT_A_NUMBER]),
    ("-7,", (-7.0, 5.0), [v.NOT_A_NUMBER]),
    ("7", (-5.0, 5.0), [v.NOT_A_PAIR]),
    ("", (-5.0, 5.0), [v.NOT_A_PAIR]),
    ("1,2,3", (-5.0, 5.0), [v.NOT_A_PAIR]),
    (None, (-5.0, 5.0), [v.NOT_A_PAIR]),
    ([1.0, 2.0, 3.0], (-5.0, 5.0), [v.NOT_A_PAIR]),
    (",".join(["1"] * 10_000), (-5.0, 5.0), [v.NOT_A_PAIR]),
])
def test_pair(raw, value, ids):
    got, note = v.pair("x", raw, -50.0, 50.0, (-5.0, 5.0), min_width=0.5)
    assert got == value and all(math.isfinite(g) for g in got)
    assert got[1] - got[0] >= 0.5
    assert msgids(note) == ids


def test_pair_messages_read_right_in_english():
    assert v.pair("x", "6,-6", -50.0, 50.0, (-5.0, 5.0))[1].render() == (
        "**x**: the two ends were swapped so that low < high.")
    assert v.pair("x", "1,1", -50.0, 50.0, (-5.0, 5.0), 0.5)[1].render() == (
        "**x** = `1,1` is narrower than 0.5: used the default -5,5.")
    assert v.pair("x", "7", -50.0, 50.0, (-5.0, 5.0))[1].render() == (
        "**x** = `7` should be two numbers 'low,high': used the default -5,5.")


def test_joined_keeps_every_note_in_order():
    a, b = v.number("a", "x", 0, 1, 0)[1], v.number("b", "y", 0, 1, 0)[1]
    assert v.joined([]) is None and v.joined([a]) is a
    assert v.joined([a, b]).render() == f"{a.render()} {b.render()}"


# ---- an activation and its parameters (a lab's config) ----------------------------------------------------------
@pytest.mark.parametrize("act,params,key,expected,ids", [
    ("elu", {"alpha": 2.0}, "elu", {"alpha": 2.0}, []),
    ("elu", [("alpha", "2")], "elu", {"alpha": 2.0}, []),
    ("elu", None, "elu", {"alpha": 1.0}, []),
    ("elu", {"alpha": "nan"}, "elu", {"alpha": 1.0}, [v.NOT_A_NUMBER]),
    ("elu", {"alpha": "1e999"}, "elu", {"alpha": 3.0}, [v.OUT_OF_RANGE]),
    ("elu", {"alpha": [1]}, "elu", {"alpha": 1.0}, [v.NOT_A_NUMBER]),
    ("elu", {"bogus": 1}, "elu", {"alpha": 1.0}, [v.NO_SUCH_PARAM]),
    ("elu", "abc", "elu", {"alpha": 1.0}, [v.NOT_PAIRS]),
    ("elu", 5, "elu", {"alpha": 1.0}, [v.NOT_PAIRS]),
    ("elu", [("alpha", 1, 2)], "elu", {"alpha": 1.0}, [v.NOT_PAIRS]),
    ("relu7", {}, "relu", {}, [v.NOT_AN_ACTIVATION]),
    ("relu7", {"alpha": 2.0}, "relu", {}, [v.NOT_AN_ACTIVATION, v.PARAMS_DROPPED]),
    (["elu"], None, "relu", {}, [v.NOT_AN_ACTIVATION]),
    (None, None, "relu", {}, [v.NOT_AN_ACTIVATION]),
    ("rrelu", {"lower": 0.9, "upper": 0.1}, "rrelu", {"lower": 0.1, "upper": 0.9}, [RRELU_SWAPPED]),
])
def test_activation_and_params(act, params, key, expected, ids):
    got_key, got, notes = activation_and_params("act", act, params, "relu", prefix="act.")
    assert (got_key, got) == (key, expected)
    assert [n.msgid for n in notes] == ids
    for n in notes:
        assert_safe(n.render())


def test_activation_messages_read_right_in_english():
    notes = activation_and_params("act", "relu7", {"alpha": 2.0}, "relu")[2]
    assert [n.render() for n in notes] == ["**act** = `relu7` is not an activation of this app: used relu.",
                                           "The parameters given for `relu7` were dropped."]


# ---- spec.resolve: an activation's parameters, clamped to the sliders, then constrained --------------------------
@pytest.mark.parametrize("value,expected,msgid", [
    ("abc", 1.0, v.NOT_A_NUMBER), (float("nan"), 1.0, v.NOT_A_NUMBER), (float("inf"), 3.0, v.OUT_OF_RANGE),
    (99.0, 3.0, v.OUT_OF_RANGE), (-1.0, 0.0, v.OUT_OF_RANGE), (2.5, 2.5, None), ("2.5", 2.5, None),
])
def test_resolve_checks_and_says_what_it_changed(value, expected, msgid):
    params, notes = activations.get("elu").resolve({"alpha": value})
    assert params == {"alpha": expected}
    assert [n.msgid for n in notes] == ([msgid] if msgid else [])


def test_resolve_fills_defaults_checks_choices_and_repairs_rrelu():
    assert activations.get("softplus").resolve({"beta": 2.0}) == ({"beta": 2.0, "threshold": 20.0}, [])
    params, notes = activations.get("gelu").resolve({"approximate": "TANH"})
    assert params == {"approximate": "tanh"} and notes == []
    params, notes = activations.get("gelu").resolve({"approximate": "erf"})
    assert params == {"approximate": "none"} and [n.msgid for n in notes] == [v.NOT_A_CHOICE]
    params, notes = activations.get("rrelu").resolve({"lower": 0.9, "upper": 0.1, "alpha": 3})
    assert (params["lower"], params["upper"]) == (0.1, 0.9)
    assert [n.msgid for n in notes] == [v.NO_SUCH_PARAM, RRELU_SWAPPED]
    assert [n.render() for n in notes] == ["RReLU has no parameter `alpha`: ignored.",
                                           "RReLU needs lower ≤ upper: the two were swapped."]


@pytest.mark.parametrize("key", list(activations.REGISTRY))
def test_resolve_keeps_every_slider_value_and_names_every_change(key):
    """Each parameter at each of its test values comes back unchanged (rrelu's order aside) and quietly."""
    spec = activations.get(key)
    for p in spec.params:
        for value in p.values_to_test():
            params, notes = spec.resolve({p.name: value})
            if key == "rrelu" and notes:  # lower above the default upper (or the reverse): swapped, and said
                assert [n.msgid for n in notes] == [RRELU_SWAPPED] and value in params.values()
                continue
            assert params[p.name] == value and notes == [], (key, p.name, value)
