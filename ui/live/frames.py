"""A chart at every stop of one slider, in few bytes: what the browser swaps in while the slider is dragged.

Each stop's figure is built by the same builder as the chart at rest (charts.curves), so the browser draws, stop
by stop, exactly what the server would: nothing is computed in JavaScript. The figures are encoded as
- styles: every distinct trace without its x and y (a region kind's fill, f's line, a legend name), sent once;
- slots: every long x or y array (f, f′, RReLU's band): its values at the first stop (float32), then only the
  columns that differ between stops (ELU's α moves the negative side; the positive side is sent once), in 16-bit
  steps finer than a pixel where that holds, else float32;
- frames: per stop, its traces as [style, {field: a short list, or a slot}] and its axis ranges.
The JavaScript side (live.js, beside it) rebuilds a stop's data from these and hands it to Plotly.react.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Sequence

import numpy as np

DATA_FIELDS = ("x", "y")
SHORT = 64  # arrays up to this long (a region's outline: 6 numbers per region) stay plain JSON in their frame
LEVELS = 32767  # a 16-bit step of a value's span: -LEVELS..LEVELS, and -LEVELS - 1 for no value
FINER = 20_000  # a quantized y is within this fraction of the chart's height (0.02 px on a 460-px chart)
HOLD_AT_MOST = 3.0  # the axes hold the stops' joint range, unless it is this many times a typical stop's (median)


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def _float32(v) -> np.ndarray:
    a = np.asarray([np.nan if e is None else e for e in v] if isinstance(v, list) else v, dtype=np.float64)
    with np.errstate(over="ignore"):  # beyond float32 (a formula's 1e80): inf, off the chart either way
        return a.astype(np.float32)


def _short(v) -> list:
    out = []
    for e in (v.tolist() if isinstance(v, np.ndarray) else list(v)):
        out.append(None if e is None or (isinstance(e, float) and not np.isfinite(e)) else float(e))
    return out


def _ranges(layout: dict) -> dict[str, list[float]]:
    return {k: [float(r) for r in v["range"]] for k, v in layout.items()
            if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict) and v.get("range") is not None}


def encode(figures: Sequence[dict]) -> dict:
    """Figures as plain dicts ({"data": [...], "layout": {...}}, charts.base.Chart's spec), one per stop."""
    styles: list[dict] = []
    style_index: dict[str, int] = {}
    slot_arrays: dict[tuple, list[np.ndarray]] = {}  # (trace identity, field) -> one array per stop
    slot_axes: dict[tuple, str | None] = {}  # its x axis ("x2": Compare's f′ panel), which names its y axis
    frames = []
    for s, fig in enumerate(figures):
        traces, seen = [], {}
        for trace in fig["data"]:
            style = {k: v for k, v in trace.items() if k not in DATA_FIELDS}
            text = json.dumps(style, sort_keys=True, default=str)
            si = style_index.setdefault(text, len(styles))
            if si == len(styles):
                styles.append(json.loads(text))
            fields = {}
            for field in DATA_FIELDS:
                if field not in trace:
                    continue
                v = trace[field]
                if len(v) <= SHORT:
                    fields[field] = _short(v)
                    continue
                # a trace is the same slot from stop to stop by what it is, not by its place (regions come and go)
                what = (style.get("legendgroup") or style.get("name"), style.get("xaxis"), field)
                seen[what] = seen.get(what, -1) + 1
                ident = (*what, seen[what])
                arrays = slot_arrays.setdefault(ident, [None] * len(figures))
                arrays[s] = _float32(v)
                slot_axes[ident] = style.get("xaxis")
                fields[field] = {"slot": ident}
            traces.append([si, fields])
        frames.append({"traces": traces, "ranges": _ranges(fig["layout"])})

    # while dragging, the axes hold the range that shows every stop: the curve moves, not the grid under it (and
    # Plotly redraws the traces only, not the axes); the release brings the server's own range back
    hold, spans = {}, {}
    for frame in frames:
        for axis, (lo, hi) in frame["ranges"].items():
            a, b = hold.get(axis, (lo, hi))
            hold[axis] = [min(a, lo), max(b, hi)]
            spans.setdefault(axis, []).append(hi - lo)
    for axis, (lo, hi) in list(hold.items()):
        # a joint range that would squash most stops flat (1/(x - a) as a comes into view): each stop keeps its own,
        # and the browser lays the axes out again at each
        if hi - lo > HOLD_AT_MOST * float(np.median(spans[axis])):
            del hold[axis]
    slots, numbers, known = [], {}, {}
    for ident, arrays in slot_arrays.items():
        numbers[ident] = len(slots)
        axis = "yaxis" + str(slot_axes.get(ident) or "x")[1:]
        span = hold[axis][1] - hold[axis][0] if axis in hold else min(spans.get(axis, [0.0]))
        fine = span / FINER if ident[2] == "y" else 0.0
        slot = _slot(arrays, fine)
        text = json.dumps(slot, sort_keys=True)  # the same array twice (Compare's curves share their x): sent once
        slots.append({"same": known[text]} if text in known else slot)
        known.setdefault(text, len(slots) - 1)
    for frame in frames:
        for _si, fields in frame["traces"]:
            for field, v in fields.items():
                if isinstance(v, dict):
                    fields[field] = {"slot": numbers[v["slot"]]}
    for frame in frames:  # a shaded region spans the plot's height: the held range's, not its own stop's
        for si, fields in frame["traces"]:
            axis = "yaxis" + str(styles[si].get("yaxis", "y"))[1:]
            if styles[si].get("fill") == "toself" and isinstance(fields.get("y"), list) and axis in hold \
                    and axis in frame["ranges"]:
                ends = dict(zip(frame["ranges"][axis], hold[axis], strict=True))
                fields["y"] = [ends.get(v, v) for v in fields["y"]]
    return {"styles": styles, "slots": slots, "frames": frames, "hold": hold, "moving": _moving(frames, slots)}


def _own(slots: list[dict], i: int) -> dict:
    return slots[slots[i]["same"]] if "same" in slots[i] else slots[i]


def _moving(frames: list[dict], slots: list[dict]) -> list[bool]:
    """Per trace place: whether anything of it differs between stops where the stops draw the same traces (the
    browser redraws only those: at ELU's α the regions and the curves, not a trace that stays put)."""
    places = max((len(f["traces"]) for f in frames), default=0)
    out = []
    for i in range(places):
        seen = {json.dumps(f["traces"][i], sort_keys=True) for f in frames if i < len(f["traces"])}
        slot_moves = any(isinstance(v, dict) and (_own(slots, v["slot"]).get("each") or _own(slots, v["slot"])["cols"])
                         for f in frames if i < len(f["traces"]) for v in f["traces"][i][1].values())
        out.append(len(seen) > 1 or bool(slot_moves))
    return out


def _slot(arrays: list[np.ndarray | None], fine: float = 0.0) -> dict:
    """One array across stops: where every stop has it with one length, the first stop's values and the columns
    that change; otherwise each stop's own values (a stop that lacks it: null). The changing values go as 16-bit
    steps of their span where a step is finer than `fine` (a y array: FINER-th of the chart's height, far below
    a pixel), else as float32; a value with no finite number is the lowest step (NaN: a gap, as Plotly draws it)."""
    present = [a for a in arrays if a is not None]
    if len(present) == len(arrays) and len({len(a) for a in present}) == 1:
        m = np.stack(present)
        same = (m == m[0]) | (np.isnan(m) & np.isnan(m[0]))
        cols = np.flatnonzero(~same.all(axis=0)).astype(np.uint32)
        values = m[:, cols].astype(np.float64)
        out = {"base": _b64(m[0]), "cols": _b64(cols)}
        finite = np.isfinite(values)
        if finite.any():
            lo, hi = float(values[finite].min()), float(values[finite].max())
            step = (hi - lo) / (2 * LEVELS) or 1.0
            if step / 2 <= fine:
                q = np.where(finite, np.round((np.where(finite, values, lo) - lo) / step) - LEVELS, -LEVELS - 1)
                return {**out, "q": _b64(q.astype(np.int16)), "lo": lo, "step": step}
        return {**out, "values": _b64(values.astype(np.float32))}
    return {"each": [None if a is None else _b64(a) for a in arrays]}


def decode(encoded: dict) -> list[dict]:
    """The figures' data and axis ranges back from `encode` (what live.js does in the browser): for the tests."""
    def floats(text: str, dtype=np.float32) -> np.ndarray:
        return np.frombuffer(base64.b64decode(text), dtype=dtype)

    out = []
    for s, frame in enumerate(encoded["frames"]):
        data = []
        for si, fields in frame["traces"]:
            trace = dict(encoded["styles"][si])
            for field, v in fields.items():
                if isinstance(v, dict):
                    slot = encoded["slots"][v["slot"]]
                    slot = encoded["slots"][slot["same"]] if "same" in slot else slot
                    if "each" in slot:
                        arr = floats(slot["each"][s])
                    else:
                        arr = floats(slot["base"]).copy()
                        cols = floats(slot["cols"], np.uint32)
                        if len(cols) and "q" in slot:
                            q = floats(slot["q"], np.int16).reshape(-1, len(cols))[s].astype(np.float64)
                            arr[cols] = np.where(q < -LEVELS, np.nan, slot["lo"] + (q + LEVELS) * slot["step"])
                        elif len(cols):
                            arr[cols] = floats(slot["values"]).reshape(-1, len(cols))[s]
                    trace[field] = arr
                else:
                    trace[field] = v
            data.append(trace)
        out.append({"data": data, "ranges": frame["ranges"]})
    return out


def size(encoded: dict) -> int:
    """Bytes of the encoded frames as JSON: what a page open sends for them."""
    return len(json.dumps(encoded, separators=(",", ":")))
