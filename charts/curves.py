"""The Explorer, Compare, Home and cost charts: curves of f and f′, small multiples, measured cost."""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from activations.analysis import AMPLIFYING, DEAD, SATURATING, Region
from activations.formula import OVERFLOW, UNDEFINED
from i18n import N_, _, fill, ngettext

from .base import MARGIN, MODEBAR_BAND, PALETTE, figure, y_limits

F_COLOR, DF_COLOR, AUTOGRAD_COLOR = PALETTE[0], PALETTE[1], PALETTE[2]
REGION_STYLE = {  # kind -> (fill colour, legend label); named in the legend, not told by colour alone
    DEAD: ("rgba(153,153,153,0.30)", N_("dead: f′ = 0")),
    SATURATING: ("rgba(240,228,66,0.35)", N_("saturating: 0 < |f′| < ε")),
    AMPLIFYING: ("rgba(204,121,167,0.25)", N_("amplifying: |f′| > 1")),
    # a learner's formula only: where f or f′ has no value (the curves break there)
    UNDEFINED: ("rgba(213,94,0,0.18)", N_("undefined: no value")),
    OVERFLOW: ("rgba(0,114,178,0.18)", N_("overflow: beyond the largest float")),
}


def _region_traces(regions: Sequence[Region], ylo: float, yhi: float, half_step: float) -> list[dict]:
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
            traces.append(dict(
                type="scatter", x=xs, y=ys, fill="toself", fillcolor=color, mode="lines", line={"width": 0},
                name=_(label), hoverinfo="skip", legendgroup=kind,
            ))
    return traces


def curve_figure(
    x: np.ndarray,
    f: np.ndarray,
    df: np.ndarray,
    regions: Sequence[Region] = (),
    *,
    title: str = "",
    autograd: tuple[np.ndarray, np.ndarray] | None = None,
    band: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    band_label: str = "",
    height: int = 460,
) -> go.Figure:
    """f and f' over x, with shaded regions, optional autograd markers (x, f' by autograd: on their own grid, the
    measured one) and an optional band (RReLU)."""
    ylo, yhi = y_limits(f, df)
    half = 0.5 * float(x[1] - x[0]) if len(x) > 1 else 0.05
    traces = _region_traces(regions, ylo, yhi, half)
    if band is not None:
        bx, blo, bhi = band
        traces.append(dict(type="scatter",
            x=np.concatenate([bx, bx[::-1]]), y=np.concatenate([blo, bhi[::-1]]), fill="toself",
            fillcolor="rgba(86,180,233,0.28)", line={"width": 0}, mode="lines", name=band_label,
            hoverinfo="skip", legendgroup="band",  # one trace whose label moves with its slopes (charts.frames)
        ))
    traces.append(dict(type="scatter", x=x, y=f, name="f(x)", mode="lines", line={"color": F_COLOR, "width": 3},
                             hovertemplate="f(x) = %{y:.6g}<extra></extra>"))
    traces.append(dict(type="scatter", x=x, y=df, name="f′(x)", mode="lines",
                             line={"color": DF_COLOR, "width": 3, "dash": "dash"},
                             hovertemplate="f′(x) = %{y:.6g}<extra></extra>"))
    if autograd is not None:
        ax, ay = autograd
        n = len(ax)
        idx = np.unique(np.linspace(0, n - 1, min(n, 61)).round().astype(int))  # markers, not a second line
        traces.append(dict(type="scatter",
            x=ax[idx], y=ay[idx], name=_("f′ by torch autograd"), mode="markers",
            marker={"color": AUTOGRAD_COLOR, "size": 8, "symbol": "circle-open", "line": {"width": 2}},
            hovertemplate=_("autograd f′ = %{y:.6g}") + "<extra></extra>",
        ))
    return figure(traces, dict(
        title={"text": title, "x": 0.01} if title else None,
        height=height, hovermode="x unified", margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        xaxis={"title": {"text": _("x (input, pre-activation)")}, "zeroline": True},
        yaxis={"title": {"text": _("f(x) and f′(x)")}, "range": [ylo, yhi], "zeroline": True},
    ))


def _grid_axes(rows: int, cols: int, hgap: float, vgap: float, titles: Sequence[str] = ()) -> tuple[dict, list]:
    """Layout axes for a rows x cols grid (what make_subplots does, without its per-call cost on every rerun)."""
    layout: dict = {}
    notes = []
    w = (1.0 - hgap * (cols - 1)) / cols
    h = (1.0 - vgap * (rows - 1)) / rows
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        n = "" if i == 0 else str(i + 1)
        x0, y1 = c * (w + hgap), 1.0 - r * (h + vgap)
        layout[f"xaxis{n}"] = {"domain": [x0, x0 + w], "anchor": f"y{n}"}
        layout[f"yaxis{n}"] = {"domain": [y1 - h, y1], "anchor": f"x{n}"}
        if i < len(titles):
            notes.append({"text": titles[i], "x": x0 + w / 2, "y": y1, "xref": "paper", "yref": "paper",
                          "xanchor": "center", "yanchor": "bottom", "showarrow": False, "font": {"size": 14}})
    return layout, notes


def compare_figure(curves: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]], show: str,
                   height: int = 480) -> go.Figure:
    """Several activations overlaid. curves: (label, x, f, df); show: 'f', 'df' or 'both' (two panels)."""
    panels = {"f": ["f"], "df": ["df"], "both": ["f", "df"]}[show]
    titles = {"f": "f(x)", "df": "f′(x)"}
    # the y titles name the panels (a title above each would sit under the legend where it wraps)
    axes, _notes = _grid_axes(1, len(panels), 0.08, 0.0, ())
    traces = []
    for i, (label, x, f, df) in enumerate(curves):
        color = PALETTE[i % len(PALETTE)]
        dash = ("solid", "dash", "dot", "dashdot")[(i // len(PALETTE)) % 4]
        for col, panel in enumerate(panels):
            n = "" if col == 0 else str(col + 1)
            traces.append(dict(type="scatter",
                x=x, y=f if panel == "f" else df, name=label, legendgroup=label, showlegend=col == 0,
                mode="lines", line={"color": color, "width": 2.5, "dash": dash}, xaxis=f"x{n}", yaxis=f"y{n}",
                hovertemplate=f"{label}: %{{y:.4g}}<extra></extra>",
            ))
    for col, panel in enumerate(panels):
        n = "" if col == 0 else str(col + 1)
        axes[f"xaxis{n}"]["title"] = {"text": "x"}
        axes[f"yaxis{n}"]["title"] = {"text": titles[panel]}
        # the range the chart shows while the x-range's thumbs move (ui.live.Window: y_limits of the window), so
        # the axis stays put on release; the Explorer's chart does the same
        axes[f"yaxis{n}"]["range"] = list(y_limits(*(c[2] if panel == "f" else c[3] for c in curves))) if curves \
            else [-1.0, 1.0]
    return figure(traces, dict(height=height, hovermode="x unified", margin={"l": 10, "r": 10, "t": 70, "b": 10},
                                legend={"orientation": "h", "yanchor": "bottom", "y": 1.08, "x": 0}, **axes))


def gallery_figure(tiles: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]], cols: int = 4,
                   tile_height: int = 170) -> go.Figure:
    """Small multiples: tiles of (title HTML, x, f, df). Titles may hold <a href> links."""
    rows = max(1, math.ceil(len(tiles) / cols))
    axes, notes = _grid_axes(rows, cols, 0.04, 0.42 / rows + 0.04 if rows > 1 else 0.0, [t[0] for t in tiles])
    traces = []
    for i, (_title, x, f, df) in enumerate(tiles):
        n = "" if i == 0 else str(i + 1)
        # float32: a 170-px tile shows no finer than 1e-3 of its range, hover says 3 digits; half of Home's bytes
        x, f32, df32 = (np.asarray(a, dtype=np.float32) for a in (x, f, df))
        common = dict(type="scatter", x=x, mode="lines", showlegend=i == 0, xaxis=f"x{n}", yaxis=f"y{n}")
        traces.append(dict(common, y=f32, name="f", legendgroup="f", line={"color": F_COLOR, "width": 2},
                           hovertemplate="f = %{y:.3g}<extra></extra>"))
        traces.append(dict(common, y=df32, name="f′", legendgroup="df",
                           line={"color": DF_COLOR, "width": 2, "dash": "dash"},
                           hovertemplate="f′ = %{y:.3g}<extra></extra>"))
        axes[f"yaxis{n}"]["range"] = list(y_limits(f, df))
    for i in range(rows * cols):
        n = "" if i == 0 else str(i + 1)
        axes[f"xaxis{n}"].update(tickfont={"size": 9}, zeroline=True, visible=i < len(tiles))
        axes[f"yaxis{n}"].update(tickfont={"size": 9}, zeroline=True, visible=i < len(tiles))
    # No legend: the page says which line is f and which f′ (blue solid, orange dashed), and above the tiles it sat
    # on the first tile's title. The first row's titles stay below the toolbar's band.
    return figure(traces, dict(height=tile_height * rows + 74, margin={**MARGIN, "t": MODEBAR_BAND + 24},
                                hovermode="x unified", annotations=notes, showlegend=False, **axes))


# Translators: a bar's hover text in the cost chart. Keep every %{…} as it is (Plotly fills them): %{y} is the
# function's name, %{customdata[2]:.2f} its time as a multiple of {baseline}'s (a function's name),
# %{customdata[0]:.2f} its time in nanoseconds, %{customdata[1]} how many operations it is ("3 operations").
_FORWARD_HOVER = N_("%{y}: forward %{customdata[2]:.2f}× {baseline} (%{customdata[0]:.2f} ns per element; "
                    "%{customdata[1]})")
# Translators: as the forward one, for the backward pass (the activation's own gradient).
_BACKWARD_HOVER = N_("%{y}: backward %{customdata[2]:.2f}× {baseline} (%{customdata[0]:.2f} ns per element; "
                     "%{customdata[1]})")
_NAMED = re.compile(r"(?<!%)\{(\w+)\}")


def _hover(msgid: str, **names: str) -> str:
    """A translated Plotly hovertemplate with its {named} values filled; Plotly's own %{…} are left to Plotly."""
    return _NAMED.sub(lambda m: str(names[m.group(1)]), _(msgid)) + "<extra></extra>"


def cost_figure(rows: Sequence[tuple[str, float, float, float, float, int]], highlight: Sequence[str] = (),
                baseline: str = "ReLU") -> go.Figure:
    """Measured cost per activation relative to the baseline, forward and backward side by side.

    rows: (label, forward ratio, backward ratio, forward ns, backward ns, operations), any order; drawn cheapest
    (forward + backward) at the top. Labels in `highlight` are bold. Log x axis: ratios span 0.01x to 50x.
    """
    ordered = sorted(rows, key=lambda r: -(r[1] + r[2]))  # Plotly draws the first category at the bottom
    labels = [f"<b>{r[0]}</b>" if r[0] in highlight else r[0] for r in ordered]

    def ops(n: int) -> str:
        return _("returns its input") if n == 0 else fill(ngettext("{n} operation", "{n} operations", n), n=n)

    # Bars grow from the baseline's 1 (base=1, length ratio - 1): left of it cheaper, right of it costlier. On a
    # log axis a bar from the axis' left edge would give a length that means nothing.
    traces = [
        dict(type="bar", orientation="h", y=labels, x=[r[1 + i] - 1 for r in ordered], base=1,
             customdata=[[r[3 + i], ops(r[5]), r[1 + i]] for r in ordered], name=name, marker=marker,
             hovertemplate=_hover(what, baseline=baseline))
        for i, (name, what, marker) in enumerate((
            (_("forward (no autograd)"), _FORWARD_HOVER, {"color": PALETTE[0]}),
            (_("backward (its own gradient)"), _BACKWARD_HOVER, {"color": PALETTE[1], "pattern": {"shape": "/"}}),
        ))
    ]
    return figure(traces, dict(
        height=26 * len(ordered) + 140, barmode="group", bargap=0.25, margin=MARGIN,
        xaxis={"type": "log", "title": {"text": fill(_("time relative to {baseline} (log scale): ← cheaper · "
                                                       "{baseline} = 1 · costlier →"), baseline=baseline)}},
        yaxis={"automargin": True},
        shapes=[{"type": "line", "x0": 1, "x1": 1, "xref": "x", "y0": 0, "y1": 1, "yref": "paper",
                 "line": {"color": PALETTE[7], "dash": "dash", "width": 1}}],
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0}, hovermode="closest",
    ))
