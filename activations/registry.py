"""REGISTRY: every element-wise activation, in teaching order. One entry drives sliders, LaTeX, its PyTorch
twins and the tests: adding an activation is one entry here (and its note in assets/<lang>/activations/)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from i18n import N_, Note

from . import functions as F
from .spec import ActivationSpec, Param

FAMILIES = (
    N_("Sigmoid-like"),
    N_("ReLU family"),
    N_("Exponential family"),
    N_("Smooth, self-gated"),
    N_("Hard / piecewise-linear"),
    N_("Shrinkage"),
    N_("Other"),
)


def _tex(f: str, df: str):
    return lambda p: (f, df)


def _at_zero(p: Mapping) -> tuple[float, ...]:
    return (0.0,)


RRELU_SWAPPED = N_("RReLU needs lower ≤ upper: the two were swapped.")


def _rrelu_order(p: dict) -> tuple[dict, list[Note]]:
    if p["lower"] > p["upper"]:
        p = {**p, "lower": p["upper"], "upper": p["lower"]}
        return p, [Note.of(RRELU_SWAPPED)]
    return p, []


# ---- the PyTorch twins: factories of resolved params; torch is imported only when a twin is built ------------
def _functional(name: str, *names: str, **fixed) -> Callable[[Mapping], Callable]:
    """params -> torch.nn.functional.<name> with the parameters `names` bound (they are PyTorch's keywords)."""
    def twin(p: Mapping) -> Callable:
        import torch.nn.functional as tf

        return partial(getattr(tf, name), **{n: p[n] for n in names}, **fixed)
    return twin


def _op(name: str) -> Callable[[Mapping], Callable]:
    """params -> torch.<name> (torch.sigmoid, torch.tanh)."""
    def twin(p: Mapping) -> Callable:
        import torch

        return getattr(torch, name)
    return twin


def _module(cls: str, *names: str) -> Callable[[Mapping], object]:
    """params -> torch.nn.<cls>(**those params): the module the experiments train with."""
    def twin(p: Mapping):
        from torch import nn

        return getattr(nn, cls)(**{n: p[n] for n in names})
    return twin


def _identity(p: Mapping) -> Callable:
    return lambda x: x


def _heaviside(p: Mapping) -> Callable:
    import torch

    # heaviside has no autograd formula: adding 0*x gives it PyTorch's zero gradient
    return lambda x: torch.heaviside(x.detach(), torch.ones((), dtype=x.dtype)) + 0 * x


def _prelu(p: Mapping) -> Callable:
    import torch
    import torch.nn.functional as tf

    return lambda x: tf.prelu(x, torch.tensor([p["init"]], dtype=x.dtype))


def _selu_is_torchs(p: Mapping) -> bool:
    return (p["alpha"], p["scale"]) == (F.SELU_ALPHA, F.SELU_SCALE)


def _selu(p: Mapping) -> Callable:
    import torch.nn.functional as tf

    alpha, scale = p["alpha"], p["scale"]
    return tf.selu if _selu_is_torchs(p) else (lambda x: scale * tf.elu(x, alpha))


def _selu_module(p: Mapping):
    from torch import nn

    return nn.SELU() if _selu_is_torchs(p) else None  # other constants: no nn class has them, wrap _selu


def _swish(p: Mapping) -> Callable:
    import torch

    beta = p["beta"]
    return lambda x: x * torch.sigmoid(beta * x)



_SIGMOID_TEX = (r"\sigma(x) = \frac{1}{1 + e^{-x}}", r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)")

_GELU_TEX = {
    "none": (
        r"\mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\Bigl(1 + \operatorname{erf}\bigl(\tfrac{x}{\sqrt 2}\bigr)\Bigr)",
        r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}",
    ),
    "tanh": (
        r"\mathrm{GELU}_{\tanh}(x) = \frac{x}{2}\bigl(1 + \tanh u\bigr),\quad u = \sqrt{2/\pi}\,\bigl(x + 0.044715\,x^3\bigr)",
        r"\mathrm{GELU}_{\tanh}'(x) = \frac{1 + \tanh u}{2} + \frac{x}{2}\bigl(1 - \tanh^2 u\bigr)\sqrt{2/\pi}\,\bigl(1 + 0.134145\,x^2\bigr)",
    ),
}

_SLOPE_HELP = N_("Slope of the line for x < 0. 0 gives ReLU (dead left half); 1 gives the identity.")

_SPECS = (
    # ---------------------------------------------------------------- other (the two extremes first)
    ActivationSpec(
        key="identity", name="Identity", family="Other", f=F.identity, df=F.identity_df,
        tex=_tex(r"f(x) = x", r"f'(x) = 1"), torch_name="nn.Identity", torch_fn=_identity, torch_nn=_module("Identity"),
        recommended_init="xavier_normal", gain_nonlinearity="linear",
    ),
    ActivationSpec(
        key="binary_step", name="Binary step", family="Other", f=F.binary_step, df=F.binary_step_df,
        tex=_tex(r"H(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
                 r"H'(x) = 0 \quad (x \ne 0;\ \text{undefined at } 0,\ \text{0 by convention})"),
        kinks=_at_zero, torch_name="torch.heaviside", torch_note=N_("not an nn module"),
        torch_fn=_heaviside,
    ),
    # ---------------------------------------------------------------- sigmoid-like
    ActivationSpec(
        key="sigmoid", name="Sigmoid", family="Sigmoid-like", f=F.sigmoid, df=F.sigmoid_df,
        tex=_tex(*_SIGMOID_TEX), torch_name="nn.Sigmoid", torch_fn=_op("sigmoid"), torch_nn=_module("Sigmoid"),
        recommended_init="xavier_normal", gain_nonlinearity="sigmoid",
    ),
    ActivationSpec(
        key="tanh", name="Tanh", family="Sigmoid-like", f=F.tanh, df=F.tanh_df,
        tex=_tex(r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
                 r"\tanh'(x) = 1 - \tanh^2(x)"),
        torch_name="nn.Tanh", torch_fn=_op("tanh"), torch_nn=_module("Tanh"),
        recommended_init="xavier_normal", gain_nonlinearity="tanh",
    ),
    ActivationSpec(
        key="softsign", name="Softsign", family="Sigmoid-like", f=F.softsign, df=F.softsign_df,
        tex=_tex(r"f(x) = \frac{x}{1 + |x|}", r"f'(x) = \frac{1}{(1 + |x|)^2}"),
        torch_name="nn.Softsign", torch_fn=_functional("softsign"), torch_nn=_module("Softsign"),
        recommended_init="xavier_normal",
    ),
    ActivationSpec(
        key="logsigmoid", name="LogSigmoid", family="Sigmoid-like", f=F.logsigmoid, df=F.logsigmoid_df,
        tex=_tex(r"f(x) = \log \sigma(x) = -\log\bigl(1 + e^{-x}\bigr)", r"f'(x) = 1 - \sigma(x) = \sigma(-x)"),
        torch_name="nn.LogSigmoid", torch_fn=_functional("logsigmoid"),
        torch_nn=_module("LogSigmoid"), recommended_init="xavier_normal",
    ),
    # ---------------------------------------------------------------- ReLU family
    ActivationSpec(
        key="relu", name="ReLU", family="ReLU family", f=F.relu, df=F.relu_df,
        tex=_tex(r"\mathrm{ReLU}(x) = \max(0, x)",
                 r"\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}\quad(\text{PyTorch: } 0 \text{ at } x = 0)"),
        kinks=_at_zero, torch_name="nn.ReLU", torch_fn=_functional("relu"),
        torch_nn=_module("ReLU"), gain_nonlinearity="relu",
    ),
    ActivationSpec(
        key="leaky_relu", name="LeakyReLU", family="ReLU family", f=F.leaky_relu, df=F.leaky_relu_df,
        params=(Param("negative_slope", 0.01, 0.0, 1.0, 0.01, _SLOPE_HELP, r"a"),),
        tex=_tex(r"f(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}",
                 r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}"),
        kinks=_at_zero, torch_name="nn.LeakyReLU",
        torch_fn=_functional("leaky_relu", "negative_slope"), torch_nn=_module("LeakyReLU", "negative_slope"),
        gain_nonlinearity="leaky_relu", negative_slope=lambda p: float(p["negative_slope"]),
        negative_slope_is=N_("its `negative_slope`"),
    ),
    ActivationSpec(
        key="prelu", name="PReLU", family="ReLU family", f=F.prelu, df=F.prelu_df,
        params=(Param("init", 0.25, 0.0, 1.0, 0.01,
                      N_("Initial value of the learned slope a for x < 0 (PyTorch's default 0.25). "
                         "Training then moves it; here you see one value of it."), r"a"),),
        tex=_tex(r"f(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}\quad(a \text{ learned})",
                 r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases},\qquad "
                 r"\frac{\partial f}{\partial a} = \begin{cases} 0 & x > 0 \\ x & x \le 0 \end{cases}"),
        kinks=_at_zero, torch_name="nn.PReLU", torch_fn=_prelu,
        torch_nn=_module("PReLU", "init"), gain_nonlinearity="leaky_relu", negative_slope=lambda p: float(p["init"]),
        negative_slope_is=N_("its initial slope `init`"),
    ),
    ActivationSpec(
        key="rrelu", name="RReLU", family="ReLU family", f=F.rrelu, df=F.rrelu_df,
        params=(
            Param("lower", 1.0 / 8, 0.0, 1.0, 0.01,
                  N_("Lowest random slope in training (slope ~ U(lower, upper)). PyTorch's default 1/8."), r"l"),
            Param("upper", 1.0 / 3, 0.0, 1.0, 0.01,
                  N_("Highest random slope in training. PyTorch's default 1/3. "
                     "In evaluation the slope is fixed at (lower + upper) / 2."), r"u"),
        ),
        tex=_tex(r"\text{eval: } f(x) = \begin{cases} x & x > 0 \\ \tfrac{l + u}{2}\,x & x \le 0 \end{cases},"
                 r"\quad \text{train: slope } a \sim \mathcal U(l, u)",
                 r"\text{eval: } f'(x) = \begin{cases} 1 & x > 0 \\ \tfrac{l + u}{2} & x \le 0 \end{cases}"),
        kinks=_at_zero, constrain=_rrelu_order, torch_name="nn.RReLU",
        torch_fn=_functional("rrelu", "lower", "upper", training=False), torch_nn=_module("RReLU", "lower", "upper"),
        # in evaluation its slope is the mean of U(lower, upper): the one the core's f and f' describe
        gain_nonlinearity="leaky_relu", negative_slope=lambda p: (float(p["lower"]) + float(p["upper"])) / 2,
        negative_slope_is=N_("its mean slope (`lower` + `upper`) / 2"), stochastic=True,
    ),
    # ---------------------------------------------------------------- exponential family
    ActivationSpec(
        key="elu", name="ELU", family="Exponential family", f=F.elu, df=F.elu_df,
        params=(Param("alpha", 1.0, 0.0, 3.0, 0.05,
                      N_("Value ELU saturates to for very negative x (-alpha). alpha = 0 gives ReLU; "
                         "only alpha = 1 makes f' continuous at 0."), r"\alpha"),),
        tex=_tex(r"\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
                 r"\mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}"),
        kinks=_at_zero, torch_name="nn.ELU", torch_fn=_functional("elu", "alpha"),
        torch_nn=_module("ELU", "alpha"),
    ),
    ActivationSpec(
        key="selu", name="SELU", family="Exponential family", f=F.selu, df=F.selu_df,
        params=(
            Param("alpha", F.SELU_ALPHA, 0.5, 3.0, 0.05,
                  N_("SELU's alpha (PyTorch fixes it at 1.6733). Together with scale it is chosen so that "
                     "mean 0 / variance 1 is a stable fixed point; other values break self-normalization."),
                  r"\alpha"),
            Param("scale", F.SELU_SCALE, 0.5, 2.0, 0.05,
                  N_("SELU's lambda (PyTorch fixes it at 1.0507). Above 1 it amplifies positive inputs, "
                     "which lets the variance recover layer after layer."), r"\lambda"),
        ),
        tex=_tex(r"\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
                 r"\mathrm{SELU}'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}"),
        kinks=_at_zero, torch_name="nn.SELU",
        torch_note=N_("alpha and scale fixed; sliders here go beyond PyTorch"), torch_fn=_selu, torch_nn=_selu_module,
        recommended_init="lecun_normal", gain_nonlinearity="selu",  # LeCun normal: the init its paper assumes
    ),
    ActivationSpec(
        key="celu", name="CELU", family="Exponential family", f=F.celu, df=F.celu_df,
        params=(Param("alpha", 1.0, 0.05, 3.0, 0.05,
                      N_("Negative saturation value (-alpha) and the scale of the exponential; "
                         "f' is 1 at 0 for every alpha (unlike ELU). alpha must be > 0 (it divides x)."),
                      r"\alpha"),),
        tex=_tex(r"\mathrm{CELU}(x) = \max(0, x) + \min\bigl(0,\ \alpha\,(e^{x/\alpha} - 1)\bigr)",
                 r"\mathrm{CELU}'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}"),
        kinks=_at_zero, torch_name="nn.CELU", torch_fn=_functional("celu", "alpha"),
        torch_nn=_module("CELU", "alpha"),
    ),
    # ---------------------------------------------------------------- smooth, self-gated
    ActivationSpec(
        key="gelu", name="GELU", family="Smooth, self-gated", f=F.gelu, df=F.gelu_df,
        params=(Param("approximate", "none", help=N_("'none': the exact x·Φ(x) with the normal CDF. "
                      "'tanh': the faster tanh approximation used by the original BERT/GPT code."),
                      choices=("none", "tanh")),),
        tex=lambda p: _GELU_TEX[p.get("approximate", "none")],
        torch_name="nn.GELU", torch_fn=_functional("gelu", "approximate"),
        torch_nn=_module("GELU", "approximate"),
    ),
    ActivationSpec(
        key="silu", name="SiLU", family="Smooth, self-gated", f=F.silu, df=F.silu_df,
        tex=_tex(r"\mathrm{SiLU}(x) = x\,\sigma(x)",
                 r"\mathrm{SiLU}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)"),
        torch_name="nn.SiLU", torch_fn=_functional("silu"), torch_nn=_module("SiLU"),
    ),
    ActivationSpec(
        key="swish", name="Swish", family="Smooth, self-gated", f=F.swish, df=F.swish_df,
        params=(Param("beta", 1.0, 0.0, 10.0, 0.1,
                      N_("Sharpness of the gate. beta = 1 is SiLU; beta = 0 gives x/2; large beta approaches ReLU."),
                      r"\beta"),),
        tex=_tex(r"\mathrm{Swish}_\beta(x) = x\,\sigma(\beta x)",
                 r"\mathrm{Swish}_\beta'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\bigl(1 - \sigma(\beta x)\bigr)"),
        torch_name="x * torch.sigmoid(beta * x)", torch_note=N_("beyond PyTorch"), torch_fn=_swish,
    ),
    ActivationSpec(
        key="mish", name="Mish", family="Smooth, self-gated", f=F.mish, df=F.mish_df,
        tex=_tex(r"\mathrm{Mish}(x) = x\,\tanh\bigl(\operatorname{softplus}(x)\bigr)",
                 r"\mathrm{Mish}'(x) = \tanh(s) + x\,\bigl(1 - \tanh^2 s\bigr)\,\sigma(x),\quad s = \operatorname{softplus}(x)"),
        torch_name="nn.Mish", torch_fn=_functional("mish"), torch_nn=_module("Mish"),
    ),
    ActivationSpec(
        key="softplus", name="Softplus", family="Smooth, self-gated", f=F.softplus, df=F.softplus_df,
        params=(
            Param("beta", 1.0, 0.1, 10.0, 0.1,
                  N_("Sharpness: (1/beta)·log(1 + e^(beta·x)). Large beta approaches ReLU. Must be > 0."), r"\beta"),
            Param("threshold", 20.0, 1.0, 50.0, 1.0,
                  N_("Where β·x > threshold, PyTorch returns x. This keeps the exponential from "
                     "overflowing."), r"t"),
        ),
        tex=_tex(r"\mathrm{Softplus}(x) = \begin{cases} \tfrac{1}{\beta}\log\bigl(1 + e^{\beta x}\bigr) & \beta x \le t \\ x & \beta x > t \end{cases}",
                 r"\mathrm{Softplus}'(x) = \begin{cases} \sigma(\beta x) & \beta x \le t \\ 1 & \beta x > t \end{cases}"),
        kinks=lambda p: (p["threshold"] / p["beta"],), torch_name="nn.Softplus",
        torch_fn=_functional("softplus", "beta", "threshold"), torch_nn=_module("Softplus", "beta", "threshold"),
    ),
    # ---------------------------------------------------------------- hard / piecewise-linear
    ActivationSpec(
        key="hardtanh", name="Hardtanh", family="Hard / piecewise-linear", f=F.hardtanh, df=F.hardtanh_df,
        params=(
            Param("min_val", -1.0, -5.0, -0.1, 0.1, N_("Lower clipping value: below it the output is flat (dead)."),
                  r"m"),
            Param("max_val", 1.0, 0.1, 5.0, 0.1, N_("Upper clipping value: above it the output is flat (dead)."),
                  r"M"),
        ),
        tex=_tex(r"\mathrm{Hardtanh}(x) = \begin{cases} M & x > M \\ x & m \le x \le M \\ m & x < m \end{cases}",
                 r"\mathrm{Hardtanh}'(x) = \begin{cases} 1 & m < x < M \\ 0 & \text{otherwise} \end{cases}"),
        kinks=lambda p: (p["min_val"], p["max_val"]), torch_name="nn.Hardtanh",
        torch_fn=_functional("hardtanh", "min_val", "max_val"), torch_nn=_module("Hardtanh", "min_val", "max_val"),
        recommended_init="xavier_normal",
    ),
    ActivationSpec(
        key="relu6", name="ReLU6", family="Hard / piecewise-linear", f=F.relu6, df=F.relu6_df,
        tex=_tex(r"\mathrm{ReLU6}(x) = \min\bigl(\max(0, x),\ 6\bigr)",
                 r"\mathrm{ReLU6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}"),
        kinks=lambda p: (0.0, 6.0), torch_name="nn.ReLU6", torch_fn=_functional("relu6"),
        torch_nn=_module("ReLU6"),
    ),
    ActivationSpec(
        key="hardsigmoid", name="Hardsigmoid", family="Hard / piecewise-linear", f=F.hardsigmoid,
        df=F.hardsigmoid_df,
        tex=_tex(r"\mathrm{Hardsigmoid}(x) = \frac{\mathrm{ReLU6}(x + 3)}{6}",
                 r"\mathrm{Hardsigmoid}'(x) = \begin{cases} 1/6 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}"),
        kinks=lambda p: (-3.0, 3.0), torch_name="nn.Hardsigmoid", torch_fn=_functional("hardsigmoid"),
        torch_nn=_module("Hardsigmoid"), recommended_init="xavier_normal",
    ),
    ActivationSpec(
        key="hardswish", name="Hardswish", family="Hard / piecewise-linear", f=F.hardswish, df=F.hardswish_df,
        tex=_tex(r"\mathrm{Hardswish}(x) = x\,\frac{\mathrm{ReLU6}(x + 3)}{6}",
                 r"\mathrm{Hardswish}'(x) = \begin{cases} 0 & x \le -3 \\ \tfrac{x}{3} + \tfrac12 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}"),
        kinks=lambda p: (-3.0, 3.0), torch_name="nn.Hardswish", torch_fn=_functional("hardswish"),
        torch_nn=_module("Hardswish"),
    ),
    # ---------------------------------------------------------------- shrinkage
    ActivationSpec(
        key="hardshrink", name="Hardshrink", family="Shrinkage", f=F.hardshrink, df=F.hardshrink_df,
        params=(Param("lambd", 0.5, 0.0, 3.0, 0.05, N_("Half-width of the zero band [-lambda, lambda]: "
                      "inputs inside it are set to 0 (and get no gradient)."), r"\lambda"),),
        tex=_tex(r"\mathrm{Hardshrink}(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
                 r"\mathrm{Hardshrink}'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}"),
        kinks=lambda p: (-p["lambd"], p["lambd"]), torch_name="nn.Hardshrink",
        torch_fn=_functional("hardshrink", "lambd"), torch_nn=_module("Hardshrink", "lambd"),
    ),
    ActivationSpec(
        key="softshrink", name="Softshrink", family="Shrinkage", f=F.softshrink, df=F.softshrink_df,
        params=(Param("lambd", 0.5, 0.0, 3.0, 0.05, N_("Soft-threshold: everything inside [-lambda, lambda] "
                      "becomes 0 and the rest moves lambda towards 0."), r"\lambda"),),
        tex=_tex(r"\mathrm{Softshrink}(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ 0 & \text{otherwise} \end{cases}",
                 r"\mathrm{Softshrink}'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}"),
        kinks=lambda p: (-p["lambd"], p["lambd"]), torch_name="nn.Softshrink",
        torch_fn=_functional("softshrink", "lambd"), torch_nn=_module("Softshrink", "lambd"),
    ),
    ActivationSpec(
        key="tanhshrink", name="Tanhshrink", family="Shrinkage", f=F.tanhshrink, df=F.tanhshrink_df,
        tex=_tex(r"\mathrm{Tanhshrink}(x) = x - \tanh(x)", r"\mathrm{Tanhshrink}'(x) = \tanh^2(x)"),
        torch_name="nn.Tanhshrink", torch_fn=_functional("tanhshrink"), torch_nn=_module("Tanhshrink"),
    ),
    # ---------------------------------------------------------------- other
    ActivationSpec(
        key="threshold", name="Threshold", family="Other", f=F.threshold, df=F.threshold_df,
        params=(
            Param("threshold", 1.0, -3.0, 3.0, 0.1, N_("Inputs above it pass through unchanged."), r"\theta"),
            Param("value", 0.0, -3.0, 3.0, 0.1, N_("What every input at or below the threshold is replaced by."),
                  r"v"),
        ),
        tex=_tex(r"\mathrm{Threshold}(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}",
                 r"\mathrm{Threshold}'(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}"),
        kinks=lambda p: (p["threshold"],), torch_name="nn.Threshold",
        torch_fn=_functional("threshold", "threshold", "value"), torch_nn=_module("Threshold", "threshold", "value"),
    ),
)

# Teaching order: the order of _SPECS, grouped by family in FAMILIES order for pickers and the gallery.
REGISTRY: dict[str, ActivationSpec] = {s.key: s for s in _SPECS}
assert len(REGISTRY) == len(_SPECS), "duplicate activation key"
assert all(s.family in FAMILIES for s in _SPECS)


# A learner's formula (activations.formula) is an activation too: its specs have the key "own:<formula>", so that
# every lab's config, cache key and link carries the formula itself. OWN alone is the pickers' option for it.
# The registry knows no formulas: activations.lookup.get builds an "own:" key's spec.
OWN = "own"
_OWN_PREFIX = OWN + ":"


def own_key(formula: str) -> str:
    """The key of the activation a formula defines (its normalized text: activations.formula.Formula)."""
    return _OWN_PREFIX + formula


def is_own(key: object) -> bool:
    return isinstance(key, str) and key.startswith(_OWN_PREFIX)


def own_formula(key: str) -> str:
    return key[len(_OWN_PREFIX):]


def families() -> dict[str, list[ActivationSpec]]:
    """Family name -> its specs, both in teaching order."""
    out: dict[str, list[ActivationSpec]] = {fam: [] for fam in FAMILIES}
    for s in _SPECS:
        out[s.family].append(s)
    return {k: v for k, v in out.items() if v}


def keys_grouped() -> list[str]:
    """All keys, family by family: the order of the Explorer's picker."""
    return [s.key for specs in families().values() for s in specs]
