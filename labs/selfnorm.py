"""SELU's self-normalization (Klambauer et al. 2017, "Self-Normalizing Neural Networks"), computed two ways.

- measured: depth_stats pushes one input batch through a deep, untrained torch MLP and records each layer's
  mean and std for several activations, with the very same weights and inputs for all of them;
- computed: selu_moments is the paper's mapping g: (mu, nu) -> (mu~, nu~) of one SELU layer, evaluated by numerical
  quadrature; vector_field, trajectory and jacobian_at_fixed_point show that (0, 1) attracts, and
  derive_selu_constants recovers SELU's alpha and scale from the two fixed-point equations alone. selu_map gathers
  what the page shows of it.

The page's controls are declared once here (SCHEMA), beside the config they fill. Only NumPy is used for the
analysis (the project has no SciPy); torch is imported on first use, by the measured part only.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, fields

import numpy as np

from activations import validate
from activations.functions import SELU_ALPHA, SELU_SCALE
from activations.lookup import get, known
from activations.registry import OWN, REGISTRY, is_own
from i18n import N_, Note

from . import inits, nets
from .arrays import finite_or_nan
from .controls import Choice, Multi, Number, Schema, Steps, Toggle, seed
from .progress import Progress, silent
from .seeding import DATA, derived_seed, generator, seeded

Memo = Callable[[str, Callable[[], "LayerStats"]], "LayerStats"]

COMPARED: tuple[str, ...] = ("selu", "relu", "tanh", "elu", "sigmoid")
INITS: tuple[str, ...] = ("lecun_normal", "kaiming_normal", "xavier_normal")
# Xavier means one thing across the app: xavier_normal_(w, gain=calculate_gain(activation)) (labs.inits.init_gain)
INIT_LABELS = inits.labels(INITS)
DROPOUTS = nets.DROPOUTS
# The modules' own names are identifiers: only "none" is a word to translate (ui.urlstate passes labels to _()).
DROPOUT_LABELS = {"none": N_("none"), "dropout": N_("nn.Dropout"), "alpha_dropout": N_("nn.AlphaDropout")}
WIDTHS: tuple[int, ...] = (8, 16, 32, 64, 128, 256)
BATCHES: tuple[int, ...] = (10, 50, 100, 250, 500, 1000)
# Theorem 1's domain for (mu, nu): for these means and variances of the inputs (and omega in [-0.1, 0.1],
# tau in [0.95, 1.1]) the paper proves g is a contraction with a fixed point near (0, 1).
STABLE_MU = (-0.1, 0.1)
STABLE_NU = (0.8, 1.5)
STABLE_STD = (math.sqrt(STABLE_NU[0]), math.sqrt(STABLE_NU[1]))  # the same band for a standard deviation
FIXED_POINT = (0.0, 1.0)
DROPOUT = 0xD809  # derived_seed(seed, DROPOUT): the dropout masks' stream, independent of the weights' and inputs'


# ---- the controls, declared once ---------------------------------------------------------------------------------

SCHEMA = Schema(
    Multi("acts", N_("Activations"),
          N_("All get the same input batch and the same weights (with Xavier, the same draws scaled by each "
             "activation's gain)."), list(COMPARED),
          options=(*COMPARED, OWN), max_count=len(COMPARED) + 1),
    Choice("init", N_("Weight init"), N_("SELU's guarantee assumes LeCun normal: Var W = 1/fan_in."), "lecun_normal",
           options=INITS, labels=INIT_LABELS),
    Number("input_mean", N_("Input mean"), N_("Standardized input has mean 0."), 0.0, "in_mean", low=-3.0, high=3.0,
           step=0.1),
    Number("input_scale", N_("Input scale"), N_("Standardized input has standard deviation 1."), 1.0, "in_scale",
           low=0.1, high=5.0, step=0.1),
    Choice("dropout", N_("Dropout after each layer"),
           N_("Training mode. AlphaDropout keeps SELU's mean and variance; Dropout does not."), "none",
           options=DROPOUTS, labels=DROPOUT_LABELS),
    Number("dropout_rate", N_("Dropout rate"), N_("Share of units dropped."), 0.1, "rate", low=0.0, high=0.5,
           step=0.05, needs=(("dropout", ("dropout", "alpha_dropout")),)),
    Toggle("residual", N_("Residual connections"),
           N_("h ← h + f(Wh): each layer adds variance, which SELU cannot take back."), False),
    Number("depth", N_("Depth"), N_("Layers the signal goes through."), 100, low=1, high=100, step=1, cost=True),
    Steps("width", N_("Width"), N_("Units per layer."), 256, options=WIDTHS, cost=True),
    # 100: the smallest batch whose curves stay within 0.02 of batch 500's at every layer, for the five compared
    # activations and seeds 0-4 (worst: SELU, 0.018; batch 50 is off by 0.027), at a third of its time
    # (test_selfnorm.py::test_the_default_batch_draws_the_curves_of_batch_500)
    Steps("batch", N_("Batch"), N_("Inputs whose statistics are measured."), 100, options=BATCHES, cost=True),
    seed(help=N_("Same seed, same weights and inputs.")),
)
SCHEMAS = {"depth": SCHEMA}
BREAK_IT = ("init", "input_mean", "input_scale", "dropout", "dropout_rate", "residual")  # "Try to break it"
NETWORK = ("depth", "width", "batch", "seed")  # "The network"


# ---- configuration -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SNConfig:
    depth: int = 100  # depth x [Linear(width, width, bias=False) -> activation (-> dropout)]
    width: int = 256
    batch: int = 100  # SCHEMA's default: why there
    seed: int = 0  # seeds the weights; the inputs and the dropout masks get streams derived from it
    init: str = "lecun_normal"  # one of INITS
    input_mean: float = 0.0  # input x ~ N(input_mean, input_scale^2): standardized when 0 / 1
    input_scale: float = 1.0
    dropout: str = "none"  # one of DROPOUTS: nn.Dropout or nn.AlphaDropout after every activation, in training mode
    dropout_rate: float = 0.1
    residual: bool = False  # h_l = h_{l-1} + f(W h_{l-1}) instead of f(W h_{l-1})

    def clamped(self) -> tuple[SNConfig, list[Note]]:
        """Every value checked against the declaration (SCHEMA), one note per change (never trust the caller)."""
        values, notes = SCHEMA.check(asdict(self))
        return SNConfig(**{f.name: values[f.name] for f in fields(SNConfig)}), notes


XAVIER_GAINS = N_("Xavier / Glorot normal is `xavier_normal_(w, gain=calculate_gain(activation))` here, as on the "
                  "Gradient flow and Real data pages: every activation gets the same draws scaled by its own gain "
                  "({gains}; 1 where `calculate_gain` has no entry). On these width × width layers that is the gain "
                  "times LeCun normal's std, 1/√width.")
# Translators: {first}, {last}: standard deviations measured at layer 1 and at the last layer {depth}
XAVIER_SELU = N_("SELU's gain, `calculate_gain('selu')` = 3/4 (a value PyTorch found empirically), draws 3/4 of LeCun "
                 "normal's std: here SELU's std is {first:.3f} at layer 1 and {last:.3f} at layer {depth}, outside "
                 "the band. LeCun normal, the init SELU's guarantee assumes, keeps it in the band on standardized "
                 "input.")
GAIN_ITEM = "{name} {gain:.4g}"
OVERFLOWED = N_("{name}: layer {layer} overflowed float32 (values beyond ±3.4e38): its mean and std and those of the "
                "layers after it are shown as nan.")
UNDEFINED = N_("{name}: layer {layer} has no value (NaN) for some of its finite inputs, as the formula is undefined "
               "there: its mean and std and those of the layers after it are shown as nan.")
FORWARDING = N_("{name}: forward through {depth} layers")


def config_notes(cfg: SNConfig, keys: Iterable[str]) -> list[Note]:
    """What the learner should know about a (checked) config before reading its curves."""
    if cfg.init == "xavier_normal":
        gains = ", ".join(GAIN_ITEM.format(name=get(k).name, gain=inits.init_gain(k)[0]) for k in keys)
        return [Note.of(XAVIER_GAINS, gains=gains)]
    return []


def result_notes(cfg: SNConfig, stds: dict[str, np.ndarray]) -> list[Note]:
    """What the measured curves of a (checked) config say that the learner should read in words: with Xavier, how
    SELU's std drifts from layer 1 to the last when its gain is calculate_gain('selu') = 3/4 (filled from the run)."""
    if cfg.init == "xavier_normal" and "selu" in stds and cfg.depth > 1 and not cfg.residual and cfg.dropout == "none":
        std = stds["selu"]
        if np.isfinite(std[[0, -1]]).all() and not STABLE_STD[0] <= std[-1] <= STABLE_STD[1]:
            return [Note.of(XAVIER_SELU, first=float(std[0]), last=float(std[-1]), depth=cfg.depth)]
    return []


def seconds(cfg: SNConfig, count: int) -> float:
    """About how long `count` activations take on one core (labs.progress; measured: 100 ms for each at depth 100,
    width 256, batch 500, and 45 ms for the weights, drawn once)."""
    if count <= 0:
        return 0.0
    return count * cfg.depth * cfg.batch * cfg.width**2 * 3e-11 + cfg.depth * cfg.width**2 * 7e-9


def in_band(mean: float, std: float) -> bool:
    """Inside the region the paper proves stable: |mean| <= 0.1 and variance in [0.8, 1.5] (nan is outside)."""
    return bool(abs(mean) <= STABLE_MU[1] and STABLE_NU[0] <= std * std <= STABLE_NU[1])


# ---- measured: a deep torch MLP ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LayerStats:
    """One activation's statistics per layer."""

    key: str
    mean: np.ndarray  # per-layer mean of h_l over batch and units (nan where overflowed)
    std: np.ndarray  # per-layer std of h_l (population std, ddof 0)
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class DepthStats:
    layers: np.ndarray  # 1..depth
    mean: dict[str, np.ndarray]  # activation key -> per-layer mean of h_l over batch and units (nan where overflowed)
    std: dict[str, np.ndarray]  # activation key -> per-layer std of h_l (population std, ddof 0)
    notes: tuple[Note, ...]

    def in_band(self, key: str, layer: int = -1) -> bool:
        """Whether activation `key` is inside the proven-stable region at layer index `layer` (-1: the last)."""
        return in_band(float(self.mean[key][layer]), float(self.std[key][layer]))


def net_spec(cfg: SNConfig, key: str) -> nets.MLP:
    """depth x [Linear(width, width, bias=False) -> activation (-> dropout)], no head, every Linear drawn before the
    next (cfg checked). He is drawn for a ReLU and LeCun is gain 1 whatever the activation, so every activation gets
    the same draws, and with Xavier the same draws scaled by its own gain (init_gain of it)."""
    return nets.MLP(inputs=cfg.width, depth=cfg.depth, width=cfg.width, outputs=None, activation=key, bias=False,
                    init=cfg.init, init_for=None if cfg.init == "xavier_normal" else "relu", dropout=cfg.dropout,
                    dropout_rate=cfg.dropout_rate, residual=cfg.residual,
                    # nn.Linear's own reset_parameters would draw (and then throw away) a default init first
                    skip_default=True)


def _weights(cfg: SNConfig, key: str) -> list:
    """The hidden Linears of net_spec(cfg, key), drawn from cfg.seed: the same for every activation of the same
    gain."""
    with seeded(cfg.seed):
        return nets.linears(net_spec(cfg, key))[0]


def _layer_stats(cfg: SNConfig, key: str, weights: list) -> LayerStats:
    """Mean and std of every layer's output for activation `key` (cfg already checked)."""
    import torch

    x = cfg.input_mean + cfg.input_scale * torch.randn(cfg.batch, cfg.width, generator=generator(cfg.seed, DATA))
    spec = net_spec(cfg, key)
    # evaluation mode: RReLU uses its fixed mean slope; dropout, what is studied, in training mode
    net = nets.assemble(spec, weights, None).eval()
    for _, _, drop in nets.hidden_layers(spec, net):
        if drop is not None:
            drop.train()
    # the dropout modules draw their masks from torch's global generator, so only then is the lock held (and
    # reseeded for each activation, which then replays the same masks); without dropout nothing random remains
    with seeded(derived_seed(cfg.seed, DROPOUT)) if cfg.dropout != "none" else nullcontext(), torch.no_grad():
        own, first_undefined = is_own(key), None
        sums = torch.empty(cfg.depth, 2, dtype=torch.float64)  # per layer: sum h, sum h^2
        for layer, (z, a, h) in enumerate(nets.trace(spec, net, x)):
            if own and first_undefined is None and torch.isnan(a).any() and torch.isfinite(z).all():
                first_undefined = layer  # a formula's NaN, not an overflow (checked for formulas only: a sync)
            # Two float64 sums instead of torch.std_mean, which costs as much as the matmul here. In float64, h^2
            # cannot overflow for any finite float32 h (so inf or nan means h itself overflowed), and the
            # cancellation in E[h^2] - (E h)^2 loses ~1e-16 * E[h^2] / Var h: nothing at these ratios.
            d = h.reshape(-1).double()
            sums[layer, 0], sums[layer, 1] = d.sum(), torch.dot(d, d)
    n = cfg.batch * cfg.width
    with np.errstate(all="ignore"):
        mean = sums[:, 0].numpy() / n
        std = np.sqrt(np.maximum(sums[:, 1].numpy() / n - mean * mean, 0.0))
    stats = np.stack([mean, std], axis=1)
    bad = ~np.isfinite(stats).all(axis=1)
    notes: tuple[Note, ...] = ()
    if bad.any():
        k = int(np.argmax(bad))
        stats[k:] = np.nan  # inf - inf = nan from here on: no later layer can be trusted
        why = UNDEFINED if first_undefined == k else OVERFLOWED
        notes = (Note.of(why, name=get(key).name, layer=k + 1),)
    return LayerStats(key, finite_or_nan(stats[:, 0]), finite_or_nan(stats[:, 1]), notes)


def layer_stats(cfg: SNConfig, key: str) -> LayerStats:
    """One activation's LayerStats as depth_stats computes (and its memo caches) it: ui.warmup's default views."""
    cfg, _ = cfg.clamped()
    return _layer_stats(cfg, key, _weights(cfg, key))  # the draws depend on the sizes, init, seed and gain only


def depth_stats(cfg: SNConfig, activations: Iterable[str] = COMPARED, progress: Progress | None = None,
                memo: Memo | None = None) -> DepthStats:
    """Mean and std of every layer's output h_l of an untrained depth x width MLP (biases zero, no grad, float32).

    Every activation sees the same weights (with Xavier, the same draws scaled by its own gain), the same input batch
    and (with dropout) the same dropout masks, so the curves differ only by the activation (and Xavier's gain). h_l
    is what layer l + 1 receives: after dropout, and with residual=True the sum h_{l-1} + f(W_l h_{l-1}).
    `memo(key, compute)` may cache each activation's LayerStats (ui.cache keyed by this cfg and key): the weights
    are then drawn only if some activation is not cached, once per gain."""
    say = progress or silent
    cfg, notes = cfg.clamped()
    given = _as_list(activations)
    options = (*REGISTRY, *(k for k in given if is_own(k) and known(k)))  # a formula's key is an activation too
    keys, note = validate.choices("activations", given, options, COMPARED, len(options))
    notes += ([note] if note else []) + config_notes(cfg, keys)
    # one set of weights held at a time (depth x width² floats): Xavier draws them again for each new gain
    held: dict[float, list] = {}

    def weights(gain: float, key: str) -> list:
        if gain not in held:
            held.clear()
            held[gain] = _weights(cfg, key)
        return held[gain]

    memo = memo or (lambda key, compute: compute())
    means: dict[str, np.ndarray] = {}
    stds: dict[str, np.ndarray] = {}
    for i, key in enumerate(keys):
        say(i / len(keys), Note.of(FORWARDING, name=get(key).name, depth=cfg.depth))
        gain = inits.init_gain(key)[0] if cfg.init == "xavier_normal" else 1.0
        res = memo(key, lambda key=key, gain=gain: _layer_stats(cfg, key, weights(gain, key)))
        means[key], stds[key] = res.mean, res.std
        notes += res.notes
    notes += result_notes(cfg, stds)
    say(1.0, None)
    return DepthStats(layers=np.arange(1, cfg.depth + 1), mean=means, std=stds, notes=tuple(notes))


def _as_list(activations: object) -> object:
    """Keys as validate.choices reads them: a str or a list as they are, another iterable as a list."""
    if isinstance(activations, str | list | tuple):
        return activations
    try:
        return list(activations)  # type: ignore[call-overload]
    except TypeError:
        return activations  # validate.choices reports it


# ---- computed: the paper's mapping g -------------------------------------------------------------------------------

# E[f(z)] for z = m + s*u, u ~ N(0, 1), by composite Gauss-Legendre on [-12, 12] (the mass outside is 2e-33).
# The integrand has a kink where z = 0, u = -m/s, so that point is added as a panel edge: each panel then holds a
# smooth function, which Gauss-Legendre integrates to ~1e-15 (a plain grid through the kink would be O(h^2)).
_U_MAX = 12.0
_EDGES = np.linspace(-_U_MAX, _U_MAX, 9)  # 8 panels of width 3, 32 nodes each: 1e-14 against the closed forms
_GL_X, _GL_W = np.polynomial.legendre.leggauss(32)
_CHUNK = 4096  # elements per vectorized block: 4096 x 9 panels x 32 nodes x 8 bytes = 9 MB per temporary


def _selu_moments_flat(m: np.ndarray, s: np.ndarray, alpha: float, scale: float) -> tuple[np.ndarray, np.ndarray]:
    n = m.size
    kink = np.where(s > 0, -m / np.where(s > 0, s, 1.0), np.where(m >= 0, -_U_MAX, _U_MAX))
    kink = np.clip(kink, -_U_MAX, _U_MAX)
    edges = np.sort(np.concatenate([np.broadcast_to(_EDGES, (n, _EDGES.size)), kink[:, None]], axis=1), axis=1)
    lo, hi = edges[:, :-1, None], edges[:, 1:, None]  # (n, 9, 1): the kink splits one of the 8 panels in two
    half = 0.5 * (hi - lo)
    u = lo + half * (1.0 + _GL_X)  # (n, 9, 32)
    w = half * _GL_W * np.exp(-0.5 * u * u) / math.sqrt(2.0 * math.pi)
    z = m[:, None, None] + s[:, None, None] * u
    f = scale * np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))  # expm1 only ever sees z <= 0
    mean = np.einsum("npk,npk->n", w, f)
    d = f - mean[:, None, None]  # two passes: E[(f - E f)^2] has no cancellation, unlike E[f^2] - (E f)^2
    return mean, np.einsum("npk,npk->n", w, d * d)


def selu_moments(mu: float | np.ndarray, nu: float | np.ndarray, *, omega: float | np.ndarray = 0.0,
                 tau: float | np.ndarray = 1.0, alpha: float = SELU_ALPHA,
                 scale: float = SELU_SCALE) -> tuple[np.ndarray, np.ndarray]:
    """The paper's g: (mu, nu) -> (mu~, nu~) for one SELU unit, computed by numerical quadrature.

    The layer's inputs have mean mu and variance nu; its weights sum to omega (sum w) with sum of squares tau
    (sum w^2). The pre-activation z = w.x is then N(mu*omega, nu*tau) (variance nu*tau), and the results are
    mu~ = E[selu(z)] and nu~ = Var[selu(z)]. The fixed-point analysis uses normalized weights, omega = 0, tau = 1.
    Arrays broadcast; nan where the variance nu*tau is negative or anything is not finite."""
    mu, nu, omega, tau = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (mu, nu, omega, tau)))
    shape = mu.shape
    with np.errstate(all="ignore"):
        m = (mu * omega).ravel()
        var = (nu * tau).ravel()
        ok = np.isfinite(m) & np.isfinite(var) & (var >= 0)
        m, s = np.where(ok, m, 0.0), np.sqrt(np.where(ok, var, 0.0))
        mean, out_var = np.empty(m.size), np.empty(m.size)
        for i in range(0, m.size, _CHUNK):
            sl = slice(i, i + _CHUNK)
            mean[sl], out_var[sl] = _selu_moments_flat(m[sl], s[sl], float(alpha), float(scale))
    mean, out_var = np.where(ok, mean, np.nan), np.where(ok, out_var, np.nan)
    return mean.reshape(shape), out_var.reshape(shape)


def vector_field(mu_range: tuple[float, float] = (-0.3, 0.3), nu_range: tuple[float, float] = (0.5, 2.0), n: int = 15,
                 omega: float = 0.0, tau: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MU, NU, dMU, dNU on an n x n grid (np.meshgrid 'xy' layout: rows vary nu, columns mu), the arrows being
    g(mu, nu) - (mu, nu). n is clamped to [2, 101]."""
    n = int(min(max(int(n), 2), 101))
    MU, NU = np.meshgrid(np.linspace(*map(float, mu_range), n), np.linspace(*map(float, nu_range), n))
    mu_t, nu_t = selu_moments(MU, NU, omega=omega, tau=tau)
    return MU, NU, mu_t - MU, nu_t - NU


def trajectory(mu0: float, nu0: float, steps: int = 20, omega: float = 0.0,
               tau: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(mu_k, nu_k) for k = 0..steps: g applied over and over from (mu0, nu0), i.e. the layers of an idealized
    infinitely wide SELU net. steps is clamped to [0, 1000]."""
    steps = int(min(max(int(steps), 0), 1000))
    mus, nus = np.empty(steps + 1), np.empty(steps + 1)
    mus[0], nus[0] = mu0, nu0
    for k in range(steps):
        mus[k + 1], nus[k + 1] = selu_moments(mus[k], nus[k], omega=omega, tau=tau)
    return mus, nus


def _fixed_point_residual(alpha: float, scale: float) -> np.ndarray:
    # omega = 0, tau = 1 and (mu, nu) = (0, 1): z ~ N(0, 1), and (0, 1) must map onto itself
    mu_t, nu_t = selu_moments(0.0, 1.0, omega=0.0, tau=1.0, alpha=alpha, scale=scale)
    return np.array([float(mu_t) - FIXED_POINT[0], float(nu_t) - FIXED_POINT[1]])


def derive_selu_constants(tol: float = 1e-12) -> tuple[float, float]:
    """(alpha, scale) solving mu~(0, 1) = 0 and nu~(0, 1) = 1, by Newton's method with a central-difference
    Jacobian, started from (1.5, 1.0): SELU's constants are the ones that make (0, 1) a fixed point of g."""
    p = np.array([1.5, 1.0])
    for _ in range(50):
        r = _fixed_point_residual(*p)
        jac = np.empty((2, 2))
        for j in range(2):
            h = 1e-6 * max(1.0, abs(p[j]))  # central differences: error ~h^2 = 1e-12, rounding ~1e-16/h = 1e-10
            e = np.zeros(2)
            e[j] = h
            jac[:, j] = (_fixed_point_residual(*(p + e)) - _fixed_point_residual(*(p - e))) / (2 * h)
        step = np.linalg.solve(jac, -r)
        p = p + step
        if np.max(np.abs(step)) < tol:
            return float(p[0]), float(p[1])
    raise RuntimeError(f"Newton's method did not converge: last (alpha, scale) = {tuple(p)}")


def jacobian_at_fixed_point() -> np.ndarray:
    """J[i, j] = d g_i / d x_j at (mu, nu) = (0, 1) with omega = 0, tau = 1, x = (mu, nu), by central differences.

    With omega = 0 the input mean does not reach z, so the first column is 0 and the eigenvalues are 0 and
    d nu~ / d nu; a spectral radius (and norm) below 1 means nearby (mu, nu) are pulled back to (0, 1)."""
    h = 1e-5
    jac = np.empty((2, 2))
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        plus = selu_moments(FIXED_POINT[0] + e[0], FIXED_POINT[1] + e[1])
        minus = selu_moments(FIXED_POINT[0] - e[0], FIXED_POINT[1] - e[1])
        jac[:, j] = (np.array(plus, dtype=np.float64) - np.array(minus, dtype=np.float64)) / (2 * h)
    return jac


# ---- what the page shows of g --------------------------------------------------------------------------------------

# Six starts around the proven box, for the iterated paths drawn over the vector field.
STARTS: tuple[tuple[float, float], ...] = ((-0.25, 0.6), (0.25, 0.6), (-0.25, 1.9), (0.25, 1.9), (0.0, 0.55),
                                           (0.0, 1.95))
PATH_STEPS = 15


def torch_selu_constants() -> tuple[float, float]:
    """(alpha, scale) as PyTorch's selu has them, read off the function itself in float64: selu(1) = scale, and
    selu(-60) = scale * alpha * (e^-60 - 1) = -scale * alpha to double precision."""
    import torch

    scale = float(torch.nn.functional.selu(torch.tensor(1.0, dtype=torch.float64)))
    alpha = float(-torch.nn.functional.selu(torch.tensor(-60.0, dtype=torch.float64))) / scale
    return alpha, scale


@dataclass(frozen=True)
class SeluMap:
    """The mapping g as the page shows it: its vector field, iterated paths, derived constants, contraction."""

    mu: np.ndarray  # vector_field's grid and arrows
    nu: np.ndarray
    dmu: np.ndarray
    dnu: np.ndarray
    paths: tuple[tuple[np.ndarray, np.ndarray], ...]  # trajectory from each of STARTS
    alpha: float  # derived by derive_selu_constants
    scale: float
    torch_alpha: float  # read off torch's selu
    torch_scale: float
    jacobian: np.ndarray  # at the fixed point
    radius: float  # its spectral radius: < 1 means (0, 1) attracts

    @property
    def alpha_error(self) -> float:
        return abs(self.alpha - self.torch_alpha)

    @property
    def scale_error(self) -> float:
        return abs(self.scale - self.torch_scale)


def selu_map() -> SeluMap:
    """Everything the "why it works" part of the page shows (the same for everyone: cache it once)."""
    mu, nu, dmu, dnu = vector_field()
    alpha, scale = derive_selu_constants()
    torch_alpha, torch_scale = torch_selu_constants()
    jac = jacobian_at_fixed_point()
    return SeluMap(mu, nu, dmu, dnu, tuple(trajectory(m, v, PATH_STEPS) for m, v in STARTS), alpha, scale,
                   torch_alpha, torch_scale, jac, float(np.max(np.abs(np.linalg.eigvals(jac)))))
