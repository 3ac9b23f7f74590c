"""Plotly figures for the gradient-flow lab: data in (FlowResult / TrainResult arrays), figure out, in the
learner's language (titles, axes, legends and hover text are translated here)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from i18n import _, _f, pgettext

from .base import LEGEND_TOP, MARGIN, PALETTE, Chart, figure, finite_or_none, positive_or_none

_EXTRA = "<extra></extra>"  # Plotly: no second box with the trace's name


def histogram_heatmap(layers: np.ndarray, edges: np.ndarray, hist: np.ndarray, height: int = 420) -> Chart:
    """One row per layer, one column per bin of post-activation values; colour = share of values."""
    centers = 0.5 * (edges[:-1] + edges[1:])
    z = np.where(np.isfinite(hist), hist, np.nan)
    trace = dict(type="heatmap", x=centers, y=layers, z=z, colorscale="Viridis", zmin=0,
                 # Translators: the colour bar of a histogram: the share of a layer's values in one bin
                 # below the plot, across: beside it the bar took two fifths of a half-width column
                 colorbar={"title": {"text": _("share"), "side": "right"}, "orientation": "h", "thickness": 10,
                           "y": -0.2, "yanchor": "top", "len": 1.0},
                 hovertemplate=_("layer %{y}<br>value ≈ %{x:.3g}<br>share %{z:.1%}") + _EXTRA)
    return figure([trace], dict(
        height=height, margin={**MARGIN, "b": 100},
        xaxis={"title": {"text": _("activation value h = f(z)")}},
        yaxis={"title": {"text": _("layer (1 = input side)")}, "autorange": "reversed"},
    ))


def mean_std_figure(layers: np.ndarray, mean: np.ndarray, std: np.ndarray, height: int = 360) -> Chart:
    traces = [
        dict(type="scatter", x=layers, y=finite_or_none(mean), name=_("mean of h"), mode="lines+markers",
             line={"color": PALETTE[0], "width": 2}, marker={"size": 5, "symbol": "circle"},
             hovertemplate=_("layer %{x}: mean %{y:.4g}") + _EXTRA),
        dict(type="scatter", x=layers, y=finite_or_none(std), name=_("std of h"), mode="lines+markers",
             line={"color": PALETTE[1], "width": 2, "dash": "dash"}, marker={"size": 5, "symbol": "square"},
             hovertemplate=_("layer %{x}: std %{y:.4g}") + _EXTRA),
    ]
    return figure(traces, dict(height=height, margin=MARGIN, legend=LEGEND_TOP, hovermode="x unified",
                                xaxis={"title": {"text": _("layer")}},
                                yaxis={"title": {"text": _("activation statistics")}}))


def grad_norm_figure(layers: np.ndarray, weight_grad: np.ndarray, act_grad: np.ndarray, bound: np.ndarray,
                     max_abs_df: float, height: int = 380) -> Chart:
    """Per-layer gradient norms on a log axis, with the activations-only chain-rule bound dotted."""
    traces = [
        dict(type="scatter", x=layers, y=positive_or_none(weight_grad), name=_("‖∂L/∂W‖ (weights)"),
             mode="lines+markers", line={"color": PALETTE[0], "width": 2}, marker={"size": 5},
             hovertemplate=_("layer %{x}: ‖∂L/∂W‖ = %{y:.3e}") + _EXTRA),
        dict(type="scatter", x=layers, y=positive_or_none(act_grad), name=_("‖∂L/∂h‖ (activations)"),
             mode="lines+markers", line={"color": PALETTE[1], "width": 2}, marker={"size": 5, "symbol": "square"},
             hovertemplate=_("layer %{x}: ‖∂L/∂h‖ = %{y:.3e}") + _EXTRA),
        dict(type="scatter", x=layers, y=positive_or_none(bound),
             # Translators: the legend of the dotted line: the gradient if only the activations' slopes acted
             name=_f("activations alone: ‖∂L/∂h_L‖·{m:.3g}^(L−l)", m=max_abs_df), mode="lines",
             line={"color": PALETTE[7], "width": 2, "dash": "dot"},
             hovertemplate=_("layer %{x}: bound %{y:.3e}") + _EXTRA),
    ]
    return figure(traces, dict(height=height, margin=MARGIN, legend=LEGEND_TOP, hovermode="x unified",
                                xaxis={"title": {"text": _("layer")}},
                                yaxis={"title": {"text": pgettext("backprop", "gradient norm (log scale)")},
                                       "type": "log", "exponentformat": "power"}))


def weight_std_figure(layers: np.ndarray, measured: np.ndarray, expected: np.ndarray, height: int = 300) -> Chart:
    traces = [
        dict(type="scatter", x=layers, y=finite_or_none(expected), name=_("expected (init formula)"), mode="lines",
             line={"color": PALETTE[7], "width": 3, "dash": "dash"},
             hovertemplate=_("layer %{x}: expected %{y:.4g}") + _EXTRA),
        dict(type="scatter", x=layers, y=finite_or_none(measured), name=_("measured std of W"), mode="markers",
             marker={"color": PALETTE[2], "size": 7, "symbol": "circle-open", "line": {"width": 2}},
             hovertemplate=_("layer %{x}: measured %{y:.4g}") + _EXTRA),
    ]
    return figure(traces, dict(height=height, margin=MARGIN, legend=LEGEND_TOP, hovermode="x unified",
                                xaxis={"title": {"text": _("layer")}}, yaxis={"title": {"text": _("std of weights")}}))


def training_figure(runs: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]], height: int = 380) -> Chart:
    """runs: (label, steps, loss, grad_norm), labels already in the learner's language. Two panels side by side:
    loss and global gradient norm, log axes."""
    traces = []
    for i, (label, steps, loss, gnorm) in enumerate(runs):
        color = PALETTE[i % len(PALETTE)]
        dash = ("solid", "dash", "dot")[i % 3]
        traces.append(dict(type="scatter", x=steps, y=positive_or_none(loss), name=label, legendgroup=label,
                           mode="lines", line={"color": color, "width": 2, "dash": dash}, xaxis="x", yaxis="y",
                           hovertemplate=_f("{run}: loss {y}", run=label, y="%{y:.3e}") + _EXTRA))
        traces.append(dict(type="scatter", x=steps, y=positive_or_none(gnorm), name=label, legendgroup=label,
                           showlegend=False, mode="lines", line={"color": color, "width": 2, "dash": dash},
                           xaxis="x2", yaxis="y2",
                           hovertemplate=_f("{run}: ‖g‖ {y}", run=label, y="%{y:.3e}") + _EXTRA))
    # Translators: a training step (one SGD update), the x-axis of both panels
    step = pgettext("training", "step")
    # The y titles name the panels: a title above each would sit under the legend where it wraps (a phone)
    return figure(traces, dict(
        height=height, margin=MARGIN, hovermode="x unified", legend=LEGEND_TOP,
        xaxis={"domain": [0, 0.41], "title": {"text": step}, "anchor": "y"},
        yaxis={"type": "log", "exponentformat": "power", "anchor": "x",
               "title": {"text": _("training loss (MSE)")}},
        xaxis2={"domain": [0.61, 1], "title": {"text": step}, "anchor": "y2"},
        # Translators: the y axis of a narrow panel (keep it short): ‖g‖ is the global gradient norm
        yaxis2={"type": "log", "exponentformat": "power", "anchor": "x2",
                "title": {"text": _("‖g‖ before clipping")}},
    ))
