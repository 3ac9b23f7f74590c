"""Why all-positive inputs (a sigmoid layer's outputs) make gradient descent zig-zag, and zero-centring fixes it;
and the bias shift a layer's non-zero mean output hands the next layer (bias_shift).

One linear unit with two weights, squared loss L(w) = mean((x·w - t)²) / 2, trained by plain full-batch gradient
descent on the same inputs twice: as they come out of a sigmoid (all in (0, 1), mean ≈ 0.5) and minus their mean.

Two facts, both exact for this quadratic loss:
- per sample, dL/dw = (x·w - t)·x. When every x > 0 its two components share the sign of (x·w - t): a single
  sample can only push both weights up or both down (the zig-zag argument for SGD);
- for the full batch, the Hessian is H = X^T X / n = Cov(x) + mean(x) mean(x)^T. The mean ≈ (0.5, 0.5) adds a
  large eigenvalue along (1, 1) while the smallest stays that of Cov(x). Gradient descent diverges beyond
  lr = 2 / λ_max, so the positive inputs cap the learning rate about 4x lower; near that cap the path bounces
  across the valley along (1, 1) and needs several times the steps of the centred one at the same lr.
At a small lr both paths crawl at the same speed, set by the same smallest eigenvalue: the cost of positive
inputs is the learning rate they forbid, which is why the default lr sits close to the positive path's limit.
NumPy only, float64.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from activations import functions as F
from activations.functions import sigmoid
from i18n import N_, Nn_, Note

from .controls import Number, Schema, Steps, seed

# z ~ N(0, 3²) before the sigmoid: a spread-out pre-activation gives the inputs a sizeable variance (≈ 0.13 per
# component), so the centred problem is well conditioned, while the mean stays 0.5 whatever the spread.
PRE_ACTIVATION_STD = 3.0
W_TRUE = np.array([1.0, 0.5])  # the weights that generate the targets
W0 = np.array([-2.0, 2.0])  # both paths start here
NOISE = 0.05
# 2000 samples keep the sample Hessian close to its expectation: over seeds 0-99 the positive path's limit 2/λ_max
# lies in [3.0, 3.34] (median 3.14), and at lr = 3 the positive path needs >= 1.9x the centred one's steps for 99
# of them (one diverges). At n = 200 the limit moves by ±5 % between seeds and the story with it. The centred
# limit is ≈ 14. Seed 0: limit 3.24, positive 43 steps, centred 15.
DEFAULT_N = 2000
DEFAULT_LR = 3.0
LRS = (0.1, 0.3, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.2, 4.0, 6.0, 10.0)
_DIVERGED = 1e6  # |w| beyond this: the path has left for infinity

ZERO = Schema(
    Steps("lr", N_("Learning rate"), N_("The same step size for both inputs."), DEFAULT_LR, "z.lr", options=LRS),
    seed(url="z.seed", help=N_("Same seed, same data.")),
)
# What the page keeps fixed (a caller may change them): when a path counts as arrived, and the data's size.
RUN = Schema(
    Number("max_steps", "", "", 500, low=1, high=100_000, step=1),
    Number("tol", "", "", 1e-3, low=1e-12, high=1.0, step=1e-12),
    Number("n", "", "", DEFAULT_N, low=10, high=20_000, step=1),
)
POSITIVE = N_("all-positive inputs (sigmoid outputs)")
CENTRED = N_("zero-centred inputs")
DIVERGED = N_("diverged at step {step}: lr = {lr:g} exceeds 2/λ_max = {limit:.3g}, the largest learning rate "
              "gradient descent survives on this loss.")
NOT_ARRIVED = Nn_("not within tol = {tol:g} of the optimum after {n} step.",
                  "not within tol = {tol:g} of the optimum after {n} steps.")


@dataclass(frozen=True)
class Path:
    label: str  # N_-marked: POSITIVE or CENTRED
    w: np.ndarray  # (steps+1, 2): w0 then the weights after each step; stops once within tol of w_star
    loss: np.ndarray  # (steps+1,): L(w) along the path
    steps_to_converge: int | None  # first step with ||w - w_star|| < tol; None if never within max_steps
    sign_agreement: float  # fraction of the steps whose full-batch gradient had two components of the same sign
    w_star: np.ndarray  # (2,) the optimum, from np.linalg.lstsq (equal to W_TRUE: see _problem)
    notes: tuple[Note, ...] = ()


def _problem(centered: bool, seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs X (n, 2) and targets t (n,) for one seed; the centred X is the positive X minus its column means."""
    rng = np.random.default_rng(seed)
    x = sigmoid(PRE_ACTIVATION_STD * rng.standard_normal((n, 2)))  # in (0, 1): > 0 for any float64 draw
    eps = NOISE * rng.standard_normal(n)
    # Remove from the noise its part in span{1, x1, x2}. Then X^T eps = 0 for the positive AND the centred X, both
    # problems have exactly the same optimum W_TRUE, and the two paths differ by their inputs only.
    q, _ = np.linalg.qr(np.column_stack([np.ones(n), x]))
    eps -= q @ (q.T @ eps)
    xs = x - x.mean(axis=0) if centered else x
    return xs, xs @ W_TRUE + eps


def _loss(x: np.ndarray, t: np.ndarray, w: np.ndarray) -> float:
    r = x @ w - t
    return float(r @ r / (2 * len(t)))


def _checked(**given) -> tuple[dict, list[Note]]:
    """The page's controls and the fixed settings, by name, checked against their declarations."""
    values, notes = ZERO.check({k: v for k, v in given.items() if k in ZERO.by_name})
    run, more = RUN.check({k: v for k, v in given.items() if k in RUN.by_name})
    return {**values, **run}, notes + more


def descent(centered: bool, lr: float = DEFAULT_LR, max_steps: int = 500, tol: float = 1e-3, seed: int = 0,
            n: int = DEFAULT_N) -> Path:
    """Plain full-batch gradient descent w <- w - lr·X^T(Xw - t)/n from W0, until ||w - w_star|| < tol.
    `lr` is one of the page's steps (LRS; others move to the nearest, with a note)."""
    v, notes = _checked(lr=lr, max_steps=max_steps, tol=tol, seed=seed, n=n)
    lr, max_steps, tol, n = v["lr"], v["max_steps"], v["tol"], v["n"]
    x, t = _problem(bool(centered), v["seed"], n)
    w_star, *_ = np.linalg.lstsq(x, t, rcond=None)

    w = W0.copy()
    path, losses, agree = [w], [_loss(x, t, w)], []
    converged: int | None = None
    diverged = False
    for step in range(max_steps + 1):
        if np.linalg.norm(w - w_star) < tol:
            converged = step
            break
        if step == max_steps:
            break
        g = x.T @ (x @ w - t) / n
        agree.append(g[0] * g[1] > 0)  # a zero component has no sign: it does not count as agreeing
        w = w - lr * g
        if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > _DIVERGED:
            limit = 2.0 / np.linalg.eigvalsh(x.T @ x / n)[-1]
            notes.append(Note.of(DIVERGED, step=step + 1, lr=lr, limit=float(limit)))
            diverged = True
            break
        path.append(w)
        losses.append(_loss(x, t, w))
    if converged is None and not diverged:
        notes.append(Note.count(NOT_ARRIVED, max_steps, tol=tol))
    return Path(
        label=CENTRED if centered else POSITIVE, w=np.array(path), loss=np.array(losses), steps_to_converge=converged,
        sign_agreement=float(np.mean(agree)) if agree else float("nan"), w_star=w_star, notes=tuple(notes),
    )


def curvature(centered: bool, seed: int = 0, n: int = DEFAULT_N) -> tuple[np.ndarray, float]:
    """Eigenvalues (ascending) of the loss's Hessian X^T X / n, and 2/λ_max, the lr beyond which descent diverges."""
    v, _ = _checked(seed=seed, n=n)
    x, _ = _problem(bool(centered), v["seed"], v["n"])
    eig = np.linalg.eigvalsh(x.T @ x / v["n"])
    return eig, float(2.0 / eig[-1])


def per_sample_gradient_signs(seed: int = 0, n: int = DEFAULT_N, centered: bool = False) -> float:
    """Fraction of per-sample gradients (x·w - t)·x whose two components share a sign, over the n samples at 64
    random w ~ N(0, 2² I). Positive inputs: exactly 1.0 (both components carry the sign of x·w - t). Centred: ≈ 0.5."""
    v, _ = _checked(seed=seed, n=n)
    x, t = _problem(bool(centered), v["seed"], v["n"])
    ws = np.random.default_rng(v["seed"] + 1).normal(0.0, 2.0, size=(64, 2))
    r = ws @ x.T - t  # (64, n) residuals; a residual of exactly 0 has probability 0 here
    g1, g2 = r * x[:, 0], r * x[:, 1]
    return float(np.mean(g1 * g2 > 0))


@dataclass(frozen=True)
class ZeroConfig:
    """The page's section: one learning rate and one seed for both paths (the names of ZERO's controls)."""

    lr: float = DEFAULT_LR
    seed: int = 0

    def clamped(self) -> tuple[ZeroConfig, list[Note]]:
        values, notes = ZERO.check({"lr": self.lr, "seed": self.seed})
        return ZeroConfig(**values), notes


@dataclass(frozen=True)
class Comparison:
    """The same descent on all-positive and on zero-centred inputs, and why they differ."""

    positive: Path
    centred: Path
    share_same_sign: float  # per-sample gradients of the positive inputs whose two components share a sign (1.0)
    limit_positive: float  # 2/λ_max: the largest learning rate that does not diverge
    limit_centred: float
    notes: tuple[Note, ...] = ()


def compare(config: ZeroConfig | None = None) -> Comparison:
    """Everything the page's zero-centring section shows, for one learning rate and seed."""
    cfg, notes = (config or ZeroConfig()).clamped()
    return Comparison(
        positive=descent(False, lr=cfg.lr, seed=cfg.seed), centred=descent(True, lr=cfg.lr, seed=cfg.seed),
        share_same_sign=per_sample_gradient_signs(cfg.seed), limit_positive=curvature(False, cfg.seed)[1],
        limit_centred=curvature(True, cfg.seed)[1], notes=tuple(notes),
    )


SCHEMAS = {"zero": ZERO}


# ---- bias shift (Clevert, Unterthiner & Hochreiter 2016, the ELU paper) ---------------------------------------------
# A unit of the next layer computes z_j = Σ_i w_ji h_i. If the h_i have mean μ, z_j's mean over the data is
# μ · Σ_i w_ji: a bias the unit never asked for, set by the previous layer's mean output. Measured on one layer
# here: standardized input x ~ N(0, 1), a width x width layer and its activation, then the next layer's weights;
# both layers LeCun normal (Var W = 1/fan_in), no biases, so with Σ_i w_ji² ≈ 1 the shift's RMS over the units is
# about |μ| itself.
SHIFT_KEYS: tuple[str, ...] = ("sigmoid", "relu", "elu", "tanh", "selu")
SHIFT_FUNCTIONS = {"sigmoid": F.sigmoid, "relu": F.relu, "elu": F.elu, "tanh": F.tanh, "selu": F.selu}
SHIFT_ROWS = 2000  # inputs in the batch
SHIFT_WIDTH = 256
_SHIFT_STREAM = 0xB1A5  # the bias-shift data's own stream of the section's seed


@dataclass(frozen=True)
class Shift:
    """One activation's bias shift, measured."""

    key: str
    out_mean: float  # mean of the layer's outputs h = f(z) over the batch and the units
    out_std: float  # their std (population)
    shift: float  # RMS over the next layer's units of their pre-activation mean over the batch
    spread: float  # RMS over the next layer's units of their pre-activation std over the batch
    predicted: float  # RMS over the units of out_mean · Σ_i w_ji: the shift if every h_i had the mean out_mean

    @property
    def ratio(self) -> float:
        """The shift as a share of the spread the unit's inputs have anyway."""
        return self.shift / self.spread if self.spread > 0 else float("nan")


def bias_shift(seed: int = 0, keys: tuple[str, ...] = SHIFT_KEYS) -> tuple[Shift, ...]:
    """For each activation: the mean of one layer's outputs on standardized input, and the shift of the next
    layer's pre-activation means it causes. Same input and weights for every activation; NumPy, float64."""
    v, _ = _checked(seed=seed)
    rng = np.random.default_rng([v["seed"], _SHIFT_STREAM])
    x = rng.standard_normal((SHIFT_ROWS, SHIFT_WIDTH))
    w1, w2 = (rng.standard_normal((SHIFT_WIDTH, SHIFT_WIDTH)) / np.sqrt(SHIFT_WIDTH) for _ in range(2))
    z = x @ w1.T
    row_sums = w2.sum(axis=1)  # Σ_i w_ji for each unit j of the next layer
    out = []
    for key in keys:
        h = SHIFT_FUNCTIONS[key](z)
        z2 = h @ w2.T
        mu = float(h.mean())
        out.append(Shift(key=key, out_mean=mu, out_std=float(h.std()),
                         shift=float(np.sqrt(np.mean(z2.mean(axis=0) ** 2))),
                         spread=float(np.sqrt(np.mean(z2.var(axis=0)))),
                         predicted=float(np.sqrt(np.mean((mu * row_sums) ** 2)))))
    return tuple(out)
