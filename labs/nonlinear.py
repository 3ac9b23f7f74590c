"""Why a network needs a non-linearity: stacked linear layers collapse into one, a linear net cannot learn XOR,
and a sum of shifted ReLUs can draw any curve.

Each section of the page declares its controls here, once (labs.controls): the page's widgets, the URL parsing
and the server-side clamping all come from these declarations. linear_collapse and fit_relus are NumPy only
(float64). train_xor trains a real torch network; torch is imported inside it so importing this module stays light.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

import activations
from activations.functions import relu
from i18n import N_, Msg, Note, Raw

from . import nets, toydata
from .controls import Choice, Number, Range, Schema, seed
from .seeding import seeded

KEYS = (*activations.keys_grouped(), activations.OWN)  # OWN: the learner's formula (labs.own)
XOR_KINDS: tuple[str, ...] = ("linear", "nonlinear")
TARGETS = ("sin", "abs", "square", "step")
MODES = ("fit", "hand")
FIT = (("r.mode", ("fit",)),)  # `needs`: shown only in this mode
HAND = (("r.mode", ("hand",)),)
MAX_KNOTS = 64
ERROR_KS = (1, 2, 4, 8, 16, 32, 64)  # the error chart: the fit's MSE for each of these k


# ---- 1. stacked linear layers are one linear layer ---------------------------------------------------------------

COLLAPSE = Schema(
    seed(url="c.seed", label=N_("Seed of the random matrices"),
         help=N_("Draw other matrices: the product still does the same job as the stack.")),
)
# Sizes the page does not show (a caller may ask for others): checked like the page's controls.
COLLAPSE_SIZES = Schema(
    Number("n", "", "", 5, low=1, high=1000, step=1),
    *(Number(name, "", "", default, low=1, high=64, step=1)
      for name, default in (("d", 2), ("h1", 4), ("h2", 4), ("o", 2))),
)
NOT_FOUR_SIZES = N_("**dims** = {raw} must be four sizes (d, h₁, h₂, o): used {default}.")


@dataclass(frozen=True)
class Collapse:
    weights: tuple[np.ndarray, ...]  # W1 (h1, d), W2 (h2, h1), W3 (o, h2), float64
    product: np.ndarray  # W3 @ W2 @ W1, (o, d): the single layer the three amount to
    x: np.ndarray  # (n, d) inputs
    out_stacked: np.ndarray  # ((x @ W1.T) @ W2.T) @ W3.T: layer by layer, as a network computes it
    out_product: np.ndarray  # x @ product.T: in one step
    max_abs_diff: float  # max |out_stacked - out_product|: float64 round-off only (~1e-15)
    notes: tuple[Note, ...] = ()


def linear_collapse(seed: int = 0, dims: tuple[int, int, int, int] = (2, 4, 4, 2), n: int = 5) -> Collapse:
    """Three linear layers without activations, and the one matrix they multiply out to.

    Biases are left out to keep the algebra to one product; with them the stack is still one affine map,
    W3(W2(W1 x + b1) + b2) + b3 = (W3 W2 W1) x + (W3 W2 b1 + W3 b2 + b3), so nothing changes in the argument."""
    values, notes = COLLAPSE.check({"seed": seed})
    default = tuple(COLLAPSE_SIZES[k].default for k in ("d", "h1", "h2", "o"))
    try:
        raw = tuple(dims)
        ok = len(raw) == 4
    except TypeError:
        ok = False
    if not ok:
        notes.append(Note.of(NOT_FOUR_SIZES, raw=Raw(repr(dims)), default=Raw(repr(default))))
        raw = default
    sizes, more = COLLAPSE_SIZES.check({"n": n, **dict(zip(("d", "h1", "h2", "o"), raw, strict=True))})
    notes += more
    d, h1, h2, o, n = (sizes[k] for k in ("d", "h1", "h2", "o", "n"))
    rng = np.random.default_rng(values["seed"])
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

XOR = Schema(
    Number("depth", N_("Linear net: layers"), N_("However many, they multiply out to one matrix."), 3, "x.depth",
           low=1, high=8, step=1, cost=True),
    Choice("activation", N_("Non-linear net: activation"), N_("One hidden layer with this activation."), "relu",
           "x.act", options=KEYS),
    Number("hidden", N_("Hidden units"), N_("Width of the hidden layer(s)."), 8, "x.hidden", low=2, high=32, step=1,
           cost=True),
    seed(url="x.seed", help=N_("Same seed, same data and weights.")),
)
# What the page keeps fixed (a caller may change them): the training run and the picture of its boundary.
XOR_RUN = Schema(
    Number("steps", "", "", 500, low=1, high=5000, step=1),
    Number("lr", "", "", 0.05, low=1e-4, high=1.0, step=1e-4),
    Number("n", "", "", 200, low=4, high=10_000, step=1),
    Number("noise", "", "", 0.1, low=0.0, high=2.0, step=0.01),
    Number("grid", "", "", 60, low=10, high=200, step=1),
)
KIND = Choice("kind", "", "", "nonlinear", options=XOR_KINDS)
IDENTITY_IS_LINEAR = N_("identity is no non-linearity: this non-linear net is a linear one.")


@dataclass(frozen=True)
class XorConfig:
    """The two nets' settings: the page's controls (XOR) and what it keeps fixed (XOR_RUN), by the same names."""

    depth: int = 3  # hidden layers of the linear net
    activation: str = "relu"  # the non-linear net's activation (a registry key)
    hidden: int = 8
    seed: int = 0
    steps: int = 500
    lr: float = 0.05
    n: int = 200
    noise: float = 0.1
    grid: int = 60

    def clamped(self) -> tuple[XorConfig, list[Note]]:
        given = {f.name: getattr(self, f.name) for f in fields(self)}
        values, notes = XOR.check(given)
        run, more = XOR_RUN.check(given)
        return XorConfig(**values, **run), notes + more

    def for_kind(self, kind: str) -> XorConfig:
        """Only the settings `kind` uses (the linear net has no activation, the non-linear one no depth), so
        changing the activation does not retrain the linear net: the cache key of one training."""
        d = XorConfig()
        return replace(self, activation=d.activation) if kind == "linear" else replace(self, depth=d.depth)


def xor_data(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """toydata.xor_clusters: 4 clusters at (±1, ±1), label 1 where x1·x2 < 0; x (n, 2) float32, y (n,) int64.
    Out-of-range arguments are clamped as XorConfig declares (train_xor reports the clamping)."""
    cfg, _ = XorConfig(n=n, noise=noise, seed=seed).clamped()
    return toydata.xor_clusters(cfg.n, cfg.noise, cfg.seed)


@dataclass(frozen=True)
class XorFit:
    kind: str  # "linear" or "nonlinear"
    config: XorConfig  # the clamped settings it ran with
    accuracy: float  # on the training points (the question is whether the net can represent XOR at all)
    loss: np.ndarray  # BCE per step, before that step's update
    grid_axis: np.ndarray  # (g,) on [-2, 2]
    boundary: np.ndarray  # (g, g) P(class 1); row = y, column = x (imshow / heatmap order)
    x: np.ndarray  # (n, 2) the training points
    y: np.ndarray  # (n,) their labels
    notes: tuple[Note, ...] = ()


def train_xor(kind: str = "nonlinear", config: XorConfig | None = None) -> XorFit:
    """Train a small torch net on xor_data with Adam and BCEWithLogitsLoss, full batch, seeded.

    kind "linear": depth x Linear(., hidden) with no activation between them, then Linear(hidden, 1). However deep,
    it is one linear map, so its decision boundary is a straight line: at most 3 of the 4 clusters (75 %). In fact
    the loss it minimises prefers no line at all: on balanced XOR the best a linear model can do for BCE is to
    predict 1/2 everywhere (loss ln 2 ≈ 0.693), so it ends near 50 % with logits ≈ 0 (seed 0: exactly 50 %).
    kind "nonlinear": Linear(2, hidden) -> activation -> Linear(hidden, 1), activation a registry key.
    `depth` only applies to "linear"; `activation` only to "nonlinear"."""
    import torch
    from torch import nn

    kind, note = KIND.parse(kind)
    cfg, notes = (config or XorConfig()).clamped()
    if note:
        notes.insert(0, note)
    if kind == "nonlinear" and cfg.activation == "identity":
        notes.append(Note.of(IDENTITY_IS_LINEAR))

    x_np, y_np = xor_data(cfg.n, cfg.noise, cfg.seed)
    x = torch.from_numpy(x_np)
    y = torch.from_numpy(y_np).to(torch.float32).unsqueeze(1)
    axis = np.linspace(-2.0, 2.0, cfg.grid)
    gx, gy = np.meshgrid(axis, axis)  # 'xy' indexing: row i is y = axis[i], column j is x = axis[j]
    pts = torch.from_numpy(np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32))
    loss_h = np.empty(cfg.steps)
    # the whole run sits under the lock: weight init and (for RReLU) the random slopes draw from the global generator
    with seeded(cfg.seed):
        # the linear net: depth Linears with nothing between them; the non-linear one: one hidden layer
        spec = (nets.MLP(inputs=2, depth=cfg.depth, width=cfg.hidden, activation=None) if kind == "linear" else
                nets.MLP(inputs=2, depth=1, width=cfg.hidden, activation=cfg.activation))
        net = nets.build(spec)
        opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
        loss_fn = nn.BCEWithLogitsLoss()  # log-sigmoid inside: stable, unlike sigmoid followed by BCELoss
        net.train()
        for i in range(cfg.steps):
            opt.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
            loss_h[i] = loss.item()
        net.eval()  # RReLU: the mean slope, not a random one, for the reported accuracy and boundary
        with torch.no_grad():
            acc = float(((net(x) > 0).to(torch.float32) == y).to(torch.float64).mean().item())
            prob = torch.sigmoid(net(pts)).to(torch.float64).numpy().reshape(cfg.grid, cfg.grid)
    return XorFit(kind=kind, config=cfg, accuracy=acc, loss=loss_h, grid_axis=axis, boundary=prob, x=x_np, y=y_np,
                  notes=tuple(notes))


# ---- 3. a sum of shifted ReLUs draws any curve -------------------------------------------------------------------

# Translators: the target curve "step": the step function, 0 left of 0 and 1 from 0 on
# Translators: math, copied as it is; only "step" is a word
TARGET_LABELS = {"sin": N_("sin x"), "abs": N_("|x|"), "square": N_("x²"), "step": N_("step")}
KNOT_HELP = N_("Where this ReLU bends: max(0, x − knot).")
WEIGHT_HELP = N_("How steep this ReLU's contribution is.")
_HAND = (  # (label of the knot, of the weight, default knot, default weight): the default draws a "hat"
    (N_("ReLU 1: knot"), N_("ReLU 1: weight"), -1.0, 1.0),
    (N_("ReLU 2: knot"), N_("ReLU 2: weight"), 0.0, -2.0),
    (N_("ReLU 3: knot"), N_("ReLU 3: weight"), 1.0, 1.0),
)
RELUS = Schema(
    Choice("mode", N_("Mode"), N_("Least squares picks the weights, or you set three ReLUs yourself."), "fit",
           "r.mode", options=MODES, labels={"fit": N_("fit k ReLUs to a target"), "hand": N_("build it by hand")},
           widget="radio"),
    Choice("target", N_("Target"), N_("The curve to approximate on [−3, 3]."), "sin", "r.target", options=TARGETS,
           labels=TARGET_LABELS, needs=FIT),
    Number("k", N_("Number of ReLUs k"), N_("k knots evenly spaced; least squares picks each ReLU's weight."), 6,
           "r.k", low=1, high=MAX_KNOTS, step=1, needs=FIT),
    *(c for i, (knot_label, weight_label, knot, weight) in enumerate(_HAND, start=1) for c in (
        Number(f"knot{i}", knot_label, KNOT_HELP, knot, f"r.k{i}", low=-3.0, high=3.0, step=0.1, needs=HAND),
        Number(f"weight{i}", weight_label, WEIGHT_HELP, weight, f"r.w{i}", low=-3.0, high=3.0, step=0.1, needs=HAND),
    )),
)
HAND_KNOTS = tuple(f"knot{i}" for i in range(1, len(_HAND) + 1))
HAND_WEIGHTS = tuple(f"weight{i}" for i in range(1, len(_HAND) + 1))
# The fit's sampling, fixed on the page: at least as many points as unknowns (k + 2) plus some.
FIT_RUN = Schema(
    Range("x_range", "", "", (-3.0, 3.0), low=-100.0, high=100.0, step=0.1, min_width=1e-3),
    Number("n", "", "", 601, low=MAX_KNOTS + 3, high=20_001, step=1),
)
NO_KNOT_AT_ZERO = N_("no knot sits at 0, where {target} bends: the fit can only round the corner (an odd k on a "
                     "symmetric range puts a knot at 0).")
STEP_JUMPS = N_("the step jumps, and a sum of ReLUs is continuous: the error at the jump never vanishes, it only "
                "narrows as knots crowd around 0.")


def relu_sum(x: np.ndarray, knots: np.ndarray, weights: np.ndarray, bias: float = 0.0,
             slope: float = 0.0) -> np.ndarray:
    """bias + slope·x + Σ_i weights[i]·relu(x - knots[i]): a piecewise-linear curve whose slope changes by
    weights[i] at knots[i]. That is exactly a one-hidden-layer ReLU net with input weights 1 and biases -knots."""
    x = np.asarray(x, dtype=np.float64)
    knots, weights = _knots_weights(knots, weights)
    return float(bias) + float(slope) * x + relu(x[..., None] - knots) @ weights


def relu_terms(x: np.ndarray, knots: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(k, n): the single terms weights[i]·relu(x - knots[i]) that relu_sum adds up (the chart's thin lines)."""
    x = np.asarray(x, dtype=np.float64)
    knots, weights = _knots_weights(knots, weights)
    return weights[:, None] * relu(x[None, :] - knots[:, None])


def _knots_weights(knots, weights) -> tuple[np.ndarray, np.ndarray]:
    knots = np.asarray(knots, dtype=np.float64).ravel()
    weights = np.asarray(weights, dtype=np.float64).ravel()
    if knots.shape != weights.shape:
        raise ValueError(f"relu_sum needs one weight per knot: got {knots.size} knots and {weights.size} weights.")
    return knots, weights


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
    notes: tuple[Note, ...] = ()

    @property
    def terms(self) -> np.ndarray:
        return relu_terms(self.x, self.knots, self.weights)


def fit_relus(name: str = "sin", k: int = 6, x_range: tuple[float, float] = (-3.0, 3.0), n: int = 601) -> ReluFit:
    """Least-squares fit of bias + slope·x + Σ w_i relu(x - knot_i) to target `name`, with k evenly spaced knots.

    The knots are fixed (lo + (hi - lo)·i/(k + 1), i = 1..k), so the fit is linear in (bias, slope, w) and
    np.linalg.lstsq solves it exactly: the best such curve, not a trained approximation of it. On a symmetric
    range an odd k puts a knot exactly at 0 (i/(k + 1) = 1/2 is exact in binary), which is where |x| and the step
    bend: |x| = -x + 2·relu(x) is then recovered to round-off."""
    values, notes = RELUS.check({"target": name, "k": k})
    run, more = FIT_RUN.check({"x_range": x_range, "n": n})
    notes += more
    name, k, (lo, hi), n = values["target"], values["k"], run["x_range"], run["n"]

    x = np.linspace(lo, hi, n)
    y = target(name, x)
    knots = lo + (hi - lo) * (np.arange(1, k + 1) / (k + 1))
    design = np.column_stack([np.ones(n), x, relu(x[:, None] - knots)])  # (n, k + 2)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    bias, slope, weights = float(coef[0]), float(coef[1]), coef[2:].copy()
    approx = relu_sum(x, knots, weights, bias, slope)
    err = approx - y
    if name in ("abs", "step") and lo < 0 < hi and not np.any(knots == 0.0):
        notes.append(Note.of(NO_KNOT_AT_ZERO, target=Msg(TARGET_LABELS[name])))
    if name == "step":
        notes.append(Note.of(STEP_JUMPS))
    return ReluFit(
        x=x, y=y, approx=approx, knots=knots, weights=weights, bias=bias, slope=slope,
        mse=float(np.mean(err**2)), max_err=float(np.max(np.abs(err))), notes=tuple(notes),
    )


def error_curve(name: str = "sin", ks: tuple[int, ...] = ERROR_KS) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """(ks, the fit's mean squared error for each k): how the error falls as ReLUs are added."""
    return tuple(ks), tuple(fit_relus(name, k).mse for k in ks)


@dataclass(frozen=True)
class ReluSum:
    """A curve built by hand: the sum of a few weighted, shifted ReLUs on [-3, 3]."""

    x: np.ndarray
    y: np.ndarray  # relu_sum(x, knots, weights)
    knots: np.ndarray
    weights: np.ndarray
    notes: tuple[Note, ...] = ()

    @property
    def terms(self) -> np.ndarray:
        return relu_terms(self.x, self.knots, self.weights)


def hand_sum(values: Mapping[str, Any] | None = None, n: int = 601) -> ReluSum:
    """The hand-built curve of RELUS' knot1..3 and weight1..3 (missing ones take their defaults)."""
    checked, notes = RELUS.check(dict(values or {}))
    knots = np.array([checked[k] for k in HAND_KNOTS], dtype=np.float64)
    weights = np.array([checked[w] for w in HAND_WEIGHTS], dtype=np.float64)
    x = np.linspace(-3.0, 3.0, n)
    return ReluSum(x=x, y=relu_sum(x, knots, weights), knots=knots, weights=weights, notes=tuple(notes))


SCHEMAS = {"collapse": COLLAPSE, "xor": XOR, "relus": RELUS}
