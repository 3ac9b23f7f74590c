"""Compare's section, drawn by its page and by lesson steps: the pickers and the overlaid curves."""
from __future__ import annotations

import streamlit as st

import activations
from activations import OWN
from charts import curves
from i18n import _, _f
from labs import explore
from ui import own, page
from ui.urlstate import PageState
from ui.widgets import activation_name

C = explore.COMPARE


@st.fragment  # a slider move reruns only this part, not the pickers or the page's text
def panel(state: PageState, picked: list[str], show: str) -> dict[str, tuple]:
    """The curves of `picked` ((x, f, f′) per key, as drawn)."""
    state.section()
    lo, hi = state.widget(C.x)
    chosen = {}
    own.keys(state, picked)  # "own" puts the learner's formula in the link
    specs = {k: own.spec() if k == OWN else activations.get(k) for k in picked}
    with_params = [k for k in picked if specs[k].params]
    if with_params:
        cols = st.columns(min(len(with_params), 4))
        for i, k in enumerate(with_params):
            with cols[i % len(cols)].expander(_f("{name} parameters", name=activation_name(k))):
                chosen[k] = state.params(specs[k], prefix=C.fns.params.format(key=k))

    drawn = {k: explore.curve(specs[k].key, chosen.get(k, {}), lo, hi, explore.COMPARE_POINTS) for k in picked}
    if not picked:
        st.info(_("Pick at least one activation above."))
    else:
        lines = [(activation_name(k), *drawn[k]) for k in picked]
        page.chart(curves.compare_figure(lines, show),
                   alt=_f("{names} compared for x from {lo:g} to {hi:g}.", names=", ".join(c[0] for c in lines),
                          lo=lo, hi=hi))
    state.end_section()
    return drawn


def compared(state: PageState) -> tuple[list[str], dict[str, tuple]]:
    """The pickers (which functions, f, f′ or both), then the panel: (the picked keys, their curves)."""
    top = st.columns([3, 1])
    picked = state.widget(C.fns, where=top[0], format_func=activation_name)
    show = state.widget(C.show, where=top[1])
    return picked, panel(state, picked, show)
