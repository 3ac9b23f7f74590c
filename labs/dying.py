"""Dying ReLU: a small MLP learns 2-D toy data while we watch hidden units die, and the fixes from the same start.

A hidden unit is dead when its activation's derivative is 0 at its pre-activation for EVERY training point: then
no gradient reaches its incoming weights and bias, so (without momentum) nothing can ever move them again. The
derivative is the core's spec.df, so the definition holds for every activation in the registry (ReLU6, Hardtanh,
Threshold... can die too; LeakyReLU, ELU, GELU... never do).
Only the Dying-ReLU page imports this module (on demand), so torch is imported at the top here.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace

import numpy as np
import torch
from torch import nn

# One lock for the whole process: gradflow and this module both seed and draw from torch's global generator
# (nn.Linear's init, nn.init, RReLU's training slopes), and Streamlit runs sessions in threads.
from activations import bounds
from .gradflow import _RNG_LOCK
from activations.reference import torch_module
from activations.registry import REGISTRY, get

Progress = Callable[[float, str], None]

DATASETS: tuple[str, ...] = ("moons", "circles", "spiral", "xor", "blobs")
OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam")  # momentum = SGD(momentum=0.9)
INITS: tuple[str, ...] = ("default", "kaiming_normal", "xavier_normal")
BIAS_INITS: tuple[str, ...] = ("default", "constant")
LIMITS: dict[str, tuple] = {
    "n": (50, 2000), "noise": (0.0, 1.0), "layers": (1, 4), "units": (4, 128), "lr": (1e-4, 10.0),
    "bias_value": (-10.0, 10.0), "steps": (1, 2000), "record_every": (1, 100), "seed": (0, 2**31 - 1),
    "grid": (10, 120),
}
_INTEGER = {"n", "layers", "units", "steps", "record_every", "seed", "grid"}
BOX = 3.0  # the data are standardized, so [-3, 3]^2 shows (almost) all of them
MAX_FRAMES = 500  # steps=2000, record_every=1 and grid=120 would otherwise keep ~120 MB of boundaries
RRELU_SAMPLE = 2000

# Stochastic modules draw from torch's global generator while training; the others only while being built.
_STOCHASTIC = frozenset({"rrelu"})


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    with _RNG_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def _derived_seed(seed: int, salt: int) -> int:
    """A stream independent of `seed`'s own: torch.manual_seed(seed) twice would replay the weights' draws."""
    return int(np.random.SeedSequence([seed, salt]).generate_state(1, np.uint64)[0] >> np.uint64(1))


# ---- configuration -----------------------------------------------------------------------------------------------

def _number(name: str, value, default: float, notes: list[str]) -> float | int:
    """`value` coerced to a finite number within LIMITS[name]; one note for every change."""
    return bounds.number(name, value, default, *LIMITS[name], name in _INTEGER, notes)


def _choice(name: str, value, choices: tuple[str, ...], default: str, notes: list[str]) -> str:
    return bounds.choice(name, value, choices, default, notes)


@dataclass(frozen=True)
class DataConfig:
    name: str = "moons"  # one of DATASETS
    n: int = 500  # points, split evenly between the two classes
    noise: float = 0.2  # std of the Gaussian jitter, in the units the set is drawn in (its features are ~1)
    seed: int = 0

    def clamped(self) -> tuple[DataConfig, list[str]]:
        """Valid name and values within LIMITS, with one message per change."""
        notes: list[str] = []
        d = DataConfig()
        out = DataConfig(
            name=_choice("data", self.name, DATASETS, d.name, notes),
            n=_number("n", self.n, d.n, notes), noise=_number("noise", self.noise, d.noise, notes),
            seed=_number("seed", self.seed, d.seed, notes),
        )
        return out, notes


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


def make_data(cfg: DataConfig) -> tuple[np.ndarray, np.ndarray]:
    """X (n, 2) float32 with each column standardized (mean 0, std 1), y (n,) int64 in {0, 1}, half and half."""
    cfg, _ = cfg.clamped()
    rng = np.random.default_rng(np.random.SeedSequence([cfg.seed, 0xDA7A]))
    n0 = cfg.n // 2
    n1 = cfg.n - n0
    X = _MAKERS[cfg.name](rng, n0, n1)
    X = X + cfg.noise * rng.standard_normal(X.shape)
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    order = rng.permutation(cfg.n)  # interleave the classes: the arrays read like a sample, not two blocks
    X, y = X[order], y[order]
    std = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return X.astype(np.float32), y


@dataclass(frozen=True)
class TrainConfig:
    data: DataConfig = field(default_factory=DataConfig)
    activation: str = "relu"  # registry key; its nn module via reference.torch_module
    params: tuple = ()  # sorted (name, value) pairs of the activation's parameters (hashable: a cache key)
    layers: int = 2  # hidden layers: layers x [Linear -> activation], then Linear(units, 1)
    units: int = 64
    optimizer: str = "sgd"  # one of OPTIMIZERS
    lr: float = 0.1
    init: str = "default"  # one of INITS, for the hidden layers' weights
    bias_init: str = "default"  # "default" (nn.Linear's) | "constant"
    bias_value: float = 0.0  # for "constant": negative values provoke death
    steps: int = 300
    record_every: int = 5  # a frame every this many steps (plus step 0 and the last step)
    grid: int = 60  # decision-boundary resolution (grid x grid points on [-3, 3]^2)
    seed: int = 0  # weights (the data has its own seed)

    def clamped(self) -> tuple[TrainConfig, list[str]]:
        """Valid names and values within LIMITS, with one message per change (server-side: never trust the caller)."""
        d = TrainConfig()
        if isinstance(self.data, DataConfig):
            data, notes = self.data.clamped()
        elif isinstance(self.data, Mapping):  # a preset's dict of DataConfig fields
            try:
                data, notes = DataConfig(**self.data).clamped()
            except TypeError:
                data, notes = d.data, [f"data {dict(self.data)!r} has unknown fields: used the default data."]
        else:
            data, notes = d.data, [f"data {self.data!r} is not a DataConfig: used the default data."]
        act, resolved = bounds.activation_and_params(self.activation, self.params, d.activation, notes)
        out = replace(
            self, data=data, activation=act, params=tuple(sorted(resolved.items())),
            optimizer=_choice("optimizer", self.optimizer, OPTIMIZERS, d.optimizer, notes),
            init=_choice("init", self.init, INITS, d.init, notes),
            bias_init=_choice("bias_init", self.bias_init, BIAS_INITS, d.bias_init, notes),
            **{name: _number(name, getattr(self, name), getattr(d, name), notes)
               for name in ("layers", "units", "lr", "bias_value", "steps", "record_every", "grid", "seed")},
        )
        # at most MAX_FRAMES frames: every frame keeps a grid x grid boundary
        least = math.ceil(out.steps / (MAX_FRAMES - 2))
        if out.record_every < least:
            notes.append(f"record_every = {out.record_every} would record more than {MAX_FRAMES} frames for "
                         f"{out.steps} steps: raised to {least}.")
            out = replace(out, record_every=least)
        return out, notes

    @property
    def param_dict(self) -> dict:
        return dict(self.params)


# ---- dead units --------------------------------------------------------------------------------------------------

def _dead_mask(z: np.ndarray, activation: str, params: Mapping) -> np.ndarray:
    """(units,) bool: f'(z) == 0 in every row of z (rows = points, columns = units). `params` are passed to the
    core's df as they are (PReLU's learned slope may leave the slider range)."""
    if z.shape[0] == 0:
        return np.zeros(z.shape[1], dtype=bool)
    return np.all(get(activation).df(z, **params) == 0, axis=0)


def count_dead(weights: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray, activation: str = "relu",
               params: dict | None = None) -> list[np.ndarray]:
    """Pure NumPy, for hand-set weights: weights[l] = (W (out, in), b (out,)) of hidden layer l. X goes through the
    hidden layers with the core's f (float64); per layer, a bool array "unit is dead" (f'(z) == 0 for every row)."""
    spec = get(activation)
    p = spec.resolve(params)[0]
    h = np.asarray(X, dtype=np.float64)
    out = []
    for W, b in weights:
        z = h @ np.asarray(W, dtype=np.float64).T + np.asarray(b, dtype=np.float64)
        out.append(_dead_mask(z, activation, p))
        h = spec.f(z, **p)
    return out


# ---- the network -------------------------------------------------------------------------------------------------

def _build(cfg: TrainConfig) -> tuple[list[nn.Linear], list[nn.Module], nn.Linear]:
    """Hidden Linears, activation modules, head. Must be called inside _seeded(cfg.seed).

    Every Linear is created and initialized before any activation module, and no init depends on the activation,
    so the initial weights are a function of (layers, units, init, bias_init, bias_value, seed) only: ReLU and its
    fixes replay from identical weights."""
    linears = [nn.Linear(2 if i == 0 else cfg.units, cfg.units) for i in range(cfg.layers)]
    head = nn.Linear(cfg.units, 1)  # keeps PyTorch's default init: the hidden units are what is studied
    with torch.no_grad():
        for lin in linears:
            if cfg.init == "kaiming_normal":
                # He for a ReLU whatever the activation: an activation-dependent gain would break the replay
                nn.init.kaiming_normal_(lin.weight, mode="fan_in", nonlinearity="relu")
            elif cfg.init == "xavier_normal":
                nn.init.xavier_normal_(lin.weight)  # gain 1, PyTorch's default, for the same reason
            if cfg.bias_init == "constant":
                nn.init.constant_(lin.bias, cfg.bias_value)
    acts = [torch_module(cfg.activation, cfg.param_dict) for _ in range(cfg.layers)]
    return linears, acts, head


def _forward(linears, acts, head, x: torch.Tensor, keep: bool = False) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """Logits (n,), and the pre-activations of every hidden layer if `keep`."""
    pre = []
    h = x
    for lin, act in zip(linears, acts, strict=True):
        z = lin(h)
        if keep:
            pre.append(z)
        h = act(z)
    return head(h).squeeze(1), pre


def _optimizer(cfg: TrainConfig, params: list[nn.Parameter]) -> torch.optim.Optimizer:
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, lr=cfg.lr)
    return torch.optim.SGD(params, lr=cfg.lr, momentum=0.9 if cfg.optimizer == "momentum" else 0.0)


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
    dead_first: np.ndarray  # (k, units) bool: which first-layer units are dead
    first_w: np.ndarray  # (k, units, 2): first layer weights, to draw each unit's line w·x + b = 0
    first_b: np.ndarray  # (k, units)
    grid_axis: np.ndarray  # (grid,) coordinates on [-3, 3]
    boundary: np.ndarray  # (k, grid, grid) predicted P(class 1) on the grid (row = y, column = x), float32
    prelu_slopes: np.ndarray | None  # (k, layers) the learned PReLU slope of each layer, else None
    rrelu_train_slopes: np.ndarray | None  # a sample (<= 2000) of RReLU's random slopes in the last training step
    rrelu_eval_slope: float | None  # (lower + upper) / 2
    final_dead_fraction: float  # over all hidden units, at the end
    notes: tuple[str, ...]


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
        got = [t for t in seen if t is not None and t.numel()]
        if not got:
            return np.zeros(0)
        allv = torch.cat(got).numpy()
        step = max(1, math.ceil(allv.size / RRELU_SAMPLE))  # deterministic strided sample, all layers pooled
        return np.clip(allv[::step][:RRELU_SAMPLE], lower, upper)

    return handles, sample


def _train(cfg: TrainConfig, X: np.ndarray, y: np.ndarray, frames: bool, progress: Progress | None,
           notes: list[str]) -> dict:
    """The training loop behind train() and lr_sweep(). `cfg` is clamped. With frames=False only the final state
    is measured (no grid, no per-step arrays): what the sweep needs."""
    say = progress or (lambda fraction, text: None)
    key = cfg.activation
    rec = _frame_steps(cfg.steps, cfg.record_every) if frames else np.array([cfg.steps])
    k = len(rec)
    L, U = cfg.layers, cfg.units
    loss_h, acc_h = np.full(k, np.nan), np.full(k, np.nan)
    dead_frac = np.full((k, L), np.nan)
    dead_first = np.zeros((k, U), dtype=bool)
    first_w = np.full((k, U, 2), np.nan, dtype=np.float32)
    first_b = np.full((k, U), np.nan, dtype=np.float32)
    axis = np.linspace(-BOX, BOX, cfg.grid) if frames else np.zeros(0)
    boundary = np.full((k, cfg.grid, cfg.grid) if frames else (k, 0, 0), np.nan, dtype=np.float32)
    slopes = np.full((k, L), np.nan) if key == "prelu" else None
    dead_all = [np.zeros(0, bool)] * L  # the last measured masks, for the final fraction

    xt = torch.from_numpy(X)
    yt = torch.from_numpy(y.astype(np.float32))
    gx, gy = np.meshgrid(axis, axis)  # indexing "xy": row i is y = axis[i], column j is x = axis[j]
    gt = torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32))
    n = len(X)
    xg = torch.cat([xt, gt])  # the points measured in every frame: data first, then the grid
    bce = nn.functional.binary_cross_entropy_with_logits

    stochastic = key in _STOCHASTIC
    with _seeded(cfg.seed):
        linears, acts, head = _build(cfg)
    modules = nn.ModuleList([*linears, *acts, head])
    params = [p for p in modules.parameters() if p.requires_grad]
    opt = _optimizer(cfg, params)
    handles, rrelu_sample = (_rrelu_slopes(acts, *(cfg.param_dict[b] for b in ("lower", "upper")))
                             if key == "rrelu" else ([], None))

    def measure(i: int) -> bool:
        """Record frame i in eval mode (RReLU: its fixed slope); False if the loss is not finite."""
        modules.eval()
        with torch.no_grad():
            # one forward pass through the data and the grid together: half the per-frame overhead
            logits, pre = _forward(linears, acts, head, xg, keep=True)
            logits, pre, grid_logits = logits[:n], [z[:n] for z in pre], logits[n:]
            lv = float(bce(logits, yt).item())
            if not math.isfinite(lv):
                return False
            loss_h[i] = lv
            acc_h[i] = float(((logits > 0) == (yt > 0.5)).float().mean().item())
            for layer, (z, p) in enumerate(zip(pre, _layer_params(cfg, acts), strict=True)):
                dead_all[layer] = _dead_mask(z.numpy(), key, p)
                dead_frac[i, layer] = dead_all[layer].mean()
            dead_first[i] = dead_all[0]
            first_w[i] = linears[0].weight.detach().numpy()
            first_b[i] = linears[0].bias.detach().numpy()
            if slopes is not None:
                slopes[i] = [float(a.weight.detach()[0]) for a in acts]
            if frames:
                boundary[i] = torch.sigmoid(grid_logits).reshape(cfg.grid, cfg.grid).numpy()
        modules.train()
        return True

    diverged_at: int | None = None
    say(0.0, "training")
    report_every = max(1, cfg.steps // 5)
    frame = 0
    # RReLU draws its training slopes from the global generator: hold the lock (and a seeded fork) while training
    with _seeded(_derived_seed(cfg.seed, 0x7EA1)) if stochastic else nullcontext():
        modules.train()
        for s in range(cfg.steps + 1):
            if frame < k and rec[frame] == s:
                if not measure(frame):
                    diverged_at = s
                    break
                frame += 1
            if s == cfg.steps:
                break
            opt.zero_grad(set_to_none=False)
            loss = bce(_forward(linears, acts, head, xt)[0], yt)
            if not math.isfinite(float(loss.detach().item())):
                diverged_at = s
                break
            loss.backward()
            opt.step()
            if progress is not None and (s + 1) % report_every == 0:
                say((s + 1) / cfg.steps, f"step {s + 1} of {cfg.steps}")
    for h in handles:
        h.remove()
    if diverged_at is not None:
        notes.append(f"the loss became non-finite at step {diverged_at} (learning rate too high): training "
                     "stopped there, and the later frames are shown as nan.")
    final = (float(np.concatenate(dead_all).mean()) if diverged_at is None else float("nan"))
    rrelu_slopes = rrelu_sample() if rrelu_sample is not None else None
    say(1.0, "done")
    return dict(
        steps=rec, loss=loss_h, accuracy=acc_h, dead_fraction=dead_frac, dead_first=dead_first,
        first_w=first_w, first_b=first_b, grid_axis=axis, boundary=boundary, prelu_slopes=slopes,
        rrelu_train_slopes=rrelu_slopes, final_dead_fraction=final, diverged_at=diverged_at,
    )


def _summary(cfg: TrainConfig, out: dict) -> list[str]:
    """What a learner should read off the run, in words."""
    notes = []
    name = get(cfg.activation).name
    if out["diverged_at"] is None:
        total = cfg.layers * cfg.units
        dead = round(out["final_dead_fraction"] * total)
        per_layer = ", ".join(f"layer {i + 1}: {f:.0%}" for i, f in enumerate(out["dead_fraction"][-1]))
        notes.append(f"At the end {dead} of {total} hidden {name} units are dead ({per_layer}): f′(z) = 0 for every "
                     "training point, so their incoming weights get no gradient.")
        start = out["dead_fraction"][0]
        if len(out["steps"]) > 1 and np.nanmax(start) > 0:
            notes.append(f"Before any update {np.nanmean(start):.0%} of the units were already dead"
                         + (f" (bias {cfg.bias_value:g} puts them off the data)." if cfg.bias_init == "constant"
                            and cfg.bias_value < 0 else "."))
        d = out["dead_first"]
        revived = int(np.sum(d[:-1].any(axis=0) & ~d[-1])) if len(d) > 1 else 0
        if revived:
            why = ("momentum keeps moving weights after their gradient has become zero" if cfg.optimizer != "sgd"
                   else "under plain SGD this needs the activation itself to change (PReLU's learned slope)")
            notes.append(f"{revived} first-layer unit(s) were dead at some frame and alive at the end: {why}.")
    if cfg.activation == "rrelu":
        notes.append("RReLU trains with a random negative slope per input from U(lower, upper); the dead units, "
                     "boundary and accuracy are measured in evaluation mode, with the fixed slope (lower + upper) / 2.")
    return notes


def train(cfg: TrainConfig, progress: Progress | None = None) -> Run:
    """Train layers x [Linear -> activation] + Linear(units, 1) on the 2-D data with full-batch BCE-with-logits, and
    record loss, accuracy, dead units, first-layer lines and the decision boundary every `record_every` steps."""
    cfg, clamp_notes = cfg.clamped()
    notes = list(clamp_notes)
    X, y = make_data(cfg.data)
    out = _train(cfg, X, y, frames=True, progress=progress, notes=notes)
    notes.extend(_summary(cfg, out))
    eval_slope = None
    if cfg.activation == "rrelu":
        p = cfg.param_dict
        eval_slope = (float(p["lower"]) + float(p["upper"])) / 2
    return Run(
        X=X, y=y, steps=out["steps"], loss=out["loss"], accuracy=out["accuracy"],
        dead_fraction=out["dead_fraction"], dead_first=out["dead_first"], first_w=out["first_w"],
        first_b=out["first_b"], grid_axis=out["grid_axis"], boundary=out["boundary"],
        prelu_slopes=out["prelu_slopes"], rrelu_train_slopes=out["rrelu_train_slopes"], rrelu_eval_slope=eval_slope,
        final_dead_fraction=out["final_dead_fraction"], notes=tuple(notes),
    )


# ---- learning-rate sweep -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sweep:
    lrs: np.ndarray  # (m,)
    activations: tuple[str, ...]
    seeds: tuple[int, ...]
    dead: np.ndarray  # (a, m, s) final dead fraction (all hidden units); nan where the run diverged
    accuracy: np.ndarray  # (a, m, s) final accuracy; nan where the run diverged


SWEEP_LRS = np.logspace(-3, 1, 8)  # 0.001 ... 10, the page's default (read-only: lr_sweep copies what it is given)


def lr_sweep(base: TrainConfig, lrs=SWEEP_LRS, activations=("relu", "leaky_relu"), seeds=(0, 1, 2),
             progress: Progress | None = None) -> Sweep:
    """Final dead fraction and accuracy for every (activation, learning rate, weight seed), on base's data and net.
    Each run measures only its final state; progress(fraction, text) after each run."""
    say = progress or (lambda fraction, text: None)
    base, _ = base.clamped()
    lr_notes: list[str] = []
    lrs = np.array([_number("lr", v, TrainConfig.lr, lr_notes) for v in np.atleast_1d(lrs)], dtype=np.float64)
    acts = tuple(a for a in activations if isinstance(a, str) and a in REGISTRY) or ("relu",)
    seed_list = tuple(int(_number("seed", s, 0, [])) for s in seeds) or (0,)
    X, y = make_data(base.data)
    dead = np.full((len(acts), len(lrs), len(seed_list)), np.nan)
    acc = np.full_like(dead, np.nan)
    total, done = dead.size, 0
    for a, act in enumerate(acts):
        params = base.params if act == base.activation else tuple(sorted(get(act).defaults.items()))
        for m, lr in enumerate(lrs):
            for s, seed in enumerate(seed_list):
                cfg = replace(base, activation=act, params=params, lr=float(lr), seed=seed)
                out = _train(cfg, X, y, frames=False, progress=None, notes=[])
                dead[a, m, s] = out["final_dead_fraction"]
                acc[a, m, s] = out["accuracy"][-1]
                done += 1
                say(done / total, f"{get(act).name}, lr {lr:g}, seed {seed} ({done} of {total})")
    return Sweep(lrs=lrs, activations=acts, seeds=seed_list, dead=dead, accuracy=acc)


# ---- presets -----------------------------------------------------------------------------------------------------

# Tuned on the default data (moons, n 500, noise 0.2, data seed 0), 2 x 64 units, 300 steps, weight seed 0; values
# sit on the page's slider stops. Measured final dead fractions, ReLU vs LeakyReLU:
#   healthy        SGD lr 0.1:            ReLU  7% dead, accuracy 93%
#   high-lr        Adam lr 0.3:           ReLU 45% dead (layer 1 39%, layer 2 50%; seeds 0-3: 32-57%), accuracy 99%;
#                                         LeakyReLU 0% dead. (Plain SGD needs lr 5, off the slider; lr 10 diverges
#                                         for LeakyReLU.)
#   negative-bias  Adam lr 0.01, bias -3: ReLU 100% dead from step 0, accuracy 50% (a constant output);
#                                         LeakyReLU 0% dead, accuracy 97%: Adam rescales its 0.01-sized gradients
#                                         into full steps, which SGD does not (SGD lr 0.1 leaves it at 50% too).
PRESETS: dict[str, dict] = {
    "healthy": {
        "label": "Healthy ReLU",
        "train": {"activation": "relu", "optimizer": "sgd", "lr": 0.1, "bias_init": "default",
                  "data": {"name": "moons"}},
    },
    "high-lr": {
        "label": "ReLU, learning rate too high",
        "train": {"activation": "relu", "optimizer": "adam", "lr": 0.3, "bias_init": "default",
                  "data": {"name": "moons"}},
    },
    "negative-bias": {
        "label": "ReLU, negative bias",
        "train": {"activation": "relu", "optimizer": "adam", "lr": 0.01, "bias_init": "constant", "bias_value": -3.0,
                  "data": {"name": "moons"}},
    },
    "leaky-fix": {
        "label": "LeakyReLU fix",
        "train": {"activation": "leaky_relu", "optimizer": "adam", "lr": 0.3, "bias_init": "default",
                  "data": {"name": "moons"}},
    },
}


def preset_config(name: str, **over) -> TrainConfig:
    """The TrainConfig of PRESETS[name] (its data dict made a DataConfig), with `over` replacing fields."""
    train_fields = dict(PRESETS[name]["train"])
    data = DataConfig(**train_fields.pop("data", {}))
    return TrainConfig(**{"data": data, **train_fields, **over})
