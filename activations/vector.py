"""Activations that are not element-wise: each output depends on several inputs (softmax, GLU, maxout).

NumPy, float64, numerically stable: no overflow, NaN or RuntimeWarning for any finite input. The tests check every
function against its PyTorch counterpart.
"""
from __future__ import annotations

import numpy as np

from .functions import sigmoid

MIN_TEMPERATURE = 1e-3


def _temperature(temperature: float) -> float:
    # T <= 0 (or NaN) is meaningless: clamp to MIN_TEMPERATURE, which is already one-hot for any gap >= 0.75
    t = float(temperature)
    return t if t >= MIN_TEMPERATURE else MIN_TEMPERATURE


def _scaled(z, temperature: float) -> np.ndarray:
    return np.asarray(z, dtype=np.float64) / _temperature(temperature)


def _shifted(s: np.ndarray, axis: int) -> np.ndarray:
    """s minus its max along axis: the largest entry becomes 0, so exp() only sees arguments <= 0."""
    m = np.max(s, axis=axis, keepdims=True)
    # an all -inf slice has max -inf, and -inf - (-inf) is NaN: shift by 0 there (the result is NaN as in torch)
    return s - np.where(np.isfinite(m), m, 0.0)


def softmax(z: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """exp(z_i/T) / Σ_j exp(z_j/T) along axis. Subtracting the max changes nothing mathematically (the factor
    exp(-max) cancels) and keeps every exponent <= 0. T -> 0 tends to one-hot at the max, T -> ∞ to uniform."""
    e = np.exp(_shifted(_scaled(z, temperature), axis))
    return e / np.sum(e, axis=axis, keepdims=True)  # the max contributes exp(0) = 1: the sum is >= 1


def softmin(z: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """softmax(-z): the weight goes to the smallest entries."""
    return softmax(-np.asarray(z, dtype=np.float64), temperature, axis)


def log_softmax(z: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """z/T - logsumexp(z/T), computed from the shifted values: log(softmax) would give -inf where softmax
    underflows to 0, this gives the exact (large negative) log-probability."""
    s = _shifted(_scaled(z, temperature), axis)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def softmax_jacobian(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """∂p_i/∂z_j for p = softmax(z/T) of a vector z (flattened if it is not 1-D): (diag(p) - p p^T) / T.

    Every row sums to 0, since Σ_i p_i = 1 whatever z: raising all inputs together changes nothing."""
    t = _temperature(temperature)
    p = softmax(np.ravel(np.asarray(z, dtype=np.float64)), t)
    return (np.diag(p) - np.outer(p, p)) / t


def glu(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Gated linear unit a·sigmoid(b): b decides how much of a passes. torch.nn.functional.glu(x) splits the
    last dimension of x in halves, a first: glu(a, b) == F.glu(cat([a, b], -1))."""
    return np.asarray(a, dtype=np.float64) * sigmoid(b)


def glu_surface(a_range: tuple[float, float] = (-3.0, 3.0), b_range: tuple[float, float] = (-6.0, 6.0),
                n: int = 61) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A, B, Z = glu(A, B) on an n x n grid (np.meshgrid 'xy': row i is b = B[i, 0], column j is a = A[0, j])."""
    n = int(min(max(int(n), 2), 401))
    a = np.linspace(float(a_range[0]), float(a_range[1]), n)
    b = np.linspace(float(b_range[0]), float(b_range[1]), n)
    aa, bb = np.meshgrid(a, b)
    return aa, bb, glu(aa, bb)


def maxout(x: np.ndarray, pieces: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """y = max_i (a_i·x + c_i) over the pieces (a_i, c_i), and the index of the winning piece (the first on ties).

    A max of lines is always convex, so maxout can only build convex curves (ReLU, |x|, leaky ReLU, bowls)."""
    x = np.asarray(x, dtype=np.float64)
    p = np.asarray(pieces, dtype=np.float64).reshape(-1, 2)
    if p.shape[0] == 0:
        raise ValueError("maxout needs at least one piece (slope, intercept).")
    lines = x[..., None] * p[:, 0] + p[:, 1]  # (..., k): every piece evaluated at every x
    idx = np.argmax(lines, axis=-1)
    return np.take_along_axis(lines, idx[..., None], axis=-1)[..., 0], idx


# Tangents of x²/2 at t = -2..2 are the lines t·x - t²/2: their max is a piecewise-linear bowl under x²/2.
MAXOUT_PRESETS: dict[str, list[tuple[float, float]]] = {
    "ReLU": [(0.0, 0.0), (1.0, 0.0)],
    "|x|": [(-1.0, 0.0), (1.0, 0.0)],
    "Leaky ReLU 0.1": [(0.1, 0.0), (1.0, 0.0)],
    "convex bowl": [(t, -t * t / 2) for t in (-2.0, -1.0, 0.0, 1.0, 2.0)],
}
