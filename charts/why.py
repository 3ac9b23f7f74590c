"""Figures for "Why non-linear": XOR decision boundaries, ReLU sums fitting a curve, zig-zag descent."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .base import LEGEND_TOP, MARGIN, PALETTE, figure

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
_LEGEND_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")


def boundary_figure(grid_axis, boundary, X, y, title: str, height: int = 360) -> go.Figure:
    traces = [dict(type="heatmap", x=grid_axis, y=grid_axis, z=boundary, zmin=0, zmax=1, showscale=False,
                   colorscale=[[0, "rgba(0,114,178,0.4)"], [0.5, "rgba(255,255,255,0)"], [1, "rgba(230,159,0,0.4)"]],
                   hoverinfo="skip")]
    for c in (0, 1):
        traces.append(dict(type="scatter", x=X[y == c, 0], y=X[y == c, 1], mode="markers", name=f"class {c}",
                           marker={"color": PALETTE[c], "size": 5, "symbol": ("circle", "diamond")[c]},
                           hoverinfo="skip"))
    lim = float(np.max(np.abs(grid_axis)))
    return figure(traces, dict(height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10}, showlegend=False,
                                title={"text": title, "x": 0.01, "font": {"size": 13}},
                                xaxis={"range": [-lim, lim], "constrain": "domain"},
                                yaxis={"range": [-lim, lim], "scaleanchor": "x"}))


def relu_fit_figure(x, y, approx, pieces: Sequence[np.ndarray] = (), knots=(), height: int = 380) -> go.Figure:
    traces = [dict(type="scatter", x=x, y=y, name="target", mode="lines", line={"color": PALETTE[0], "width": 3}),
              dict(type="scatter", x=x, y=approx, name="sum of ReLUs", mode="lines",
                   line={"color": PALETTE[1], "width": 2.5, "dash": "dash"})]
    for i, p in enumerate(pieces):
        traces.append(dict(type="scatter", x=x, y=p, name="one ReLU term" if i == 0 else None, showlegend=i == 0,
                           legendgroup="pieces", mode="lines", line={"color": PALETTE[7], "width": 1},
                           opacity=0.6, hoverinfo="skip"))
    shapes = [{"type": "line", "x0": k, "x1": k, "y0": 0, "y1": 1, "yref": "paper",
               "line": {"color": PALETTE[7], "width": 1, "dash": "dot"}} for k in knots]
    return figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP, hovermode="x unified",
                                shapes=shapes, xaxis={"title": {"text": "x (dotted: knots)"}},
                                yaxis={"title": {"text": "y"}}))


def error_curve_figure(ks, mses, height: int = 280) -> go.Figure:
    return figure([dict(type="scatter", x=ks, y=mses, mode="lines+markers", name="mean squared error",
                         line={"color": PALETTE[5], "width": 2})],
                   dict(height=height, margin=_MARGIN,
                        xaxis={"title": {"text": "number of ReLUs k"}, "type": "log", "tickvals": list(ks),
                               "ticktext": [str(k) for k in ks]},
                        yaxis={"title": {"text": "MSE (log)"}, "type": "log", "exponentformat": "power"}))


def descent_figure(paths, loss_grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
                   height: int = 420) -> go.Figure:
    """Gradient-descent paths in the (w1, w2) plane; optionally the loss contours of the first path."""
    traces = []
    if loss_grid is not None:
        gx, gy, gz = loss_grid
        traces.append(dict(type="contour", x=gx, y=gy, z=np.log10(gz + 1e-12), showscale=False, ncontours=25,
                           contours={"coloring": "lines"}, line={"width": 1}, colorscale="Greys",
                           hoverinfo="skip", name="loss contours"))
    for i, p in enumerate(paths):
        traces.append(dict(type="scatter", x=p.w[:, 0], y=p.w[:, 1], mode="lines+markers", name=p.label,
                           line={"color": PALETTE[i], "width": 2}, marker={"size": 4, "symbol": _SYMBOLS[i]},
                           hovertemplate=f"{p.label}: w = (%{{x:.3f}}, %{{y:.3f}})<extra></extra>"))
        traces.append(dict(type="scatter", x=[p.w_star[0]], y=[p.w_star[1]], mode="markers", showlegend=i == 0,
                           name="optimum w*", marker={"symbol": "star", "size": 14, "color": PALETTE[5]}))
    return figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP,
                                xaxis={"title": {"text": "w₁"}}, yaxis={"title": {"text": "w₂"}}))
