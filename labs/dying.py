"""Dying ReLU: a small MLP learns 2-D toy data while we watch hidden units die, and the fixes from the same start.

A hidden unit is dead when its activation's derivative is 0 at its pre-activation for EVERY training point: then
no gradient reaches its incoming weights and bias, so (without momentum) nothing can ever move them again. The
derivative is the core's spec.df, so the definition holds for every activation in the registry (ReLU6, Hardtanh,
Threshold... can die too; LeakyReLU, ELU, GELU... never do).

A unit that cannot die can still sit out: it is INACTIVE when every training point is on its activation's negative
side, z <= 0 where |f'(z)| < 1 (LeakyReLU: f' = 0.01 there, so the unit gets a hundredth of the gradient a live unit
gets), or when it is dead. Measured for the activations that have a negative side (has_negative_side: f' damps the
gradient more on the left than on the right, as for the ReLU, exponential and self-gated families); for ReLU,
inactive and dead are the same units.

Every control of the page is declared here once (DATA, TRAIN, FIXES), beside the configs it fills; the page's
experiments (the run, the fix and PReLU/RReLU from the same weights, the learning-rate sweep and what to say about
them) are here too. The units are measured by labs.deadunits, the points drawn by labs.toydata and the net built by
labs.nets. torch is imported on first use, so reading the declarations costs nothing.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

import activations
from activations import validate
from activations.lookup import activation_and_params, get, known
from i18n import N_, Msg, Nn_, Note, Raw

from . import inits, nets, optim, toydata
from .controls import Choice, Number, Preset, Schema, Steps, seed
from .deadunits import has_negative_side, masks
from .optim import OPTIMIZER_LABELS, OPTIMIZERS
from .progress import Progress, is_long, silent
from .seeding import derived_seed, seeded
from .toydata import DATASET_LABELS, DATASETS

if TYPE_CHECKING:
    import torch
    from torch import nn

INITS: tuple[str, ...] = ("default", "kaiming_normal", "xavier_normal")
BIAS_INITS: tuple[str, ...] = ("default", "constant")
SIZES = (100, 200, 500, 1000, 2000)
UNITS = (4, 8, 16, 32, 64, 128)
LRS = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
KEYS = (*activations.keys_grouped(), activations.OWN)  # OWN: the learner's formula (labs.own)
LEARNED = ("prelu", "rrelu")  # the fixes whose negative slope is not a constant

BOX = 3.0  # the data are standardized, so [-3, 3]^2 shows (almost) all of them
MAX_FRAMES = 500  # steps=1000, record_every=1 and grid=120 would otherwise keep ~60 MB of boundaries
RRELU_SAMPLE = 2000
PAGE_FRAMES = 60  # the page's animation: about this many frames whatever the number of steps
PAGE_GRID = 40  # 40x40 per frame keeps 61 frames under a megabyte; the chart's zsmooth hides the cells

_TRAINING_SALT = 0x7EA1  # RReLU's training slopes: a stream of their own, independent of the weights'
# The cost model (seconds), fitted on one idle core: the page's default run (2 x 64 units, 500 points,
# 300 steps, 61 frames) ~0.2 s, 4 x 128 units with 1,000 points and 1,000 steps ~5-8 s, a 4-unit net ~10 ms.
_SECONDS_PER_MAC, _SECONDS_PER_STEP = 5e-11, 1.5e-4

# ---- the controls ------------------------------------------------------------------------------------------------

# Both normal inits use ReLU's gain √2 = calculate_gain('relu') whatever the activation (see net_spec): the labels
# say so, as the other pages' labels give their gain.
INIT_LABELS = inits.labels(INITS, relu=INITS)

DATA = Schema(
    Choice("dataset", N_("Data set"), N_("2-D toy data, two classes."), "moons", url="data", options=DATASETS,
           labels=DATASET_LABELS),
    Steps("n", N_("Points"), N_("Training points (full batch)."), 500, options=SIZES, cost=True),
    Number("noise", N_("Noise"), N_("Gaussian jitter on the points."), 0.2, low=0.0, high=1.0, step=0.05),
    seed("data_seed", label=N_("Data seed"), help=N_("Same seed, same points.")),
)
TRAIN = Schema(
    Choice("activation", N_("Activation"), N_("The hidden layers' activation."), "relu", url="act", options=KEYS,
           params="{key}."),
    Number("layers", N_("Hidden layers"), N_("1 to 4 hidden layers."), 2, low=1, high=4, step=1, cost=True),
    Steps("units", N_("Units per layer"), N_("Width of each hidden layer."), 64, options=UNITS, cost=True),
    Choice("optimizer", N_("Optimizer"), N_("Full-batch updates."), "sgd", url="opt", options=OPTIMIZERS,
           labels=OPTIMIZER_LABELS),
    Steps("lr", N_("Learning rate"), N_("Too high a step knocks ReLU units off the data for good."), 0.1,
          options=LRS),
    Choice("init", N_("Weight init"),
           N_("How the weights start. He and Xavier both use ReLU's gain √2 = calculate_gain('relu'), whatever the "
              "activation: then every activation, and every fix below, starts from the same weights."),
           "default", options=INITS, labels=INIT_LABELS),
    Choice("bias_init", N_("Bias init"), N_("PyTorch's default, or one value for every bias."), "default",
           url="bias", options=BIAS_INITS, labels=inits.BIAS_LABELS),
    Number("bias_value", N_("Bias value"), N_("A strongly negative bias starts ReLU units off for every point."),
           0.0, low=-10.0, high=10.0, step=0.5, needs=(("bias", ("constant",)),)),
    # Translators: the number of training steps (updates of the weights).
    Number("steps", N_("Steps"), N_("Full-batch training steps."), 300, low=10, high=1000, step=10, cost=True),
    seed("seed", label=N_("Weight seed"), help=N_("Same seed, same initial weights, whatever the activation.")),
)
FIXES = Schema(
    Choice("fix", N_("Compare with"),
           N_("Trained with the same data, seed and initial weights; only the activation differs."), "leaky_relu",
           options=KEYS),
    Choice("learned", N_("Show"), N_("Trained with the same settings and initial weights."), "prelu",
           options=LEARNED, widget="radio"),
)
SCHEMAS = {"data": DATA, "train": TRAIN, "fixes": FIXES}

# How finely a run is recorded: set by the page (PAGE_FRAMES, PAGE_GRID) or a caller, never by a widget.
RECORDING = Schema(
    Number("record_every", "record_every", "", 5, low=1, high=100, step=1),
    Number("grid", "grid", "", 60, low=10, high=120, step=1),
)

# ---- notes -------------------------------------------------------------------------------------------------------

NOT_DATA = N_("The data {raw} are not a data configuration: used the default data.")
TOO_MANY_FRAMES = N_("`record_every` = {every} would record more than {max} frames for {steps} steps: raised to "
                     "{least}.")
DIVERGED = N_("The loss became non-finite at step {step} (learning rate too high): training stopped there, and the "
              "later frames are shown as nan.")
DEAD_AT_END = Nn_("At the end {n} of {total} hidden {name} units is dead ({per_layer}): f′(z) = 0 for every "
                  "training point, so its incoming weights get no gradient.",
                  "At the end {n} of {total} hidden {name} units are dead ({per_layer}): f′(z) = 0 for every "
                  "training point, so their incoming weights get no gradient.")
INACTIVE_AT_END = Nn_("At the end {n} of {total} hidden {name} units is inactive ({per_layer}; dead ones included): "
                      "every training point is on its negative side (z ≤ 0, where |f′(z)| < 1), so at every point "
                      "the gradient reaching its weights is scaled down by |f′(z)|.",
                      "At the end {n} of {total} hidden {name} units are inactive ({per_layer}; dead ones included): "
                      "every training point is on their negative side (z ≤ 0, where |f′(z)| < 1), so at every "
                      "point the gradient reaching their weights is scaled down by |f′(z)|.")
# Translators: one item of a list of layers, e.g. "layer 2: 40%".
LAYER_SHARE = N_("layer {layer}: {share:.0%}")
# Translators: one item of a list of layers, e.g. "layer 2: 0.213" (PReLU's learned slope).
LAYER_SLOPE = N_("layer {layer}: {slope:.3g}")
# Translators: joins two items of a list ("layer 1: 40%, layer 2: 50%"); longer lists repeat it.
LISTED = N_("{first}, {second}")
ALREADY_DEAD = N_("Before any update {share:.0%} of the units were already dead.")
ALREADY_DEAD_BIAS = N_("Before any update {share:.0%} of the units were already dead (bias {bias} puts them off the "
                       "data).")
REVIVED_MOMENTUM = Nn_("{n} first-layer unit was dead at some frame and alive at the end: momentum keeps moving "
                       "weights after their gradient has become zero.",
                       "{n} first-layer units were dead at some frame and alive at the end: momentum keeps moving "
                       "weights after their gradient has become zero.")
REVIVED_SGD = Nn_("{n} first-layer unit was dead at some frame and alive at the end: under plain SGD this needs the "
                  "activation itself to change (PReLU's learned slope).",
                  "{n} first-layer units were dead at some frame and alive at the end: under plain SGD this needs "
                  "the activation itself to change (PReLU's learned slope).")
RRELU_EVAL = N_("RReLU trains with a random negative slope per input from U(lower, upper); the dead units, boundary "
                "and accuracy are measured in evaluation mode, with the fixed slope (lower + upper) / 2.")
STEP_OF = N_("step {step} of {steps}")
SWEEP_STEP = N_("{name}, learning rate {lr:g}, seed {seed} ({done} of {total})")
PRELU_SLOPES = N_("Each layer's slope starts at {init:g} and is learned with the weights; at the end: {slopes}.")
RRELU_SLOPES = N_("In training every negative input gets its own random slope from U(lower, upper); in evaluation "
                  "the slope is fixed at their mean, {slope:.4g}.")
SWEEP_WORST = N_("At worst {first:.0%} of {first_name} units end dead (mean over seeds); {second_name}: "
                 "{second:.0%}.")
SWEEP_WORST_ONE = N_("At worst {first:.0%} of {first_name} units end dead (mean over seeds).")
SWEEP_INACTIVE = N_("At worst {share:.0%} of {name} units end inactive (mean over seeds; dashed line).")
CS231N = N_("CS231n quotes up to 40% with too high a learning rate.")
SWEEP_BLOWN = Nn_("{n} run blew up (loss not finite) and is left out.",
                  "{n} runs blew up (loss not finite) and are left out.")
SWEPT_ON = Nn_("This sweep ran on: {dataset} data, {points} points, noise {noise}, data seed {data_seed}; {n} hidden "
               "layer of {units} units, {optimizer}, weight init {init}, bias init {bias}, {steps} steps.",
               "This sweep ran on: {dataset} data, {points} points, noise {noise}, data seed {data_seed}; {n} hidden "
               "layers of {units} units, {optimizer}, weight init {init}, bias init {bias}, {steps} steps.")
SWEPT_PARAMS = N_("{name} with {params}.")
# Translators: a constant bias init and its value ("constant −3").
CONSTANT_BIAS = N_("constant {value:g}")


def listed(items: Sequence[Note]) -> Note | str:
    """Several notes as one comma-separated list (the separator is a message too)."""
    if not items:
        return ""
    out = items[0]
    for item in items[1:]:
        out = Note.of(LISTED, first=out, second=item)
    return out


# ---- configuration -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DataConfig:
    dataset: str = DATA.dataset.default  # one of DATASETS
    n: int = DATA.n.default  # points, split evenly between the two classes
    noise: float = DATA.noise.default  # std of the Gaussian jitter, in the units the set is drawn in (features ~1)
    data_seed: int = DATA.data_seed.default

    def clamped(self) -> tuple[DataConfig, list[Note]]:
        """Valid name and values (the declaration's), with one note per change."""
        values, notes = DATA.check({c.name: getattr(self, c.name) for c in DATA})
        return DataConfig(**values), notes


def make_data(cfg: DataConfig) -> tuple[np.ndarray, np.ndarray]:
    """X (n, 2) float32 with each column standardized (mean 0, std 1), y (n,) int64 in {0, 1}, half and half."""
    cfg, _ = cfg.clamped()
    return toydata.two_classes(cfg.dataset, cfg.n, cfg.noise, cfg.data_seed)


@dataclass(frozen=True)
class TrainConfig:
    data: DataConfig = field(default_factory=DataConfig)
    activation: str = TRAIN.activation.default  # registry key; its nn module via reference.torch_module
    params: tuple = ()  # sorted (name, value) pairs of the activation's parameters (hashable: a cache key)
    layers: int = TRAIN.layers.default  # hidden layers: layers x [Linear -> activation], then Linear(units, 1)
    units: int = TRAIN.units.default
    optimizer: str = TRAIN.optimizer.default  # one of OPTIMIZERS
    lr: float = TRAIN.lr.default
    init: str = TRAIN.init.default  # one of INITS, for the hidden layers' weights
    bias_init: str = TRAIN.bias_init.default  # "default" (nn.Linear's) | "constant"
    bias_value: float = TRAIN.bias_value.default  # for "constant": negative values provoke death
    steps: int = TRAIN.steps.default
    record_every: int = RECORDING.record_every.default  # a frame every this many steps (plus step 0 and the last)
    grid: int = RECORDING.grid.default  # decision-boundary resolution (grid x grid points on [-3, 3]^2)
    seed: int = TRAIN.seed.default  # weights (the data has its own seed)

    def clamped(self) -> tuple[TrainConfig, list[Note]]:
        """Valid names and values (the declarations'), with one note per change (server-side: never trust the
        caller)."""
        if isinstance(self.data, DataConfig):
            data, notes = self.data.clamped()
        else:
            try:  # a mapping of DataConfig fields
                data, notes = DataConfig(**self.data).clamped()
            except TypeError:
                data, notes = DataConfig(), [Note.of(NOT_DATA, raw=Raw(repr(self.data)))]
        act, resolved, more = activation_and_params(TRAIN.activation.url, self.activation, self.params,
                                                    TRAIN.activation.default)
        values, checked = TRAIN.check({c.name: getattr(self, c.name) for c in TRAIN if c.name != "activation"})
        recording, recorded = RECORDING.check({c.name: getattr(self, c.name) for c in RECORDING})
        notes += more + checked + recorded
        values.pop("activation")
        out = replace(self, data=data, activation=act, params=tuple(sorted(resolved.items())), **values, **recording)
        # at most MAX_FRAMES frames: every frame keeps a grid x grid boundary
        least = math.ceil(out.steps / (MAX_FRAMES - 2))
        if out.record_every < least:
            notes.append(Note.of(TOO_MANY_FRAMES, every=out.record_every, max=MAX_FRAMES, steps=out.steps,
                                 least=least))
            out = replace(out, record_every=least)
        return out, notes

    @property
    def param_dict(self) -> dict:
        return dict(self.params)


def config(values: Mapping, params: Mapping | None = None, record_every: int | None = None,
           grid: int = PAGE_GRID) -> TrainConfig:
    """The TrainConfig of the page's controls (DATA's and TRAIN's values by name, the activation's parameters),
    recorded as the page animates it: about PAGE_FRAMES frames of PAGE_GRID x PAGE_GRID unless told otherwise."""
    data = DataConfig(**{c.name: values.get(c.name, c.default) for c in DATA})
    train = {c.name: values.get(c.name, c.default) for c in TRAIN}
    steps = int(train["steps"])
    every = record_every if record_every is not None else max(1, steps // PAGE_FRAMES)
    return TrainConfig(data=data, params=tuple(sorted((params or {}).items())), record_every=every, grid=grid,
                       **train)


def variant(cfg: TrainConfig, activation: str) -> TrainConfig:
    """The same run with another activation at its default parameters: the same data, seed and initial weights
    (see net_spec), so only the activation differs. Its parameters are spelled out, so the variant of a run at its
    activation's defaults is that run's own config (one training, one cache entry)."""
    key = activation if known(activation) else TRAIN.activation.default
    return replace(cfg, activation=key, params=tuple(sorted(get(key).defaults.items())))


def preset_config(name: str, **over) -> TrainConfig:
    """The TrainConfig of PRESETS[name] (every control it does not name at its default), `over` replacing fields;
    recorded at TrainConfig's own resolution."""
    values = {**DATA.defaults(), **TRAIN.defaults(), **PRESETS[name].values, **over}
    data = DataConfig(**{c.name: values.pop(c.name) for c in DATA})
    return TrainConfig(data=data, **values)


def seconds(cfg: TrainConfig, frames: bool = True) -> float:
    """About how long train(cfg) takes on one core (labs.progress; lr_sweep's runs: frames=False, only the final
    state measured).
    The work grows with points x (units^2 x layers) x steps, plus each frame's pass over the data and the grid."""
    cfg, _ = cfg.clamped()
    per_point = cfg.units * (3 + (cfg.layers - 1) * cfg.units)  # multiply-adds of one forward pass
    k = cfg.steps // cfg.record_every + 2 if frames else 1
    work = 3 * cfg.steps * cfg.data.n * per_point + k * (cfg.data.n + (cfg.grid**2 if frames else 0)) * per_point
    return _SECONDS_PER_MAC * work + _SECONDS_PER_STEP * cfg.steps * cfg.layers


# ---- the network -------------------------------------------------------------------------------------------------

def net_spec(cfg: TrainConfig) -> nets.MLP:
    """layers x [Linear -> activation] on the 2-D points, then Linear(units, 1), which keeps PyTorch's default init
    (the hidden units are what is studied). Build it inside seeded(cfg.seed).

    Every Linear is built before the hidden ones are drawn again, and no init depends on the activation (He and
    Xavier are drawn for a ReLU), so the initial weights are a function of (layers, units, init, bias_init,
    bias_value, seed) only: ReLU and its fixes replay from identical weights."""
    return nets.MLP(inputs=2, depth=cfg.layers, width=cfg.units, outputs=1, activation=cfg.activation,
                    params=cfg.params, init=cfg.init, init_for="relu", bias_init=cfg.bias_init,
                    bias_value=cfg.bias_value, defaults_first=True)


def _forward(spec: nets.MLP, net: nn.Sequential, x: torch.Tensor,
             keep: bool = False) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """Logits (n,), and the pre-activations of every hidden layer if `keep`."""
    pre = []
    h = x
    for z, _, h in nets.trace(spec, net, x):  # noqa: B007 (the last h goes on to the head)
        if keep:
            pre.append(z)
    return nets.head(spec, net)(h).squeeze(1), pre


def _layer_params(cfg: TrainConfig, acts: list[nn.Module]) -> list[dict]:
    """The core's parameters of each layer's activation as the module has them now (PReLU: the learned slope)."""
    if cfg.activation == "prelu":
        return [{"init": float(a.weight.detach()[0])} for a in acts]
    return [cfg.param_dict] * len(acts)


# ---- training ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    X: np.ndarray  # (n, 2) float32, standardized
    y: np.ndarray  # (n,) int64
    steps: np.ndarray  # (k,) recorded steps, starting with 0 (before any update)
    loss: np.ndarray  # (k,) BCE-with-logits on all training points at that step
    accuracy: np.ndarray  # (k,)
    dead_fraction: np.ndarray  # (k, layers): fraction of units of each hidden layer that are dead at that step
    # (k, layers): fraction of units of each hidden layer that are inactive (dead ones included) at that step; None
    # for an activation without a negative side (has_negative_side)
    inactive_fraction: np.ndarray | None
    dead_first: np.ndarray  # (k, units) bool: which first-layer units are dead
    first_w: np.ndarray  # (k, units, 2): first layer weights, to draw each unit's line w·x + b = 0
    first_b: np.ndarray  # (k, units)
    grid_axis: np.ndarray  # (grid,) coordinates on [-3, 3]
    boundary: np.ndarray  # (k, grid, grid) predicted P(class 1) on the grid (row = y, column = x), float32
    prelu_slopes: np.ndarray | None  # (k, layers) the learned PReLU slope of each layer, else None
    rrelu_train_slopes: np.ndarray | None  # a sample (<= 2000) of RReLU's random slopes in the last training step
    rrelu_eval_slope: float | None  # (lower + upper) / 2
    final_dead_fraction: float  # over all hidden units, at the end (nan if the run diverged)
    final_inactive_fraction: float  # the same for inactive units (nan if the run diverged or there is no such side)
    diverged_at: int | None  # the step whose loss was not finite, if any
    notes: tuple[Note, ...]  # what changed in the config, and what to read off the run

    @property
    def final_accuracy(self) -> float:
        """The accuracy of the last finite frame (nan if there is none)."""
        ok = np.isfinite(self.accuracy)
        return float(self.accuracy[ok][-1]) if ok.any() else float("nan")

    @property
    def final_loss(self) -> float:
        """The loss at the end (nan if the run diverged)."""
        return float(self.loss[-1])


def _frame_steps(steps: int, every: int) -> np.ndarray:
    s = np.arange(0, steps + 1, every)
    return s if s[-1] == steps else np.append(s, steps)


def _rrelu_slopes(acts: list[nn.Module], lower: float, upper: float) -> tuple[list, Callable[[], np.ndarray]]:
    """Forward hooks that keep the slope RReLU drew for each negative input of the latest training forward pass.

    nn.RReLU does not expose its noise, so the slope is read back as output / input. The noise is drawn in float32,
    whose nearest values to lower and upper can lie a hair outside them, and the ratio carries float32 rounding:
    the clip to [lower, upper] only undoes those ~1e-8 artefacts."""
    seen: list[torch.Tensor | None] = [None] * len(acts)

    def hook(i: int):
        def keep(module, inputs, output):
            if module.training:
                x = inputs[0].detach()
                neg = x < 0
                seen[i] = (output.detach()[neg].double() / x[neg].double())
        return keep

    handles = [a.register_forward_hook(hook(i)) for i, a in enumerate(acts)]

    def sample() -> np.ndarray:
        import torch

        got = [t for t in seen if t is not None and t.numel()]
        if not got:
            return np.zeros(0)
        allv = torch.cat(got).numpy()
        step = max(1, math.ceil(allv.size / RRELU_SAMPLE))  # deterministic strided sample, all layers pooled
        return np.clip(allv[::step][:RRELU_SAMPLE], lower, upper)

    return handles, sample


def _train(cfg: TrainConfig, X: np.ndarray, y: np.ndarray, frames: bool, progress: Progress | None,
           notes: list[Note]) -> dict:
    """The training loop behind train() and lr_sweep(). `cfg` is clamped. With frames=False only the final state
    is measured (no grid, no per-step arrays): what the sweep needs."""
    import torch
    from torch import nn

    say = progress or silent
    key = cfg.activation
    rec = _frame_steps(cfg.steps, cfg.record_every) if frames else np.array([cfg.steps])
    k = len(rec)
    L, U = cfg.layers, cfg.units
    loss_h, acc_h = np.full(k, np.nan), np.full(k, np.nan)
    dead_frac = np.full((k, L), np.nan)
    sided = has_negative_side(key, cfg.param_dict)
    inactive_frac = np.full((k, L), np.nan)
    dead_first = np.zeros((k, U), dtype=bool)
    first_w = np.full((k, U, 2), np.nan, dtype=np.float32)
    first_b = np.full((k, U), np.nan, dtype=np.float32)
    axis = np.linspace(-BOX, BOX, cfg.grid) if frames else np.zeros(0)
    boundary = np.full((k, cfg.grid, cfg.grid) if frames else (k, 0, 0), np.nan, dtype=np.float32)
    slopes = np.full((k, L), np.nan) if key == "prelu" else None
    dead_all = [np.zeros(0, bool)] * L  # the last measured masks, for the final fraction
    inactive_all = [np.zeros(0, bool)] * L

    xt = torch.from_numpy(X)
    yt = torch.from_numpy(y.astype(np.float32))
    gx, gy = np.meshgrid(axis, axis)  # indexing "xy": row i is y = axis[i], column j is x = axis[j]
    gt = torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32))
    n = len(X)
    xg = torch.cat([xt, gt])  # the points measured in every frame: data first, then the grid
    bce = nn.functional.binary_cross_entropy_with_logits

    stochastic = get(key).stochastic
    spec = net_spec(cfg)
    with seeded(cfg.seed):
        net = nets.build(spec)
    linears = [lin for lin, _, _ in nets.hidden_layers(spec, net)]
    acts = [act for _, act, _ in nets.hidden_layers(spec, net)]
    params = [p for p in net.parameters() if p.requires_grad]
    opt = optim.make(cfg.optimizer, params, cfg.lr)
    handles, rrelu_sample = (_rrelu_slopes(acts, *(cfg.param_dict[b] for b in ("lower", "upper")))
                             if key == "rrelu" else ([], None))

    def measure(i: int) -> bool:
        """Record frame i in eval mode (RReLU: its fixed slope); False if the loss is not finite."""
        net.eval()
        with torch.no_grad():
            # one forward pass through the data and the grid together: half the per-frame overhead
            logits, pre = _forward(spec, net, xg, keep=True)
            logits, pre, grid_logits = logits[:n], [z[:n] for z in pre], logits[n:]
            lv = float(bce(logits, yt).item())
            if not math.isfinite(lv):
                return False
            loss_h[i] = lv
            acc_h[i] = float(((logits > 0) == (yt > 0.5)).float().mean().item())
            for layer, (z, p) in enumerate(zip(pre, _layer_params(cfg, acts), strict=True)):
                dead, inactive = masks(z.numpy(), key, p, inactive=sided)
                dead_all[layer] = dead
                dead_frac[i, layer] = dead.mean()
                if sided:
                    inactive_all[layer] = inactive
                    inactive_frac[i, layer] = inactive.mean()
            dead_first[i] = dead_all[0]
            first_w[i] = linears[0].weight.detach().numpy()
            first_b[i] = linears[0].bias.detach().numpy()
            if slopes is not None:
                slopes[i] = [float(a.weight.detach()[0]) for a in acts]
            if frames:
                boundary[i] = torch.sigmoid(grid_logits).reshape(cfg.grid, cfg.grid).numpy()
        net.train()
        return True

    diverged_at: int | None = None
    say(0.0, None)
    report_every = max(1, cfg.steps // 5)
    frame = 0
    # RReLU draws its training slopes from the global generator: hold the lock (and a seeded fork) while training
    with seeded(derived_seed(cfg.seed, _TRAINING_SALT)) if stochastic else nullcontext():
        net.train()
        for s in range(cfg.steps + 1):
            if frame < k and rec[frame] == s:
                if not measure(frame):
                    diverged_at = s
                    break
                frame += 1
            if s == cfg.steps:
                break
            opt.zero_grad(set_to_none=True)
            loss = bce(_forward(spec, net, xt)[0], yt)
            if not math.isfinite(float(loss.detach().item())):
                diverged_at = s
                break
            loss.backward()
            opt.step()
            if progress is not None and (s + 1) % report_every == 0:
                say((s + 1) / cfg.steps, Note.of(STEP_OF, step=s + 1, steps=cfg.steps))
    for h in handles:
        h.remove()
    if diverged_at is not None:
        notes.append(Note.of(DIVERGED, step=diverged_at))
    final = (float(np.concatenate(dead_all).mean()) if diverged_at is None else float("nan"))
    final_inactive = (float(np.concatenate(inactive_all).mean()) if diverged_at is None and sided else float("nan"))
    rrelu_slopes = rrelu_sample() if rrelu_sample is not None else None
    say(1.0, None)
    return dict(
        steps=rec, loss=loss_h, accuracy=acc_h, dead_fraction=dead_frac, dead_first=dead_first,
        inactive_fraction=inactive_frac if sided else None, final_inactive_fraction=final_inactive,
        first_w=first_w, first_b=first_b, grid_axis=axis, boundary=boundary, prelu_slopes=slopes,
        rrelu_train_slopes=rrelu_slopes, final_dead_fraction=final, diverged_at=diverged_at,
    )


def _summary(cfg: TrainConfig, out: dict) -> list[Note]:
    """What a learner should read off the run."""
    notes = []
    name = get(cfg.activation).name
    if out["diverged_at"] is None:
        total = cfg.layers * cfg.units
        dead = round(out["final_dead_fraction"] * total)
        per_layer = listed([Note.of(LAYER_SHARE, layer=i + 1, share=float(f))
                            for i, f in enumerate(out["dead_fraction"][-1])])
        notes.append(Note.count(DEAD_AT_END, dead, total=total, name=name, per_layer=per_layer))
        if out["inactive_fraction"] is not None:
            inactive = round(out["final_inactive_fraction"] * total)
            if inactive != dead:  # ReLU: the same units, said once
                shares = listed([Note.of(LAYER_SHARE, layer=i + 1, share=float(f))
                                 for i, f in enumerate(out["inactive_fraction"][-1])])
                notes.append(Note.count(INACTIVE_AT_END, inactive, total=total, name=name, per_layer=shares))
        start = out["dead_fraction"][0]
        if len(out["steps"]) > 1 and np.nanmax(start) > 0:
            share = float(np.nanmean(start))
            notes.append(Note.of(ALREADY_DEAD_BIAS, share=share, bias=cfg.bias_value)
                         if cfg.bias_init == "constant" and cfg.bias_value < 0 else Note.of(ALREADY_DEAD, share=share))
        d = out["dead_first"]
        revived = int(np.sum(d[:-1].any(axis=0) & ~d[-1])) if len(d) > 1 else 0
        if revived:
            notes.append(Note.count(REVIVED_MOMENTUM if cfg.optimizer != "sgd" else REVIVED_SGD, revived))
    if cfg.activation == "rrelu":
        notes.append(Note.of(RRELU_EVAL))
    return notes


def train(cfg: TrainConfig, progress: Progress | None = None) -> Run:
    """Train layers x [Linear -> activation] + Linear(units, 1) on the 2-D data with full-batch BCE-with-logits, and
    record loss, accuracy, dead units, first-layer lines and the decision boundary every `record_every` steps."""
    cfg, clamp_notes = cfg.clamped()
    notes = list(clamp_notes)
    X, y = make_data(cfg.data)
    out = _train(cfg, X, y, frames=True, progress=progress, notes=notes)
    notes.extend(_summary(cfg, out))
    eval_slope = inits.negative_slope(cfg.activation, cfg.param_dict) if cfg.activation == "rrelu" else None
    return Run(
        X=X, y=y, steps=out["steps"], loss=out["loss"], accuracy=out["accuracy"],
        dead_fraction=out["dead_fraction"], inactive_fraction=out["inactive_fraction"],
        final_inactive_fraction=out["final_inactive_fraction"], dead_first=out["dead_first"], first_w=out["first_w"],
        first_b=out["first_b"], grid_axis=out["grid_axis"], boundary=out["boundary"],
        prelu_slopes=out["prelu_slopes"], rrelu_train_slopes=out["rrelu_train_slopes"], rrelu_eval_slope=eval_slope,
        final_dead_fraction=out["final_dead_fraction"], diverged_at=out["diverged_at"], notes=tuple(notes),
    )


def trains_alongside(cfg: TrainConfig) -> bool:
    """Whether train(cfg) may run in the background while another training runs: short (no progress bar to
    show) and not stochastic (RReLU holds the RNG lock for its whole training, so the other would wait)."""
    return not is_long(seconds(cfg)) and not get(cfg.activation).stochastic


def prelu_summary(run: Run) -> Note:
    """PReLU's learned slopes at the end, layer by layer."""
    slopes = listed([Note.of(LAYER_SLOPE, layer=i + 1, slope=float(v)) for i, v in enumerate(run.prelu_slopes[-1])])
    return Note.of(PRELU_SLOPES, init=get("prelu").defaults["init"], slopes=slopes)


def rrelu_summary(run: Run) -> Note:
    return Note.of(RRELU_SLOPES, slope=run.rrelu_eval_slope)


# ---- learning-rate sweep -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sweep:
    lrs: np.ndarray  # (m,)
    activations: tuple[str, ...]
    seeds: tuple[int, ...]
    dead: np.ndarray  # (a, m, s) final dead fraction (all hidden units); nan where the run diverged
    # (a, m, s) final inactive fraction (dead included); nan where the run diverged or the activation has no
    # negative side
    inactive: np.ndarray
    accuracy: np.ndarray  # (a, m, s) final accuracy; nan where the run diverged


SWEEP_LRS = np.logspace(-3, 1, 8)  # 0.001 ... 10, the page's default (read-only: lr_sweep copies what it is given)
SWEEP_ACTIVATIONS = ("relu", "leaky_relu")
SWEEP_SEEDS = (0, 1, 2)
SWEEP_RUNS = len(SWEEP_LRS) * len(SWEEP_ACTIVATIONS) * len(SWEEP_SEEDS)


def _sweep_params(base: TrainConfig, act: str) -> tuple:
    return base.params if act == base.activation else tuple(sorted(get(act).defaults.items()))


def sweep_axes(lrs=SWEEP_LRS, activations=SWEEP_ACTIVATIONS, seeds=SWEEP_SEEDS
               ) -> tuple[np.ndarray, tuple[str, ...], tuple[int, ...]]:
    """The sweep's learning rates, activations and weight seeds, checked: any rate inside the slider's span (not
    only its steps), known activations (else ReLU), seeds in the seed control's range (else its default)."""
    low, high = min(TRAIN.lr.options), max(TRAIN.lr.options)
    lrs = np.array([validate.number("lr", v, low, high, TRAIN.lr.default)[0] for v in np.atleast_1d(lrs)],
                   dtype=np.float64)
    acts = tuple(a for a in activations if known(a)) or ("relu",)
    s = TRAIN.seed
    seed_list = tuple(int(validate.number(s.url, v, s.low, s.high, s.default, True)[0]) for v in seeds) or (0,)
    return lrs, acts, seed_list


def sweep_parts(lrs=SWEEP_LRS, activations=SWEEP_ACTIVATIONS, seeds=SWEEP_SEEDS) -> list[tuple[str, float, tuple]]:
    """The sweep as independent parts, one per (activation, learning rate), each over every seed: the page spreads
    them over the workers (ui.cache.lab_parts); sweep_part computes one, sweep_assemble puts them together."""
    lrs, acts, seed_list = sweep_axes(lrs, activations, seeds)
    return [(act, float(lr), seed_list) for act in acts for lr in lrs]


def sweep_part(base: TrainConfig, act: str, lr: float, seeds: tuple[int, ...], progress: Progress | None = None,
               first: int = 0, total: int | None = None) -> np.ndarray:
    """(3, seeds) final dead fraction, inactive fraction and accuracy of `act` at rate `lr` for each weight seed on
    base's data and net; progress(fraction of this part, note) after each run, the note counting runs from `first`
    of `total`."""
    say = progress or silent
    base, _ = base.clamped()
    X, y = make_data(base.data)
    out = np.full((3, len(seeds)), np.nan)
    params = _sweep_params(base, act)
    for j, weight_seed in enumerate(seeds):
        cfg = replace(base, activation=act, params=params, lr=float(lr), seed=weight_seed)
        run = _train(cfg, X, y, frames=False, progress=None, notes=[])
        out[:, j] = run["final_dead_fraction"], run["final_inactive_fraction"], run["accuracy"][-1]
        say((j + 1) / len(seeds), Note.of(SWEEP_STEP, name=get(act).name, lr=float(lr), seed=weight_seed,
                                          done=first + j + 1, total=total or len(seeds)))
    return out


def sweep_jobs(base: TrainConfig, lrs=SWEEP_LRS, activations=SWEEP_ACTIVATIONS, seeds=SWEEP_SEEDS
               ) -> list[tuple[tuple, Callable[..., np.ndarray]]]:
    """(key, call) of each sweep part, in sweep_parts' order: what ui.cache.lab_parts runs on the workers (the key:
    its settings; the call: sweep_part of them, its notes counting the runs of the whole sweep)."""
    parts = sweep_parts(lrs, activations, seeds)
    per = len(parts[0][2])
    return [((base, act, lr, part_seeds), partial(sweep_part, base, act, lr, part_seeds, first=n * per,
                                                  total=per * len(parts)))
            for n, (act, lr, part_seeds) in enumerate(parts)]


def sweep_assemble(parts: list[tuple[str, float, tuple]], results: list[np.ndarray]) -> Sweep:
    """The Sweep from sweep_parts' parts and their sweep_part results, in that order."""
    acts = tuple(dict.fromkeys(act for act, _, _ in parts))
    lrs = np.array(list(dict.fromkeys(lr for _, lr, _ in parts)), dtype=np.float64)
    seeds = parts[0][2]
    cube = np.stack(results).reshape(len(acts), len(lrs), 3, len(seeds))
    return Sweep(lrs=lrs, activations=acts, seeds=seeds, dead=cube[:, :, 0], inactive=cube[:, :, 1],
                 accuracy=cube[:, :, 2])


def lr_sweep(base: TrainConfig, lrs=SWEEP_LRS, activations=SWEEP_ACTIVATIONS, seeds=SWEEP_SEEDS,
             progress: Progress | None = None) -> Sweep:
    """Final dead fraction and accuracy for every (activation, learning rate, weight seed), on base's data and net
    (base's own learning rate, seed and activation are not used; its activation's parameters are, if it is one of
    `activations`), one part after another here (the page spreads them: sweep_parts). Each run measures only its
    final state; progress(fraction, note) after each run."""
    say = progress or silent
    jobs = sweep_jobs(base, lrs, activations, seeds)
    results = [call(progress=lambda f, note, n=n: say((n + f) / len(jobs), note)) for n, (_, call) in enumerate(jobs)]
    return sweep_assemble(sweep_parts(lrs, activations, seeds), results)


def sweep_base(cfg: TrainConfig, activations: Sequence[str] = SWEEP_ACTIVATIONS) -> TrainConfig:
    """What lr_sweep(cfg) depends on, and nothing else: two configs with the same sweep_base have the same sweep
    (so the page keys the sweep by it, and a change of learning rate or seed above keeps it)."""
    cfg, _ = cfg.clamped()
    d = TrainConfig()
    act, params = d.activation, ()
    if cfg.activation in activations and cfg.params != tuple(sorted(get(cfg.activation).defaults.items())):
        act, params = cfg.activation, cfg.params  # a swept activation with its own parameters
    return replace(cfg, activation=act, params=params, lr=d.lr, seed=d.seed, record_every=d.record_every,
                   grid=d.grid, bias_value=cfg.bias_value if cfg.bias_init == "constant" else d.bias_value)


def worst_dead(sweep: Sweep, inactive: bool = False) -> np.ndarray:
    """(a,) for each activation, the largest mean over seeds of the final dead (or inactive) fraction (nan: every
    run blew up, or no inactive share is measured)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an activation whose runs all diverged: nan, said so
        return np.nanmax(np.nanmean(sweep.inactive if inactive else sweep.dead, axis=2), axis=1)


def shows_inactive(sweep: Sweep, a: int) -> bool:
    """Whether activation a's inactive share says more than its dead share (not for ReLU: the same units); the
    sweep's chart draws it on the same condition (charts.dying.says_more)."""
    inactive = sweep.inactive[a]
    return bool(np.isfinite(inactive).any()) and not np.array_equal(inactive, sweep.dead[a], equal_nan=True)


def sweep_summary(sweep: Sweep) -> list[Note]:
    """What to read off the sweep: the worst dead share of each activation, the worst inactive share of those where
    it differs, and the runs that blew up."""
    worst = worst_dead(sweep)
    names = [get(a).name for a in sweep.activations]
    if len(names) >= 2:
        notes = [Note.of(SWEEP_WORST, first=float(worst[0]), first_name=names[0], second=float(worst[1]),
                         second_name=names[1])]
    else:
        notes = [Note.of(SWEEP_WORST_ONE, first=float(worst[0]), first_name=names[0])]
    notes.append(Note.of(CS231N))
    inactive = worst_dead(sweep, inactive=True)
    notes += [Note.of(SWEEP_INACTIVE, share=float(inactive[a]), name=names[a])
              for a in range(len(names)) if shows_inactive(sweep, a)]
    blown = int(np.isnan(sweep.dead).sum())
    if blown:
        notes.append(Note.count(SWEEP_BLOWN, blown))
    return notes


def sweep_settings(base: TrainConfig, activations: Sequence[str] = SWEEP_ACTIVATIONS) -> list[Note]:
    """The settings a sweep of `base` ran on, in words (everything the sweep does not vary itself)."""
    cfg = sweep_base(base, activations)
    bias = (Note.of(CONSTANT_BIAS, value=cfg.bias_value) if cfg.bias_init == "constant"
            else Msg(inits.BIAS_LABELS[cfg.bias_init]))
    notes = [Note.count(SWEPT_ON, cfg.layers, dataset=Msg(DATASET_LABELS[cfg.data.dataset]), points=cfg.data.n,
                        noise=cfg.data.noise, data_seed=cfg.data.data_seed, units=cfg.units,
                        optimizer=Msg(OPTIMIZER_LABELS[cfg.optimizer]), init=Msg(INIT_LABELS[cfg.init]), bias=bias,
                        steps=cfg.steps)]
    if cfg.params:
        shown = ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in cfg.params)
        notes.append(Note.of(SWEPT_PARAMS, name=get(cfg.activation).name, params=Raw(shown)))
    return notes


def sweep_seconds(base: TrainConfig) -> float:
    """About how long lr_sweep(base) takes: SWEEP_RUNS trainings with no frames."""
    return SWEEP_RUNS * seconds(sweep_base(base), frames=False)


# ---- presets -----------------------------------------------------------------------------------------------------

# Tuned on the default data (moons, n 500, noise 0.2, data seed 0), 2 x 64 units, 300 steps, weight seed 0 (the page
# resets every control a preset does not name, so a preset's text is read at seed 0; each claim was checked at seeds
# 0-3 too, and tests/test_dying.py tests every clause); values sit on the page's slider stops. Measured with torch on
# one thread, as the app runs it (labs.seeding.one_thread); seeds 0, 1, 2, 3:
#   healthy         SGD lr 0.1:          ReLU dead 7%, 8%, 9%, 6% (most of them dead at step 0); accuracy 91-93%
#   high-lr         Adam lr 0.3:         ReLU dead 40%, 52%, 59%, 32% (seeds 4-7: 33-54%; across CPUs
#                                        29-33% at seed 3: "a quarter or more"; the lesson's "30% or more" is seed
#                                        0's, 42-51%),
#                                        accuracy 98-99.6% ("above 95%": the wide net on the moons affords them);
#                                        LeakyReLU dead 0%, inactive 32%, 32%, 30%, 43%; across CPUs' float
#                                        kernels (AVX-512, AVX2, no SIMD, MKL_CBWR=COMPATIBLE) 20-27% at seed 0 and
#                                        30-46% at seeds 1-3 ("one in ten or more": Adam at 0.3 amplifies the
#                                        last bits),
#                                        accuracy 98-99%. (Plain SGD needs lr 5, off the slider; lr 10 diverges for
#                                        LeakyReLU.)
#   narrow-high-lr  Adam lr 0.3, 8 units, spiral: ReLU dead 38%, 62%, 56%, 44% ("a third or more"), accuracy 85%,
#                                        76%, 74%, 73%; the same net at Adam lr 0.03: 91%, 90%, 91%, 85%; LeakyReLU
#                                        at lr 0.3: 90%, 93%, 84%, 93% (both higher at every seed, by 4.6-20
#                                        points). At 64 units the spiral costs 0.4-3 points (92-94% vs 94-96%).
#   negative-bias   Adam lr 0.01, bias -3: ReLU 100% dead from step 0, accuracy 50% (a constant output);
#                                        LeakyReLU 0% dead, 100% inactive at step 0, 1-8% at the end, accuracy
#                                        96-97%: Adam rescales its 0.01-sized gradients into full steps, which SGD
#                                        does not (SGD lr 0.1 leaves every unit inactive to the end, accuracy 50%,
#                                        71%, 51%, 50%: 20 points or more below Adam's).
# A preset names controls of DATA and TRAIN; every other one of them goes back to its default (the fixes below the
# run keep theirs).
# What a preset's run showed, under it (labs.lessons.MEASURES fill it); the preset's own text only asks.
SHOWS = N_("{dead} of the units ended dead, and the accuracy is {accuracy}.")
PRESETS: dict[str, Preset] = {
    "healthy": Preset(
        N_("Healthy ReLU"),
        N_("Plain SGD at a moderate rate: how many units die, and does the net learn the moons? Every other control "
           "goes back to its default."),
        {"activation": "relu", "optimizer": "sgd", "lr": 0.1, "bias_init": "default", "dataset": "moons"},
        shows=SHOWS),
    "high-lr": Preset(
        N_("ReLU, learning rate too high"),
        N_("Adam's steps at learning rate 0.3 on a wide net (64 units per layer) and easy data (the moons): how many "
           "ReLU units die, and what does it cost? Every other control goes back to its default."),
        {"activation": "relu", "optimizer": "adam", "lr": 0.3, "bias_init": "default", "dataset": "moons"},
        shows=SHOWS),
    "narrow-high-lr": Preset(
        N_("Narrow net, learning rate too high"),
        N_("The same too-high rate on a narrow net (8 units per layer) and harder data (the spiral): how do its dead "
           "units and accuracy compare with the wide net's, and with LeakyReLU's from the same start below? Every "
           "other control goes back to its default."),
        {"activation": "relu", "optimizer": "adam", "lr": 0.3, "units": 8, "bias_init": "default",
         "dataset": "spiral"}, shows=SHOWS),
    "negative-bias": Preset(
        N_("ReLU, negative bias"),
        N_("Every bias starts at −3: which side of its line is each unit's data on before the first update? Every "
           "other control goes back to its default."),
        {"activation": "relu", "optimizer": "adam", "lr": 0.01, "bias_init": "constant", "bias_value": -3.0,
         "dataset": "moons"}, shows=SHOWS),
    "leaky-fix": Preset(
        N_("LeakyReLU fix"),
        N_("The too-high learning rate with LeakyReLU, whose f′ is never 0: can a unit still die? Look at the "
           "inactive units too. Every other control goes back to its default."),
        {"activation": "leaky_relu", "optimizer": "adam", "lr": 0.3, "bias_init": "default", "dataset": "moons"},
        shows=N_("{dead} of the units ended dead and {inactive} inactive, and the accuracy is {accuracy}.")),
}
