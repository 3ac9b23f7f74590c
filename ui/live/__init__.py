"""The curve follows the finger (issue 26): a chart redrawn in the browser, at the display's frame rate, while a
slider of its section is dragged, from figures the server built at every stop of that slider (ui.live.frames).

The sliders and the chart stay Streamlit's own (their look, keyboard, touch, tooltips, focus links, the URL):
this component draws nothing. It watches the section's sliders and, while one moves, swaps the chart's data for
the figure at the slider's stop with Plotly.react; the release goes to the server as before and its rerun draws
the page. If it fails to load, the page is today's: the chart updates on release.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

import i18n
from charts.base import specs_only, y_limits
from labs import explore
from labs.controls import Control, Number, Range, Steps

from .. import cache
from . import frames

_JS = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")
_component = st.components.v2.component("activation_lab.live", js=_JS)
MAX_BYTES = 600_000  # a page's frames: beyond it the sliders further down the page update on release only


def css_key(key: str) -> str:
    """The class Streamlit gives a keyed element (st-key-<this>): characters other than letters, digits, - and _
    become -."""
    return re.sub(r"[^a-zA-Z0-9_-]", "-", key)


@dataclass(frozen=True)
class Track:
    """One slider the chart follows: its session key, its control, the value the chart shows now, and how to build
    the figure at another value (a figure's plain dict)."""

    key: str
    control: Control
    value: float
    figure_at: Callable[[float], dict]
    ident: tuple  # everything the figures depend on but the slider's value: the cache key


def _steps(low: float, high: float, step: float) -> list[float]:
    return [round(low + k * step, 10) for k in range(int(round((high - low) / step)) + 1)]


def stops(control: Control, value: float) -> tuple[list[float], float, bool]:
    """(the slider's stops, the tolerance that matches a slider's text to one, whether the browser sends the option's
    index): a Number's grid low + k·step (and the value it holds, which a link may put off the grid), a Steps'
    options."""
    if isinstance(control, Steps):
        return [float(o) for o in control.options], 0.0, True
    assert isinstance(control, Number)
    grid = _steps(control.low, control.high, control.step)
    if all(abs(g - value) > 1e-9 for g in grid):
        grid = sorted([*grid, float(value)])
    return grid, control.step * 1e-3, False


_CACHE: OrderedDict[tuple, dict] = OrderedDict()
_LOCK = threading.Lock()
CACHED = 64  # tracks: a learner's release recomputes the other sliders' tracks, never the one just dragged


class Busy(Exception):
    """A track that is not built yet, asked for while learners wait for their experiments (see `busy`)."""


def busy() -> bool:
    """Learners wait for a lab's experiment on this server (ui.cache.computing): the CPU is theirs. A track's figures
    cost the web process 10-100 ms per slider (a class of 50 on 2 cores: Explorer and Own slider p95 from about
    55 ms to 140-310 ms, and the workers lost that CPU): meanwhile only the tracks already built are sent, and a
    slider without one updates its chart on release, as before this component."""
    return cache.computing() > 0


def _cached(ident: tuple, build: Callable[[], dict], may_build: bool = True) -> dict:
    """`build()`'s result, kept under `ident` (every session's thread shares the cache; the oldest goes first);
    Busy if it is not kept and not `may_build`."""
    with _LOCK:
        found = _CACHE.get(ident)
        if found is not None:
            _CACHE.move_to_end(ident)
            return found
    if not may_build:
        raise Busy(ident)
    found = build()
    with _LOCK:
        _CACHE[ident] = found
        while len(_CACHE) > CACHED:
            _CACHE.popitem(last=False)
    return found


def _encoded(figures: Callable[[], list[dict]]) -> dict:
    with specs_only():  # plain dicts: no st.plotly_chart draws them
        encoded = frames.encode(figures())
    encoded["bytes"] = frames.size(encoded)
    return encoded


def grid(spec, control: Control, fixed: dict, value: float, lo: float, hi: float):
    """The x of every frame of `control`'s track: explore.FOLLOW_POINTS even points plus the kinks of every stop, so
    the frames share one x and each stop's kinks are exact."""
    every = [explore.grid(spec.key, spec.resolve({**fixed, control.name: v})[0], lo, hi, explore.FOLLOW_POINTS)
             for v in stops(control, value)[0]]
    return np.unique(np.concatenate(every))


def encode(track: Track, may_build: bool = True) -> dict:
    """The track as the browser gets it: its frames (ui.live.frames), stops, the stop shown now, the slider's class.
    Busy if it is not built yet and not `may_build`."""
    values, tolerance, index = stops(track.control, track.value)
    ident = (track.ident, track.control, tuple(values), i18n.current())
    encoded = _cached(ident, lambda: _encoded(lambda: [track.figure_at(v) for v in values]), may_build)
    at = min(range(len(values)), key=lambda i: abs(values[i] - track.value))
    return {**encoded, "values": values, "tolerance": tolerance, "index": index, "at": at,
            "slider": css_key(track.key)}


@dataclass(frozen=True)
class Window:
    """The x-range slider the chart follows: its session key, its control, the window shown now, and how to build
    the chart over the control's whole span (its traces on an even grid, its regions) with its curves (x, f, f′).
    While a thumb moves, the browser shows that chart through the thumbs' window, each y axis at the range the page
    would give it there (y_limits of the columns `panels` names); released, the server draws the window's own grid."""

    key: str
    control: Range
    value: tuple[float, float]
    build: Callable[[], tuple[dict, Sequence[tuple]]]  # run on a cache miss only
    ident: tuple  # everything the chart depends on but the window
    panels: tuple[tuple[str, tuple[int, ...]], ...] = (("yaxis", (1, 2)),)  # y axis, its curves' columns (f: 1)
    xaxes: tuple[str, ...] = ("xaxis",)  # the x axes the window sets (Compare's f and f′ panels: two)


def window_stops(control: Range, value: tuple[float, float]) -> tuple[list[float], list[float]]:
    """Each thumb's stops, the other held: the low thumb's up to the high one less the narrowest window, and back."""
    lo, hi = value
    grid = _steps(control.low, control.high, control.step)
    return ([g for g in grid if g <= hi - control.min_width + 1e-9] or [lo],
            [g for g in grid if g >= lo + control.min_width - 1e-9] or [hi])


def encode_window(window: Window, may_build: bool = True) -> dict:
    """The x-range as the browser gets it: the whole span's chart, each thumb's stops and the y-ranges there. Busy if
    the whole span's chart is not built yet and not `may_build` (the stops' y-ranges cost a few ms)."""
    ident = ("window", window.ident, window.control, window.panels, i18n.current())
    whole = _cached(ident, lambda: _whole(window), may_build)
    return _cached((*ident, window.value), lambda: _window_stops(window, whole))


def _whole(window: Window) -> dict:
    fig, curves = window.build()
    return {**_encoded(lambda: [fig]), "curves": curves}


def _window_stops(window: Window, whole: dict) -> dict:
    los, his = window_stops(window.control, window.value)
    lo, hi = window.value

    def ranges(a: float, b: float) -> dict[str, list[float]]:
        out = {}
        for axis, columns in window.panels:
            parts = []
            for x, *ys in whole["curves"]:
                inside = slice(np.searchsorted(x, a, "left"), np.searchsorted(x, b, "right"))
                parts += [ys[c - 1][inside] for c in columns]
            out[axis] = [float(r) for r in y_limits(*parts)]
        return out
    encoded = {k: v for k, v in whole.items() if k != "curves"}
    return {**encoded, "window": True, "values": {"lo": los, "hi": his}, "at": [lo, hi],
            "ylims": {"lo": [ranges(v, hi) for v in los], "hi": [ranges(lo, v) for v in his]},
            "xaxes": list(window.xaxes), "tolerance": window.control.step * 1e-3, "slider": css_key(window.key),
            "bytes": whole["bytes"] + 30 * len(window.xaxes) * (len(los) + len(his))}


def follow(chart_key: str, tracks: Sequence[Track | Window], key: str) -> None:
    """Mount the component for the chart drawn with `chart_key` and the sliders of `tracks`, in their order, as many
    as MAX_BYTES holds; while the server is busy(), only those already built."""
    kept, total = [], 0
    may_build = not busy()
    for track in tracks:
        try:
            t = encode_window(track, may_build) if isinstance(track, Window) else encode(track, may_build)
        except Busy:
            continue
        size = t["bytes"]
        if total + size > MAX_BYTES:
            continue
        kept.append(t)
        total += size
    if kept:
        _component(key=key, data={"chart": css_key(chart_key), "tracks": kept}, height=0)
