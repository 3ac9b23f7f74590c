"""What every chart shares: the palette, margins, legend placement, the toolbar config and a fast figure type.

Builders in charts/ take data (and already-translated words) and return a figure; no Streamlit here.
"""
from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import plotly.graph_objects as go

# Okabe-Ito: distinguishable with every common colour-vision deficiency, and on light and dark themes.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
# The toolbar keeps what a learner uses (PNG, zoom, pan, reset): one short row at the chart's top right.
_MODEBAR = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2},
            "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                                       "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian"]}
MODEBAR_BAND = 30  # px at the top of every chart where that row lies: titles and top legends start below it
LEGEND_ROW = 30  # px of one row of a horizontal legend (12 px text), measured in Chromium


def separators() -> str:
    """Plotly's decimal and thousands marks for the current locale (the same i18n.numbers uses)."""
    from i18n.numbers import localize

    return localize(".,")


def chart_config() -> dict:
    """Plotly config for st.plotly_chart: toolbar kept, PNG export at 2x."""
    return dict(_MODEBAR)


# Plotly.js's typed arrays (plotly's own _plotly_utils.utils.plotlyjsShortTypes), and the keys Plotly never encodes.
_TYPED = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4", "float32": "f4",
          "float64": "f8"}
_UNTYPED_KEYS = frozenset({"geojson", "layer", "layers", "range"})
_NARROWER = {"int64": ("int8", "int16", "int32"), "uint64": ("uint8", "uint16", "uint32")}


def _typed_array(v: np.ndarray):
    """A NumPy array as Plotly sends it (plotly's to_typed_array_spec): base64 with its dtype and shape, 64-bit
    integers narrowed to the smallest type that holds them; a plain list where Plotly.js has no typed array."""
    v = np.ascontiguousarray(v)
    for wide in _NARROWER.get(str(v.dtype), ()) if v.size else ():
        info = np.iinfo(wide)
        if info.min <= v.min() and v.max() <= info.max:
            v = v.astype(wide)
            break
    short = _TYPED.get(str(v.dtype))
    if short is None or v.size == 0:
        return v.tolist()
    out = {"dtype": short, "bdata": base64.b64encode(v).decode("ascii")}
    if v.ndim > 1:
        out["shape"] = str(v.shape)[1:-1]
    return out


def _plain(obj, typed: bool = True):
    """Copies of the dicts and lists with every NumPy array and scalar turned into what JSON holds: the same JSON as
    go.Figure.to_dict() with Plotly's convert_to_base64, without its path. That path asks whether each value is a
    pandas Series through `sys.modules["pandas"]`: while another session's thread is still importing pandas, that
    module is half-built and the chart raised AttributeError (issue 23: two learners' first charts at once)."""
    if isinstance(obj, dict):
        return {k: _plain(v, typed and k not in _UNTYPED_KEYS) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v, typed) for v in obj]
    if isinstance(obj, np.ndarray):
        return _typed_array(obj) if typed else obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


_TEMPLATES: dict[str, dict] = {}


def _default_template() -> dict | None:
    """The layout template go.Figure would add (Streamlit registers and selects its own), as a dict, once."""
    import plotly.io as pio

    name = pio.templates.default
    if not name or not isinstance(name, str):
        return None
    if name not in _TEMPLATES:
        _TEMPLATES[name] = pio.templates[name].to_plotly_json()
    return _TEMPLATES[name]


class Chart(go.Figure):
    """A figure that keeps the plain dict it was built from and hands that to `st.plotly_chart`.

    st.plotly_chart only calls `to_dict()`. A real go.Figure would first build one validated object per trace,
    frame and layout property and then deep-copy them all back into dicts: about 2 ms for a Compare chart and
    85 ms for the Dying ReLU animation, on every rerun, for a dict we already have. `to_dict()` here gives
    what go.Figure's would (the default template added, NumPy arrays as base64) without that round trip.
    Read-only by design: `full()` gives the validated go.Figure for anything else (tests use it).
    """

    def __init__(self, spec: dict):
        super().__init__()  # an empty figure (0.3 ms); the content lives in the spec
        self._spec = spec

    def to_dict(self) -> dict:
        out = _plain(self._spec)
        template = _default_template()
        if template is not None and "template" not in out["layout"]:
            # Shared, not copied: it holds no arrays to convert, and nothing downstream writes to it.
            out["layout"]["template"] = template
        return out

    def full(self) -> go.Figure:
        return go.Figure(self._spec)  # validates: raises on any invalid property


# Room for tick labels and axis titles that every chart keeps, instead of Plotly's automargin (which Streamlit's
# theme turns on for every axis): automargin measures the labels and draws the chart again until the margins
# settle, on every rerun. Measured in Chromium, A/B in the same rounds (bench/bench_actions.py --against): key press
# to chart -17% on the Explorer, -12% Softmax, -9% Self-normalizing, -42% Dying ReLU (-3% Compare, -1% Gradient
# flow). An axis that needs it (long category names) still asks for it.
AXIS_MARGIN = {"l": 64, "b": 48}


def _fixed_margins(layout: dict) -> None:
    for name in {"xaxis", "yaxis", *(k for k in layout if k.startswith(("xaxis", "yaxis")))}:
        axis = layout.get(name)
        layout[name] = axis = dict(axis) if isinstance(axis, dict) else {}
        axis.setdefault("automargin", False)
    margin = layout["margin"] = dict(layout.get("margin") or {})
    for side, room in AXIS_MARGIN.items():
        margin[side] = max(margin.get(side, 0), room)


def _below_modebar(layout: dict) -> None:
    """Title and a legend above the plot hang from MODEBAR_BAND px below the chart's top (container coordinates)
    and push the plot down as far as they need (a legend wrapping to three rows on a phone, a two-line title),
    instead of sitting where the toolbar is drawn."""
    top = MODEBAR_BAND
    title = layout.get("title")
    if isinstance(title, dict) and title.get("text"):
        layout["title"] = title = {"x": 0.01, **title, "yref": "container", "y": 1.0, "yanchor": "top",
                                   "automargin": True, "pad": {"t": MODEBAR_BAND + 4, "b": 6}}  # +4: its cap height
        size = (title.get("font") or {}).get("size", 17)
        top += 10 + round(1.35 * size * (1 + str(title["text"]).count("<br>")))
    legend = layout.get("legend")
    if (isinstance(legend, dict) and legend.get("orientation") == "h" and legend.get("yref", "paper") == "paper"
            and legend.get("y", 1.02) >= 1):
        height = layout.get("height") or 450
        layout["legend"] = {**legend, "yref": "container", "y": 1 - top / height, "yanchor": "top"}
        top += LEGEND_ROW
    # The room they reserve, given up front: a margin that grows after the first draw makes Plotly draw the chart
    # again (on every rerun). Only a legend that wraps (a phone) still pushes the plot further down.
    margin = layout["margin"] = dict(layout.get("margin") or {})
    margin["t"] = max(margin.get("t", 0), top + 4)


class Spec:
    """What `figure` builds inside `specs_only()`: the plain dict alone (`_spec`, as Chart keeps it), without the
    empty go.Figure a Chart is (1 ms: it deep-copies the default template), for figures no st.plotly_chart draws:
    a slider's every stop, which the browser swaps in while it is dragged (ui.live)."""

    def __init__(self, spec: dict):
        self._spec = spec


_SPECS_ONLY: ContextVar[bool] = ContextVar("specs_only", default=False)


@contextmanager
def specs_only() -> Iterator[None]:
    token = _SPECS_ONLY.set(True)
    try:
        yield
    finally:
        _SPECS_ONLY.reset(token)


def figure(traces: list[dict], layout: dict, frames: list[dict] | None = None) -> Chart | Spec:
    # Plain dicts in one call, not validated at run time: tests/test_plots.py validates every builder's output.
    fig = {"data": traces, "layout": {k: v for k, v in layout.items() if v is not None}}
    _fixed_margins(fig["layout"])
    _below_modebar(fig["layout"])
    fig["layout"].setdefault("separators", separators())  # Plotly's own number formatting (ticks, hover)
    if frames:
        fig["frames"] = frames
    return Spec(fig) if _SPECS_ONLY.get() else Chart(fig)


def y_limits(*arrays: np.ndarray, pad: float = 0.08) -> tuple[float, float]:
    """A y-range that shows every finite value with some air, and never a zero-height range."""
    vals = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    vals = vals[np.isfinite(vals)]
    lo, hi = (float(vals.min()), float(vals.max())) if vals.size else (-1.0, 1.0)
    span = hi - lo if hi > lo else max(1.0, abs(hi))
    return lo - pad * span, hi + pad * span




def shading(p: np.ndarray, dtype=np.uint8) -> np.ndarray:
    """A probability map (0..1) as integers 0..max of `dtype` for a heatmap with zmin=0, zmax=that max: uint8 is an
    eighth of float64's size and its 1/255 steps are finer than the eye sees in a 35%-opaque tint; uint16 (a
    quarter) still tells apart maps that differ by 1e-5. NaN (a diverged run) shows as 0.5 (no tint)."""
    top = np.iinfo(dtype).max
    return np.round(np.nan_to_num(np.clip(p, 0.0, 1.0), nan=0.5) * top).astype(dtype)


def even_x(x: np.ndarray) -> dict:
    """A trace's x: x0 and dx when x is an even grid (Plotly rebuilds it; nothing to send), else the array."""
    x = np.asarray(x, dtype=float)
    if len(x) > 2:
        dx = (x[-1] - x[0]) / (len(x) - 1)
        if dx > 0 and np.allclose(np.diff(x), dx, rtol=1e-9, atol=0.0):
            return {"x0": float(x[0]), "dx": float(dx)}
    return {"x": x}


MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
LEGEND_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}


def finite_or_none(a: np.ndarray) -> list:
    """Plotly draws gaps for None: a value that overflowed shows as a break, not as a fake value."""
    return [float(v) if np.isfinite(v) else None for v in np.asarray(a, dtype=float)]


def positive_or_none(a: np.ndarray) -> list:
    """For log axes: zero and non-finite values become gaps."""
    return [float(v) if np.isfinite(v) and v > 0 else None for v in np.asarray(a, dtype=float)]
