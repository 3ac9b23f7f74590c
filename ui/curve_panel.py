"""One activation's curves, formulas and properties: the Explorer's panel, and the own activation's page's.

It runs as an st.fragment: a slider move reruns only this part (controls, chart, formulas, properties).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st

from activations import analysis, is_own
from activations.functions import rrelu_eval_slope
from charts import curves
from i18n import _, _f, fill, render
from labs import explore
from labs.codegen import function
from labs.controls import Control
from labs.export import csv_text

from . import cache, page, takehome
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


@st.fragment
def panel(state: PageState, spec, x_range: Control, eps_control: Control, autograd: Control) -> Drawn:
    """`spec` is drawn with one slider per parameter, then the x-range, ε and the autograd toggle."""
    key = spec.key
    state.section()
    controls, chart = page.split(state, [1, 2.8])
    with controls:
        params = state.params(spec)
        lo, hi = state.widget(x_range)
        eps = state.widget(eps_control)
        show_autograd = state.widget(autograd)

    x, f, df = explore.curve(key, params, lo, hi)
    gaps, gap_notes = explore.gaps(key, params, x)
    regions = analysis.regions(x, df, eps) + gaps
    drawn = explore.curve(key, params, lo, hi, explore.PLOT_POINTS)  # what the chart draws: kinks still exact
    band = explore.rrelu_band(drawn[0], params) if key == "rrelu" else None
    grad = None
    if show_autograd:
        with st.spinner(_("Loading PyTorch and running autograd…")):
            grad = cache.autograd(key, params, x)
        # where f has no value autograd may still give a number (log's backward is 1/x even for x < 0): not shown
        grad = np.where(np.isfinite(f), grad, np.nan)

    with chart:
        fig = curves.curve_figure(
            *drawn, regions,
            autograd=None if grad is None else (x, grad), band=band,
            band_label=_f("training: slope ~ U({lower:.3g}, {upper:.3g})", lower=params.get("lower", 0),
                          upper=params.get("upper", 0)),
        )
        kinds = ", ".join(_(curves.REGION_STYLE[k][1]) for k in sorted({r.kind for r in regions}))
        page.chart(fig, alt=_f("{name} and its derivative for x from {lo:g} to {hi:g}; regions shown: {kinds}.",
                               name=spec.name, lo=lo, hi=hi, kinds=kinds or _("none")))
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
    state.end_section()
    return Drawn(key, params, x, f, df, regions, props)
