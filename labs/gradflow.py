"""Vanishing and exploding gradients through a deep MLP: initialization, per-layer statistics, clipping.

Everything is built from torch.nn, torch.nn.init and torch.nn.utils, so what the page shows is what PyTorch does.
Only the Gradient-flow page imports this module (on demand), so torch is imported at the top here.
"""
from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace

import numpy as np
import torch
from torch import nn

from activations import bounds
from activations.analysis import properties
from activations.reference import torch_module
from activations.registry import REGISTRY, get

Progress = Callable[[float, str], None]

INIT_SCHEMES: tuple[str, ...] = (
    "default", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform", "lecun_normal", "normal",
    "zeros",
)
INIT_LABELS: dict[str, str] = {
    "default": "PyTorch default (kaiming_uniform_, a=√5)",
    "xavier_normal": "Xavier / Glorot normal",
    "xavier_uniform": "Xavier / Glorot uniform",
    "kaiming_normal": "He / Kaiming normal",
    "kaiming_uniform": "He / Kaiming uniform",
    "lecun_normal": "LeCun normal",
    "normal": "N(0, σ²)",
    "zeros": "All zeros",
}
BIAS_INITS: tuple[str, ...] = ("zeros", "default", "constant")
LIMITS: dict[str, tuple] = {
    "depth": (1, 100), "width": (8, 512), "batch": (1, 1024), "sigma": (1e-3, 10.0), "input_mean": (-5.0, 5.0),
    "input_scale": (0.01, 10.0), "bias_value": (-5.0, 5.0), "seed": (0, 2**31 - 1),
    "steps": (1, 500), "lr": (1e-5, 10.0), "max_norm": (1e-3, 100.0), "clip_value": (1e-4, 10.0),
}
OPTIMIZERS: tuple[str, ...] = ("sgd",)
CLIPS: tuple[str, ...] = ("none", "norm", "value")
BINS = 60
TRAIN_POINTS = 256

# nn.Linear's reset_parameters and the nn.init functions draw from torch's global generator. Streamlit serves
# sessions from threads, so seeding and drawing happen under one lock, inside fork_rng so no caller's RNG moves.
_RNG_LOCK = threading.RLock()


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    with _RNG_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


# ---- configuration -----------------------------------------------------------------------------------------------

def _number(name: str, value, default: float, integer: bool, notes: list[str]) -> float | int:
    """`value` coerced to a finite number within LIMITS[name]; a note for every change."""
    return bounds.number(name, value, default, *LIMITS[name], integer, notes)


def _choice(name: str, value, choices: tuple[str, ...], default: str, notes: list[str]) -> str:
    return bounds.choice(name, value, choices, default, notes)


@dataclass(frozen=True)
class NetConfig:
    activation: str = "relu"  # a registry key (activations.REGISTRY)
    params: tuple = ()  # the activation's parameters as sorted (name, value) pairs (hashable, so it can be a cache key)
    depth: int = 20  # hidden layers: depth x [Linear(width, width) -> activation]
    width: int = 128
    init: str = "default"  # one of INIT_SCHEMES
    sigma: float = 1.0  # std for init == "normal"
    bias_init: str = "zeros"  # one of BIAS_INITS
    bias_value: float = 0.0  # for bias_init == "constant"
    input_mean: float = 0.0  # input x ~ N(input_mean, input_scale^2), shape (batch, width)
    input_scale: float = 1.0
    batch: int = 256
    seed: int = 0

    def clamped(self) -> tuple[NetConfig, list[str]]:
        """Valid names and values within LIMITS, with one message per change (server-side: never trust the caller)."""
        notes: list[str] = []
        d = NetConfig()
        act, resolved = bounds.activation_and_params(self.activation, self.params, d.activation, notes)
        out = replace(
            self, activation=act, params=tuple(sorted(resolved.items())),
            init=_choice("init", self.init, INIT_SCHEMES, d.init, notes),
            bias_init=_choice("bias_init", self.bias_init, BIAS_INITS, d.bias_init, notes),
            **{f.name: _number(f.name, getattr(self, f.name), getattr(d, f.name), f.type == "int", notes)
               for f in fields(self) if f.name in LIMITS},
        )
        return out, notes

    @property
    def param_dict(self) -> dict:
        return dict(self.params)


# ---- gains and initialization ------------------------------------------------------------------------------------

def _negative_slope(activation: str, params: Mapping) -> float | None:
    """The slope for x < 0 of the leaky ReLU family (PReLU: its initial value; RReLU: its eval slope)."""
    p = get(activation).resolve(params)[0]
    if activation == "leaky_relu":
        return float(p["negative_slope"])
    if activation == "prelu":
        return float(p["init"])
    if activation == "rrelu":
        return (float(p["lower"]) + float(p["upper"])) / 2
    return None


def init_gain(activation: str, params: dict | None = None) -> tuple[float, str]:
    """The gain torch.nn.init.calculate_gain gives for `activation`, and one sentence on where it comes from."""
    calc = nn.init.calculate_gain
    name = get(activation).name if activation in REGISTRY else str(activation)
    slope = _negative_slope(activation, params or {}) if activation in REGISTRY else None
    if slope is not None:
        gain = float(calc("leaky_relu", slope))
        what = {"leaky_relu": "its negative_slope", "prelu": "its initial slope init",
                "rrelu": "its mean slope (lower + upper) / 2"}[activation]
        return gain, (f"calculate_gain('leaky_relu', {slope:g}) = √(2 / (1 + a²)) = {gain:.4g}, with a = {what}: "
                      "the negative half passes only a fraction a of its input, so less than √2 is needed.")
    if activation == "identity":
        return float(calc("linear")), "calculate_gain('linear') = 1: a linear layer keeps the variance as it is."
    if activation == "sigmoid":
        return float(calc("sigmoid")), ("calculate_gain('sigmoid') = 1, although sigmoid's slope is at most 1/4: "
                                        "PyTorch's table does not compensate for it, which is why deep sigmoid "
                                        "nets vanish.")
    if activation == "tanh":
        return float(calc("tanh")), ("calculate_gain('tanh') = 5/3, chosen to make up for tanh squashing its "
                                     "inputs towards ±1.")
    if activation == "relu":
        return float(calc("relu")), ("calculate_gain('relu') = √2: ReLU zeroes half of its inputs, halving the "
                                     "second moment, and √2 restores it.")
    if activation == "selu":
        return float(calc("selu")), ("calculate_gain('selu') = 3/4, found empirically by PyTorch; for a truly "
                                     "self-normalizing net PyTorch's docs advise gain 1 (LeCun normal).")
    return 1.0, f"calculate_gain has no entry for {name}; 1 is used."


def _kaiming_args(cfg: NetConfig) -> tuple[float, str]:
    """(a, nonlinearity) for nn.init.kaiming_*_. He's derivation assumes a ReLU-like unit: the leaky family gets its
    slope, and every other activation is treated as a ReLU (nonlinearity='relu'), which is what He init means."""
    slope = _negative_slope(cfg.activation, cfg.param_dict)
    return (slope, "leaky_relu") if slope is not None else (0.0, "relu")


def init_weights_(linear: nn.Linear, cfg: NetConfig, gain: float) -> None:
    """Initialize `linear` in place as `cfg` says. `gain` is used by the Xavier schemes (the others carry their own)."""
    w, b = linear.weight, linear.bias
    with torch.no_grad():
        if cfg.init == "xavier_normal":
            nn.init.xavier_normal_(w, gain=gain)
        elif cfg.init == "xavier_uniform":
            nn.init.xavier_uniform_(w, gain=gain)
        elif cfg.init in ("kaiming_normal", "kaiming_uniform"):
            a, nonlinearity = _kaiming_args(cfg)
            fn = nn.init.kaiming_normal_ if cfg.init == "kaiming_normal" else nn.init.kaiming_uniform_
            fn(w, a=a, mode="fan_in", nonlinearity=nonlinearity)
        elif cfg.init == "lecun_normal":
            # Var W = 1 / fan_in; Keras truncates the normal, we do not
            nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="linear")
        elif cfg.init == "normal":
            nn.init.normal_(w, 0.0, cfg.sigma)
        elif cfg.init == "zeros":
            nn.init.zeros_(w)
        # "default": nn.Linear already ran its reset_parameters (kaiming_uniform_ with a=√5) when it was built
        if b is not None:
            if cfg.bias_init == "zeros":
                nn.init.zeros_(b)
            elif cfg.bias_init == "constant":
                nn.init.constant_(b, cfg.bias_value)
            # "default": keep nn.Linear's U(-1/√fan_in, 1/√fan_in)


def expected_weight_std(cfg: NetConfig, fan_in: int, fan_out: int, gain: float) -> float:
    """The std of the weights the init formulas promise (uniform U(-b, b) has std b/√3)."""
    if cfg.init == "default":
        return 1.0 / math.sqrt(3 * fan_in)
    if cfg.init in ("xavier_normal", "xavier_uniform"):
        return gain * math.sqrt(2.0 / (fan_in + fan_out))
    if cfg.init in ("kaiming_normal", "kaiming_uniform"):
        a, nonlinearity = _kaiming_args(cfg)
        return float(nn.init.calculate_gain(nonlinearity, a)) / math.sqrt(fan_in)
    if cfg.init == "lecun_normal":
        return 1.0 / math.sqrt(fan_in)
    if cfg.init == "normal":
        return float(cfg.sigma)
    return 0.0


def gain_used(cfg: NetConfig, fan_in: int) -> tuple[float, str]:
    """The gain behind the weights `cfg.init` actually draws (std = gain / √fan_in for the fan_in schemes), and
    why; it differs from init_gain's table value wherever the scheme ignores the activation."""
    calc = nn.init.calculate_gain
    table, note = init_gain(cfg.activation, cfg.param_dict)
    if cfg.init in ("xavier_normal", "xavier_uniform"):
        return table, note
    if cfg.init in ("kaiming_normal", "kaiming_uniform"):
        a, nonlinearity = _kaiming_args(cfg)
        gain = float(calc(nonlinearity, a))
        if nonlinearity == "relu" and cfg.activation != "relu":
            note = (f"He init assumes a ReLU-like unit, so kaiming_*_ uses nonlinearity='relu' here: gain √2 "
                    f"= {gain:.4g}. For comparison: {note}")
        return gain, note
    if cfg.init == "default":
        gain = float(calc("leaky_relu", math.sqrt(5)))
        return gain, (f"nn.Linear's default, kaiming_uniform_(a=√5), uses calculate_gain('leaky_relu', √5) = √(1/3) "
                      f"= {gain:.4g} whatever the activation. For comparison: {note}")
    if cfg.init == "lecun_normal":
        return float(calc("linear")), f"LeCun normal is gain 1 (Var W = 1/fan_in). For comparison: {note}"
    if cfg.init == "normal":
        gain = cfg.sigma * math.sqrt(fan_in)
        return gain, (f"N(0, σ²) sets the std directly: σ·√fan_in = {gain:.4g} is the gain it amounts to. "
                      f"For comparison: {note}")
    return 0.0, f"All weights are 0, so no signal reaches the later layers. For comparison: {note}"


def _mlp(cfg: NetConfig, in_features: int) -> nn.Sequential:
    """Linear(in_features, width) -> act, then (depth-1) x [Linear(width, width) -> act], then Linear(width, 1).

    Must be called inside _seeded."""
    gain, _ = init_gain(cfg.activation, cfg.param_dict)
    layers: list[nn.Module] = []
    for i in range(cfg.depth):
        lin = nn.Linear(in_features if i == 0 else cfg.width, cfg.width)
        init_weights_(lin, cfg, gain)
        layers += [lin, torch_module(cfg.activation, cfg.param_dict)]
    layers.append(nn.Linear(cfg.width, 1))  # the head keeps PyTorch's default init: it is not what is studied
    return nn.Sequential(*layers).float()


def build_mlp(cfg: NetConfig) -> nn.Sequential:
    """depth x [Linear(width, width) -> activation], then a head Linear(width, 1); seeded by cfg.seed."""
    cfg, _ = cfg.clamped()
    with _seeded(cfg.seed):
        return _mlp(cfg, cfg.width)


def _data_seed(seed: int) -> int:
    """A stream for the inputs independent of the weights': torch.Generator().manual_seed(s) replays exactly what
    torch.manual_seed(s) gave the weights, and inputs correlated with the weights would fake a variance drift."""
    return int(np.random.SeedSequence([seed, 0xDA7A]).generate_state(1, np.uint64)[0] >> np.uint64(1))


@functools.lru_cache(maxsize=256)
def _max_abs_df(activation: str, params: tuple) -> float:
    return properties(get(activation), dict(params)).max_abs_df


# ---- one forward and backward pass -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FlowResult:
    layers: np.ndarray  # 1..depth (int)
    act_mean: np.ndarray  # per layer, mean of the post-activation outputs over batch and units
    act_std: np.ndarray  # per layer, std of post-activations
    pre_std: np.ndarray  # per layer, std of the pre-activations (Linear outputs)
    hist_edges: np.ndarray  # (bins+1,) common edges for all layers
    hist: np.ndarray  # (depth, bins): fraction of post-activation values per bin (outside values in the end bins)
    weight_grad_norm: np.ndarray  # per layer, ||dL/dW_l|| (Frobenius)
    act_grad_norm: np.ndarray  # per layer, ||dL/dh_l||, h_l the post-activation output of layer l
    weight_std_measured: np.ndarray  # per layer, std of W_l after init
    weight_std_expected: np.ndarray  # per layer, expected_weight_std(...)
    gain: float  # gain_used(): the gain behind the weights actually drawn (std = gain / √fan_in)
    gain_note: str  # how that gain comes about, and calculate_gain's value for the activation for comparison
    max_abs_df: float  # max |f'| of the activation with its params, from activations.analysis.properties
    bound: np.ndarray  # per layer l: act_grad_norm[-1] * max_abs_df ** (depth - l)
    loss: float
    notes: tuple[str, ...]  # messages from clamping and overflow


def _finite_or_nan(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return np.where(np.isfinite(a), a, np.nan)


def _mean_std(t: torch.Tensor) -> tuple[float, float]:
    # CPU reductions of float32 accumulate in double, so this only overflows if the std itself exceeds float32
    std, mean = torch.std_mean(t, correction=0)
    return mean.item(), std.item()


def _norm(t: torch.Tensor | None) -> float:
    """Euclidean / Frobenius norm; retried in float64 when float32's sum of squares overflows (|g| ~ 1e17)."""
    if t is None:
        return 0.0
    n = torch.linalg.vector_norm(t).item()
    if not math.isfinite(n) and torch.isfinite(t).all():
        n = torch.linalg.vector_norm(t, dtype=torch.float64).item()
    return n


def _hist_edges(post: list[torch.Tensor], bins: int = BINS) -> np.ndarray:
    """Common edges from the 1st and 99th percentiles of all layers pooled, each layer weighing the same, so that
    one exploding layer does not squash the others into a single bin."""
    n = post[0].numel()
    step = max(1, n // 4096)  # a deterministic strided sample per layer is enough for two percentiles
    sample = torch.cat([a.reshape(-1)[::step] for a in post]).to(torch.float64).numpy()
    sample = sample[np.isfinite(sample)]
    lo, hi = np.percentile(sample, [1.0, 99.0]) if sample.size else (-1.0, 1.0)
    lo, hi = float(lo), float(hi)
    if not hi - lo > 1e-6 * max(1.0, abs(lo), abs(hi)):  # one spike (zeros init, dead layers): give it some room
        half = 0.5 * max(1.0, abs(lo))
        lo, hi = lo - half, hi + half
    return np.linspace(lo, hi, bins + 1)


def _hist_row(a: torch.Tensor, edges: np.ndarray) -> np.ndarray:
    """Fraction of `a` per bin; values beyond the edges (±inf included) in the end bins, nan in none."""
    lo, hi = float(edges[0]), float(edges[-1])
    counts = torch.histc(a.reshape(-1).clamp(lo, hi), bins=len(edges) - 1, min=lo, max=hi)  # histc skips nan
    return counts.to(torch.float64).numpy() / a.numel()


def gradient_flow(cfg: NetConfig, progress: Progress | None = None) -> FlowResult:
    """One forward and backward pass of a fresh (untrained) MLP; everything per layer a learner needs to see."""
    say = progress or (lambda fraction, text: None)
    cfg, clamp_notes = cfg.clamped()
    notes = list(clamp_notes)
    say(0.0, "building the network")
    net = build_mlp(cfg)
    net.eval()  # RReLU then uses its fixed slope (lower + upper) / 2, the one the core's f' and max|f'| describe
    linears = [m for m in net if isinstance(m, nn.Linear)][:-1]
    acts = [net[2 * i + 1] for i in range(cfg.depth)]
    head = net[-1]

    g = torch.Generator().manual_seed(_data_seed(cfg.seed))
    x = cfg.input_mean + cfg.input_scale * torch.randn(cfg.batch, cfg.width, generator=g)
    y = torch.randn(cfg.batch, 1, generator=g)

    say(0.1, "forward pass")
    pre, post = [], []
    h = x
    for lin, act in zip(linears, acts, strict=True):
        z = lin(h)
        h = act(z)
        if h.requires_grad:
            h.retain_grad()
        pre.append(z)
        post.append(h)
    loss = nn.functional.mse_loss(head(h), y)  # an overflowed forward pass gives inf/nan here: torch does not raise
    say(0.4, "backward pass")
    loss.backward()

    say(0.8, "statistics")
    with torch.no_grad():
        pre = [z.detach() for z in pre]
        grads = [a.grad for a in post]
        post = [a.detach() for a in post]
        edges = _hist_edges(post)
        act_mean, act_std, pre_std, act_grad_norm, weight_grad_norm, w_std, hist = ([] for _ in range(7))
        finite_fwd, finite_bwd = [], []
        # layer by layer: stacking the layers would copy depth x batch x width floats several times
        for lin, z, a, grad in zip(linears, pre, post, grads, strict=True):
            m, sd = _mean_std(a)
            act_mean.append(m)
            act_std.append(sd)
            pre_std.append(_mean_std(z)[1])
            hist.append(_hist_row(a, edges))
            act_grad_norm.append(_norm(grad))
            weight_grad_norm.append(_norm(lin.weight.grad))
            w_std.append(_mean_std(lin.weight.detach())[1])
            finite_fwd.append(bool(torch.isfinite(z).all() and torch.isfinite(a).all()))
            finite_bwd.append(math.isfinite(act_grad_norm[-1]) and math.isfinite(weight_grad_norm[-1]))
        finite_fwd, finite_bwd = np.array(finite_fwd), np.array(finite_bwd)
        hist = np.stack(hist)
    if not finite_fwd.all():
        k = int(np.argmin(finite_fwd)) + 1
        notes.append(f"layer {k} overflowed float32 (values beyond ±3.4e38) in the forward pass: "
                     "its statistics and those of the layers after it are shown as nan.")
    elif not finite_bwd.all():
        bad = np.flatnonzero(~finite_bwd)
        notes.append(f"the backward pass overflowed float32 at layer {int(bad.max()) + 1}: "
                     "the gradient norms from there to layer 1 are shown as nan.")
    loss_v = float(loss.detach().item())
    if not math.isfinite(loss_v):
        notes.append("the loss is not finite (float32 overflow): no gradient can be trusted.")

    table_gain, _ = init_gain(cfg.activation, cfg.param_dict)
    gain, gain_note = gain_used(cfg, cfg.width)
    mad = _max_abs_df(cfg.activation, cfg.params)
    layers = np.arange(1, cfg.depth + 1)
    act_grad_norm = _finite_or_nan(act_grad_norm)
    with np.errstate(all="ignore"):
        bound = _finite_or_nan(act_grad_norm[-1] * np.power(mad, (cfg.depth - layers).astype(np.float64)))
    expected = [expected_weight_std(cfg, cfg.width, cfg.width, table_gain)] * cfg.depth
    say(1.0, "done")
    return FlowResult(
        layers=layers,
        act_mean=_finite_or_nan(act_mean), act_std=_finite_or_nan(act_std), pre_std=_finite_or_nan(pre_std),
        hist_edges=edges, hist=hist,
        weight_grad_norm=_finite_or_nan(weight_grad_norm), act_grad_norm=act_grad_norm,
        weight_std_measured=_finite_or_nan(w_std), weight_std_expected=np.asarray(expected, dtype=np.float64),
        gain=gain, gain_note=gain_note, max_abs_df=mad, bound=bound,
        loss=loss_v if math.isfinite(loss_v) else float("nan"), notes=tuple(notes),
    )


def gain_table() -> list[tuple[str, str, float]]:
    """(nonlinearity, its parameter, gain), straight from torch.nn.init.calculate_gain."""
    calc = nn.init.calculate_gain
    return [
        ("linear", "—", float(calc("linear"))),
        ("conv2d", "—", float(calc("conv2d"))),
        ("sigmoid", "—", float(calc("sigmoid"))),
        ("tanh", "—", float(calc("tanh"))),
        ("relu", "—", float(calc("relu"))),
        ("leaky_relu", "negative_slope = 0.01 (default)", float(calc("leaky_relu"))),
        ("leaky_relu", "negative_slope = 0.2", float(calc("leaky_relu", 0.2))),
        ("selu", "—", float(calc("selu"))),
    ]


@dataclass(frozen=True)
class DefaultInitCheck:
    fan_in: int
    fan_out: int
    bound: float  # 1/sqrt(fan_in): the U(-bound, bound) PyTorch's nn.Linear default amounts to
    max_abs_weight: float  # measured on a real nn.Linear(fan_in, fan_out)
    weight_var: float  # measured
    expected_var: float  # bound**2 / 3
    bias_bound: float  # 1/sqrt(fan_in)
    max_abs_bias: float


def default_linear_check(fan_in: int, fan_out: int, seed: int = 0) -> DefaultInitCheck:
    """Build a real nn.Linear and measure what its default init (kaiming_uniform_ with a=√5) amounts to."""
    fan_in = int(min(max(fan_in, 1), 4096))
    fan_out = int(min(max(fan_out, 1), 4096))
    seed = int(min(max(seed, LIMITS["seed"][0]), LIMITS["seed"][1]))
    with _seeded(seed):
        lin = nn.Linear(fan_in, fan_out)
    w, b = lin.weight.detach().to(torch.float64), lin.bias.detach().to(torch.float64)
    bound = 1.0 / math.sqrt(fan_in)
    return DefaultInitCheck(
        fan_in=fan_in, fan_out=fan_out, bound=bound, max_abs_weight=w.abs().max().item(),
        weight_var=w.var(correction=0).item(), expected_var=bound**2 / 3, bias_bound=bound,
        max_abs_bias=b.abs().max().item(),
    )


# ---- training with and without clipping --------------------------------------------------------------------------

@dataclass(frozen=True)
class TrainConfig:
    net: NetConfig = field(default_factory=NetConfig)
    steps: int = 100
    lr: float = 0.05
    optimizer: str = "sgd"  # only plain SGD: the point is the raw gradient, not an optimizer's rescaling of it
    clip: str = "none"  # "none" | "norm" | "value"
    max_norm: float = 1.0  # for torch.nn.utils.clip_grad_norm_
    clip_value: float = 0.5  # for torch.nn.utils.clip_grad_value_

    def clamped(self) -> tuple[TrainConfig, list[str]]:
        """Valid names and values within LIMITS, with one message per change."""
        d = TrainConfig()
        if isinstance(self.net, NetConfig):
            net, notes = self.net.clamped()
        else:
            net, notes = d.net, [f"net {self.net!r} is not a NetConfig: used the default network."]
        out = replace(
            self, net=net,
            optimizer=_choice("optimizer", self.optimizer, OPTIMIZERS, d.optimizer, notes),
            clip=_choice("clip", self.clip, CLIPS, d.clip, notes),
            steps=_number("steps", self.steps, d.steps, True, notes),
            lr=_number("lr", self.lr, d.lr, False, notes),
            max_norm=_number("max_norm", self.max_norm, d.max_norm, False, notes),
            clip_value=_number("clip_value", self.clip_value, d.clip_value, False, notes),
        )
        return out, notes


@dataclass(frozen=True)
class TrainResult:
    steps: np.ndarray  # 1..n
    loss: np.ndarray  # per step (nan from divergence on)
    grad_norm: np.ndarray  # global grad norm per step BEFORE clipping (what clip_grad_norm_ returns)
    grad_norm_after: np.ndarray  # global grad norm per step AFTER clipping (what the optimizer used)
    diverged_at: int | None  # first step whose loss is not finite (training stops there; the rest is nan)
    notes: tuple[str, ...]
    grad_max_abs_after: np.ndarray = field(default_factory=lambda: np.zeros(0))  # largest |g| entry after clipping


def train(cfg: TrainConfig, progress: Progress | None = None) -> TrainResult:
    """Fit y = sin(3x) on 256 points of [-2, 2] with full-batch SGD, clipping as configured, and record the
    gradient norm before and after clipping at every step. Same seed, same initial weights for every clip setting."""
    say = progress or (lambda fraction, text: None)
    cfg, clamp_notes = cfg.clamped()
    notes = list(clamp_notes)
    n = cfg.steps
    loss_h, before, after, max_abs = (np.full(n, np.nan) for _ in range(4))
    diverged_at: int | None = None
    x = torch.linspace(-2.0, 2.0, TRAIN_POINTS).unsqueeze(1)
    y = torch.sin(3.0 * x)
    say(0.0, "building the network")
    # the lock covers training too: RReLU draws its random slopes from the global generator in training mode
    with _seeded(cfg.net.seed):
        net = _mlp(cfg.net, 1)
        params = [p for p in net.parameters() if p.requires_grad]
        opt = torch.optim.SGD(params, lr=cfg.lr)
        report_every = max(1, n // 10)
        inf = float("inf")
        for i in range(n):
            opt.zero_grad(set_to_none=False)
            loss = nn.functional.mse_loss(net(x), y)
            lv = float(loss.detach().item())
            if not math.isfinite(lv):
                diverged_at = i + 1
                notes.append(f"the loss overflowed float32 (inf or nan) at step {diverged_at}: training stopped there.")
                break
            loss.backward()
            # with max_norm=inf clip_grad_norm_ only measures (it scales by min(inf/norm, 1) = 1)
            before[i] = nn.utils.clip_grad_norm_(params, inf if cfg.clip != "norm" else cfg.max_norm).item()
            if cfg.clip == "value":
                nn.utils.clip_grad_value_(params, cfg.clip_value)
            after[i] = nn.utils.clip_grad_norm_(params, inf).item()
            max_abs[i] = max(p.grad.detach().abs().max().item() for p in params)
            loss_h[i] = lv
            opt.step()
            if progress is not None and (i + 1) % report_every == 0:
                say((i + 1) / n, f"step {i + 1} of {n}")
    if diverged_at is None and not np.isfinite(before).all():
        k = int(np.flatnonzero(~np.isfinite(before))[0]) + 1
        notes.append(f"the gradient norm overflowed float32 at step {k}.")
    say(1.0, "done")
    return TrainResult(
        steps=np.arange(1, n + 1), loss=_finite_or_nan(loss_h), grad_norm=_finite_or_nan(before),
        grad_norm_after=_finite_or_nan(after), diverged_at=diverged_at, notes=tuple(notes),
        grad_max_abs_after=_finite_or_nan(max_abs),
    )


# ---- presets -----------------------------------------------------------------------------------------------------

PRESETS: dict[str, dict] = {
    "sigmoid-default": {
        "label": "sigmoid, depth 20, default init",
        "net": {"activation": "sigmoid", "depth": 20, "width": 128, "init": "default"},
    },
    "relu-he": {
        "label": "ReLU + He",
        "net": {"activation": "relu", "depth": 50, "width": 128, "init": "kaiming_normal"},
    },
    "tanh-xavier": {
        "label": "tanh + Xavier",
        "net": {"activation": "tanh", "depth": 50, "width": 128, "init": "xavier_normal"},
    },
    # σ = 0.2 is only 1.13x He's √(2/64) = 0.177: the untrained net looks healthy (loss 0.45, ‖g‖ 2.7 at step 1),
    # but at lr 0.05 each SGD step makes the next gradient larger and the loss overflows at step 5 (seed 0);
    # clip_grad_norm_(max_norm=1) trains the same weights to a loss of 0.12. Values sit on the page's slider stops.
    "exploding": {
        "label": "Exploding (ReLU, σ above He)",
        "net": {"activation": "relu", "depth": 20, "width": 64, "init": "normal", "sigma": 0.2},
        "train": {"steps": 100, "lr": 0.05, "max_norm": 1.0, "clip_value": 0.5},
    },
}
