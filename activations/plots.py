"""Plotly figure builders: data in, go.Figure out. No Streamlit, no computation of activations."""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .analysis import AMPLIFYING, DEAD, SATURATING, Region

# Okabe-Ito: distinguishable with every common colour-vision deficiency, and on light and dark themes.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
F_COLOR, DF_COLOR, AUTOGRAD_COLOR = PALETTE[0], PALETTE[1], PALETTE[3]
REGION_STYLE = {  # kind -> (fill colour, legend label); named in the legend, not told by colour alone
    DEAD: ("rgba(153,153,153,0.30)", "dead: f′ = 0"),
    SATURATING: ("rgba(240,228,66,0.35)", "saturating: 0 < |f′| < ε"),
    AMPLIFYING: ("rgba(213,94,0,0.20)", "amplifying: |f′| > 1"),
}
_MODEBAR = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def chart_config() -> dict:
    """Plotly config for st.plotly_chart: toolbar kept, PNG export at 2x."""
    return dict(_MODEBAR)


def y_limits(*arrays: np.ndarray, pad: float = 0.08) -> tuple[float, float]:
    """A y-range that shows every finite value with some air, and never a zero-height range."""
    vals = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    vals = vals[np.isfinite(vals)]
    lo, hi = (float(vals.min()), float(vals.max())) if vals.size else (-1.0, 1.0)
    span = hi - lo if hi > lo else max(1.0, abs(hi))
    return lo - pad * span, hi + pad * span


def _region_traces(regions: Sequence[Region], ylo: float, yhi: float, half_step: float) -> list[go.Scatter]:
    traces = []
    for kind, (color, label) in REGION_STYLE.items():
        xs: list = []
        ys: list = []
        for r in regions:
            if r.kind != kind:
                continue
            a, b = r.start - half_step, r.end + half_step  # a one-point region still shows as a sliver
            xs += [a, a, b, b, a, None]
            ys += [ylo, yhi, yhi, ylo, ylo, None]
        if xs:
            traces.append(go.Scatter(
                x=xs, y=ys, fill="toself", fillcolor=color, mode="lines", line={"width": 0},
                name=label, hoverinfo="skip", legendgroup=kind,
            ))
    return traces


def curve_figure(
    x: np.ndarray,
    f: np.ndarray,
    df: np.ndarray,
    regions: Sequence[Region] = (),
    *,
    title: str = "",
    autograd: np.ndarray | None = None,
    band: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    band_label: str = "",
    height: int = 460,
) -> go.Figure:
    """f and f' over x, with shaded regions, optional autograd markers and an optional band (RReLU)."""
    ylo, yhi = y_limits(f, df)
    half = 0.5 * float(x[1] - x[0]) if len(x) > 1 else 0.05
    traces = _region_traces(regions, ylo, yhi, half)
    if band is not None:
        bx, blo, bhi = band
        traces.append(go.Scatter(
            x=np.concatenate([bx, bx[::-1]]), y=np.concatenate([blo, bhi[::-1]]), fill="toself",
            fillcolor="rgba(0,114,178,0.15)", line={"width": 0}, mode="lines", name=band_label,
            hoverinfo="skip",
        ))
    traces.append(go.Scatter(x=x, y=f, name="f(x)", mode="lines", line={"color": F_COLOR, "width": 3},
                             hovertemplate="f(x) = %{y:.6g}<extra></extra>"))
    traces.append(go.Scatter(x=x, y=df, name="f′(x)", mode="lines",
                             line={"color": DF_COLOR, "width": 3, "dash": "dash"},
                             hovertemplate="f′(x) = %{y:.6g}<extra></extra>"))
    if autograd is not None:
        n = len(x)
        idx = np.unique(np.linspace(0, n - 1, min(n, 61)).round().astype(int))  # markers, not a second line
        traces.append(go.Scatter(
            x=x[idx], y=autograd[idx], name="f′ by torch autograd", mode="markers",
            marker={"color": AUTOGRAD_COLOR, "size": 8, "symbol": "circle-open", "line": {"width": 2}},
            hovertemplate="autograd f′ = %{y:.6g}<extra></extra>",
        ))
    fig = go.Figure(traces)
    fig.update_layout(
        title={"text": title, "x": 0.01} if title else None,
        height=height, hovermode="x unified", margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        xaxis={"title": {"text": "x (input, pre-activation)"}, "zeroline": True},
        yaxis={"title": {"text": "f(x) and f′(x)"}, "range": [ylo, yhi], "zeroline": True},
    )
    return fig


def compare_figure(curves: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]], show: str,
                   height: int = 480) -> go.Figure:
    """Several activations overlaid. curves: (label, x, f, df); show: 'f', 'df' or 'both' (two panels)."""
    from plotly.subplots import make_subplots

    panels = {"f": ["f"], "df": ["df"], "both": ["f", "df"]}[show]
    titles = {"f": "f(x)", "df": "f′(x)"}
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[titles[p] for p in panels],
                        horizontal_spacing=0.08)
    for i, (label, x, f, df) in enumerate(curves):
        color = PALETTE[i % len(PALETTE)]
        dash = ("solid", "dash", "dot", "dashdot")[(i // len(PALETTE)) % 4]
        for col, panel in enumerate(panels, start=1):
            fig.add_trace(go.Scatter(
                x=x, y=f if panel == "f" else df, name=label, legendgroup=label, showlegend=col == 1,
                mode="lines", line={"color": color, "width": 2.5, "dash": dash},
                hovertemplate=f"{label}: %{{y:.4g}}<extra></extra>",
            ), row=1, col=col)
    for col, panel in enumerate(panels, start=1):
        fig.update_xaxes(title_text="x", row=1, col=col)
        fig.update_yaxes(title_text=titles[panel], row=1, col=col)
    fig.update_layout(height=height, hovermode="x unified", margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0})
    return fig


def gallery_figure(tiles: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]], cols: int = 4,
                   tile_height: int = 170) -> go.Figure:
    """Small multiples: tiles of (title HTML, x, f, df). Titles may hold <a href> links."""
    from plotly.subplots import make_subplots

    rows = max(1, math.ceil(len(tiles) / cols))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[t[0] for t in tiles],
                        horizontal_spacing=0.04, vertical_spacing=0.42 / rows + 0.04)
    for i, (_, x, f, df) in enumerate(tiles):
        r, c = i // cols + 1, i % cols + 1
        fig.add_trace(go.Scatter(x=x, y=f, mode="lines", line={"color": F_COLOR, "width": 2}, name="f",
                                 legendgroup="f", showlegend=i == 0, hovertemplate="f = %{y:.3g}<extra></extra>"),
                      row=r, col=c)
        fig.add_trace(go.Scatter(x=x, y=df, mode="lines", line={"color": DF_COLOR, "width": 2, "dash": "dash"},
                                 name="f′", legendgroup="df", showlegend=i == 0,
                                 hovertemplate="f′ = %{y:.3g}<extra></extra>"), row=r, col=c)
        lo, hi = y_limits(f, df)
        fig.update_yaxes(range=[lo, hi], row=r, col=c)
    fig.update_xaxes(showticklabels=True, tickfont={"size": 9}, zeroline=True)
    fig.update_yaxes(tickfont={"size": 9}, zeroline=True)
    fig.update_layout(height=tile_height * rows + 60, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      hovermode="x unified",
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0 + 30 / (tile_height * rows),
                              "x": 0})
    return fig
