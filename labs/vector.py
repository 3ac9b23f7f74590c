"""The Softmax, GLU and Maxout page: its controls, declared once, and what it computes from them.

The functions themselves are activations.vector's (NumPy, float64); this module checks the page's values against
their declarations and returns everything one section shows. NumPy only: no torch.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from activations import vector
from i18n import N_, Note

from .controls import Choice, Number, Schema, Steps

# ---- softmax, softmin, log_softmax ---------------------------------------------------------------------------------

TEMPS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0)
DEFAULT_LOGITS = (2.0, 1.0, 0.1, -1.0, 0.5)
CLASSES = ("1", "2", "3", "4", "5")  # the classes' names on the charts: z1 is class 1
LOGIT_HELP = N_("A raw score; softmax turns the scores into probabilities.")
_LOGIT_LABELS = (N_("logit z1"), N_("logit z2"), N_("logit z3"), N_("logit z4"), N_("logit z5"))
LOGITS = tuple(f"z{i}" for i in range(1, len(DEFAULT_LOGITS) + 1))
SOFTMAX = Schema(
    *(Number(name, label, LOGIT_HELP, z, low=-10.0, high=10.0, step=0.1)
      for name, label, z in zip(LOGITS, _LOGIT_LABELS, DEFAULT_LOGITS, strict=True)),
    Steps("temperature", N_("Temperature T"), N_("Small T: nearly one-hot (argmax). Large T: nearly uniform."), 1.0,
          "T", options=TEMPS),
)


@dataclass(frozen=True)
class SoftmaxFamily:
    z: np.ndarray  # (5,) the logits
    temperature: float
    softmax: np.ndarray
    softmin: np.ndarray
    log_softmax: np.ndarray
    jacobian: np.ndarray  # (5, 5) ∂p_i/∂z_j
    notes: tuple[Note, ...] = ()

    @property
    def total(self) -> float:
        return float(self.softmax.sum())

    @property
    def top(self) -> float:
        return float(self.softmax.max())

    @property
    def top_class(self) -> str:
        return CLASSES[int(self.softmax.argmax())]


def softmax_family(values: Mapping[str, Any] | None = None) -> SoftmaxFamily:
    """softmax, softmin, log_softmax and the softmax Jacobian of the logits z1..z5 at temperature T."""
    v, notes = SOFTMAX.check(dict(values or {}))
    z, t = np.array([v[name] for name in LOGITS], dtype=np.float64), v["temperature"]
    return SoftmaxFamily(z=z, temperature=t, softmax=vector.softmax(z, t), softmin=vector.softmin(z, t),
                         log_softmax=vector.log_softmax(z, t), jacobian=vector.softmax_jacobian(z, t),
                         notes=tuple(notes))


# ---- GLU --------------------------------------------------------------------------------------------------------

GLU = Schema(
    Number("b_max", N_("Range of the gate input b"), N_("How far the gate's input goes each way."), 6.0, "glu.b",
           low=1.0, high=10.0, step=0.5),
)


@dataclass(frozen=True)
class GluSurface:
    a: np.ndarray  # (n, n) meshgrid 'xy': column j is a = a[0, j]
    b: np.ndarray  # row i is b = b[i, 0]
    z: np.ndarray  # glu(a, b)
    notes: tuple[Note, ...] = ()


def glu_surface(values: Mapping[str, Any] | None = None) -> GluSurface:
    """GLU(a, b) = a·σ(b) for a in [-3, 3] and b in [-b_max, b_max]."""
    v, notes = GLU.check(dict(values or {}))
    a, b, z = vector.glu_surface(b_range=(-v["b_max"], v["b_max"]))
    return GluSurface(a=a, b=b, z=z, notes=tuple(notes))


# ---- Maxout -----------------------------------------------------------------------------------------------------

MAX_PIECES = 6
UNUSED_PIECE = (0.0, -5.0)  # a piece beyond the preset's: flat and low, so it changes nothing until moved
PRESET_LABELS = {"ReLU": N_("ReLU"), "|x|": N_("|x|"),
                 "Leaky ReLU 0.1": N_("Leaky ReLU 0.1"), "convex bowl": N_("convex bowl")}
_PIECE_LABELS = (
    # Translators: the slope and the intercept of one straight line (one linear piece of a maxout unit)
    (N_("piece 1: slope"), N_("piece 1: intercept")),
    (N_("piece 2: slope"), N_("piece 2: intercept")),
    (N_("piece 3: slope"), N_("piece 3: intercept")),
    (N_("piece 4: slope"), N_("piece 4: intercept")),
    (N_("piece 5: slope"), N_("piece 5: intercept")),
    (N_("piece 6: slope"), N_("piece 6: intercept")),
)
SLOPES = tuple(f"a{i}" for i in range(1, MAX_PIECES + 1))
INTERCEPTS = tuple(f"c{i}" for i in range(1, MAX_PIECES + 1))


def _piece(i: int, pieces: list[tuple[float, float]]) -> tuple[Number, Number]:
    """Piece i's slope and intercept (1-based), with the preset's values as defaults; shown while k >= i."""
    a0, c0 = pieces[i - 1] if i <= len(pieces) else UNUSED_PIECE
    needs = (("m.k", tuple(str(k) for k in range(i, MAX_PIECES + 1))),) if i > 1 else ()
    slope_label, intercept_label = _PIECE_LABELS[i - 1]
    return (Number(SLOPES[i - 1], slope_label, N_("Slope of this linear piece."), float(a0), f"m.a{i}", low=-3.0,
                   high=3.0, step=0.1, needs=needs),
            Number(INTERCEPTS[i - 1], intercept_label, N_("Intercept of this linear piece."), float(c0), f"m.c{i}",
                   low=-5.0, high=5.0, step=0.1, needs=needs))


PRESET = Choice("preset", N_("Start from"), N_("Each preset is a set of pieces; edit them below."),
                next(iter(vector.MAXOUT_PRESETS)), "m.preset", options=tuple(vector.MAXOUT_PRESETS),
                labels=PRESET_LABELS)
_K = Number("k", N_("Pieces k"), N_("How many linear pieces the unit has."),
            len(vector.MAXOUT_PRESETS[PRESET.default]), "m.k", low=1, high=MAX_PIECES, step=1)


def maxout_schema(preset: str) -> Schema:
    """The maxout controls as `preset` sets them: its number of pieces and their slopes and intercepts are the
    defaults (a link names only what the learner changed after picking the preset)."""
    pieces = vector.MAXOUT_PRESETS[preset]
    return Schema(PRESET, replace(_K, default=len(pieces)),
                  *(c for i in range(1, MAX_PIECES + 1) for c in _piece(i, pieces)))


MAXOUT = maxout_schema(PRESET.default)  # the declaration (defaults of the first preset)
_BY_PRESET = {name: maxout_schema(name) for name in vector.MAXOUT_PRESETS}


def maxout_controls(preset: str) -> Schema:
    """The controls for `preset` (an unknown name gives the first preset's)."""
    return _BY_PRESET.get(preset, MAXOUT)


@dataclass(frozen=True)
class MaxoutUnit:
    x: np.ndarray  # (601,) on [-3, 3]
    y: np.ndarray  # max over the pieces
    pieces: tuple[tuple[float, float], ...]  # (slope, intercept) of the first k pieces
    winner: np.ndarray  # index of the piece that is the max at each x
    notes: tuple[Note, ...] = ()


def maxout_unit(values: Mapping[str, Any] | None = None) -> MaxoutUnit:
    """The maxout unit of the first k pieces (missing values take the preset's)."""
    given = dict(values or {})
    preset, note = PRESET.parse(given.get("preset", PRESET.default))
    v, notes = maxout_controls(preset).check({**given, "preset": preset})
    if note:
        notes.insert(0, note)
    pieces = tuple((v[a], v[c]) for a, c in zip(SLOPES[: v["k"]], INTERCEPTS[: v["k"]], strict=True))
    x = np.linspace(-3.0, 3.0, 601)
    y, winner = vector.maxout(x, list(pieces))
    return MaxoutUnit(x=x, y=y, pieces=pieces, winner=winner, notes=tuple(notes))


SCHEMAS = {"softmax": SOFTMAX, "glu": GLU, "maxout": MAXOUT}
