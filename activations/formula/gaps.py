"""Where a formula's f (or f') is undefined or overflows: per point, as x-intervals, and as sentences."""
from __future__ import annotations

import numpy as np

from i18n import Note

from ..analysis import Region, runs
from .build import Formula
from .limits import GAP_OVERFLOW, GAP_OVERFLOW_AT, GAP_UNDEFINED, GAP_UNDEFINED_AT, UNDEFINED
from .numeric import kinds


def causes(formula: Formula, x, a=1.0, b=1.0, c=1.0, derivative: bool = False) -> np.ndarray:
    """Per point of x: "" where f (or f') is finite, else UNDEFINED or OVERFLOW (f' has f's gaps, and its own)."""
    xs = np.asarray(x, dtype=np.float64)
    out = np.full(xs.shape, "", dtype=object)
    fbad = np.isnan(formula.f(xs, a, b, c))
    out[fbad] = kinds(formula.expr, xs[fbad], a, b, c)
    if derivative:
        bad = np.isnan(formula.df(xs, a, b, c)) & ~fbad
        out[bad] = kinds(formula.dexpr, xs[bad], a, b, c)
    return out


def gaps(formula: Formula, x, a=1.0, b=1.0, c=1.0, derivative: bool = False) -> list[Region]:
    """Maximal runs of grid points (x sorted) where f (or f') is undefined or overflows, in x order."""
    xs = np.asarray(x, dtype=np.float64).ravel()
    return runs(xs, causes(formula, xs, a, b, c, derivative))


def gap_notes(regions: list[Region], derivative: bool = False) -> list[Note]:
    """One sentence per gap, saying where (for the caption under the chart)."""
    fn = "f′" if derivative else "f"
    notes = []
    for r in regions:
        if r.start == r.end:
            msgid = GAP_UNDEFINED_AT if r.kind == UNDEFINED else GAP_OVERFLOW_AT
        else:
            msgid = GAP_UNDEFINED if r.kind == UNDEFINED else GAP_OVERFLOW
        notes.append(Note.of(msgid, fn=fn, start=r.start, end=r.end))
    return notes
