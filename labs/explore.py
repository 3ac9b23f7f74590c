"""The Explorer's and Compare's controls and computations: f and f' sampled on a grid, regions, properties."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

import activations
from activations import analysis, is_own
from activations import formula as F
from activations.registry import own_formula
from i18n import N_, Note

from .controls import Choice, Multi, Range, Schema, Steps, Toggle

GRID_POINTS = 801  # what is measured and downloaded: regions, the autograd check, the CSV; kinks added exactly
PLOT_POINTS = 401  # what is drawn: ~2 px apart on a wide chart, and half the browser's work per slider move
COMPARE_POINTS = 301  # per curve: up to 16 traces share the browser's redraw
FOLLOW_POINTS = 201  # drawn at every stop of a dragged slider (ui.live): each stop's kinks exact, half the bytes
WINDOW_STEP = 0.05  # the x-range's whole span drawn this finely while a thumb moves (ui.live.Window): 2,001 points
MAX_CURVES = 8
GALLERY_X, GALLERY_POINTS = (-5.0, 5.0), 201  # Home's small multiples: every function at its defaults
EPS_STEPS = (1e-4, 1e-3, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)
KEYS = (*activations.keys_grouped(), activations.OWN)  # OWN: the learner's formula (labs.own)
MAX_GAP_NOTES = 4  # sentences on where a formula is undefined; the rest are counted

EXPLORER = Schema(
    Choice("fn", N_("Activation"), N_("Grouped by family. The URL's fn= is this function's PyTorch name."), "elu",
           options=KEYS, params=""),
    Range("x", N_("x-range"), N_("The inputs shown. Properties below are measured on all reals, not just this "
                                 "window."), (-6.0, 6.0), low=-50.0, high=50.0, step=0.5, min_width=0.5),
    Steps("eps", N_("ε: saturation threshold"),
          N_("Where 0 < |f′(x)| < ε the gradient is nearly gone: shaded as saturating."), 0.01, options=EPS_STEPS),
    Toggle("autograd", N_("torch autograd check"),
           N_("Overlay PyTorch's own derivative (float64 autograd) as markers."), False),
)

SHOW_LABELS = {"f": N_("f(x)"), "df": N_("f′(x)"), "both": N_("both")}
COMPARE = Schema(
    Multi("fns", N_("Activations"), N_("Up to 8 functions."), ["sigmoid", "tanh", "relu", "gelu"], options=KEYS,
          max_count=MAX_CURVES, params="{key}."),
    Choice("show", N_("Show"), N_("f, its derivative, or both side by side."), "both", options=("f", "df", "both"),
           labels=SHOW_LABELS, widget="radio"),
    Range("x", N_("x-range"), N_("The inputs shown."), (-5.0, 5.0), low=-50.0, high=50.0, step=0.5, min_width=0.5),
)


def grid(key: str, params: dict, lo: float, hi: float, n: int = GRID_POINTS) -> np.ndarray:
    """An even grid on [lo, hi] plus 0 and every kink inside it, so f'(kink) is shown as PyTorch has it."""
    spec = activations.get(key)
    extra = [k for k in (0.0, *spec.kinks(params)) if lo <= k <= hi]
    return np.union1d(np.linspace(lo, hi, n), np.array(extra, dtype=float))


def curve(key: str, params: dict, lo: float, hi: float, n: int = GRID_POINTS):
    """x, f(x), f'(x) for the plot and the CSV. Not cached: computing is faster than a cache lookup."""
    spec = activations.get(key)
    x = grid(key, params, lo, hi, n)
    return x, spec.f(x, **params), spec.df(x, **params)


def curve_on(key: str, params: dict, x: np.ndarray):
    """x, f(x), f'(x) on a given grid (a dragged slider's: every stop's kinks in one grid, so its frames share x)."""
    spec = activations.get(key)
    return x, spec.f(x, **params), spec.df(x, **params)


MORE_GAPS = N_("… and {count} more places where f or f′ has no value (shaded on the chart).")


def gaps(key: str, params: dict, x: np.ndarray) -> tuple[list[analysis.Region], list[Note]]:
    """Where a formula's f or f' is undefined or overflows on the grid x: regions to shade, sentences saying where.
    (A built-in is finite everywhere: nothing.)"""
    formula = F.parse(own_formula(key))[0] if is_own(key) else None
    if formula is None:
        return [], []
    values = {name: float(params.get(name, 1.0)) for name in F.PARAMETERS}
    f_gaps, df_gaps = F.gaps(formula, x, **values), F.gaps(formula, x, derivative=True, **values)
    notes = F.gap_notes(f_gaps) + F.gap_notes(df_gaps, derivative=True)
    if len(notes) > MAX_GAP_NOTES:
        notes = notes[:MAX_GAP_NOTES] + [Note.of(MORE_GAPS, count=len(notes) - MAX_GAP_NOTES)]
    return f_gaps + df_gaps, notes


def properties(key: str, params: dict) -> analysis.Properties:
    return _properties(key, tuple(sorted(params.items())))


@lru_cache(maxsize=512)  # bounded; a plain tuple key is ~10x cheaper to look up than st.cache_data's hashing
def _properties(key: str, params: tuple) -> analysis.Properties:
    return analysis.properties(activations.get(key), dict(params))


def rrelu_band(x: np.ndarray, params: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every line RReLU can draw in training: slopes U(lower, upper) for x <= 0."""
    neg = x[x <= 0]
    return neg, params["lower"] * neg, params["upper"] * neg


SCHEMAS = {"explorer": EXPLORER, "compare": COMPARE}
