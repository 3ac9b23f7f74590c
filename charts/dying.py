"""Plotly figures for the dying-ReLU lab: a training animation (frames play in the browser), dead-unit
curves, the learning-rate sweep, PReLU's and RReLU's slopes. Data in, go.Figure out; every word through gettext."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from i18n import N_, _, _f, pgettext

from .base import LEGEND_TOP, MARGIN, PALETTE, figure, shading

BOX = 3.0  # the data are standardized: [-3, 3]^2 shows them
DEAD_COLOR, ALIVE_COLOR = "#999999", PALETTE[5]
CLASS_COLORS = (PALETTE[0], PALETTE[1])
CLASS = N_("class {c}")
# Translators: the animation's title, one line: keep it short enough for a phone (about 35 characters).
FRAME_TITLE = N_("step {step}: loss {loss:.3g}, accuracy {accuracy:.0%}")
# Translators: hover text of a dead-unit curve. Keep every %{…} as it is (Plotly fills them): %{meta[0]} is the
# activation's name, %{meta[1]} the layer's number, %{y:.0f} the share of dead units in percent.
DEAD_HOVER = N_("%{meta[0]}, layer %{meta[1]}: %{y:.0f}% dead")
# Translators: hover text of the sweep chart. Keep every %{…} as it is: %{meta} is the activation, %{x:.3g} the
# learning rate, %{y:.0f} the share of dead units in percent.
SWEEP_HOVER = N_("%{meta}: lr %{x:.3g} → %{y:.0f}% dead")
# Translators: as the dead-unit hover text above, for the share of inactive units (every point on the negative side).
INACTIVE_HOVER = N_("%{meta[0]}, layer %{meta[1]}: %{y:.0f}% inactive")
# Translators: as the sweep's hover text above, for the share of inactive units.
SWEEP_INACTIVE_HOVER = N_("%{meta}: lr %{x:.3g} → %{y:.0f}% inactive")


def unit_lines(w: np.ndarray, b: np.ndarray, dead: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray],
                                                                        tuple[np.ndarray, np.ndarray]]:
    """Segments of w·x + b = 0 inside the box, split into (alive xs, ys) and (dead xs, ys).

    Each segment is two points and a NaN (a gap in the line), as float32: typed arrays go to the browser as
    base64 in one piece, where lists of floats were walked number by number on every rerun (61 frames x 64+
    units). Vectorised over units: where a line meets the left/right edges (if it is not vertical) and the
    bottom/top edges (if it is not horizontal), the first and last of those inside the box are its ends.
    """
    w = np.asarray(w, dtype=float).reshape(-1, 2)
    b = np.asarray(b, dtype=float).ravel()
    w1, w2 = w[:, 0:1], w[:, 1:2]
    edge = np.array([[-BOX, BOX]])
    with np.errstate(divide="ignore", invalid="ignore"):
        y_at_x = -(w1 * edge + b[:, None]) / w2  # (units, 2): the line at x = -BOX and x = BOX
        x_at_y = -(w2 * edge + b[:, None]) / w1  # at y = -BOX and y = BOX
    px = np.concatenate([np.broadcast_to(edge, y_at_x.shape), x_at_y], axis=1)  # (units, 4) candidates
    py = np.concatenate([y_at_x, np.broadcast_to(edge, x_at_y.shape)], axis=1)
    ok = np.concatenate([np.broadcast_to(np.abs(w2) > 1e-12, y_at_x.shape),
                         np.broadcast_to(np.abs(w1) > 1e-12, x_at_y.shape)], axis=1)
    tol = BOX + 1e-9
    with np.errstate(invalid="ignore"):
        ok &= np.isfinite(px) & np.isfinite(py) & (np.abs(px) <= tol) & (np.abs(py) <= tol)
    drawn = ok.sum(axis=1) >= 2
    first = np.argmax(ok, axis=1)
    last = ok.shape[1] - 1 - np.argmax(ok[:, ::-1], axis=1)
    rows = np.arange(len(b))
    seg_x = np.stack([px[rows, first], px[rows, last], np.full(len(b), np.nan)], axis=1)
    seg_y = np.stack([py[rows, first], py[rows, last], np.full(len(b), np.nan)], axis=1)
    dead = np.asarray(dead, dtype=bool).ravel()

    def pick(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keep = drawn & mask
        return seg_x[keep].ravel().astype(np.float32), seg_y[keep].ravel().astype(np.float32)

    return pick(~dead), pick(dead)


def _frame_traces(run, i: int) -> list[dict]:
    """Step i's shading and unit lines, whole: the animation's first traces and the stills."""
    static, (z, alive, dead) = _STATIC_TRACES, _frame_data(run, i)
    return [dict(static[0], x=run.grid_axis, y=run.grid_axis, z=z),
            dict(static[1], x=alive[0], y=alive[1], name=_line_name(ALIVE_LINE, run, i, False)),
            dict(static[2], x=dead[0], y=dead[1], name=_line_name(DEAD_LINE, run, i, True))]


# What every frame shares with the first: sent once. A frame carries only what moves (Plotly merges it into the
# trace): the shading's z and the lines' x, y, about half of a whole frame (61 of them on every retrain).
_STATIC_TRACES = (
    dict(type="heatmap", zmin=0, zmax=255, zsmooth="fast", showscale=False, hoverinfo="skip",
         colorscale=[[0, "rgba(0,114,178,0.35)"], [0.5, "rgba(255,255,255,0.0)"], [1, "rgba(230,159,0,0.35)"]]),
    dict(type="scatter", mode="lines", line={"color": ALIVE_COLOR, "width": 1}, opacity=0.6, hoverinfo="skip"),
    dict(type="scatter", mode="lines", line={"color": DEAD_COLOR, "width": 2, "dash": "dot"}, hoverinfo="skip"),
)
# The legend counts the first layer's units per frame (the title has no room for it on a phone).
# Translators: legend entry of the animation; {n} is a number of units.
ALIVE_LINE = N_("units' lines w·x+b=0, alive: {n}")
# Translators: legend entry of the animation; {n} is a number of units.
DEAD_LINE = N_("units' lines, dead (data all on the off side): {n}")


def _line_name(message: str, run, i: int, dead: bool) -> str:
    count = int(run.dead_first[i].sum())
    return _f(message, n=count if dead else run.dead_first.shape[1] - count)


def _frame_data(run, i: int):
    alive, dead = unit_lines(run.first_w[i], run.first_b[i], run.dead_first[i])
    return shading(run.boundary[i]), alive, dead


def _frame_delta(run, i: int) -> list[dict]:
    z, alive, dead = _frame_data(run, i)
    return [{"type": "heatmap", "z": z},
            {"type": "scatter", "x": alive[0], "y": alive[1], "name": _line_name(ALIVE_LINE, run, i, False)},
            {"type": "scatter", "x": dead[0], "y": dead[1], "name": _line_name(DEAD_LINE, run, i, True)}]


def training_animation(run, height: int = 580) -> go.Figure:
    """The data cloud, the decision boundary and each first-layer unit's line, frame by frame. Play/pause and a
    step slider run in the browser: no server round trip per frame. Frame titles are translated once per frame."""
    data_traces = [
        dict(type="scatter", x=run.X[run.y == c, 0], y=run.X[run.y == c, 1], mode="markers",
             name=_f(CLASS, c=c), marker={"color": CLASS_COLORS[c], "size": 5, "symbol": ("circle", "diamond")[c],
                                          "line": {"width": 0.5, "color": "white"}},
             hovertemplate=_f(CLASS, c=c) + "<br>x₁ %{x:.2f}, x₂ %{y:.2f}<extra></extra>")
        for c in (0, 1)
    ]
    first = _frame_traces(run, 0) + data_traces
    frames, steps = [], []
    for i, step in enumerate(run.steps):
        frames.append({"name": str(int(step)), "data": _frame_delta(run, i), "traces": [0, 1, 2],
                       "layout": {"title": {"text": _title(run, i)}}})
        steps.append({"label": str(int(step)), "method": "animate",
                      "args": [[str(int(step))], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                                   "transition": {"duration": 0}}]})
    play = {"label": _("▶ play"), "method": "animate",
            "args": [None, {"frame": {"duration": 120, "redraw": True}, "fromcurrent": True,
                            "transition": {"duration": 0}}]}
    pause = {"label": _("❚❚ pause"), "method": "animate",
             "args": [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False},
                               "transition": {"duration": 0}}]}
    return figure(first, dict(
        # The plot takes the width it has (no square aspect: beside a legend on the right it was 64 px wide on a
        # phone and half the width on a desktop); the legend above it wraps on a narrow screen.
        height=height, margin={"l": 10, "r": 10, "t": 50, "b": 190}, legend=LEGEND_TOP,
        title={"text": _title(run, 0), "x": 0.01, "font": {"size": 15}},
        xaxis={"range": [-BOX, BOX], "title": {"text": "x₁"}},
        yaxis={"range": [-BOX, BOX], "title": {"text": "x₂"}},
        # buttons below the x axis' title (fixed margins: no automargin to make room), above a full-width step
        # slider: side by side they overlapped on narrow columns
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0, "y": -0.23, "xanchor": "left",
                      "yanchor": "top", "showactive": False, "buttons": [play, pause]}],
        sliders=[{"active": 0, "steps": steps, "x": 0, "len": 1.0, "y": -0.34, "yanchor": "top",
                  # Translators: before the animation's current step number ("step 120").
                  "currentvalue": {"prefix": pgettext("animation slider", "step") + " ", "visible": True,
                                   "xanchor": "right"}, "pad": {"t": 10}}],
    ), frames=frames)


def _title(run, i: int) -> str:
    return _f(FRAME_TITLE, step=int(run.steps[i]), loss=float(run.loss[i]), accuracy=float(run.accuracy[i]))


def says_more(inactive, dead) -> bool:
    """Whether an inactive share is worth its own line: measured, and not the dead share again (ReLU's are)."""
    return (inactive is not None and bool(np.isfinite(inactive).any())
            and not np.array_equal(inactive, dead, equal_nan=True))


def dead_curves(runs: Sequence[tuple[str, object]], height: int = 340) -> go.Figure:
    """Fraction of dead units per hidden layer over training (solid), and of inactive units (dotted) where a run
    measures them and they are not its dead units again, for one or more runs (label, Run)."""
    traces = []
    for r_i, (label, run) in enumerate(runs):
        inactive = run.inactive_fraction if says_more(run.inactive_fraction, run.dead_fraction) else None
        for layer in range(run.dead_fraction.shape[1]):
            color = PALETTE[(r_i * 3 + layer) % len(PALETTE)]
            traces.append(dict(type="scatter", x=run.steps, y=run.dead_fraction[:, layer] * 100,
                               name=_f("{name}: layer {layer}, dead", name=label, layer=layer + 1), mode="lines",
                               line={"color": color, "width": 2}, meta=[label, layer + 1],
                               hovertemplate=_(DEAD_HOVER) + "<extra></extra>"))
            if inactive is not None:
                traces.append(dict(type="scatter", x=run.steps, y=inactive[:, layer] * 100,
                                   name=_f("{name}: layer {layer}, inactive", name=label, layer=layer + 1),
                                   mode="lines", line={"color": color, "width": 2, "dash": "dot"},
                                   meta=[label, layer + 1], hovertemplate=_(INACTIVE_HOVER) + "<extra></extra>"))
    return figure(traces, dict(height=height, margin=MARGIN, hovermode="x unified", legend=LEGEND_TOP,
                                xaxis={"title": {"text": _("training step")}},
                                yaxis={"title": {"text": _("dead or inactive units (%)")}, "range": [-3, 103]}))


def boundary_figure(run, title: str, height: int = 360) -> go.Figure:
    """The final state of a run: boundary, data, unit lines (a still of the animation's last frame)."""
    last = len(run.steps) - 1
    traces = _frame_traces(run, last) + [
        dict(type="scatter", x=run.X[run.y == c, 0], y=run.X[run.y == c, 1], mode="markers", name=_f(CLASS, c=c),
             marker={"color": CLASS_COLORS[c], "size": 4, "symbol": ("circle", "diamond")[c]}, hoverinfo="skip")
        for c in (0, 1)
    ]
    return figure(traces, dict(height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10}, showlegend=False,
                                title={"text": title, "x": 0.01, "font": {"size": 13}},
                                xaxis={"range": [-BOX, BOX], "constrain": "domain"},
                                yaxis={"range": [-BOX, BOX], "scaleanchor": "x"}))


def sweep_figure(sweep, height: int = 380) -> go.Figure:
    """Final dead fraction against learning rate (log axis): mean over seeds, with every seed as a dot. Legends
    name the activations by their registry keys, as the sweep holds them."""
    traces = []
    for a_i, act in enumerate(sweep.activations):
        color = PALETTE[a_i % len(PALETTE)]
        dead = sweep.dead[a_i] * 100
        traces.append(dict(type="scatter", x=sweep.lrs, y=dead.mean(axis=1), name=_f("{act}: mean of seeds", act=act),
                           mode="lines+markers", line={"color": color, "width": 2.5},
                           marker={"symbol": ("circle", "square", "diamond")[a_i % 3], "size": 8},
                           meta=act, hovertemplate=_(SWEEP_HOVER) + "<extra></extra>"))
        xs = np.repeat(sweep.lrs, dead.shape[1])
        traces.append(dict(type="scatter", x=xs, y=dead.ravel(), name=_f("{act}: each seed", act=act), mode="markers",
                           marker={"color": color, "size": 5, "opacity": 0.5}, hoverinfo="skip"))
        if says_more(sweep.inactive[a_i], sweep.dead[a_i]):
            traces.append(dict(type="scatter", x=sweep.lrs, y=sweep.inactive[a_i].mean(axis=1) * 100,
                               name=_f("{act}: inactive, mean of seeds", act=act), mode="lines+markers",
                               line={"color": color, "width": 2, "dash": "dash"},
                               marker={"symbol": "circle-open", "size": 7}, meta=act,
                               hovertemplate=_(SWEEP_INACTIVE_HOVER) + "<extra></extra>"))
    return figure(traces, dict(height=height, margin=MARGIN, hovermode="closest", legend=LEGEND_TOP,
                                xaxis={"type": "log", "title": {"text": _("learning rate")}},
                                yaxis={"title": {"text": _("dead or inactive units at the end (%)")},
                                       "range": [-3, 103]}))


def prelu_figure(run, height: int = 300) -> go.Figure:
    traces = [dict(type="scatter", x=run.steps, y=run.prelu_slopes[:, layer], mode="lines",
                   name=_f("layer {layer}", layer=layer + 1), line={"color": PALETTE[layer % len(PALETTE)], "width": 2})
              for layer in range(run.prelu_slopes.shape[1])]
    return figure(traces, dict(height=height, margin=MARGIN, hovermode="x unified", legend=LEGEND_TOP,
                                xaxis={"title": {"text": _("training step")}},
                                yaxis={"title": {"text": _("learned slope a (x < 0)")}}))


def rrelu_figure(run, height: int = 300) -> go.Figure:
    traces = [dict(type="histogram", x=run.rrelu_train_slopes, nbinsx=40, name=_("slopes drawn in training"),
                   marker={"color": PALETTE[0]}, opacity=0.8)]
    layout = dict(height=height, margin=MARGIN, bargap=0.05, legend=LEGEND_TOP,
                  # Translators: the x axis of a histogram of RReLU's random negative slopes; "count" is its y axis.
                  xaxis={"title": {"text": _("negative slope")}}, yaxis={"title": {"text": _("count")}},
                  shapes=[{"type": "line", "x0": run.rrelu_eval_slope, "x1": run.rrelu_eval_slope, "y0": 0, "y1": 1,
                           "yref": "paper", "line": {"color": PALETTE[5], "width": 3, "dash": "dash"}}],
                  annotations=[{"x": run.rrelu_eval_slope, "y": 1, "yref": "paper", "showarrow": False,
                                "yanchor": "bottom",
                                "text": _f("evaluation slope {slope:.3g}", slope=run.rrelu_eval_slope)}])
    return figure(traces, layout)
