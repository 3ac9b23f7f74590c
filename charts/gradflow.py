"""Plotly figures for the gradient-flow lab: data in (FlowResult / TrainResult arrays), go.Figure out."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .base import LEGEND_TOP, MARGIN, PALETTE, figure

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
_LEGEND_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}


def _finite_or_none(a: np.ndarray) -> list:
    """Plotly draws gaps for None: a layer that overflowed shows as a break, not as a fake value."""
    return [float(v) if np.isfinite(v) else None for v in np.asarray(a, dtype=float)]


def _positive_or_none(a: np.ndarray) -> list:
    return [float(v) if np.isfinite(v) and v > 0 else None for v in np.asarray(a, dtype=float)]


def histogram_heatmap(layers: np.ndarray, edges: np.ndarray, hist: np.ndarray, height: int = 420) -> go.Figure:
    """One row per layer, one column per bin of post-activation values; colour = share of values."""
    centers = 0.5 * (edges[:-1] + edges[1:])
    z = np.where(np.isfinite(hist), hist, np.nan)
    trace = dict(type="heatmap", x=centers, y=layers, z=z, colorscale="Viridis", zmin=0,
                 colorbar={"title": {"text": "share"}, "thickness": 12},
                 hovertemplate="layer %{y}<br>value ≈ %{x:.3g}<br>share %{z:.1%}<extra></extra>")
    return figure([trace], dict(
        height=height, margin=_MARGIN,
        xaxis={"title": {"text": "activation value h = f(z)"}},
        yaxis={"title": {"text": "layer (1 = input side)"}, "autorange": "reversed"},
    ))


def mean_std_figure(layers: np.ndarray, mean: np.ndarray, std: np.ndarray, height: int = 360) -> go.Figure:
    traces = [
        dict(type="scatter", x=layers, y=_finite_or_none(mean), name="mean of h", mode="lines+markers",
             line={"color": PALETTE[0], "width": 2}, marker={"size": 5, "symbol": "circle"},
             hovertemplate="layer %{x}: mean %{y:.4g}<extra></extra>"),
        dict(type="scatter", x=layers, y=_finite_or_none(std), name="std of h", mode="lines+markers",
             line={"color": PALETTE[1], "width": 2, "dash": "dash"}, marker={"size": 5, "symbol": "square"},
             hovertemplate="layer %{x}: std %{y:.4g}<extra></extra>"),
    ]
    return figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP, hovermode="x unified",
                                xaxis={"title": {"text": "layer"}},
                                yaxis={"title": {"text": "activation statistics"}}))


def grad_norm_figure(layers: np.ndarray, weight_grad: np.ndarray, act_grad: np.ndarray, bound: np.ndarray,
                     bound_label: str, height: int = 380) -> go.Figure:
    """Per-layer gradient norms on a log axis, with the activations-only chain-rule bound dashed."""
    traces = [
        dict(type="scatter", x=layers, y=_positive_or_none(weight_grad), name="‖∂L/∂W‖ (weights)",
             mode="lines+markers", line={"color": PALETTE[0], "width": 2}, marker={"size": 5},
             hovertemplate="layer %{x}: ‖∂L/∂W‖ = %{y:.3e}<extra></extra>"),
        dict(type="scatter", x=layers, y=_positive_or_none(act_grad), name="‖∂L/∂h‖ (activations)",
             mode="lines+markers", line={"color": PALETTE[1], "width": 2}, marker={"size": 5, "symbol": "square"},
             hovertemplate="layer %{x}: ‖∂L/∂h‖ = %{y:.3e}<extra></extra>"),
        dict(type="scatter", x=layers, y=_positive_or_none(bound), name=bound_label, mode="lines",
             line={"color": PALETTE[7], "width": 2, "dash": "dot"},
             hovertemplate="layer %{x}: bound %{y:.3e}<extra></extra>"),
    ]
    return figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP, hovermode="x unified",
                                xaxis={"title": {"text": "layer"}},
                                yaxis={"title": {"text": "gradient norm (log scale)"}, "type": "log",
                                       "exponentformat": "power"}))


def weight_std_figure(layers: np.ndarray, measured: np.ndarray, expected: np.ndarray, height: int = 300) -> go.Figure:
    traces = [
        dict(type="scatter", x=layers, y=_finite_or_none(expected), name="expected (init formula)", mode="lines",
             line={"color": PALETTE[7], "width": 3, "dash": "dash"},
             hovertemplate="layer %{x}: expected %{y:.4g}<extra></extra>"),
        dict(type="scatter", x=layers, y=_finite_or_none(measured), name="measured std of W", mode="markers",
             marker={"color": PALETTE[2], "size": 7, "symbol": "circle-open", "line": {"width": 2}},
             hovertemplate="layer %{x}: measured %{y:.4g}<extra></extra>"),
    ]
    return figure(traces, dict(height=height, margin=_MARGIN, legend=_LEGEND_TOP, hovermode="x unified",
                                xaxis={"title": {"text": "layer"}}, yaxis={"title": {"text": "std of weights"}}))


def training_figure(runs: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]], height: int = 380) -> go.Figure:
    """runs: (label, steps, loss, grad_norm). Two panels side by side: loss and global grad norm, log axes."""
    traces = []
    for i, (label, steps, loss, gnorm) in enumerate(runs):
        color = PALETTE[i % len(PALETTE)]
        dash = ("solid", "dash", "dot")[i % 3]
        traces.append(dict(type="scatter", x=steps, y=_positive_or_none(loss), name=label, legendgroup=label,
                           mode="lines", line={"color": color, "width": 2, "dash": dash}, xaxis="x", yaxis="y",
                           hovertemplate=f"{label}: loss %{{y:.3e}}<extra></extra>"))
        traces.append(dict(type="scatter", x=steps, y=_positive_or_none(gnorm), name=label, legendgroup=label,
                           showlegend=False, mode="lines", line={"color": color, "width": 2, "dash": dash},
                           xaxis="x2", yaxis="y2",
                           hovertemplate=f"{label}: ‖g‖ %{{y:.3e}}<extra></extra>"))
    notes = [
        {"text": "training loss (MSE)", "x": 0.23, "y": 1.0, "xref": "paper", "yref": "paper", "showarrow": False,
         "yanchor": "bottom"},
        {"text": "global gradient norm before clipping", "x": 0.77, "y": 1.0, "xref": "paper", "yref": "paper",
         "showarrow": False, "yanchor": "bottom"},
    ]
    return figure(traces, dict(
        height=height, margin={"l": 10, "r": 10, "t": 70, "b": 10}, hovermode="x unified", annotations=notes,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.1, "x": 0},
        xaxis={"domain": [0, 0.46], "title": {"text": "step"}, "anchor": "y"},
        yaxis={"type": "log", "exponentformat": "power", "anchor": "x"},
        xaxis2={"domain": [0.54, 1], "title": {"text": "step"}, "anchor": "y2"},
        yaxis2={"type": "log", "exponentformat": "power", "anchor": "x2"},
    ))
