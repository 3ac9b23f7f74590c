"""Why a network needs a non-linearity: stacked linear layers collapse into one, a linear net cannot learn XOR,
and a sum of shifted ReLUs can draw any curve.

linear_collapse and fit_relus are NumPy only (float64). train_xor trains a real torch network; torch is imported
inside it so importing this module stays light.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from activations import bounds
from activations.functions import relu as _relu

SEED_LIMITS = (0, 2**31 - 1)
XOR_KINDS: tuple[str, ...] = ("linear", "nonlinear")
TARGETS = ("sin", "abs", "square", "step")
TARGET_LABELS: dict[str, str] = {"sin": "sin(x)", "abs": "|x|", "square": "x²", "step": "step: 1 if x ≥ 0 else 0"}


# ---- clamping ----------------------------------------------------------------------------------------------------

def _number(name: str, value, default: float, lo: float, hi: float, integer: bool, notes: list[str]) -> float | int:
    """`value` coerced to a finite number within [lo, hi]; a note for every change (the pages pass raw input)."""
    return bounds.number(name, value, default, lo, hi, integer, notes)


# ---- 1. stacked linear layers are one linear layer ---------------------------------------------------------------

@dataclass(frozen=True)
class Collapse:
    weights: tuple[np.ndarray, ...]  # W1 (h1, d), W2 (h2, h1), W3 (o, h2), float64
    product: np.ndarray  # W3 @ W2 @ W1, (o, d): the single layer the three amount to
    x: np.ndarray  # (n, d) inputs
    out_stacked: np.ndarray  # ((x @ W1.T) @ W2.T) @ W3.T: layer by layer, as a network computes it
    out_product: np.ndarray  # x @ product.T: in one step
    max_abs_diff: float  # max |out_stacked - out_product|: float64 round-off only (~1e-15)
    notes: tuple[str, ...] = ()


def linear_collapse(seed: int = 0, dims: tuple[int, int, int, int] = (2, 4, 4, 2), n: int = 5) -> Collapse:
    """Three linear layers without activations, and the one matrix they multiply out to.

    Biases are left out to keep the algebra to one product; with them the stack is still one affine map,
    W3(W2(W1 x + b1) + b2) + b3 = (W3 W2 W1) x + (W3 W2 b1 + W3 b2 + b3), so nothing changes in the argument."""
    notes: list[str] = []
    seed = _number("seed", seed, 0, *SEED_LIMITS, True, notes)
    n = _number("n", n, 5, 1, 1000, True, notes)
    try:
        raw = tuple(dims)
        ok = len(raw) == 4
    except TypeError:
        ok = False
    if not ok:
        notes.append(f"dims {dims!r} must be four sizes (d, h1, h2, o): used (2, 4, 4, 2).")
        raw = (2, 4, 4, 2)
    d, h1, h2, o = (_number(f"dims[{i}]", v, 2, 1, 64, True, notes) for i, v in enumerate(raw))
    rng = np.random.default_rng(seed)
    # std 1/sqrt(fan_in) (LeCun) keeps every layer's output O(1), so the round-off shown is float64's, not scale's
    shapes = ((h1, d), (h2, h1), (o, h2))
    weights = tuple(rng.standard_normal(s) / math.sqrt(s[1]) for s in shapes)
    w1, w2, w3 = weights
    x = rng.standard_normal((n, d))
    product = w3 @ w2 @ w1
    out_stacked = ((x @ w1.T) @ w2.T) @ w3.T
    out_product = x @ product.T
    return Collapse(
        weights=weights, product=product, x=x, out_stacked=out_stacked, out_product=out_product,
        max_abs_diff=float(np.max(np.abs(out_stacked - out_product))), notes=tuple(notes),
    )


# ---- 2. XOR: a linear net cannot, one hidden non-linear layer can ------------------------------------------------

_XOR_CENTERS = np.array([(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)])


def xor_data(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n points in 4 equal clusters at (±1, ±1) with Gaussian noise of std `noise`; label 1 where x1·x2 < 0.

    Returns x (n, 2) float32 and y (n,) int64. The label is computed from the noisy point itself, so XOR of the two
    signs is exactly the rule to learn whatever the noise (at noise 0.1 no point crosses an axis anyway).
    Out-of-range arguments are clamped (n to [4, 10000], noise to [0, 2])."""
    notes: list[str] = []  # xor_data returns arrays only; train_xor reports its own clamping
    n = _number("n", n, 200, 4, 10_000, True, notes)
    noise = _number("noise", noise, 0.1, 0.0, 2.0, False, notes)
    seed = _number("seed", seed, 0, *SEED_LIMITS, True, notes)
    rng = np.random.default_rng(seed)
    # cluster i % 4: the four clusters get n // 4 points each (one more for the first n % 4), so a line can be
    # right on three clusters at most: 75 % when n is a multiple of 4
    x = _XOR_CENTERS[np.arange(n) % 4] + noise * rng.standard_normal((n, 2))
    y = (x[:, 0] * x[:, 1] < 0).astype(np.int64)
    return x.astype(np.float32), y


@dataclass(frozen=True)
class XorFit:
    kind: str  # "linear" or "nonlinear"
    accuracy: float  # on the training points (the question is whether the net can represent XOR at all)
    loss: np.ndarray  # BCE per step, before that step's update
    grid_axis: np.ndarray  # (g,) on [-2, 2]
    boundary: np.ndarray  # (g, g) P(class 1); row = y, column = x (imshow / heatmap order)
    notes: tuple[str, ...] = ()


# The global torch generator is shared with activations.gradflow (nn.Linear's init draws from it, and so does RReLU
# in training mode). Streamlit serves sessions from threads: use gradflow's lock if it is there so both modules
# take turns on the same generator; fork_rng leaves every caller's RNG state as it was.
_FALLBACK_LOCK = threading.RLock()


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    import torch

    try:
        from .gradflow import _RNG_LOCK as lock
    except ImportError:  # gradflow reorganised: a lock of our own still serialises this module's sessions
        lock = _FALLBACK_LOCK
    with lock, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def train_xor(kind: str = "nonlinear", depth: int = 3, hidden: int = 8, activation: str = "relu", steps: int = 500,
              lr: float = 0.05, seed: int = 0, n: int = 200, noise: float = 0.1, grid: int = 60) -> XorFit:
    """Train a small torch net on xor_data with Adam and BCEWithLogitsLoss, full batch, seeded.

    kind "linear": depth x Linear(., hidden) with no activation between them, then Linear(hidden, 1). However deep,
    it is one linear map, so its decision boundary is a straight line: at most 3 of the 4 clusters (75 %). In fact
    the loss it minimises prefers no line at all: on balanced XOR the best a linear model can do for BCE is to
    predict 1/2 everywhere (loss ln 2 ≈ 0.693), so it ends near 50 % with logits ≈ 0 (seed 0: exactly 50 %).
    kind "nonlinear": Linear(2, hidden) -> activation -> Linear(hidden, 1), activation a registry key.
    `depth` only applies to "linear"; `activation` only to "nonlinear"."""
    import torch
    from torch import nn

    from activations.reference import torch_module
    from activations.registry import REGISTRY

    notes: list[str] = []
    if kind not in XOR_KINDS:
        notes.append(f"kind {kind!r} is not one of {', '.join(XOR_KINDS)}: used 'nonlinear'.")
        kind = "nonlinear"
    if not (isinstance(activation, str) and activation in REGISTRY):
        notes.append(f"activation {activation!r} is not in the registry: used 'relu'.")
        activation = "relu"
    depth = _number("depth", depth, 3, 1, 10, True, notes)
    hidden = _number("hidden", hidden, 8, 2, 64, True, notes)
    steps = _number("steps", steps, 500, 1, 5000, True, notes)
    lr = _number("lr", lr, 0.05, 1e-4, 1.0, False, notes)
    seed = _number("seed", seed, 0, *SEED_LIMITS, True, notes)
    n = _number("n", n, 200, 4, 10_000, True, notes)
    noise = _number("noise", noise, 0.1, 0.0, 2.0, False, notes)
    grid = _number("grid", grid, 60, 10, 200, True, notes)
    if kind == "nonlinear" and activation == "identity":
        notes.append("identity is no non-linearity: this 'nonlinear' net is a linear one.")

    x_np, y_np = xor_data(n, noise, seed)
    x = torch.from_numpy(x_np)
    y = torch.from_numpy(y_np).to(torch.float32).unsqueeze(1)
    axis = np.linspace(-2.0, 2.0, grid)
    gx, gy = np.meshgrid(axis, axis)  # 'xy' indexing: row i is y = axis[i], column j is x = axis[j]
    pts = torch.from_numpy(np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32))
    loss_h = np.empty(steps)
    # the whole run sits under the lock: weight init and (for RReLU) the random slopes draw from the global generator
    with _seeded(seed):
        if kind == "linear":
            layers: list[nn.Module] = [nn.Linear(2 if i == 0 else hidden, hidden) for i in range(depth)]
        else:
            layers = [nn.Linear(2, hidden), torch_module(activation)]
        net = nn.Sequential(*layers, nn.Linear(hidden, 1)).float()
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        loss_fn = nn.BCEWithLogitsLoss()  # log-sigmoid inside: stable, unlike sigmoid followed by BCELoss
        net.train()
        for i in range(steps):
            opt.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
            loss_h[i] = loss.item()
        net.eval()  # RReLU: the mean slope, not a random one, for the reported accuracy and boundary
        with torch.no_grad():
            acc = float(((net(x) > 0).to(torch.float32) == y).to(torch.float64).mean().item())
            prob = torch.sigmoid(net(pts)).to(torch.float64).numpy().reshape(grid, grid)
    return XorFit(kind=kind, accuracy=acc, loss=loss_h, grid_axis=axis, boundary=prob, notes=tuple(notes))


# ---- 3. a sum of shifted ReLUs draws any curve -------------------------------------------------------------------

def relu_sum(x: np.ndarray, knots: np.ndarray, weights: np.ndarray, bias: float = 0.0,
             slope: float = 0.0) -> np.ndarray:
    """bias + slope·x + Σ_i weights[i]·relu(x - knots[i]): a piecewise-linear curve whose slope changes by
    weights[i] at knots[i]. That is exactly a one-hidden-layer ReLU net with input weights 1 and biases -knots."""
    x = np.asarray(x, dtype=np.float64)
    knots = np.asarray(knots, dtype=np.float64).ravel()
    weights = np.asarray(weights, dtype=np.float64).ravel()
    if knots.shape != weights.shape:
        raise ValueError(f"relu_sum needs one weight per knot: got {knots.size} knots and {weights.size} weights.")
    return float(bias) + float(slope) * x + _relu(x[..., None] - knots) @ weights


def target(name: str, x: np.ndarray) -> np.ndarray:
    """The curve to imitate: "sin" sin(x), "abs" |x|, "square" x², "step" 1 where x >= 0 else 0."""
    x = np.asarray(x, dtype=np.float64)
    if name == "sin":
        return np.sin(x)
    if name == "abs":
        return np.abs(x)
    if name == "square":
        return x * x
    if name == "step":
        return np.where(x >= 0, 1.0, 0.0)
    raise ValueError(f"target {name!r} is not one of {', '.join(TARGETS)}.")


@dataclass(frozen=True)
class ReluFit:
    x: np.ndarray  # (n,) evenly spaced on x_range
    y: np.ndarray  # target(name, x)
    approx: np.ndarray  # relu_sum(x, knots, weights, bias, slope)
    knots: np.ndarray  # (k,) evenly spaced strictly inside x_range
    weights: np.ndarray  # (k,) slope change at each knot
    bias: float
    slope: float  # slope left of the first knot
    mse: float  # mean (approx - y)² over x
    max_err: float  # max |approx - y| over x
    notes: tuple[str, ...] = ()


def fit_relus(name: str = "sin", k: int = 8, x_range: tuple[float, float] = (-3.0, 3.0), n: int = 601) -> ReluFit:
    """Least-squares fit of bias + slope·x + Σ w_i relu(x - knot_i) to target `name`, with k evenly spaced knots.

    The knots are fixed (lo + (hi - lo)·i/(k + 1), i = 1..k), so the fit is linear in (bias, slope, w) and
    np.linalg.lstsq solves it exactly: the best such curve, not a trained approximation of it. On a symmetric
    range an odd k puts a knot exactly at 0 (i/(k + 1) = 1/2 is exact in binary), which is where |x| and the step
    bend: |x| = -x + 2·relu(x) is then recovered to round-off."""
    notes: list[str] = []
    if name not in TARGETS:
        notes.append(f"target {name!r} is not one of {', '.join(TARGETS)}: used 'sin'.")
        name = "sin"
    k = _number("k", k, 8, 0, 100, True, notes)
    try:
        lo, hi = (float(v) for v in x_range)
        ok = math.isfinite(lo) and math.isfinite(hi) and lo < hi
    except (TypeError, ValueError):
        ok = False
    if not ok:
        notes.append(f"x_range {x_range!r} must be two finite numbers lo < hi: used (-3, 3).")
        lo, hi = -3.0, 3.0
    lo, hi = max(lo, -100.0), min(hi, 100.0)  # beyond that sin aliases on any reasonable grid
    if hi - lo < 1e-3:
        notes.append("x_range is narrower than 0.001 after clamping to [-100, 100]: used (-3, 3).")
        lo, hi = -3.0, 3.0
    # at least as many points as unknowns (k + 2) plus some, so the least-squares problem is overdetermined
    n = _number("n", n, 601, max(k + 3, 11), 20_001, True, notes)

    x = np.linspace(lo, hi, n)
    y = target(name, x)
    knots = lo + (hi - lo) * (np.arange(1, k + 1) / (k + 1))
    design = np.column_stack([np.ones(n), x, _relu(x[:, None] - knots)])  # (n, k + 2); k = 0 leaves a line
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    bias, slope, weights = float(coef[0]), float(coef[1]), coef[2:].copy()
    approx = relu_sum(x, knots, weights, bias, slope)
    err = approx - y
    if name in ("abs", "step") and lo < 0 < hi and not np.any(knots == 0.0):
        notes.append(f"no knot sits at 0, where {TARGET_LABELS[name]} bends: the fit can only round the corner "
                     "(an odd k on a symmetric range puts a knot at 0).")
    if name == "step":
        notes.append("the step jumps, and a sum of ReLUs is continuous: the error at the jump never vanishes, "
                     "it only narrows as knots crowd around 0.")
    return ReluFit(
        x=x, y=y, approx=approx, knots=knots, weights=weights, bias=bias, slope=slope,
        mse=float(np.mean(err**2)), max_err=float(np.max(np.abs(err))), notes=tuple(notes),
    )
