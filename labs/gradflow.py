"""Vanishing and exploding gradients through a deep MLP: initialization, per-layer statistics, clipping.

Everything is built from torch.nn, torch.nn.init and torch.nn.utils, so what the page shows is what PyTorch does: the
net by labs.nets, its weights by labs.inits (which also holds the gain theory the page explains). torch is imported
on first use, like the other labs.

The page's controls are declared once below (PROBE: the network probed by one forward and backward pass;
TRAIN: the short training run with and without clipping). NetConfig and TrainConfig take their defaults from
them and check every value against them.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

import activations
from activations import validate
from activations.analysis import properties
from activations.lookup import activation_and_params, get
from i18n import N_, Note, Raw

from . import inits, nets, seeding
from .arrays import finite_or_nan
from .controls import Choice, Number, Preset, Schema, Steps, seed
from .progress import Progress, silent

if TYPE_CHECKING:
    import torch
    from torch import nn

# ---- the controls ----------------------------------------------------------------------------------------------

KEYS = (*activations.keys_grouped(), activations.OWN)  # OWN: the learner's formula (labs.own)
INIT_SCHEMES: tuple[str, ...] = (
    "default", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform", "lecun_normal", "normal",
    "zeros",
)
INIT_LABELS = inits.labels(INIT_SCHEMES)  # He's slope and Xavier's gain follow the activation
BIAS_INITS: tuple[str, ...] = ("zeros", "default", "constant")
WIDTHS = (8, 16, 32, 64, 128, 256, 512)
BATCHES = (16, 32, 64, 128, 256, 512, 1024)
SIGMAS = (0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
SCALES = (0.01, 0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
LRS = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
MAX_NORMS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0)
CLIP_VALUES = (0.01, 0.05, 0.1, 0.5, 1.0)
NORMAL = (("init", ("normal",)),)

PROBE = Schema(
    Choice("activation", N_("Activation"), N_("Any activation of the Explorer, through its PyTorch module."),
           "sigmoid", "act", options=KEYS, params="{key}."),
    Number("depth", N_("Depth (hidden layers)"),
           N_("Number of Linear → activation layers the gradient has to travel through."), 20, low=1, high=100,
           step=1),
    Steps("width", N_("Width (units per layer)"), N_("Also the input size: every layer is width × width."), 128,
          options=WIDTHS),
    Choice("init", N_("Weight initialization"),
           N_("How each Linear layer's weights are drawn before anything is trained."), "default",
           options=INIT_SCHEMES, labels=INIT_LABELS),
    Steps("sigma", N_("σ of N(0, σ²)"), N_("Standard deviation of every weight. He for ReLU would be √(2/width)."),
          1.0, options=SIGMAS, needs=NORMAL),
    Choice("bias_init", N_("Bias initialization"),
           N_("zeros; PyTorch's default U(−1/√fan_in, 1/√fan_in); or one constant."), "zeros", "bias",
           options=BIAS_INITS, labels=inits.BIAS_LABELS),
    Number("bias_value", N_("Bias value"), N_("Every bias starts at this value (negative values push ReLUs off)."),
           0.0, low=-5.0, high=5.0, step=0.1, needs=(("bias", ("constant",)),)),
    Number("input_mean", N_("Input mean"),
           N_("Inputs are drawn from N(mean, scale²): standardized input has mean 0, scale 1."), 0.0, "in_mean",
           low=-5.0, high=5.0, step=0.1),
    Steps("input_scale", N_("Input scale"), N_("Standard deviation of the inputs."), 1.0, "in_scale",
          options=SCALES),
    Steps("batch", N_("Batch size"), N_("Inputs forwarded at once."), 256, options=BATCHES),
    seed(help=N_("Same seed, same weights and inputs: the same link gives the same numbers.")),
)

TRAIN = Schema(
    Choice("activation", N_("Activation"), N_("The activation of the trained network."), "relu", "t.act",
           options=KEYS),
    Number("depth", N_("Depth"), N_("Hidden layers of the trained net."), 20, "t.depth", low=1, high=30, step=1,
           cost=True),
    Steps("width", N_("Width"), N_("Units per hidden layer."), 64, "t.width", options=WIDTHS[:5], cost=True),
    Choice("init", N_("Initialization"), N_("Too large a σ makes gradients explode."), "normal", "t.init",
           options=INIT_SCHEMES, labels=INIT_LABELS),
    Steps("sigma", N_("σ"), N_("Standard deviation of every weight."), 0.2, "t.sigma", options=SIGMAS,
          needs=(("t.init", ("normal",)),)),
    Steps("lr", N_("Learning rate"), N_("Plain SGD step size."), 0.05, "t.lr", options=LRS),
    Number("steps", N_("Steps"), N_("Full-batch SGD steps."), 100, "t.steps", low=10, high=500, step=10, cost=True),
    Steps("max_norm", N_("max_norm (clip_grad_norm_)"), N_("The global gradient norm is capped here."), 1.0,
          "t.max_norm", options=MAX_NORMS),
    Steps("clip_value", N_("clip_value (clip_grad_value_)"),
          N_("Every gradient entry is clamped to [−clip_value, clip_value]."), 0.5, "t.clip", options=CLIP_VALUES),
    seed(url="t.seed", help=N_("Same seed, same initial weights.")),
)
SCHEMAS = {"probe": PROBE, "train": TRAIN}
NET_FIELDS_TRAINED = tuple(c.name for c in TRAIN if c.name in PROBE.by_name)  # what TRAIN sets of the net

LEVEL = N_("First ÷ last layer's weight gradient: {ratio}; std of h from {std_first} at layer 1 to {std_last} at the "
           "last layer.")
PRESETS: dict[str, Preset] = {
    "sigmoid-default": Preset(
        N_("sigmoid, depth 20, default init"),
        N_("σ′ ≤ 1/4 at every layer: how does the first layer's weight gradient compare with the last's? "
           "Every other network control goes back to its default; the training run below is left as it is."),
        {"activation": "sigmoid", "depth": 20, "width": 128, "init": "default"},
        shows=N_("The first layer's weight gradient is {ratio} times the last layer's.")),
    "relu-he": Preset(
        N_("ReLU + He"),
        N_("He's √2 is meant to make up for the half of its inputs ReLU zeroes: do the weight gradients and the "
           "activations' spread stay level through 50 layers? "
           "Every other network control goes back to its default; the training run below is left as it is."),
        {"activation": "relu", "depth": 50, "width": 128, "init": "kaiming_normal"}, shows=LEVEL),
    # Seeds 0-3: the std of h stays within 0.64-0.76 over the 50 layers (layer 1: 0.76), and ‖∂L/∂W‖ first ÷ last
    # is 98-106 (tests/test_gradflow.py, test_gradient_flow_presets_hold_at_seeds_0_to_3).
    "tanh-xavier": Preset(
        N_("tanh + Xavier (gain 5/3)"),
        N_("Xavier with tanh's gain, calculate_gain('tanh') = 5/3: do the activations keep their spread through all "
           "50 layers, and the weight gradients? "
           "Every other network control goes back to its default; the training run below is left as it is."),
        {"activation": "tanh", "depth": 50, "width": 128, "init": "xavier_normal"}, shows=LEVEL),
    # σ = 0.2 is only 1.13x He's √(2/64) = 0.177: the untrained net looks healthy (loss 0.45, ‖g‖ 2.7 at step 1),
    # but at lr 0.05 each SGD step makes the next gradient larger and the loss overflows at step 5 (seed 0; steps
    # 3-6 at seeds 0-3); clip_grad_norm_(max_norm=1) trains the same weights to a loss of 0.07-0.13 (seeds 0-3 with
    # AVX-512, AVX2 and no-SIMD kernels: a run at the edge of divergence amplifies the last bits, which differ by
    # CPU). Values sit on the page's slider stops, and the training run's defaults (TRAIN) are this very net, which
    # the preset sets back (`resets`).
    "exploding": Preset(
        N_("Exploding (ReLU, σ above He)"),
        N_("σ = 0.2, a little above He's: does the untrained net look healthy, and what does plain SGD do with it in "
           "the training run below, with and without clipping? "
           "Every other network control goes back to its default, and the training run below uses the same net."),
        {"activation": "relu", "depth": 20, "width": 64, "init": "normal", "sigma": 0.2}, resets=tuple(TRAIN),
        shows=LEVEL),
}

OPTIMIZERS: tuple[str, ...] = ("sgd",)
CLIPS: tuple[str, ...] = ("none", "norm", "value")
BINS = 60
TRAIN_POINTS = 256
# Multiply-adds (depth · width² · rows) per second of these runs, roughly: 2e9 of them (0.5 s) earn a progress bar.
MACS_PER_SECOND = 4e9

# Messages the lab returns (the page renders them in the learner's language)
BUILDING = N_("building the network")
FORWARD = N_("forward pass")
BACKWARD = N_("backward pass")
STATISTICS = N_("statistics")
DONE = N_("done")
STEP_OF = N_("{run}: step {step} of {steps}")
FORWARD_OVERFLOW = N_("Layer {layer} overflowed float32 (values beyond ±3.4e38) in the forward pass: its statistics "
                      "and those of the layers after it are shown as nan.")
FORWARD_UNDEFINED = N_("Layer {layer}: the activation has no value (NaN) for some of its inputs, which are finite: "
                       "your formula is undefined there. The statistics of that layer and those after it are shown "
                       "as nan.")
BACKWARD_OVERFLOW = N_("The backward pass overflowed float32 at layer {layer}: the gradient norms from there to "
                       "layer 1 are shown as nan.")
LOSS_NOT_FINITE = N_("The loss is not finite (float32 overflow): no gradient can be trusted.")
LOSS_OVERFLOW = N_("The loss overflowed float32 (inf or nan) at step {step}: training stopped there.")
GRAD_OVERFLOW = N_("The gradient norm overflowed float32 at step {step}.")
NOT_A_NET = N_("The network {raw} is not a NetConfig: used the default network.")
NO_CLIPPING = N_("no clipping")
# Translators: a PyTorch function call as a legend entry: keep the name, the number is the threshold
CLIP_NORM = N_("clip_grad_norm_({max_norm})")
# Translators: a PyTorch function call as a legend entry: keep the name, the number is the threshold
CLIP_VALUE = N_("clip_grad_value_({clip_value})")


# ---- configuration -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NetConfig:
    activation: str = PROBE.activation.default  # a registry key (activations.REGISTRY)
    params: tuple = ()  # the activation's parameters as sorted (name, value) pairs (hashable, so it can be a cache key)
    depth: int = PROBE.depth.default  # hidden layers: depth x [Linear(width, width) -> activation]
    width: int = PROBE.width.default
    init: str = PROBE.init.default  # one of INIT_SCHEMES
    sigma: float = PROBE.sigma.default  # std for init == "normal"
    bias_init: str = PROBE.bias_init.default  # one of BIAS_INITS
    bias_value: float = PROBE.bias_value.default  # for bias_init == "constant"
    input_mean: float = PROBE.input_mean.default  # input x ~ N(input_mean, input_scale^2), shape (batch, width)
    input_scale: float = PROBE.input_scale.default
    batch: int = PROBE.batch.default
    seed: int = PROBE.seed.default

    @classmethod
    def of(cls, values: Mapping, params: Mapping | None = None) -> NetConfig:
        """A config from control values by name (a schema's widgets or defaults); other names are ignored."""
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__ and k != "params"}
        return cls(**known, params=tuple(sorted((params or {}).items())))

    def clamped(self) -> tuple[NetConfig, list[Note]]:
        """Valid names and values as the page's controls declare them (PROBE), one note per change: server-side,
        never trust the caller."""
        act_control = PROBE.activation
        act, resolved, notes = activation_and_params(
            act_control.url, self.activation, self.params, act_control.default,
            prefix=act_control.params.format(key=self.activation))
        checked, more = PROBE.check({c.name: getattr(self, c.name) for c in PROBE if c is not act_control})
        checked.pop("activation")
        return replace(self, activation=act, params=tuple(sorted(resolved.items())), **checked), notes + more

    @property
    def param_dict(self) -> dict:
        return dict(self.params)


def _trained_net() -> NetConfig:
    return NetConfig.of(TRAIN.defaults())


@dataclass(frozen=True)
class TrainConfig:
    net: NetConfig = field(default_factory=_trained_net)
    steps: int = TRAIN.steps.default
    lr: float = TRAIN.lr.default
    optimizer: str = "sgd"  # only plain SGD: the point is the raw gradient, not an optimizer's rescaling of it
    clip: str = "none"  # "none" | "norm" | "value"
    max_norm: float = TRAIN.max_norm.default  # for torch.nn.utils.clip_grad_norm_
    clip_value: float = TRAIN.clip_value.default  # for torch.nn.utils.clip_grad_value_

    @classmethod
    def of(cls, values: Mapping, **over) -> TrainConfig:
        """A config from the training controls' values by name (TRAIN's widgets or defaults)."""
        net = NetConfig.of({k: v for k, v in values.items() if k in NET_FIELDS_TRAINED})
        own = {k: v for k, v in values.items() if k in cls.__dataclass_fields__ and k != "net"}
        return cls(net=net, **{**own, **over})

    def clamped(self) -> tuple[TrainConfig, list[Note]]:
        """Valid names and values as the training controls declare them (TRAIN; PROBE for the rest of the net),
        one note per change."""
        notes: list[Note] = []
        net = self.net
        if not isinstance(net, NetConfig):
            notes.append(Note.of(NOT_A_NET, raw=Raw(repr(net))))
            net = _trained_net()
        act_control = TRAIN.activation
        act, resolved, more = activation_and_params(act_control.url, net.activation, net.params,
                                                    act_control.default)
        notes += more
        values = {c.name: getattr(net, c.name) if c.name in NET_FIELDS_TRAINED else getattr(self, c.name)
                  for c in TRAIN if c is not act_control}
        checked, more = TRAIN.check(values)
        notes += more
        net = replace(net, activation=act, params=tuple(sorted(resolved.items())),
                      **{k: checked[k] for k in NET_FIELDS_TRAINED if k != "activation"})
        net, more = net.clamped()  # the controls the training run does not show (bias, inputs): PROBE's ranges
        notes += more
        optimizer, n1 = validate.choice("optimizer", self.optimizer, OPTIMIZERS, "sgd")
        clip, n2 = validate.choice("clip", self.clip, CLIPS, "none")
        notes += [n for n in (n1, n2) if n]
        own = {k: checked[k] for k in checked if k not in NET_FIELDS_TRAINED}
        return replace(self, net=net, optimizer=optimizer, clip=clip, **own), notes


def seconds(cfg: NetConfig | TrainConfig) -> float:
    """About how long a run takes on one core, from its multiply-adds (labs.progress). For a TrainConfig, the three
    clipping runs of clipping_runs()."""
    if isinstance(cfg, TrainConfig):
        net = cfg.net
        cost = net.depth * net.width * net.width * TRAIN_POINTS * cfg.steps * len(CLIPS)
    else:
        cost = cfg.depth * cfg.width * cfg.width * cfg.batch
    return cost / MACS_PER_SECOND


# ---- the network -------------------------------------------------------------------------------------------------

def net_spec(cfg: NetConfig, inputs: int) -> nets.MLP:
    """Linear(inputs, width) -> act, then (depth-1) x [Linear(width, width) -> act], then Linear(width, 1): each
    hidden layer drawn as cfg says (He's slope and Xavier's gain those of cfg's activation) before the next one is
    built; the head keeps PyTorch's default init, as it is not what is studied."""
    return nets.MLP(inputs=inputs, depth=cfg.depth, width=cfg.width, outputs=1, activation=cfg.activation,
                    params=cfg.params, init=cfg.init, sigma=cfg.sigma, bias_init=cfg.bias_init,
                    bias_value=cfg.bias_value)


def build_mlp(cfg: NetConfig) -> nn.Sequential:
    """depth x [Linear(width, width) -> activation], then a head Linear(width, 1); seeded by cfg.seed."""
    cfg, _ = cfg.clamped()
    with seeding.seeded(cfg.seed):
        return nets.build(net_spec(cfg, cfg.width))


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
    gain_note: Note  # how that gain comes about, and calculate_gain's value for the activation for comparison
    max_abs_df: float  # max |f'| of the activation with its params, from activations.analysis.properties
    bound: np.ndarray  # per layer l: act_grad_norm[-1] * max_abs_df ** (depth - l)
    loss: float
    notes: tuple[Note, ...]  # from clamping and overflow

    @property
    def first_last_ratio(self) -> float:
        """‖∂L/∂W‖ of the first layer over the last: below 1 vanishing, far above 1 exploding (nan if unknown)."""
        first, last = self.weight_grad_norm[0], self.weight_grad_norm[-1]
        return float(first / last) if np.isfinite(first) and np.isfinite(last) and last > 0 else float("nan")

    @property
    def underflowed_layers(self) -> int:
        """Layers whose weight gradient is exactly 0 in float32: they would not learn at all."""
        return int(np.sum(self.weight_grad_norm == 0))


def _mean_std(t: torch.Tensor) -> tuple[float, float]:
    import torch

    # CPU reductions of float32 accumulate in double, so this only overflows if the std itself exceeds float32
    std, mean = torch.std_mean(t, correction=0)
    return mean.item(), std.item()


def _norm(t: torch.Tensor | None) -> float:
    """Euclidean / Frobenius norm; retried in float64 when float32's sum of squares overflows (|g| ~ 1e17)."""
    import torch

    if t is None:
        return 0.0
    n = torch.linalg.vector_norm(t).item()
    if not math.isfinite(n) and torch.isfinite(t).all():
        n = torch.linalg.vector_norm(t, dtype=torch.float64).item()
    return n


def _hist_edges(post: list[torch.Tensor], bins: int = BINS) -> np.ndarray:
    """Common edges from the 1st and 99th percentiles of all layers pooled, each layer weighing the same, so that
    one exploding layer does not squash the others into a single bin."""
    import torch

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
    import torch

    lo, hi = float(edges[0]), float(edges[-1])
    counts = torch.histc(a.reshape(-1).clamp(lo, hi), bins=len(edges) - 1, min=lo, max=hi)  # histc skips nan
    return counts.to(torch.float64).numpy() / a.numel()


def gradient_flow(cfg: NetConfig, progress: Progress | None = None) -> FlowResult:
    """One forward and backward pass of a fresh (untrained) MLP; everything per layer a learner needs to see."""
    import torch
    from torch import nn

    say = progress or silent
    cfg, clamp_notes = cfg.clamped()
    notes = list(clamp_notes)
    say(0.0, Note.of(BUILDING))
    spec = net_spec(cfg, cfg.width)
    net = build_mlp(cfg)
    net.eval()  # RReLU then uses its fixed slope (lower + upper) / 2, the one the core's f' and max|f'| describe
    linears = [lin for lin, _, _ in nets.hidden_layers(spec, net)]

    g = seeding.generator(cfg.seed, seeding.DATA)  # the inputs' own stream: inputs correlated with the weights
    x = cfg.input_mean + cfg.input_scale * torch.randn(cfg.batch, cfg.width, generator=g)  # would fake a drift
    y = torch.randn(cfg.batch, 1, generator=g)

    say(0.1, Note.of(FORWARD))
    pre, post = [], []
    h = x
    for z, _, h in nets.trace(spec, net, x):  # noqa: B007 (the last h goes on to the head)
        if h.requires_grad:
            h.retain_grad()
        pre.append(z)
        post.append(h)
    # an overflowed forward pass gives inf/nan here: torch does not raise
    loss = nn.functional.mse_loss(nets.head(spec, net)(h), y)
    say(0.4, Note.of(BACKWARD))
    loss.backward()

    say(0.8, Note.of(STATISTICS))
    with torch.no_grad():
        pre = [z.detach() for z in pre]
        grads = [a.grad for a in post]
        post = [a.detach() for a in post]
        edges = _hist_edges(post)
        act_mean, act_std, pre_std, act_grad_norm, weight_grad_norm, w_std, hist = ([] for _ in range(7))
        finite_fwd, finite_bwd, undefined = [], [], []
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
            undefined.append(not finite_fwd[-1] and bool(torch.isfinite(z).all()) and bool(torch.isnan(a).any()))
            finite_bwd.append(math.isfinite(act_grad_norm[-1]) and math.isfinite(weight_grad_norm[-1]))
        finite_fwd, finite_bwd = np.array(finite_fwd), np.array(finite_bwd)
        hist = np.stack(hist)
    if not finite_fwd.all():
        first = int(np.argmin(finite_fwd))
        notes.append(Note.of(FORWARD_UNDEFINED if undefined[first] else FORWARD_OVERFLOW, layer=first + 1))
    elif not finite_bwd.all():
        notes.append(Note.of(BACKWARD_OVERFLOW, layer=int(np.flatnonzero(~finite_bwd).max()) + 1))
    loss_v = float(loss.detach().item())
    if not math.isfinite(loss_v):
        notes.append(Note.of(LOSS_NOT_FINITE))

    table_gain, _ = inits.init_gain(cfg.activation, cfg.param_dict)
    gain, gain_note = inits.gain_used(cfg.init, cfg.activation, cfg.param_dict, cfg.sigma, cfg.width)
    mad = _max_abs_df(cfg.activation, cfg.params)
    layers = np.arange(1, cfg.depth + 1)
    act_grad_norm = finite_or_nan(act_grad_norm)
    with np.errstate(all="ignore"):
        bound = finite_or_nan(act_grad_norm[-1] * np.power(mad, (cfg.depth - layers).astype(np.float64)))
    expected = [inits.expected_std(cfg.init, cfg.width, cfg.width, cfg.activation, cfg.param_dict, cfg.sigma,
                                   table_gain)] * cfg.depth
    say(1.0, Note.of(DONE))
    return FlowResult(
        layers=layers,
        act_mean=finite_or_nan(act_mean), act_std=finite_or_nan(act_std), pre_std=finite_or_nan(pre_std),
        hist_edges=edges, hist=hist,
        weight_grad_norm=finite_or_nan(weight_grad_norm), act_grad_norm=act_grad_norm,
        weight_std_measured=finite_or_nan(w_std), weight_std_expected=np.asarray(expected, dtype=np.float64),
        gain=gain, gain_note=gain_note, max_abs_df=mad, bound=bound,
        loss=loss_v if math.isfinite(loss_v) else float("nan"), notes=tuple(notes),
    )


# ---- training with and without clipping --------------------------------------------------------------------------

@dataclass(frozen=True)
class TrainResult:
    steps: np.ndarray  # 1..n
    loss: np.ndarray  # per step (nan from divergence on)
    grad_norm: np.ndarray  # global grad norm per step BEFORE clipping (what clip_grad_norm_ returns)
    grad_norm_after: np.ndarray  # global grad norm per step AFTER clipping (what the optimizer used)
    diverged_at: int | None  # first step whose loss is not finite (training stops there; the rest is nan)
    notes: tuple[Note, ...]
    grad_max_abs_after: np.ndarray = field(default_factory=lambda: np.zeros(0))  # largest |g| entry after clipping

    @property
    def final_loss(self) -> float | None:
        """The last finite loss, None if there is none."""
        finite = self.loss[np.isfinite(self.loss)]
        return float(finite[-1]) if finite.size else None

    @property
    def largest_grad_norm(self) -> float | None:
        """The largest finite global gradient norm before clipping, None if none was finite."""
        finite = self.grad_norm[np.isfinite(self.grad_norm)]
        return float(finite.max()) if finite.size else None


def train(cfg: TrainConfig, progress: Progress | None = None, run: Note | None = None) -> TrainResult:
    """Fit y = sin(3x) on 256 points of [-2, 2] with full-batch SGD, clipping as configured, and record the
    gradient norm before and after clipping at every step. Same seed, same initial weights for every clip setting.
    `run` names the run in the progress notes."""
    import torch
    from torch import nn

    say = progress or silent
    cfg, clamp_notes = cfg.clamped()
    notes = list(clamp_notes)
    n = cfg.steps
    loss_h, before, after, max_abs = (np.full(n, np.nan) for _ in range(4))
    diverged_at: int | None = None
    x = torch.linspace(-2.0, 2.0, TRAIN_POINTS).unsqueeze(1)
    y = torch.sin(3.0 * x)
    say(0.0, Note.of(BUILDING))
    # the lock covers training too: RReLU draws its random slopes from the global generator in training mode
    with seeding.seeded(cfg.net.seed):
        net = nets.build(net_spec(cfg.net, 1))
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
                notes.append(Note.of(LOSS_OVERFLOW, step=diverged_at))
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
                say((i + 1) / n, Note.of(STEP_OF, run=run or clip_label(cfg), step=i + 1, steps=n))
    if diverged_at is None and not np.isfinite(before).all():
        notes.append(Note.of(GRAD_OVERFLOW, step=int(np.flatnonzero(~np.isfinite(before))[0]) + 1))
    say(1.0, Note.of(DONE))
    return TrainResult(
        steps=np.arange(1, n + 1), loss=finite_or_nan(loss_h), grad_norm=finite_or_nan(before),
        grad_norm_after=finite_or_nan(after), diverged_at=diverged_at, notes=tuple(notes),
        grad_max_abs_after=finite_or_nan(max_abs),
    )


def clip_label(cfg: TrainConfig) -> Note:
    """How a run is named on the page: "no clipping", "clip_grad_norm_(1)", "clip_grad_value_(0.5)"."""
    if cfg.clip == "norm":
        return Note.of(CLIP_NORM, max_norm=cfg.max_norm)
    if cfg.clip == "value":
        return Note.of(CLIP_VALUE, clip_value=cfg.clip_value)
    return Note.of(NO_CLIPPING)


@dataclass(frozen=True)
class ClipRun:
    clip: str  # "none" | "norm" | "value"
    label: Note  # clip_label()
    result: TrainResult


def clip_run(cfg: TrainConfig, clip: str, progress: Progress | None = None) -> ClipRun:
    """One of the three runs of clipping_runs (cfg checked here: the first run carries the notes about it). The
    runs are independent (each builds its net from cfg's seed), so the page spreads them over the workers."""
    cfg, notes = cfg.clamped()
    one = replace(cfg, clip=clip)
    res = train(one, progress, run=clip_label(one))
    if clip == CLIPS[0] and notes:  # the notes about the config once, not three times
        res = replace(res, notes=(*notes, *res.notes))
    return ClipRun(clip, clip_label(one), res)


def clipping_runs(cfg: TrainConfig, progress: Progress | None = None) -> tuple[ClipRun, ...]:
    """The same net trained three times from the same initial weights: without clipping, with clip_grad_norm_
    (cfg.max_norm) and with clip_grad_value_ (cfg.clip_value), one after another (clip_run: one of them). cfg.clip
    is ignored."""
    say = progress or silent
    return tuple(clip_run(cfg, clip, (lambda f, note, i=i: say((i + f) / len(CLIPS), note))
                          if progress is not None else None)
                 for i, clip in enumerate(CLIPS))
