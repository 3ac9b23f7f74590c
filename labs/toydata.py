"""2-D toy data for the labs and lessons that train small nets: two classes in the plane, drawn from a seed.

NumPy only. The arguments are taken as they are: a lab checks them against its controls first (dying.DataConfig,
nonlinear.XorConfig).
"""
from __future__ import annotations

import math

import numpy as np

from i18n import N_

from .seeding import DATA

DATASETS: tuple[str, ...] = ("moons", "circles", "spiral", "xor", "blobs")
DATASET_LABELS = {"moons": N_("moons"), "circles": N_("circles"), "spiral": N_("spiral"), "xor": N_("xor"),
                  "blobs": N_("blobs")}


def _moons(rng: np.random.Generator, n0: int, n1: int) -> np.ndarray:
    t0, t1 = rng.uniform(0.0, math.pi, n0), rng.uniform(0.0, math.pi, n1)
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)  # sklearn's make_moons shapes
    return np.concatenate([upper, lower])


def _circles(rng: np.random.Generator, n0: int, n1: int) -> np.ndarray:
    t0, t1 = rng.uniform(0.0, 2 * math.pi, n0), rng.uniform(0.0, 2 * math.pi, n1)
    outer = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    inner = 0.5 * np.stack([np.cos(t1), np.sin(t1)], axis=1)  # radius 0.5: separable at noise 0.2, hard at 0.5
    return np.concatenate([outer, inner])


def _spiral(rng: np.random.Generator, n0: int, n1: int) -> np.ndarray:
    # Two arms r = a·θ offset by π, 1.5 turns out to r = 2: adjacent arms are a·π ≈ 0.67 apart, so noise 0.2
    # blurs them without merging them.
    arms = []
    for n, phase in ((n0, 0.0), (n1, math.pi)):
        s = np.sqrt(rng.uniform(0.0, 1.0, n))  # sqrt: points spread evenly along the arm, not crowded at the centre
        theta = 0.3 + s * 3 * math.pi
        r = 2.0 * theta / (0.3 + 3 * math.pi)
        arms.append(np.stack([r * np.cos(theta + phase), r * np.sin(theta + phase)], axis=1))
    return np.concatenate(arms)


def _xor(rng: np.random.Generator, n0: int, n1: int) -> np.ndarray:
    # class 1 where x1·x2 > 0 (clusters (1, 1), (-1, -1)), class 0 where it is < 0; labels follow the cluster, so
    # jitter beyond the axes makes overlap, as with any noisy XOR
    def clusters(n: int, centres: np.ndarray) -> np.ndarray:
        which = np.arange(n) % 2  # an even split between the two clusters of the class
        return centres[which] + 0.3 * rng.standard_normal((n, 2))

    return np.concatenate([clusters(n0, np.array([[1.0, -1.0], [-1.0, 1.0]])),
                           clusters(n1, np.array([[1.0, 1.0], [-1.0, -1.0]]))])


def _blobs(rng: np.random.Generator, n0: int, n1: int) -> np.ndarray:
    return np.concatenate([np.array([-1.0, -1.0]) + 0.5 * rng.standard_normal((n0, 2)),
                           np.array([1.0, 1.0]) + 0.5 * rng.standard_normal((n1, 2))])


_MAKERS = {"moons": _moons, "circles": _circles, "spiral": _spiral, "xor": _xor, "blobs": _blobs}


def two_classes(dataset: str, n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One of DATASETS: X (n, 2) float32 with each column standardized (mean 0, std 1), y (n,) int64 in {0, 1}, half
    and half, in a shuffled order. `noise` is the std of the Gaussian jitter, in the units the set is drawn in
    (features ~1); `seed` draws the points (a stream of its own: seeding.DATA)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, DATA]))
    n0 = n // 2
    n1 = n - n0
    X = _MAKERS[dataset](rng, n0, n1)
    X = X + noise * rng.standard_normal(X.shape)
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    order = rng.permutation(n)  # interleave the classes: the arrays read like a sample, not two blocks
    X, y = X[order], y[order]
    std = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return X.astype(np.float32), y


_XOR_CENTERS = np.array([(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)])


def xor_clusters(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n points in 4 equal clusters at (±1, ±1) with Gaussian noise of std `noise`; label 1 where x1·x2 < 0.

    Returns x (n, 2) float32 and y (n,) int64. The label is computed from the noisy point itself, so XOR of the two
    signs is exactly the rule to learn whatever the noise (at noise 0.1 no point crosses an axis anyway)."""
    rng = np.random.default_rng(seed)
    # cluster i % 4: the four clusters get n // 4 points each (one more for the first n % 4), so a line can be
    # right on three clusters at most: 75 % when n is a multiple of 4
    x = _XOR_CENTERS[np.arange(n) % 4] + noise * rng.standard_normal((n, 2))
    y = (x[:, 0] * x[:, 1] < 0).astype(np.int64)
    return x.astype(np.float32), y
