"""Compare's section, drawn by its page and by lesson steps: the pickers and the overlaid curves."""
from __future__ import annotations

from functools import cache as cache_fn
from functools import partial

import streamlit as st

import activations
from activations import OWN
from charts import curves
from i18n import _, _f
from labs import explore
from labs.controls import Number, params_controls
from ui import live, own, page
from ui.urlstate import PageState
from ui.widgets import activation_name

C = explore.COMPARE


def _figure(picked: list[str], drawn: dict[str, tuple], show: str):
    return curves.compare_figure([(activation_name(k), *drawn[k]) for k in picked], show)


def _tracks(state: PageState, picked, specs, raw: dict, chosen: dict, drawn: dict, lo: float, hi: float, show: str):
    """The sliders the chart follows while they move: each picked function's parameters (the other curves held),
    then the x-range."""
    out = []
    for k in picked:
        for c in params_controls(specs[k], C.fns.params.format(key=k)):
            wkey = state.movable.get(c.url)
            if wkey is None or not isinstance(c, Number):
                continue
            fixed = {n: v for n, v in raw[k].items() if n != c.name}
            grid = cache_fn(partial(live.grid, specs[k], c, fixed, raw[k][c.name], lo, hi))  # on a cache miss only

            def at(v, k=k, c=c, fixed=fixed, grid=grid):
                curve = explore.curve_on(specs[k].key, specs[k].resolve({**fixed, c.name: v})[0], grid())
                return _figure(picked, {**drawn, k: curve}, show)._spec
            others = tuple((specs[j].key, tuple(sorted(raw.get(j, {}).items()))) for j in picked if j != k)
            ident = (specs[k].key, tuple(sorted(fixed.items())), others, lo, hi, show, tuple(picked))
            out.append(live.Track(wkey, c, raw[k][c.name], at, ident))
    wkey = state.movable.get(C.x.url)
    if wkey is not None and picked:
        out.append(_window(wkey, picked, specs, chosen, lo, hi, show))
    return out


def _window(wkey: str, picked, specs, chosen: dict, lo: float, hi: float, show: str) -> live.Window:
    """The x-range: every curve over its whole span (twice explore.WINDOW_STEP apart: up to 8 curves), seen through
    the thumbs' window; each panel's y axis fits its own curves (f: column 1, f′: column 2)."""
    def build():
        n = int(round((C.x.high - C.x.low) / (2 * explore.WINDOW_STEP))) + 1
        wide = {k: explore.curve(specs[k].key, chosen.get(k, {}), C.x.low, C.x.high, n) for k in picked}
        return _figure(picked, wide, show)._spec, list(wide.values())
    panels = {"f": (("yaxis", (1,)),), "df": (("yaxis", (2,)),), "both": (("yaxis", (1,)), ("yaxis2", (2,)))}[show]
    ident = (tuple((specs[k].key, tuple(sorted(chosen.get(k, {}).items()))) for k in picked), show)
    return live.Window(wkey, C.x, (lo, hi), build, ident, panels,
                       xaxes=("xaxis", "xaxis2") if show == "both" else ("xaxis",))


@st.fragment  # a slider move reruns only this part, not the pickers or the page's text
def panel(state: PageState, picked: list[str], show: str) -> dict[str, tuple]:
    """The curves of `picked` ((x, f, f′) per key, as drawn)."""
    state.section()
    lo, hi = state.widget(C.x)
    chosen, raw = {}, {}
    own.keys(state, picked)  # "own" puts the learner's formula in the link
    specs = {k: own.spec() if k == OWN else activations.get(k) for k in picked}
    with_params = [k for k in picked if specs[k].params]
    if with_params:
        cols = st.columns(min(len(with_params), 4))
        for i, k in enumerate(with_params):
            with cols[i % len(cols)].expander(_f("{name} parameters", name=activation_name(k))):
                prefix = C.fns.params.format(key=k)
                raw[k] = state.raw_params(specs[k], prefix=prefix)
                chosen[k] = state.params(specs[k], prefix=prefix, raw=raw[k])

    drawn = {k: explore.curve(specs[k].key, chosen.get(k, {}), lo, hi, explore.COMPARE_POINTS) for k in picked}
    if not picked:
        st.info(_("Pick at least one activation above."))
    else:
        chart_key = f"{state.page}:compare"
        page.chart(_figure(picked, drawn, show),
                   alt=_f("{names} compared for x from {lo:g} to {hi:g}.",
                          names=", ".join(activation_name(k) for k in picked), lo=lo, hi=hi), key=chart_key)
        if not state.lesson:
            live.follow(chart_key, _tracks(state, picked, specs, raw, chosen, drawn, lo, hi, show),
                        key=f"{chart_key}:live")
    state.end_section()
    return drawn


def compared(state: PageState) -> tuple[list[str], dict[str, tuple]]:
    """The pickers (which functions, f, f′ or both), then the panel: (the picked keys, their curves)."""
    top = st.columns([3, 1])
    picked = state.widget(C.fns, where=top[0], format_func=activation_name)
    show = state.widget(C.show, where=top[1])
    return picked, panel(state, picked, show)
