"""A page's address without Streamlit (ui.address: link text in, values and notes out, values back to text) and the
table that draws each kind of control (ui.draw), with a stand-in for Streamlit that hands back set values."""
from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import i18n
from activations import validate
from labs import controls
from labs.controls import Choice, Multi, Number, Range, Steps, Text, Toggle
from ui import draw
from ui.address import LANG, Link, address, encoded, unknown_keys_note

ROOT = Path(__file__).resolve().parent.parent
ALPHA = Number("alpha", "α", "help", 1.0, low=0.0, high=2.0, step=0.1)
X = Range("x", "x-range", "help", (-6.0, 6.0), low=-10.0, high=10.0, step=0.5, min_width=0.5)


@pytest.fixture(autouse=True)
def _english():
    i18n.activate(i18n.DEFAULT)


def test_the_address_loads_no_streamlit():
    code = "import sys, ui.address; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]


def test_a_link_keeps_the_last_value_of_a_key_and_says_it_was_repeated():
    link = Link({"alpha": ["0.5", "1.5"], LANG: ["ko"], "x": []})
    assert link.query == {"alpha": "1.5", "x": ""} and link.repeated == {"alpha": 2}  # lang is the app's
    given, value, notes = link.value(ALPHA)
    assert (given, value) == (True, 1.5) and [n.msgid for n in notes] == [validate.REPEATED]
    assert "**alpha**" in notes[0].render() and link.peek(ALPHA) == 1.5


def test_a_bad_value_comes_back_within_the_declaration_with_its_note_and_a_silent_link_gives_the_default():
    given, value, notes = Link({"alpha": ["nan"]}).value(ALPHA)
    assert given and value == ALPHA.default and len(notes) == 1 and "**alpha**" in notes[0].render()
    assert Link({"alpha": ["9"]}).value(ALPHA)[1] == 2.0  # clamped to the slider's end
    assert Link({}).value(X) == (False, (-6.0, 6.0), []) and not Link({LANG: ["en"]})


def test_what_the_page_did_not_read_is_listed_in_the_link_s_order():
    link = Link({"utm_source": ["x"], "alpha": ["1"], "fbclid": ["y"]})
    assert link.unknown({"alpha"}) == ["utm_source", "fbclid"]
    note = unknown_keys_note([f"k{i}" for i in range(10)])
    assert note.render() == ("Ignored 10 unknown link parameters: `k0`, `k1`, `k2`, `k3`, `k4`, `k5`, `k6`, `k7` "
                             "and 2 more.")
    assert unknown_keys_note(["a"]).render() == "Ignored an unknown link parameter: `a`."


@pytest.mark.parametrize(("control", "value"), [(ALPHA, 0.30000000000000004), (X, (-2.5, 3.0)),
                                                (Toggle("autograd", "a", "h", False), True),
                                                (Multi("fns", "f", "h", ["relu"], options=("relu", "tanh")),
                                                 ["tanh", "relu"])])
def test_a_value_is_written_only_where_it_differs_and_reads_back_the_same(control, value):
    assert encoded(control, control.default) is None
    text = encoded(control, value)
    assert Link({control.url: [text]}).value(control) == (True, value, [])
    assert address({control.url: text}, "ko") == {control.url: text, LANG: "ko"}
    assert address({control.url: text}, None) == {control.url: text}


class Where:
    """Streamlit's widget calls as draw makes them: each hands back `value` and remembers what it was called with."""

    def __init__(self, value):
        self.value, self.calls = value, []

    def __getattr__(self, name):
        def widget(label, *args, **kwargs):
            self.calls.append((name, label, kwargs))
            return self.value
        return widget


def drawn(control, value, format_func=None):
    notes = []
    where = Where(value)
    got = draw.draw(control, draw.Widget(where, "Label", "page:key", "Help", format_func, notes.append))
    return got, where.calls, notes


def test_every_control_with_a_widget_has_its_drawing_function():
    kinds = {c for _, c in inspect.getmembers(controls, inspect.isclass)
             if issubclass(c, controls.Control) and c is not controls.Control}
    assert kinds - set(draw.DRAW) == {Text}  # the formula's box is ui.own's, drawn with the examples beside it
    with pytest.raises(TypeError):
        drawn(Text("formula", "f", "h", "x"), "x")


@pytest.mark.parametrize(("control", "raw", "widget", "value"), [
    (ALPHA, 1, "slider", 1.0),  # a float slider gives a float
    (Number("depth", "d", "h", 20, low=1, high=100, step=1), 7.0, "slider", 7),
    (controls.seed(), 3.0, "number_input", 3),
    (Steps("lr", "lr", "h", 0.1, options=(0.01, 0.1)), 0.01, "select_slider", 0.01),
    (Choice("show", "s", "h", "f", options=("f", "df"), widget="radio"), "df", "radio", "df"),
    (Choice("act", "a", "h", "relu", options=("relu", "tanh")), "tanh", "selectbox", "tanh"),
    (Multi("fns", "f", "h", ["relu"], options=("relu", "tanh")), ("tanh",), "multiselect", ["tanh"]),
    (Toggle("autograd", "a", "h", False), 1, "toggle", True),
])
def test_each_kind_of_control_gets_its_widget_and_a_value_of_its_type(control, raw, widget, value):
    got, calls, notes = drawn(control, raw)
    assert [c[0] for c in calls] == [widget] and calls[0][2]["key"] == "page:key" and calls[0][2]["help"] == "Help"
    assert got == value and type(got) is type(value) and not notes


def test_a_range_narrower_than_its_width_is_widened_with_a_note():
    assert drawn(X, (1.0, 1.5))[::2] == ((1.0, 1.5), [])
    got, _, notes = drawn(X, (1.0, 1.0))
    assert got == (1.0, 1.5) and [n.msgid for n in notes] == [draw.TOO_NARROW]
    assert drawn(X, (10.0, 10.0))[0] == (9.5, 10.0)  # at the top end, it grows downwards
