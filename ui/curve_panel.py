"""One activation's curves, formulas and properties: the Explorer's panel, and the own activation's page's.

It runs as an st.fragment: a slider move reruns only this part (controls, chart, formulas, properties).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache as cache_fn
from functools import partial

import numpy as np
import streamlit as st

from activations import analysis, is_own
from activations.functions import rrelu_eval_slope
from charts import curves
from i18n import _, _f, fill, render
from labs import explore
from labs.codegen import function
from labs.controls import Control, Number, Range, params_controls
from labs.export import csv_text

from . import cache, live, page, takehome
from .tables import properties_table
from .urlstate import PageState, param_label

KINKED = re.compile(r"\b(abs|relu|max|min|sign|where)\(")  # a formula's functions with a kink


@dataclass(frozen=True)
class Drawn:
    """What the panel drew: a lesson step reads its measured values from it (labs.lessons' measures)."""
    key: str
    params: dict
    x: np.ndarray
    f: np.ndarray
    df: np.ndarray
    regions: list
    properties: object


def _band_label(params: dict) -> str:
    return _f("training: slope ~ U({lower:.3g}, {upper:.3g})", lower=params.get("lower", 0),
              upper=params.get("upper", 0))


def measured(key: str, params: dict, lo: float, hi: float, eps: float):
    """What the panel measures on its grid: x, f, f′, the regions (gaps included) and the notes on gaps."""
    x, f, df = explore.curve(key, params, lo, hi)
    gaps, gap_notes = explore.gaps(key, params, x)
    return x, f, df, analysis.regions(x, df, eps) + gaps, gap_notes


def figure(key: str, params: dict, lo: float, hi: float, regions, autograd=None, x=None):
    """The panel's chart: f and f′ on the drawn grid (explore.PLOT_POINTS, or `x`), the regions, RReLU's band."""
    drawn = explore.curve(key, params, lo, hi, explore.PLOT_POINTS) if x is None else explore.curve_on(key, params, x)
    band = explore.rrelu_band(drawn[0], params) if key == "rrelu" else None
    return curves.curve_figure(*drawn, regions, autograd=autograd, band=band, band_label=_band_label(params))


def whole_span(key: str, params: dict, x_range: Range, eps: float):
    """The chart over the x-range's whole span, explore.WINDOW_STEP apart, with its regions, and its curve."""
    n = int(round((x_range.high - x_range.low) / explore.WINDOW_STEP)) + 1
    x, f, df = explore.curve(key, params, x_range.low, x_range.high, n)
    regions = analysis.regions(x, df, eps) + explore.gaps(key, params, x)[0]
    return figure(key, params, x_range.low, x_range.high, regions, x=x)._spec, [(x, f, df)]


def tracks(state: PageState, spec, params: dict, raw: dict, lo: float, hi: float, eps: float,
           eps_control: Control, x_range: Range) -> list[live.Track | live.Window]:
    """The sliders the chart follows while they move: each numeric parameter, then ε, then the x-range (the others
    held)."""
    key = spec.key
    out: list[live.Track | live.Window] = []
    for c in params_controls(spec):
        wkey = state.movable.get(c.url)
        if wkey is None or not isinstance(c, Number):
            continue
        fixed = {k: v for k, v in raw.items() if k != c.name}
        grid = cache_fn(partial(live.grid, spec, c, fixed, raw[c.name], lo, hi))  # built on a cache miss only

        def at(v, c=c, fixed=fixed, grid=grid):
            p = spec.resolve({**fixed, c.name: v})[0]
            return figure(key, p, lo, hi, measured(key, p, lo, hi, eps)[3], x=grid())._spec
        out.append(live.Track(wkey, c, raw[c.name], at, (key, tuple(sorted(fixed.items())), lo, hi, eps)))
    wkey = state.movable.get(eps_control.url)
    if wkey is not None:
        grid = explore.grid(key, params, lo, hi, explore.FOLLOW_POINTS)

        def at_eps(e, grid=grid):
            return figure(key, params, lo, hi, measured(key, params, lo, hi, e)[3], x=grid)._spec
        out.append(live.Track(wkey, eps_control, eps, at_eps, (key, tuple(sorted(params.items())), lo, hi)))
    wkey = state.movable.get(x_range.url)
    if wkey is not None:
        out.append(live.Window(wkey, x_range, (lo, hi), partial(whole_span, key, params, x_range, eps),
                               (key, tuple(sorted(params.items())), eps)))
    return out


@st.fragment
def panel(state: PageState, spec, x_range: Control, eps_control: Control, autograd: Control) -> Drawn:
    """`spec` is drawn with one slider per parameter, then the x-range, ε and the autograd toggle."""
    key = spec.key
    state.section()
    controls, chart = page.split(state, [1, 2.8])
    with controls:
        raw = state.raw_params(spec)
        params = state.params(spec, raw=raw)
        lo, hi = state.widget(x_range)
        eps = state.widget(eps_control)
        show_autograd = state.widget(autograd)

    x, f, df, regions, gap_notes = measured(key, params, lo, hi, eps)
    grad = None
    if show_autograd:
        with st.spinner(_("Loading PyTorch and running autograd…")):
            grad = cache.autograd(key, params, x)
        # where f has no value autograd may still give a number (log's backward is 1/x even for x < 0): not shown
        grad = np.where(np.isfinite(f), grad, np.nan)

    with chart:
        fig = figure(key, params, lo, hi, regions, autograd=None if grad is None else (x, grad))
        kinds = ", ".join(_(curves.REGION_STYLE[k][1]) for k in sorted({r.kind for r in regions}))
        chart_key = f"{state.page}:curve"
        page.chart(fig, alt=_f("{name} and its derivative for x from {lo:g} to {hi:g}; regions shown: {kinds}.",
                               name=spec.name, lo=lo, hi=hi, kinds=kinds or _("none")), key=chart_key)
        for note in gap_notes:
            st.caption(render(note))
        if grad is not None:
            both = np.isfinite(grad) & np.isfinite(df)
            err = float(np.max(np.abs(grad[both] - df[both]))) if both.any() else float("nan")
            st.caption(_f("max |analytic f′ − autograd f′| over {n} points: **{err:.2e}**", n=int(both.sum()),
                          err=err))
            if is_own(key) and KINKED.search(spec.name):
                st.caption(_("At a kink (abs, relu, max, min, sign, where) both follow PyTorch's convention: "
                             "relu′(0) = abs′(0) = sign′ = 0, max and min split the gradient at a tie, where takes "
                             "the derivative of the branch it picks."))
        if key == "rrelu":
            st.caption(_f("Evaluation slope (lower + upper)/2 = **{slope:.4g}**; the shaded band is every slope "
                          "training can draw.", slope=rrelu_eval_slope(params["lower"], params["upper"])))

    props_col, math_col = st.columns([1, 1.6], gap="large")
    with math_col:
        f_tex, df_tex = spec.tex(params)
        st.latex(f_tex)
        st.latex(df_tex)
        numeric = [p for p in spec.params if not p.is_choice]
        if numeric:
            st.caption(_f("with {values}", values=", ".join(
                fill("{label} = {v:.4g}", label=param_label(p), v=params[p.name]) for p in numeric)))
    props = explore.properties(key, params)
    with props_col:
        st.markdown(properties_table(props))
        name = "own" if is_own(key) else key
        st.download_button(_("Download the plotted data (CSV)"), data=lambda: csv_text({"x": x, "f": f, "df": df}),
                           file_name=f"{name}.csv", mime="text/csv",
                           help=_("x, f(x) and f′(x) at every plotted point, 17 significant digits."))
    takehome.section(state, state.page, function.TITLE, partial(function.parts, key, dict(params), lo, hi),
                     function.INTRO, function.PART_TEXTS)
    if not state.lesson:  # last: the figures at every stop are built after everything the learner reads
        live.follow(chart_key, tracks(state, spec, params, raw, lo, hi, eps, eps_control, x_range),
                    key=f"{chart_key}:live")
    state.end_section()
    return Drawn(key, params, x, f, df, regions, props)
