"""Figures for the vector-valued activations: softmax bars, its Jacobian, GLU and Maxout."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from i18n import _, _f

from .base import LEGEND_TOP, MARGIN, PALETTE, figure


def bars_figure(labels: Sequence[str], series: Sequence[tuple[str, np.ndarray]], height: int = 340) -> go.Figure:
    """Grouped bars, one group per class; `series` are (name, values), the names identifiers (softmax, …)."""
    traces = [dict(type="bar", x=list(labels), y=v, name=name, marker={"color": PALETTE[i % len(PALETTE)]},
                   hovertemplate="%{fullData.name}: %{y:.4g}<extra></extra>") for i, (name, v) in enumerate(series)]
    return figure(traces, dict(height=height, margin=MARGIN, barmode="group", legend=LEGEND_TOP,
                               xaxis={"title": {"text": _("class")}}, yaxis={"title": {"text": _("output")}}))


def jacobian_figure(J: np.ndarray, labels: Sequence[str], height: int = 340) -> go.Figure:
    lim = float(np.max(np.abs(J))) or 1.0
    return figure([dict(type="heatmap", z=J, x=list(labels), y=list(labels), colorscale="RdBu", zmid=0,
                        zmin=-lim, zmax=lim, hovertemplate="∂p_%{y}/∂z_%{x} = %{z:.4f}<extra></extra>",
                        colorbar={"thickness": 12})],
                  dict(height=height, margin=MARGIN, xaxis={"title": {"text": _("logit z_j")}},
                       yaxis={"title": {"text": _("probability p_i")}, "autorange": "reversed"}))


def glu_figure(A, B, Z, height: int = 420) -> go.Figure:
    return figure([dict(type="heatmap", x=A[0], y=B[:, 0], z=Z, colorscale="Viridis",
                        colorbar={"title": {"text": "a·σ(b)"}, "thickness": 12},
                        hovertemplate="a %{x:.2f}, b %{y:.2f}: GLU %{z:.3f}<extra></extra>"),
                   dict(type="contour", x=A[0], y=B[:, 0], z=Z, showscale=False, contours={"coloring": "none",
                        "showlabels": True}, line={"color": "white", "width": 1}, hoverinfo="skip")],
                  dict(height=height, margin=MARGIN, xaxis={"title": {"text": _("a (the value)")}},
                       yaxis={"title": {"text": _("b (the gate's input)")}}))


def maxout_figure(x, y, pieces: Sequence[tuple[float, float]], height: int = 380) -> go.Figure:
    traces = [dict(type="scatter", x=x, y=a * x + c, mode="lines", name=_f("piece {i}: {a:g}x + {c:g}", i=i, a=a, c=c),
                   line={"color": PALETTE[(i + 1) % len(PALETTE)], "width": 1.5, "dash": "dot"})
              for i, (a, c) in enumerate(pieces, start=1)]
    traces.append(dict(type="scatter", x=x, y=y, mode="lines", name=_("maxout = max of the pieces"),
                       line={"color": PALETTE[0], "width": 4}))
    lo, hi = float(np.min(y)), float(np.max(y))
    span = max(hi - lo, 1.0)
    return figure(traces, dict(height=height, margin=MARGIN, legend=LEGEND_TOP, hovermode="x unified",
                               xaxis={"title": {"text": "x"}},
                               yaxis={"title": {"text": "y"}, "range": [lo - 0.3 * span, hi + 0.3 * span]}))
