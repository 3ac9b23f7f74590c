"""Figures for the self-normalizing lab: statistics per layer and the (mean, variance) map of SELU."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .base import LEGEND_TOP, MARGIN, PALETTE, figure

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
    return figure(traces, dict(
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
    return figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP, shapes=shapes,
                                xaxis={"title": {"text": "μ: mean of a layer's inputs"}},
                                yaxis={"title": {"text": "ν: variance of a layer's inputs"}}))
