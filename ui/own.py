"""The learner's own activation across pages: one formula per session, picked as "Your own" anywhere.

Session state (app-wide, not per page):
- TEXT: the formula as typed in its box (it may not parse: the box keeps it so the learner can fix it);
- FORMULA: the last formula that parsed, as typed: the one every page uses and every link carries (its key, for
  labs and caches, holds its canonical text, so `x*x` and `x * x` are one activation);
- RANGES: the slider range of a, b and c.
A link on any page may set them (`formula=`, `range.a=`); `bind` reads them once per page entry.
"""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

import activations
from activations import OWN
from activations import formula as F
from i18n import N_, Note, _, _f, render
from labs import own as lab
from labs import pages
from labs.controls import Control

from .urlstate import PageState, widget_key

TEXT, FORMULA, RANGES = "_own:text", "_own:formula", "_own:ranges"
EDIT = N_("Edit your formula")
PAGE = pages.get("own").view


def formula() -> str:
    """The formula in use: the last one that parsed, as the learner typed it."""
    return st.session_state.get(FORMULA, F.DEFAULT_FORMULA)


def name() -> str:
    """How pages name it: its canonical text (`x * sigmoid(a * x)`), as the labs' messages do (no SymPy: a picker
    names it on every page)."""
    return F.canonical(formula()) or formula()


def key() -> str:
    return activations.own_key(lab.normalized(formula())[0])


def ranges() -> dict[str, tuple[float, float]]:
    return st.session_state.get(RANGES) or lab.default_ranges(formula())


def spec() -> activations.ActivationSpec:
    """The activation in use, with the learner's slider ranges (and an example's default values)."""
    return lab.spec(key(), ranges(), lab.default_values(formula()))


def adopt(text: str) -> list[Note]:
    """Make `text` the formula in use if it parses (its ranges start from its example's); the notes say why not,
    or are information (a constant formula). The box shows `text` either way."""
    st.session_state[TEXT] = text
    canonical, notes = lab.normalized(text)
    if canonical is not None:
        if canonical != lab.normalized(formula())[0]:
            st.session_state[RANGES] = lab.default_ranges(canonical)
            _forget_range_inputs()
        st.session_state[FORMULA] = text
    return notes


def refused(text: str) -> Note | None:
    """Why `text` is not the formula in use (the refusal's note), or None if it is."""
    canonical, notes = lab.normalized(text)
    return notes[0] if canonical is None and notes else None


def bind(state: PageState) -> None:
    """Read a link's formula and ranges (once, on entering a page: ui.page.start calls it); they belong to the
    app, not to the page."""
    given, text = state.read(lab.FORMULA)  # a refused formula's note is among the link's notices
    if given:
        adopt(text)
    given = {name: state.read(control) for name, control in lab.RANGES.items()}  # marks the keys as read
    if any(g for g, _ in given.values()):
        st.session_state[RANGES] = {**ranges(), **{n: tuple(v) for n, (g, v) in given.items() if g}}


def write(state: PageState) -> None:
    """Put the formula and its ranges in the page's link (when the page uses them)."""
    state.put(lab.FORMULA.url, formula())
    defaults, used, current = lab.default_ranges(formula()), spec().defaults, ranges()
    for name, control in lab.RANGES.items():
        differs = name in used and tuple(current[name]) != tuple(defaults[name])
        state.put(control.url, control.encode(current[name]) if differs else None)


def chosen(state: PageState, choice: str, where=None) -> activations.ActivationSpec:
    """The spec behind a picker's option: "own" stands for the session's formula (whose key carries the formula,
    so labs, caches and links do), said in a caption with a link to its page."""
    if choice != OWN:
        return activations.get(choice)
    write(state)  # the picker names the formula; a link leads to where it is edited
    (where or st).page_link(PAGE, label=_(EDIT), icon=":material/edit:")
    return spec()


def pick(state: PageState, control: Control, where=None, format_func=None):
    """An activation picker (a Choice with `params`) and the parameters of what it picks: (key, spec, params)."""
    choice = state.widget(control, where, format_func=format_func)
    s = chosen(state, choice, where)
    params = state.params(s, prefix=control.params.format(key=choice), where=where)
    return s.key, s, params


def keys(state: PageState, picked: Sequence[str]) -> list[str]:
    """The keys behind a multi-picker's options ("own" -> the formula's key), writing the formula's link keys."""
    if OWN in picked:
        write(state)
    return [key() if k == OWN else k for k in picked]


def key_for(state: PageState, choice: str) -> str:
    """The key behind one picker option (for pickers without parameters: the formula at its defaults)."""
    return keys(state, [choice])[0]


# ---- the formula's page: its box, examples and slider ranges --------------------------------------------------
LAST_GOOD = N_("Still using {formula}, the last formula that worked.")
RANGES_TITLE = N_("Slider ranges of the parameters")
LOW, HIGH = N_("lowest {name}"), N_("highest {name}")


def _range_keys(name: str) -> tuple[str, str]:
    return f"_own:low.{name}", f"_own:high.{name}"


def _forget_range_inputs() -> None:
    for name in lab.RANGES:
        for k in _range_keys(name):
            st.session_state.pop(k, None)


def _typed() -> None:
    adopt(st.session_state[TEXT])


def _use_example(page: str, ex_key: str) -> None:
    ex = F.example(ex_key)
    adopt(ex.formula)
    saved = st.session_state.setdefault(f"_saved:{page}", {})
    for name, value in lab.default_values(ex.formula).items():
        wkey = widget_key(page, name, "own.")
        st.session_state[wkey] = saved[wkey] = value


def formula_box(state: PageState) -> list[Note]:
    """The formula's text box and, under it, why it does not work (with the column), or what it is."""
    ss = st.session_state
    if TEXT not in ss:  # a widget's state is dropped while its page is not shown: start from the formula in use
        ss[TEXT] = formula()
    st.text_input(_(lab.FORMULA.label), key=TEXT, help=_(lab.FORMULA.help), on_change=_typed,
                  placeholder="x*sigmoid(x)")
    why = refused(ss[TEXT])
    if why is not None:
        st.error(render(why), icon=":material/error:")
        st.caption(_f(LAST_GOOD, formula=f"`{formula()}`"))
        return []
    return lab.normalized(ss[TEXT])[1]  # information about a formula that works (it is constant)


def examples(state: PageState) -> None:
    """One button per example (its origin as tooltip); the example in use says where it comes from."""
    st.markdown(_("**Examples**: click one to load it."))
    row = st.container(horizontal=True)
    for ex in F.EXAMPLES:
        row.button(_(lab.EXAMPLE_NAMES[ex.key]), key=f"own-example:{ex.key}", help=_(ex.origin),
                   on_click=_use_example, args=(state.page, ex.key))
    ex = lab.example_of(formula())
    if ex is not None:
        st.caption(_(ex.origin))


def range_inputs(state: PageState, used: Sequence[str]) -> None:
    """Two boxes per parameter the formula uses: its slider's lowest and highest value (app-wide, in the link)."""
    if not used:
        return
    current = dict(ranges())
    with st.expander(_(RANGES_TITLE)):
        for name in used:
            control = lab.RANGES[name]
            lo_key, hi_key = _range_keys(name)
            ss = st.session_state
            ss.setdefault(lo_key, current[name][0])
            ss.setdefault(hi_key, current[name][1])
            left, right = st.columns(2)
            limit = F.PARAM_LIMIT
            lo = left.number_input(_f(LOW, name=name), -limit, limit, key=lo_key, step=0.1,
                                   help=_f(control.help, limit=f"{limit:g}"))
            hi = right.number_input(_f(HIGH, name=name), -limit, limit, key=hi_key, step=0.1,
                                    help=_f(control.help, limit=f"{limit:g}"))
            value, note = control.parse(f"{lo!r},{hi!r}")
            if note:
                state.note(note)
            current[name] = tuple(value)
    st.session_state[RANGES] = current
