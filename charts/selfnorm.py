"""Figures for the self-normalizing lab: statistics per layer and the (mean, variance) map of SELU."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from i18n import _

from .base import LEGEND_TOP, MARGIN, PALETTE, figure, finite_or_none

_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")
_BAND = "rgba(0,158,115,0.15)"


def depth_stats_figure(layers: np.ndarray, mean: Mapping[str, np.ndarray], std: Mapping[str, np.ndarray],
                       names: Mapping[str, str], band_mu: tuple, band_std: tuple, height: int = 420) -> go.Figure:
    """Two panels: per-layer mean and std of activations, one line per activation, the stable band shaded.
    `names`: activation key -> its name (ReLU, SELU: names stay as they are in every language)."""
    # Translators: hover text of one line in a chart; %{fullData.name} is an activation's name, %{y:.3g} a number.
    mean_hover = _("%{fullData.name}: mean %{y:.3g}") + "<extra></extra>"
    # Translators: hover text; std is the standard deviation.
    std_hover = _("%{fullData.name}: std %{y:.3g}") + "<extra></extra>"
    traces = []
    for i, key in enumerate(mean):
        color, symbol = PALETTE[i % len(PALETTE)], _SYMBOLS[i % len(_SYMBOLS)]
        marker = {"symbol": symbol, "size": 4, "maxdisplayed": 25}
        traces.append(dict(type="scatter", x=layers, y=finite_or_none(mean[key]), name=names[key], legendgroup=key,
                           mode="lines+markers", marker=marker, line={"color": color, "width": 2}, xaxis="x",
                           yaxis="y", hovertemplate=mean_hover))
        traces.append(dict(type="scatter", x=layers, y=finite_or_none(std[key]), name=names[key], legendgroup=key,
                           showlegend=False, mode="lines+markers", marker=dict(marker),
                           line={"color": color, "width": 2}, xaxis="x2", yaxis="y2", hovertemplate=std_hover))
    shapes = [
        {"type": "rect", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1, "y0": band_mu[0], "y1": band_mu[1],
         "fillcolor": _BAND, "line": {"width": 0}, "layer": "below"},
        {"type": "rect", "xref": "x2 domain", "yref": "y2", "x0": 0, "x1": 1, "y0": band_std[0], "y1": band_std[1],
         "fillcolor": _BAND, "line": {"width": 0}, "layer": "below"},
    ]
    layer = _("layer")
    # The y titles name the panels: a title above each would sit under the legend where it wraps (a phone)
    return figure(traces, dict(
        height=height, margin=MARGIN, hovermode="x unified", shapes=shapes, legend=LEGEND_TOP,
        xaxis={"domain": [0, 0.4], "title": {"text": layer}, "anchor": "y"},  # room for the right panel's y title
        yaxis={"anchor": "x", "range": [-1.5, 1.5], "title": {"text": _("mean of activations")}},
        xaxis2={"domain": [0.62, 1], "title": {"text": layer}, "anchor": "y2"},
        yaxis2={"anchor": "x2", "range": [0, 3], "title": {"text": _("std of activations")}},
    ))


def vector_field_figure(mu, nu, dmu, dnu, trajectories: Sequence[tuple[np.ndarray, np.ndarray]],
                        stable_mu: tuple, stable_nu: tuple, height: int = 460) -> go.Figure:
    """Arrows (μ, ν) → g(μ, ν) of one SELU layer, iterated paths, the fixed point and the proven-stable box."""
    xs, ys, sizes = [], [], []
    for x0, y0, dx, dy in zip(np.ravel(mu), np.ravel(nu), np.ravel(dmu), np.ravel(dnu), strict=True):
        xs += [x0, x0 + dx, None]
        ys += [y0, y0 + dy, None]
        sizes += [0, 7, 0]
    traces = [dict(type="scatter", x=xs, y=ys, mode="lines+markers", name=_("one layer: (μ, ν) → (μ̃, ν̃)"),
                   line={"color": PALETTE[7], "width": 1},
                   marker={"symbol": "arrow", "angleref": "previous", "size": sizes, "color": PALETTE[7]},
                   hoverinfo="skip")]
    # Translators: legend entry: the map applied over and over, layer after layer
    iterated = _("iterated")
    for i, (tm, tn) in enumerate(trajectories):
        traces.append(dict(type="scatter", x=tm, y=tn, mode="lines+markers", name=iterated if i == 0 else None,
                           showlegend=i == 0, legendgroup="traj", line={"color": PALETTE[0], "width": 2},
                           marker={"size": 5}, hovertemplate="μ %{x:.4f}, ν %{y:.4f}<extra></extra>"))
    traces.append(dict(type="scatter", x=[0.0], y=[1.0], mode="markers", name=_("fixed point (0, 1)"),
                       marker={"symbol": "star", "size": 16, "color": PALETTE[5]}))
    shapes = [{"type": "rect", "x0": stable_mu[0], "x1": stable_mu[1], "y0": stable_nu[0], "y1": stable_nu[1],
               "line": {"color": PALETTE[2], "width": 2, "dash": "dash"}, "fillcolor": "rgba(0,158,115,0.08)"}]
    return figure(traces, dict(height=height, margin=MARGIN, legend=LEGEND_TOP, shapes=shapes,
                                xaxis={"title": {"text": _("μ: mean of a layer's inputs")}},
                                yaxis={"title": {"text": _("ν: variance of a layer's inputs")}}))
