"""Which hidden units are dead or inactive, measured with the core's f′ at each unit's pre-activations (NumPy only).

A unit is DEAD when f′(z) = 0 for every training point: no gradient reaches its incoming weights and bias. It is
INACTIVE when every point is on the activation's negative side (z ≤ 0, where |f′(z)| < 1), or when it is dead. The
definitions hold for every activation in the registry, a learner's formula too (labs.dying trains with them).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from activations import get

Mask = Callable[[np.ndarray, str, Mapping], np.ndarray]


def dead_mask(z: np.ndarray, activation: str, params: Mapping) -> np.ndarray:
    """(units,) bool: f'(z) == 0 in every row of z (rows = points, columns = units). `params` are passed to the
    core's df as they are (PReLU's learned slope may leave the slider range)."""
    return masks(z, activation, params, inactive=False)[0]


def masks(z: np.ndarray, activation: str, params: Mapping, inactive: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(dead, inactive) (units,) bool masks of z (see dead_mask and inactive_mask) from one evaluation of f′: the
    training loop measures both at every recorded step. `inactive` False: the second is all False, not measured."""
    if z.shape[0] == 0:
        return np.zeros(z.shape[1], dtype=bool), np.zeros(z.shape[1], dtype=bool)
    d = get(activation).df(z, **params)
    dead = np.all(d == 0, axis=0)
    if not inactive:
        return dead, np.zeros_like(dead)
    return dead, np.all((z <= 0) & (np.abs(d) < 1.0), axis=0) | dead


# Where has_negative_side compares the two sides of an activation: well away from the kink at 0.
_LEFT, _RIGHT = np.linspace(-5.0, -2.0, 31), np.linspace(2.0, 5.0, 31)


def has_negative_side(activation: str, params: Mapping | None = None) -> bool:
    """Whether the activation (at these parameters) has a negative side a unit can sit on: for z in [-5, -2] its
    |f'| is below 1 and below every f' of z in [2, 5]. True for the ReLU family, ELU/CELU/SELU, GELU, SiLU/Swish,
    Mish, Softplus, ReLU6, Hardswish, Threshold; False for Sigmoid, Tanh, Hardtanh, the shrinkages, Identity (no side
    damps more). dying_relu.md names the same list (tested)."""
    try:
        spec = get(activation)
        p = spec.resolve(params)[0]
        with np.errstate(all="ignore"):
            left, right = np.abs(spec.df(_LEFT, **p)), spec.df(_RIGHT, **p)
    except Exception:  # the learner's own formula may fail anywhere: then it has no side we can name
        return False
    if not (np.all(np.isfinite(left)) and np.all(np.isfinite(right))):
        return False
    return bool(left.max() < 1.0 and left.max() < right.min())


def inactive_mask(z: np.ndarray, activation: str, params: Mapping) -> np.ndarray:
    """(units,) bool: every row of z on the negative side (z <= 0 and |f'(z)| < 1), or f'(z) == 0 in every row (a
    dead unit is inactive too: ReLU6's units dead above 6 count)."""
    return masks(z, activation, params)[1]


def _per_layer(mask: Mask, weights: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray, activation: str,
               params: dict | None) -> list[np.ndarray]:
    """X through the hidden layers with the core's f (float64); `mask` of each layer's pre-activations."""
    spec = get(activation)
    p = spec.resolve(params)[0]
    h = np.asarray(X, dtype=np.float64)
    out = []
    for W, b in weights:
        z = h @ np.asarray(W, dtype=np.float64).T + np.asarray(b, dtype=np.float64)
        out.append(mask(z, activation, p))
        h = spec.f(z, **p)
    return out


def count_dead(weights: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray, activation: str = "relu",
               params: dict | None = None) -> list[np.ndarray]:
    """Pure NumPy, for hand-set weights: weights[l] = (W (out, in), b (out,)) of hidden layer l. X goes through the
    hidden layers with the core's f (float64); per layer, a bool array "unit is dead" (f'(z) == 0 for every row)."""
    return _per_layer(dead_mask, weights, X, activation, params)


def count_inactive(weights: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray, activation: str = "relu",
                   params: dict | None = None) -> list[np.ndarray]:
    """As count_dead, per layer a bool array "unit is inactive" (see inactive_mask); the activation should have a
    negative side (has_negative_side)."""
    return _per_layer(inactive_mask, weights, X, activation, params)
