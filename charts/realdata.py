"""Figures for the real-data lab: final test accuracy per activation (every seed a point), learning curves, speed."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from i18n import _, _f

from .base import LEGEND_TOP, MARGIN, PALETTE, figure, finite_or_none

_DASHES = ("solid", "dash", "dot", "dashdot")


def _band_color(hex_color: str, alpha: float = 0.18) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _spread(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per column (epoch): min, median and max over the rows (seeds) that have a value; NaN where none has (every
    seed's run had diverged by then)."""
    ok = np.isfinite(values)
    filled = np.where(ok, values, np.nan)
    out = np.full((3, values.shape[1]), np.nan)
    cols = ok.any(axis=0)
    if cols.any():
        v = filled[:, cols]
        out[0, cols], out[1, cols], out[2, cols] = np.nanmin(v, 0), np.nanmedian(v, 0), np.nanmax(v, 0)
    return out[0], out[1], out[2]


def accuracy_figure(names: Sequence[str], final: np.ndarray, seeds: Sequence[int], chance: float,
                    intervals: np.ndarray, level: str, height: int = 380) -> go.Figure:
    """One row per activation, best mean at the top: each seed's final test accuracy as a point, the mean as a
    diamond with its interval over seeds (intervals: (activations, 2), low and high; ±inf with one seed, then no
    bar), drawn within [0, 1]; the chance level as a dotted line when it is near."""
    order = np.argsort(-final.mean(axis=1), kind="stable")[::-1]  # Plotly draws the first category at the bottom
    # Translators: hover text; %{y} is an activation's name, %{x:.1%} an accuracy, %{customdata} a seed.
    point_hover = _("%{y}, seed %{customdata}: %{x:.1%}") + "<extra></extra>"
    mean = final[order].mean(axis=1)
    lo, hi = np.clip(intervals[order, 0], 0.0, 1.0), np.clip(intervals[order, 1], 0.0, 1.0)
    bounded = np.isfinite(intervals[order]).all(axis=1)
    # Translators: hover text; the mean over seeds and its interval (from %{customdata[0]} to %{customdata[1]}).
    mean_hover = _f("%{{y}}: mean %{{x:.1%}}, {level} interval %{{customdata[0]:.1%}} to %{{customdata[1]:.1%}}",
                    level=level) + "<extra></extra>"
    ys = [names[i] for i in order]
    traces = [
        dict(type="scatter", mode="markers", y=np.repeat(ys, final.shape[1]).tolist(), x=final[order].ravel(),
             customdata=np.tile(np.asarray(seeds), len(order)), name=_("one seed"),
             marker={"color": PALETTE[1], "size": 9, "symbol": "circle-open", "line": {"width": 2}},
             hovertemplate=point_hover),
        dict(type="scatter", mode="markers", y=ys, x=mean, name=_f("mean and its {level} interval", level=level),
             marker={"color": PALETTE[0], "size": 13, "symbol": "diamond"},
             customdata=np.stack([np.where(bounded, lo, np.nan), np.where(bounded, hi, np.nan)], axis=1),
             error_x={"type": "data", "symmetric": False, "array": np.where(bounded, hi - mean, 0.0),
                      "arrayminus": np.where(bounded, mean - lo, 0.0), "visible": True, "color": PALETTE[0],
                      "thickness": 2, "width": 8},
             hovertemplate=mean_hover),
    ]
    low = float(np.nanmin(final))
    near = low < chance + 0.25  # some net is near chance: show where chance is
    lo = max(0.0, (min(chance, low) if near else low) - 0.03)
    shapes, notes = [], []
    if near:
        shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": chance, "x1": chance, "y0": 0, "y1": 1,
                   "line": {"dash": "dot", "color": "#999999", "width": 2}}]
        notes = [{"text": _("chance"), "x": chance, "y": 1.0, "xref": "x", "yref": "paper", "showarrow": False,
                  "yanchor": "bottom", "font": {"size": 12, "color": "#999999"}}]
    return figure(traces, dict(
        height=max(height, 80 + 42 * len(names)), margin={**MARGIN, "t": 70}, legend={**LEGEND_TOP, "y": 1.08},
        shapes=shapes,
        annotations=notes, hovermode="closest",
        xaxis={"title": {"text": _("test accuracy after the last epoch")}, "range": [lo, 1.0 + 0.01],
               "tickformat": ".0%"},
        yaxis={"automargin": True},
    ))


def curves_figure(names: Sequence[str], loss: np.ndarray, accuracy: np.ndarray, height: int = 420) -> go.Figure:
    """Two panels over epochs: training loss and test accuracy, the median over seeds as a line and the range
    over seeds as a band, one colour (and dash) per activation."""
    epochs = np.arange(1, loss.shape[2] + 1)
    traces = []
    for i, name in enumerate(names):
        color, dash = PALETTE[i % len(PALETTE)], _DASHES[(i // len(PALETTE)) % len(_DASHES)]
        for panel, values in (("", loss[i]), ("2", accuracy[i])):
            lo, mid, hi = _spread(values)
            axes = {"xaxis": f"x{panel}", "yaxis": f"y{panel}"}
            traces.append(dict(type="scatter", x=np.concatenate([epochs, epochs[::-1]]).tolist(),
                               y=finite_or_none(np.concatenate([hi, lo[::-1]])), fill="toself",
                               fillcolor=_band_color(color), line={"width": 0}, mode="lines", hoverinfo="skip",
                               showlegend=False, legendgroup=name, **axes))
            traces.append(dict(type="scatter", x=epochs, y=finite_or_none(mid), mode="lines", name=name,
                               legendgroup=name, showlegend=panel == "", line={"color": color, "dash": dash,
                                                                               "width": 2},
                               hovertemplate=f"{name}: %{{y:.3g}}<extra></extra>", **axes))
    epoch = _("epoch")
    # The y titles name the panels: a title above each would sit under the legend where it wraps (a phone)
    return figure(traces, dict(
        height=height, margin=MARGIN, hovermode="x unified", legend=LEGEND_TOP,
        xaxis={"domain": [0, 0.43], "title": {"text": epoch}, "anchor": "y"},
        yaxis={"anchor": "x", "type": "log", "dtick": 1,
               "title": {"text": _("training loss (cross-entropy, log scale)")}},
        xaxis2={"domain": [0.57, 1], "title": {"text": epoch}, "anchor": "y2"},
        yaxis2={"anchor": "x2", "tickformat": ".0%", "title": {"text": _("test accuracy")}},
    ))


def speed_figure(names: Sequence[str], seconds_per_epoch: np.ndarray, height: int = 300) -> go.Figure:
    """Measured seconds per epoch per activation (median over seeds), fastest at the top."""
    order = np.argsort(seconds_per_epoch)[::-1]
    # Translators: hover text; %{x:.3g} is a number of milliseconds.
    hover = _("%{y}: %{x:.3g} ms per epoch") + "<extra></extra>"
    return figure([dict(type="bar", orientation="h", y=[names[i] for i in order],
                        x=(seconds_per_epoch[order] * 1e3).tolist(), marker={"color": PALETTE[2]},
                        hovertemplate=hover, name=_("ms per epoch"))], dict(
        height=max(height, 60 + 30 * len(names)), margin=MARGIN, showlegend=False,
        xaxis={"title": {"text": _("ms per epoch (median over seeds)")}},
        yaxis={"automargin": True},
    ))
