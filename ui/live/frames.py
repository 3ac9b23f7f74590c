"""A chart at every stop of one slider, in few bytes: what the browser swaps in while the slider is dragged.

Each stop's figure is built by the same builder as the chart at rest (charts.curves), so the browser draws, stop
by stop, exactly what the server would: nothing is computed in JavaScript. The figures are encoded as
- styles: every distinct trace without its x and y (a region kind's fill, f's line, a legend name), sent once;
- slots: every long x or y array (f, f′, RReLU's band) as float32: its values at the first stop, then only the
  columns that differ between stops (ELU's α moves the negative side; the positive side is sent once);
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


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def _float32(v) -> np.ndarray:
    return np.asarray([np.nan if e is None else e for e in v] if isinstance(v, list) else v,
                      dtype=np.float64).astype(np.float32)


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
                fields[field] = {"slot": ident}
            traces.append([si, fields])
        frames.append({"traces": traces, "ranges": _ranges(fig["layout"])})

    slots, numbers = [], {}
    for ident, arrays in slot_arrays.items():
        numbers[ident] = len(slots)
        slots.append(_slot(arrays))
    for frame in frames:
        for _si, fields in frame["traces"]:
            for field, v in fields.items():
                if isinstance(v, dict):
                    fields[field] = {"slot": numbers[v["slot"]]}
    return {"styles": styles, "slots": slots, "frames": frames}


def _slot(arrays: list[np.ndarray | None]) -> dict:
    """One array across stops: where every stop has it with one length, the first stop's values and the columns
    that change; otherwise each stop's own values (a stop that lacks it: null)."""
    present = [a for a in arrays if a is not None]
    if len(present) == len(arrays) and len({len(a) for a in present}) == 1:
        m = np.stack(present)
        same = (m == m[0]) | (np.isnan(m) & np.isnan(m[0]))
        cols = np.flatnonzero(~same.all(axis=0)).astype(np.uint32)
        return {"base": _b64(m[0]), "cols": _b64(cols), "values": _b64(m[:, cols])}
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
                    if "each" in slot:
                        arr = floats(slot["each"][s])
                    else:
                        arr = floats(slot["base"]).copy()
                        cols = floats(slot["cols"], np.uint32)
                        arr[cols] = floats(slot["values"]).reshape(-1, len(cols))[s] if len(cols) else arr[cols]
                    trace[field] = arr
                else:
                    trace[field] = v
            data.append(trace)
        out.append({"data": data, "ranges": frame["ranges"]})
    return out


def size(encoded: dict) -> int:
    """Bytes of the encoded frames as JSON: what a page open sends for them."""
    return len(json.dumps(encoded, separators=(",", ":")))
