"""Weight and bias initialization, one table for every lab: each scheme's label, its PyTorch call and its gain.

A lab offers its own subset of SCHEMES (its Choice lists the keys) and takes their labels from here. What an
activation needs to know (its recommended init, calculate_gain's entry for it, its negative slope) is on its spec
(activations.spec.ActivationSpec); *matched* picks the recommended one. torch is imported on first use.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from activations import get, known
from i18n import N_, Msg, Note

from . import seeding
from .controls import SEED_HIGH

if TYPE_CHECKING:
    from torch import Tensor, nn


@dataclass(frozen=True)
class Init:
    key: str
    # The PyTorch call that draws the weights w, with the arguments a lab draws them with (see code()).
    call: str
    label: str  # N_-marked: its name in a picker, where the gain follows the activation
    short: str = ""  # N_-marked: its name in a results table (Real data's "init used"); may hold {gain}
    # N_-marked (label, short) where a lab draws it for a ReLU whatever the activation (see labels())
    for_relu: tuple[str, str] | None = None


SCHEMES: dict[str, Init] = {i.key: i for i in (
    # nn.Linear draws this itself when it is built (its reset_parameters): the scheme keeps those weights
    Init("default", "nn.init.kaiming_uniform_(w, a=math.sqrt(5))", N_("PyTorch default (kaiming_uniform_, a=√5)"),
         N_("PyTorch default")),
    Init("xavier_normal", "nn.init.xavier_normal_(w, gain={gain!r})",
         # one definition across the app: xavier_*_(w, gain=calculate_gain(activation))
         N_("Xavier / Glorot normal (gain = calculate_gain of the activation)"), N_("Xavier, gain {gain}"),
         # Translators: √2 is calculate_gain('relu'), used here for every activation.
         (N_("Xavier / Glorot normal (gain √2, ReLU's)"), N_("Xavier, gain {gain}"))),
    Init("xavier_uniform", "nn.init.xavier_uniform_(w, gain={gain!r})",
         N_("Xavier / Glorot uniform (gain = calculate_gain of the activation)")),
    Init("kaiming_normal", "nn.init.kaiming_normal_(w, a={a!r}, mode='fan_in', nonlinearity={nonlinearity!r})",
         N_("He / Kaiming normal"), for_relu=(N_("He / Kaiming normal (gain √2)"), N_("He, gain √2"))),
    Init("kaiming_uniform", "nn.init.kaiming_uniform_(w, a={a!r}, mode='fan_in', nonlinearity={nonlinearity!r})",
         N_("He / Kaiming uniform")),
    # Var W = 1 / fan_in; Keras truncates the normal, we do not
    Init("lecun_normal", "nn.init.kaiming_normal_(w, mode='fan_in', nonlinearity='linear')",
         N_("LeCun normal (gain 1)"), N_("LeCun")),
    Init("normal", "nn.init.normal_(w, 0.0, {sigma!r})", N_("N(0, σ²)")),
    Init("zeros", "nn.init.zeros_(w)", N_("All zeros")),
)}
MATCHED = "matched"  # not a scheme of its own: each activation's recommended_init
MATCHED_LABEL = N_("matched: each activation with its paper's init")

BIAS_INITS: tuple[str, ...] = ("zeros", "default", "constant")
BIAS_LABELS: dict[str, str] = {
    # Translators: a bias initialization option: every bias 0
    "zeros": N_("zeros"),
    # Translators: a bias initialization option: PyTorch's default, U(−1/√fan_in, 1/√fan_in)
    "default": N_("PyTorch default"),
    # Translators: a bias initialization option: every bias the same value (the "Bias value" slider)
    "constant": N_("constant"),
}


def labels(keys: Sequence[str], relu: Collection[str] = ()) -> dict[str, str]:
    """The picker's labels of `keys` (SCHEMES' keys, or MATCHED); the schemes in `relu` are the ones a lab draws for
    a ReLU whatever the activation (init_for="relu" in labs.nets), and their labels say so."""
    out = {}
    for key in keys:
        if key == MATCHED:
            out[key] = MATCHED_LABEL
        else:
            init = SCHEMES[key]
            out[key] = init.for_relu[0] if key in relu and init.for_relu else init.label
    return out


def short_label(key: str, relu: bool = False) -> str:
    """The scheme's name in a results table (N_-marked; Xavier's holds {gain})."""
    init = SCHEMES[key]
    return init.for_relu[1] if relu and init.for_relu else init.short


def scheme(init: str, activation: str) -> str:
    """The scheme a run of `activation` uses: `init` itself, or for MATCHED the init its paper recommends (He where
    the spec says nothing, a learner's formula included)."""
    return get(activation).recommended_init if init == MATCHED else init


# ---- gains -------------------------------------------------------------------------------------------------------

def _code_number(v: float) -> str:
    """A number inside code (`calculate_gain('leaky_relu', 0.2)`): Python's syntax in every language."""
    return format(float(v), "g")


GAIN_LEAKY = N_("`calculate_gain('leaky_relu', {slope})` = √(2 / (1 + a²)) = {gain:.4g}, with a = {what}: the "
                "negative half passes only a fraction a of its input, so less than √2 is needed.")
GAIN_NOTES = {
    "linear": N_("`calculate_gain('linear')` = 1: a linear layer keeps the variance as it is."),
    "sigmoid": N_("`calculate_gain('sigmoid')` = 1. What makes deep sigmoid nets vanish is the slope, not this "
                  "gain: σ′ ≤ 1/4, so the activation alone shrinks the gradient at least fourfold per layer, and "
                  "far more where units saturate (σ′ → 0)."),
    "tanh": N_("`calculate_gain('tanh')` = 5/3: tanh shrinks its inputs (|tanh z| < |z| for every z ≠ 0), so "
               "with a gain of 1 the signal would fade from layer to layer; 5/3 makes up for that shrinking."),
    "relu": N_("`calculate_gain('relu')` = √2: ReLU zeroes half of its inputs, halving the second moment, and √2 "
               "restores it."),
    "selu": N_("`calculate_gain('selu')` = 3/4, found empirically by PyTorch; for a truly self-normalizing net "
               "PyTorch's docs advise gain 1 (LeCun normal)."),
}
GAIN_NONE = N_("`calculate_gain` has no entry for {name}; 1 is used.")
USED_HE = N_("He init assumes a ReLU-like unit, so `kaiming_*_` uses `nonlinearity='relu'` here: gain √2 = "
             "{gain:.4g}. For comparison: {table}")
USED_DEFAULT = N_("nn.Linear's default, `kaiming_uniform_(a=√5)`, uses `calculate_gain('leaky_relu', √5)` = √(1/3) "
                  "= {gain:.4g} whatever the activation. For comparison: {table}")
USED_LECUN = N_("LeCun normal is gain 1 (Var W = 1/fan_in). For comparison: {table}")
USED_NORMAL = N_("N(0, σ²) sets the std directly: σ·√fan_in = {gain:.4g} is the gain it amounts to. "
                 "For comparison: {table}")
USED_ZEROS = N_("All weights are 0, so no signal reaches the later layers. For comparison: {table}")
DEFAULT_PARAM = N_("`negative_slope` = {value} (default)")
PARAM = N_("`negative_slope` = {value}")


def negative_slope(activation: str, params: Mapping | None = None) -> float | None:
    """The activation's slope for x < 0 at these parameters (spec.negative_slope), None if it has none."""
    spec = get(activation)
    return None if spec.negative_slope is None else spec.negative_slope(spec.resolve(params)[0])


def init_gain(activation: str, params: Mapping | None = None) -> tuple[float, Note]:
    """The gain torch.nn.init.calculate_gain gives for `activation` (1 where it has no entry, a learner's formula
    included), and a note on where it comes from."""
    from torch import nn

    if not known(activation):
        return 1.0, Note.of(GAIN_NONE, name=str(activation))
    spec = get(activation)
    slope = negative_slope(activation, params)
    if slope is not None:
        gain = float(nn.init.calculate_gain("leaky_relu", slope))
        return gain, Note.of(GAIN_LEAKY, slope=_code_number(slope), gain=gain, what=Msg(spec.negative_slope_is))
    if spec.gain_nonlinearity is not None:
        return float(nn.init.calculate_gain(spec.gain_nonlinearity)), Note.of(GAIN_NOTES[spec.gain_nonlinearity])
    return 1.0, Note.of(GAIN_NONE, name=spec.name)


def he_args(activation: str, params: Mapping | None = None) -> tuple[float, str]:
    """(a, nonlinearity) for nn.init.kaiming_*_. He's derivation assumes a ReLU-like unit: the leaky family gets its
    slope, and every other activation is treated as a ReLU (nonlinearity='relu'), which is what He init means."""
    slope = negative_slope(activation, params) if known(activation) else None
    return (slope, "leaky_relu") if slope is not None else (0.0, "relu")


def gain_table() -> list[tuple[str, Note | None, float]]:
    """(nonlinearity, its parameter or None, gain), straight from torch.nn.init.calculate_gain."""
    from torch import nn

    calc = nn.init.calculate_gain
    return [
        ("linear", None, float(calc("linear"))),
        ("conv2d", None, float(calc("conv2d"))),
        ("sigmoid", None, float(calc("sigmoid"))),
        ("tanh", None, float(calc("tanh"))),
        ("relu", None, float(calc("relu"))),
        ("leaky_relu", Note.of(DEFAULT_PARAM, value=0.01), float(calc("leaky_relu"))),
        ("leaky_relu", Note.of(PARAM, value=0.2), float(calc("leaky_relu", 0.2))),
        ("selu", None, float(calc("selu"))),
    ]


def gain_used(init: str, activation: str, params: Mapping | None = None, sigma: float = 1.0,
              fan_in: int = 1) -> tuple[float, Note]:
    """The gain behind the weights `init` actually draws for `activation` (std = gain / √fan_in for the fan_in
    schemes), and why; it differs from init_gain's value wherever the scheme ignores the activation."""
    from torch import nn

    calc = nn.init.calculate_gain
    table_gain, table = init_gain(activation, params)
    if init in ("xavier_normal", "xavier_uniform"):
        return table_gain, table
    if init in ("kaiming_normal", "kaiming_uniform"):
        a, nonlinearity = he_args(activation, params)
        gain = float(calc(nonlinearity, a))
        if nonlinearity == "relu" and activation != "relu":
            return gain, Note.of(USED_HE, gain=gain, table=table)
        return gain, table
    if init == "default":
        gain = float(calc("leaky_relu", math.sqrt(5)))
        return gain, Note.of(USED_DEFAULT, gain=gain, table=table)
    if init == "lecun_normal":
        return float(calc("linear")), Note.of(USED_LECUN, table=table)
    if init == "normal":
        gain = sigma * math.sqrt(fan_in)
        return gain, Note.of(USED_NORMAL, gain=gain, table=table)
    return 0.0, Note.of(USED_ZEROS, table=table)


def expected_std(init: str, fan_in: int, fan_out: int, activation: str = "relu", params: Mapping | None = None,
                 sigma: float = 1.0, gain: float = 1.0) -> float:
    """The std of the weights the init formulas promise (uniform U(-b, b) has std b/√3); `gain` is Xavier's."""
    if init == "default":
        return 1.0 / math.sqrt(3 * fan_in)
    if init in ("xavier_normal", "xavier_uniform"):
        return gain * math.sqrt(2.0 / (fan_in + fan_out))
    if init in ("kaiming_normal", "kaiming_uniform"):
        from torch import nn

        a, nonlinearity = he_args(activation, params)
        return float(nn.init.calculate_gain(nonlinearity, a)) / math.sqrt(fan_in)
    if init == "lecun_normal":
        return 1.0 / math.sqrt(fan_in)
    if init == "normal":
        return float(sigma)
    return 0.0


# ---- drawing -----------------------------------------------------------------------------------------------------

def _arguments(init: str, activation: str, params: Mapping | None, sigma: float, gain: float | None) -> dict:
    """The arguments SCHEMES[init].call is drawn with."""
    if init in ("xavier_normal", "xavier_uniform"):
        return {"gain": init_gain(activation, params)[0] if gain is None else gain}
    if init in ("kaiming_normal", "kaiming_uniform"):
        a, nonlinearity = he_args(activation, params)
        return {"a": a, "nonlinearity": nonlinearity}
    return {"sigma": float(sigma)}


def code(init: str, activation: str = "relu", params: Mapping | None = None, sigma: float = 1.0,
         gain: float | None = None) -> str:
    """The PyTorch line that draws weights `w` as init_weight_ does, with its arguments filled in."""
    return SCHEMES[init].call.format(**_arguments(init, activation, params, sigma, gain))


def init_weight_(weight: Tensor, init: str, activation: str = "relu", params: Mapping | None = None,
                 sigma: float = 1.0, gain: float | None = None) -> None:
    """Draw `weight` in place as scheme `init` does for `activation` (He's slope, Xavier's gain = init_gain of it
    unless `gain` is given). "default" leaves it as it is: nn.Linear drew it when it was built."""
    import torch
    from torch import nn

    args = _arguments(init, activation, params, sigma, gain)
    with torch.no_grad():
        if init == "xavier_normal":
            nn.init.xavier_normal_(weight, gain=args["gain"])
        elif init == "xavier_uniform":
            nn.init.xavier_uniform_(weight, gain=args["gain"])
        elif init in ("kaiming_normal", "kaiming_uniform"):
            fn = nn.init.kaiming_normal_ if init == "kaiming_normal" else nn.init.kaiming_uniform_
            fn(weight, a=args["a"], mode="fan_in", nonlinearity=args["nonlinearity"])
        elif init == "lecun_normal":
            nn.init.kaiming_normal_(weight, mode="fan_in", nonlinearity="linear")
        elif init == "normal":
            nn.init.normal_(weight, 0.0, args["sigma"])
        elif init == "zeros":
            nn.init.zeros_(weight)


def init_bias_(bias: Tensor | None, bias_init: str, value: float = 0.0) -> None:
    """Set `bias` in place: "zeros", "constant" (every bias `value`) or "default" (nn.Linear's U(-1/√fan_in,
    1/√fan_in), kept as it is). Draws no random numbers."""
    import torch
    from torch import nn

    if bias is None:
        return
    with torch.no_grad():
        if bias_init == "zeros":
            nn.init.zeros_(bias)
        elif bias_init == "constant":
            nn.init.constant_(bias, value)


# ---- what nn.Linear's default amounts to, measured ---------------------------------------------------------------

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
    import torch
    from torch import nn

    fan_in = int(min(max(fan_in, 1), 4096))
    fan_out = int(min(max(fan_out, 1), 4096))
    seed = int(min(max(seed, 0), SEED_HIGH))
    with seeding.seeded(seed):
        lin: nn.Linear = nn.Linear(fan_in, fan_out)
    w, b = lin.weight.detach().to(torch.float64), lin.bias.detach().to(torch.float64)
    bound = 1.0 / math.sqrt(fan_in)
    return DefaultInitCheck(
        fan_in=fan_in, fan_out=fan_out, bound=bound, max_abs_weight=w.abs().max().item(),
        weight_var=w.var(correction=0).item(), expected_var=bound**2 / 3, bias_bound=bound,
        max_abs_bias=b.abs().max().item(),
    )
