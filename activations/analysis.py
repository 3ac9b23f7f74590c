"""Regions (dead / saturating / amplifying) and properties measured from f and f', never typed in."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .spec import ActivationSpec

DEAD, SATURATING, AMPLIFYING = "dead", "saturating", "amplifying"
_AMPLIFY_TOL = 1e-12  # |f'| = 1 up to rounding (identity, ReLU's right half) is not "amplifying"


@dataclass(frozen=True)
class Region:
    kind: str  # DEAD (f' == 0 exactly), SATURATING (0 < |f'| < eps) or AMPLIFYING (|f'| > 1)
    start: float  # first grid point of the run
    end: float  # last grid point of the run (== start for a single point)


def classify(df: np.ndarray, eps: float) -> np.ndarray:
    """Per point: DEAD, SATURATING, AMPLIFYING, or "" (ordinary gradient)."""
    a = np.abs(df)
    out = np.full(a.shape, "", dtype=object)
    out[(a > 0) & (a < eps)] = SATURATING
    out[a > 1.0 + _AMPLIFY_TOL] = AMPLIFYING
    out[a == 0] = DEAD
    return out


def regions(x: np.ndarray, df: np.ndarray, eps: float) -> list[Region]:
    """Maximal runs of grid points of one kind, in x order. x must be sorted."""
    return runs(x, classify(df, eps))


def runs(x: np.ndarray, kinds: np.ndarray) -> list[Region]:
    """Maximal runs of equal, non-empty `kinds` over sorted grid points `x`, as Regions in x order."""
    out: list[Region] = []
    if len(x) == 0:
        return out
    # indices where the kind changes: each run is [starts[i], ends[i]]
    change = np.flatnonzero(kinds[1:] != kinds[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change - 1, [len(x) - 1]])
    for s, e in zip(starts, ends, strict=True):
        if kinds[s]:
            out.append(Region(kinds[s], float(x[s]), float(x[e])))
    return out


def region_intervals(rs: list[Region], kind: str) -> list[tuple[float, float]]:
    return [(r.start, r.end) for r in rs if r.kind == kind]


# ---- properties --------------------------------------------------------------------------------

# A fixed dense grid (plus the far tails) on which the properties are measured, so that they do
# not depend on the plotted x-range. Every kink in the catalogue lies well inside [-10, 10].
_DENSE = np.linspace(-10.0, 10.0, 20001)  # step 1e-3; contains 0 exactly
_TAILS = np.array([-1e6, -1e4, -1e3, -100.0, 100.0, 1e3, 1e4, 1e6])
_GAUSS_W = np.exp(-0.5 * _DENSE**2)
_GAUSS_W /= _GAUSS_W.sum()  # N(0, 1) weights on the dense grid (the mass beyond |x| = 10 is < 1e-22)
_JUMP_SCAN = 1e-2  # a neighbour-to-neighbour change this large on the 1e-3 grid is worth a closer look
_JUMP_TRUE = 1e-3  # ... and a jump if it is still this large across 2e-9


@dataclass(frozen=True)
class Properties:
    range_low: float  # inf f over the reals (-inf if unbounded below), measured
    range_high: float  # sup f (+inf if unbounded above)
    bounded_below: bool
    bounded_above: bool
    zero_centered: bool  # |E f(z)| < 0.1 * std f(z) for z ~ N(0, 1)
    gaussian_mean: float  # E f(z), z ~ N(0, 1): where a layer's outputs are centred
    monotonic: bool  # non-decreasing or non-increasing everywhere
    continuous: bool
    smooth: bool  # continuously differentiable (C^1)
    f0: float
    df0: float
    max_abs_df: float
    # f and f' finite at every measured point. Always true for the built-ins; a learner's formula may be undefined
    # or overflow somewhere (log(x), exp(exp(x))), and then the other properties hold where it is finite.
    defined: bool = True


def _jumps(fn, x: np.ndarray, values: np.ndarray) -> bool:
    """True if `values` = fn(x) has a genuine jump: large on the grid and still large across 2e-9."""
    big = np.flatnonzero(np.abs(np.diff(values)) > _JUMP_SCAN)
    for i in big:
        lo, hi = x[i], x[i + 1]
        # the jump sits somewhere in [lo, hi]: bisect on |fn(m - d) - fn(m + d)| 30 times
        for _ in range(30):
            mid = 0.5 * (lo + hi)
            f_lo, f_mid, f_hi = fn(np.array([lo, mid, hi]))
            if abs(f_lo - f_mid) >= abs(f_mid - f_hi):
                hi = mid
            else:
                lo = mid
        if abs(fn(np.array([hi + 1e-9]))[0] - fn(np.array([lo - 1e-9]))[0]) > _JUMP_TRUE:
            return True
    return False


def properties(spec: ActivationSpec, params: Mapping | None = None) -> Properties:
    """Measure the properties of `spec` with `params` (defaults where missing)."""
    p = {**spec.defaults, **(params or {})}
    f_d, df_d = spec.f(_DENSE, **p), spec.df(_DENSE, **p)
    f_t, df_t = spec.f(_TAILS, **p), spec.df(_TAILS, **p)
    defined = bool(np.isfinite(f_d).all() and np.isfinite(df_d).all() and np.isfinite(f_t).all()
                   and np.isfinite(df_t).all())
    left, right = f_t[:4], f_t[4:]
    # unbounded on a side if f keeps moving by more than 1 between |x| = 1e3 and |x| = 1e6 (NaN compares False:
    # a side where f is undefined tells nothing)
    bounded_below = not (left[0] < left[2] - 1.0 or right[3] < right[1] - 1.0)
    bounded_above = not (left[0] > left[2] + 1.0 or right[3] > right[1] + 1.0)
    all_f = np.concatenate([f_d, f_t])
    finite_f = all_f[np.isfinite(all_f)]
    mean = float(np.dot(_GAUSS_W, f_d))  # NaN if f is undefined where N(0, 1) has mass: shown as —
    std = float(np.sqrt(max(np.dot(_GAUSS_W, (f_d - mean) ** 2), 0.0)))
    diffs = np.diff(np.concatenate([f_t[:4], f_d, f_t[4:]]))
    diffs = diffs[np.isfinite(diffs)]
    monotonic = bool(np.all(diffs >= -1e-12) or np.all(diffs <= 1e-12))
    f_fn = lambda x: spec.f(x, **p)  # noqa: E731
    df_fn = lambda x: spec.df(x, **p)  # noqa: E731
    continuous = defined and not _jumps(f_fn, _DENSE, f_d)
    smooth = continuous and not _jumps(df_fn, _DENSE, df_d)
    i0 = len(_DENSE) // 2  # _DENSE[i0] == 0.0 exactly
    all_df = np.abs(np.concatenate([df_d, df_t]))
    all_df = all_df[np.isfinite(all_df)]
    nan = float("nan")
    return Properties(
        range_low=float(finite_f.min()) if finite_f.size else nan,
        range_high=float(finite_f.max()) if finite_f.size else nan,
        bounded_below=bounded_below, bounded_above=bounded_above,
        zero_centered=bool(abs(mean) < 0.1 * std) if std > 0 else abs(mean) < 1e-12,
        gaussian_mean=mean, monotonic=monotonic, continuous=continuous, smooth=smooth,
        f0=float(f_d[i0]), df0=float(df_d[i0]),
        max_abs_df=float(all_df.max()) if all_df.size else nan, defined=defined,
    )
