"""Plotly figures for the "why" labs: self-normalization, linear collapse / XOR / ReLU sums,
zero-centering, and the vector-valued activations. Data in, go.Figure out."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .plots import PALETTE, _figure

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
_LEGEND_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")


def _none_if_nan(a) -> list:
    return [float(v) if np.isfinite(v) else None for v in np.asarray(a, dtype=float)]


def depth_stats_figure(layers: np.ndarray, mean: dict, std: dict, names: dict, band_mu: tuple, band_nu: tuple,
                       height: int = 420) -> go.Figure:
    """Two panels: per-layer mean and std of activations, one line per activation, the stable band shaded."""
    traces = []
    for i, key in enumerate(mean):
        color, symbol = PALETTE[i % len(PALETTE)], _SYMBOLS[i % len(_SYMBOLS)]
        traces.append(dict(type="scatter", x=layers, y=_none_if_nan(mean[key]), name=names[key], legendgroup=key,
                           mode="lines+markers", marker={"symbol": symbol, "size": 4, "maxdisplayed": 25},
                           line={"color": color, "width": 2}, xaxis="x", yaxis="y",
                           hovertemplate=f"{names[key]}: mean %{{y:.3g}}<extra></extra>"))
        traces.append(dict(type="scatter", x=layers, y=_none_if_nan(std[key]), name=names[key], legendgroup=key,
                           showlegend=False, mode="lines+markers",
                           marker={"symbol": symbol, "size": 4, "maxdisplayed": 25},
                           line={"color": color, "width": 2}, xaxis="x2", yaxis="y2",
                           hovertemplate=f"{names[key]}: std %{{y:.3g}}<extra></extra>"))
    shapes = [
        {"type": "rect", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1, "y0": band_mu[0], "y1": band_mu[1],
         "fillcolor": "rgba(0,158,115,0.15)", "line": {"width": 0}, "layer": "below"},
        {"type": "rect", "xref": "x2 domain", "yref": "y2", "x0": 0, "x1": 1, "y0": band_nu[0], "y1": band_nu[1],
         "fillcolor": "rgba(0,158,115,0.15)", "line": {"width": 0}, "layer": "below"},
    ]
    notes = [{"text": "mean per layer", "x": 0.23, "y": 1.0, "xref": "paper", "yref": "paper", "showarrow": False,
              "yanchor": "bottom"},
             {"text": "standard deviation per layer", "x": 0.77, "y": 1.0, "xref": "paper", "yref": "paper",
              "showarrow": False, "yanchor": "bottom"}]
    return _figure(traces, dict(
        height=height, margin={"l": 10, "r": 10, "t": 80, "b": 10}, hovermode="x unified", shapes=shapes,
        annotations=notes, legend={"orientation": "h", "yanchor": "bottom", "y": 1.1, "x": 0},
        xaxis={"domain": [0, 0.46], "title": {"text": "layer"}, "anchor": "y"},
        yaxis={"anchor": "x", "range": [-1.5, 1.5], "title": {"text": "mean of activations"}},
        xaxis2={"domain": [0.54, 1], "title": {"text": "layer"}, "anchor": "y2"},
        yaxis2={"anchor": "x2", "range": [0, 3], "title": {"text": "std of activations"}},
    ))


def vector_field_figure(mu, nu, dmu, dnu, trajectories: Sequence[tuple[np.ndarray, np.ndarray]],
                        stable_mu: tuple, stable_nu: tuple, height: int = 460) -> go.Figure:
    """Arrows (μ, ν) → g(μ, ν) of one SELU layer, iterated paths, the fixed point and the proven-stable box."""
    xs, ys, sizes = [], [], []
    for x0, y0, dx, dy in zip(np.ravel(mu), np.ravel(nu), np.ravel(dmu), np.ravel(dnu), strict=True):
        xs += [x0, x0 + dx, None]
        ys += [y0, y0 + dy, None]
        sizes += [0, 7, 0]
    traces = [dict(type="scatter", x=xs, y=ys, mode="lines+markers", name="one layer: (μ, ν) → (μ̃, ν̃)",
                   line={"color": PALETTE[7], "width": 1},
                   marker={"symbol": "arrow", "angleref": "previous", "size": sizes, "color": PALETTE[7]},
                   hoverinfo="skip")]
    for i, (tm, tn) in enumerate(trajectories):
        traces.append(dict(type="scatter", x=tm, y=tn, mode="lines+markers", name="iterated" if i == 0 else None,
                           showlegend=i == 0, legendgroup="traj", line={"color": PALETTE[0], "width": 2},
                           marker={"size": 5}, hovertemplate="μ %{x:.4f}, ν %{y:.4f}<extra></extra>"))
    traces.append(dict(type="scatter", x=[0.0], y=[1.0], mode="markers", name="fixed point (0, 1)",
                       marker={"symbol": "star", "size": 16, "color": PALETTE[5]}))
    shapes = [{"type": "rect", "x0": stable_mu[0], "x1": stable_mu[1], "y0": stable_nu[0], "y1": stable_nu[1],
               "line": {"color": PALETTE[2], "width": 2, "dash": "dash"}, "fillcolor": "rgba(0,158,115,0.08)"}]
    return _figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP, shapes=shapes,
                                xaxis={"title": {"text": "μ: mean of a layer's inputs"}},
                                yaxis={"title": {"text": "ν: variance of a layer's inputs"}}))


def boundary_figure(grid_axis, boundary, X, y, title: str, height: int = 360) -> go.Figure:
    traces = [dict(type="heatmap", x=grid_axis, y=grid_axis, z=boundary, zmin=0, zmax=1, showscale=False,
                   colorscale=[[0, "rgba(0,114,178,0.4)"], [0.5, "rgba(255,255,255,0)"], [1, "rgba(230,159,0,0.4)"]],
                   hoverinfo="skip")]
    for c in (0, 1):
        traces.append(dict(type="scatter", x=X[y == c, 0], y=X[y == c, 1], mode="markers", name=f"class {c}",
                           marker={"color": PALETTE[c], "size": 5, "symbol": ("circle", "diamond")[c]},
                           hoverinfo="skip"))
    lim = float(np.max(np.abs(grid_axis)))
    return _figure(traces, dict(height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10}, showlegend=False,
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
    return _figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP, hovermode="x unified",
                                shapes=shapes, xaxis={"title": {"text": "x (dotted: knots)"}},
                                yaxis={"title": {"text": "y"}}))


def error_curve_figure(ks, mses, height: int = 280) -> go.Figure:
    return _figure([dict(type="scatter", x=ks, y=mses, mode="lines+markers", name="mean squared error",
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
    return _figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP,
                                xaxis={"title": {"text": "w₁"}}, yaxis={"title": {"text": "w₂"}}))


def bars_figure(labels: Sequence[str], series: Sequence[tuple[str, np.ndarray]], height: int = 340) -> go.Figure:
    traces = [dict(type="bar", x=list(labels), y=v, name=name, marker={"color": PALETTE[i % len(PALETTE)]},
                   hovertemplate=f"{name}: %{{y:.4g}}<extra></extra>") for i, (name, v) in enumerate(series)]
    return _figure(traces, dict(height=height, margin=_MARGIN, barmode="group", legend=_LEGEND_TOP,
                                xaxis={"title": {"text": "class"}}, yaxis={"title": {"text": "output"}}))


def jacobian_figure(J: np.ndarray, labels: Sequence[str], height: int = 340) -> go.Figure:
    lim = float(np.max(np.abs(J))) or 1.0
    return _figure([dict(type="heatmap", z=J, x=list(labels), y=list(labels), colorscale="RdBu", zmid=0,
                         zmin=-lim, zmax=lim, hovertemplate="∂p_%{y}/∂z_%{x} = %{z:.4f}<extra></extra>",
                         colorbar={"thickness": 12})],
                   dict(height=height, margin=_MARGIN, xaxis={"title": {"text": "logit z_j"}},
                        yaxis={"title": {"text": "probability p_i"}, "autorange": "reversed"}))


def glu_figure(A, B, Z, height: int = 420) -> go.Figure:
    return _figure([dict(type="heatmap", x=A[0], y=B[:, 0], z=Z, colorscale="Viridis",
                         colorbar={"title": {"text": "a·σ(b)"}, "thickness": 12},
                         hovertemplate="a %{x:.2f}, b %{y:.2f}: GLU %{z:.3f}<extra></extra>"),
                    dict(type="contour", x=A[0], y=B[:, 0], z=Z, showscale=False, contours={"coloring": "none",
                         "showlabels": True}, line={"color": "white", "width": 1}, hoverinfo="skip")],
                   dict(height=height, margin=_MARGIN, xaxis={"title": {"text": "a (the value)"}},
                        yaxis={"title": {"text": "b (the gate's input)"}}))


def maxout_figure(x, y, pieces: Sequence[tuple[float, float]], height: int = 380) -> go.Figure:
    traces = [dict(type="scatter", x=x, y=a * x + c, mode="lines", name=f"piece {i + 1}: {a:g}x + {c:g}",
                   line={"color": PALETTE[(i + 2) % len(PALETTE)], "width": 1.5, "dash": "dot"})
              for i, (a, c) in enumerate(pieces)]
    traces.append(dict(type="scatter", x=x, y=y, mode="lines", name="maxout = max of the pieces",
                       line={"color": PALETTE[0], "width": 4}))
    lo, hi = float(np.min(y)), float(np.max(y))
    span = max(hi - lo, 1.0)
    return _figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP, hovermode="x unified",
                                xaxis={"title": {"text": "x"}},
                                yaxis={"title": {"text": "y"}, "range": [lo - 0.3 * span, hi + 0.3 * span]}))
