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
from charts.base import specs_only
from labs import explore
from labs.controls import Control, Number, Range, Steps

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


def stops(control: Control, value: float) -> tuple[list[float], float, bool]:
    """(the slider's stops, the tolerance that matches a slider's text to one, whether the browser sends the option's
    index): a Number's grid low + k·step (and the value it holds, which a link may put off the grid), a Steps'
    options."""
    if isinstance(control, Steps):
        return [float(o) for o in control.options], 0.0, True
    assert isinstance(control, Number)
    n = int(round((control.high - control.low) / control.step))
    grid = [round(control.low + k * control.step, 10) for k in range(n + 1)]
    if all(abs(g - value) > 1e-9 for g in grid):
        grid = sorted([*grid, float(value)])
    return grid, control.step * 1e-3, False


_CACHE: OrderedDict[tuple, dict] = OrderedDict()
_LOCK = threading.Lock()
CACHED = 64  # tracks: a learner's release recomputes the other sliders' tracks, never the one just dragged


def grid(spec, control: Control, fixed: dict, value: float, lo: float, hi: float):
    """The x of every frame of `control`'s track: explore.FOLLOW_POINTS even points plus the kinks of every stop, so
    the frames share one x and each stop's kinks are exact."""
    every = [explore.grid(spec.key, spec.resolve({**fixed, control.name: v})[0], lo, hi, explore.FOLLOW_POINTS)
             for v in stops(control, value)[0]]
    return np.unique(np.concatenate(every))


def encode(track: Track) -> dict:
    """The track as the browser gets it: its frames (ui.live.frames), stops, the stop shown now, the slider's class."""
    values, tolerance, index = stops(track.control, track.value)
    ident = (track.ident, track.control, tuple(values), i18n.current())
    with _LOCK:  # every session's thread shares the cache
        encoded = _CACHE.get(ident)
        if encoded is not None:
            _CACHE.move_to_end(ident)
    if encoded is None:
        with specs_only():  # plain dicts: no st.plotly_chart draws them
            encoded = frames.encode([track.figure_at(v) for v in values])
        encoded["bytes"] = frames.size(encoded)
        with _LOCK:
            _CACHE[ident] = encoded
            while len(_CACHE) > CACHED:
                _CACHE.popitem(last=False)
    at = min(range(len(values)), key=lambda i: abs(values[i] - track.value))
    return {**encoded, "values": values, "tolerance": tolerance, "index": index, "at": at,
            "slider": css_key(track.key)}


@dataclass(frozen=True)
class Window:
    """The x-range slider the chart follows: its session key, its control, the window shown now, the figure over the
    control's whole span (its traces on an even grid WINDOW_STEP apart, its regions) and the y-range the page would
    show for a window (`ylim(lo, hi)`). While a thumb moves, the browser shows the whole-span figure through that
    window: the values drawn are the core's at their x; released, the server draws the window's own grid."""

    key: str
    control: Range
    value: tuple[float, float]
    figure: Callable[[], dict]
    ylim: Callable[[float, float], dict[str, tuple[float, float]]]  # y axis name -> its range, for a window
    ident: tuple
    xaxes: tuple[str, ...] = ("xaxis",)  # the x axes the window sets (Compare's f and f′ panels: two)


def window_stops(control: Range, value: tuple[float, float]) -> tuple[list[float], list[float]]:
    """Each thumb's stops, the other held: the low thumb's up to the high one less the narrowest window, and back."""
    lo, hi = value
    n = int(round((control.high - control.low) / control.step))
    grid = [round(control.low + k * control.step, 10) for k in range(n + 1)]
    return ([g for g in grid if g <= hi - control.min_width + 1e-9] or [lo],
            [g for g in grid if g >= lo + control.min_width - 1e-9] or [hi])


def encode_window(window: Window) -> dict:
    los, his = window_stops(window.control, window.value)
    lo, hi = window.value
    ident = ("window", window.ident, window.control, i18n.current())
    with _LOCK:
        wide = _CACHE.get(ident)
    if wide is None:
        with specs_only():
            wide = frames.encode([window.figure()])
        wide["bytes"] = frames.size(wide)
        with _LOCK:
            _CACHE[ident] = wide
            while len(_CACHE) > CACHED:
                _CACHE.popitem(last=False)
    def ranges(a: float, b: float) -> dict[str, list[float]]:
        return {axis: [float(r) for r in limits] for axis, limits in window.ylim(a, b).items()}
    ylims = {"lo": [ranges(v, hi) for v in los], "hi": [ranges(lo, v) for v in his]}
    return {**wide, "window": True, "values": {"lo": los, "hi": his}, "ylims": ylims, "at": [lo, hi],
            "xaxes": list(window.xaxes),
            "tolerance": window.control.step * 1e-3, "slider": css_key(window.key),
            "bytes": wide["bytes"] + 30 * len(window.xaxes) * (len(los) + len(his))}


def follow(chart_key: str, tracks: Sequence[Track | Window], key: str) -> None:
    """Mount the component for the chart drawn with `chart_key` and the sliders of `tracks`, in their order, as many
    as MAX_BYTES holds."""
    kept, total = [], 0
    for track in tracks:
        t = encode_window(track) if isinstance(track, Window) else encode(track)
        size = t["bytes"]
        if total + size > MAX_BYTES:
            continue
        kept.append(t)
        total += size
    if kept:
        _component(key=key, data={"chart": css_key(chart_key), "tracks": kept}, height=0)
