"""Figures for "Why non-linear": XOR decision boundaries, ReLU sums fitting a curve, zig-zag descent."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from i18n import _, _f

from .base import LEGEND_TOP, MARGIN, PALETTE, even_x, figure, shading

_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")


def boundary_figure(fit, name: str = "", height: int = 360) -> go.Figure:
    """A trained XOR net's P(class 1) over the plane (labs.nonlinear.XorFit) and its training points; `name` is
    the non-linear net's activation."""
    axis = fit.grid_axis
    if fit.kind == "linear":
        title = _("linear: at best ½ everywhere (no colour)")
    else:
        title = _f("{name}: a bent boundary", name=name)
    # uint16, not bytes: the linear net's map is ~1/2 everywhere and moves by less than 1/255 when its depth does
    traces = [dict(type="heatmap", x=axis, y=axis, z=shading(fit.boundary, np.uint16), zmin=0, zmax=65535,
                   showscale=False, hoverinfo="skip",
                   colorscale=[[0, "rgba(0,114,178,0.4)"], [0.5, "rgba(255,255,255,0)"], [1, "rgba(230,159,0,0.4)"]])]
    for c in (0, 1):
        traces.append(dict(type="scatter", x=fit.x[fit.y == c, 0], y=fit.x[fit.y == c, 1], mode="markers",
                           name=_f("class {c}", c=c), hoverinfo="skip",
                           marker={"color": PALETTE[c], "size": 5, "symbol": ("circle", "diamond")[c]}))
    lim = float(np.max(np.abs(axis)))
    return figure(traces, dict(height=height, margin={**MARGIN, "t": 50}, showlegend=False,
                               title={"text": title, "x": 0.01, "font": {"size": 13}},
                               xaxis={"range": [-lim, lim], "constrain": "domain"},
                               yaxis={"range": [-lim, lim], "scaleanchor": "x"}))


def relu_fit_figure(x, y, approx, terms: Sequence[np.ndarray] = (), knots=(), height: int = 380) -> go.Figure:
    """The target and the sum of ReLUs (dashed), the single terms (thin grey) and the knots (dotted)."""
    xs = even_x(x)  # every trace shares the grid: x0 and dx instead of the same 601 numbers in each one
    traces = [dict(type="scatter", **xs, y=y, name=_("target"), mode="lines", line={"color": PALETTE[0], "width": 3}),
              dict(type="scatter", **xs, y=approx, name=_("sum of ReLUs"), mode="lines",
                   line={"color": PALETTE[1], "width": 2.5, "dash": "dash"})]
    for i, p in enumerate(terms):
        # float32: thin grey lines without hover, drawn to a fraction of a pixel (half the bytes of float64)
        traces.append(dict(type="scatter", **xs, y=np.asarray(p, dtype=np.float32),
                           name=_("one ReLU term") if i == 0 else None, showlegend=i == 0,
                           legendgroup="pieces", mode="lines", line={"color": PALETTE[7], "width": 1},
                           opacity=0.6, hoverinfo="skip"))
    shapes = [{"type": "line", "x0": k, "x1": k, "y0": 0, "y1": 1, "yref": "paper",
               "line": {"color": PALETTE[7], "width": 1, "dash": "dot"}} for k in knots]
    return figure(traces, dict(height=height, margin=MARGIN, legend=LEGEND_TOP, hovermode="x unified",
                               shapes=shapes, xaxis={"title": {"text": _("x (dotted: knots)")}},
                               yaxis={"title": {"text": "y"}}))


def error_curve_figure(ks, mses, height: int = 280) -> go.Figure:
    return figure([dict(type="scatter", x=list(ks), y=list(mses), mode="lines+markers", name=_("mean squared error"),
                        line={"color": PALETTE[5], "width": 2})],
                  dict(height=height, margin=MARGIN,
                       xaxis={"title": {"text": _("number of ReLUs k")}, "type": "log", "tickvals": list(ks),
                              "ticktext": [str(k) for k in ks]},
                       yaxis={"title": {"text": _("MSE (log)")}, "type": "log", "exponentformat": "power"}))


def descent_figure(paths, height: int = 420) -> go.Figure:
    """Gradient-descent paths (labs.zerocenter.Path) in the (w1, w2) plane, each heading for its optimum (a star)."""
    traces = []
    for i, p in enumerate(paths):
        traces.append(dict(type="scatter", x=p.w[:, 0], y=p.w[:, 1], mode="lines+markers", name=_(p.label),
                           line={"color": PALETTE[i], "width": 2}, marker={"size": 4, "symbol": _SYMBOLS[i]},
                           hovertemplate="%{fullData.name}: w = (%{x:.3f}, %{y:.3f})<extra></extra>"))
        traces.append(dict(type="scatter", x=[p.w_star[0]], y=[p.w_star[1]], mode="markers", showlegend=i == 0,
                           name=_("optimum w*"), marker={"symbol": "star", "size": 14, "color": PALETTE[5]}))
    return figure(traces, dict(height=height, margin=MARGIN, legend=LEGEND_TOP,
                               xaxis={"title": {"text": "w₁"}}, yaxis={"title": {"text": "w₂"}}))
