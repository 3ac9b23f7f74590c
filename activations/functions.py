"""NumPy f and f' of every element-wise activation, side by side, in numerically stable forms.

Conventions (checked against PyTorch autograd by the tests):
- inputs are converted to float64; the output has the input's shape;
- at a kink the derivative is the one PyTorch's backward returns (relu'(0) = 0, elu'(0) = alpha, ...);
- no NaN, inf or RuntimeWarning for any finite input: exponentials only ever see arguments <= 0.
"""
from __future__ import annotations

import math

import numpy as np

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_C = 0.044715
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_erfc = np.frompyfunc(math.erfc, 1, 1)  # NumPy has no erfc; math's is correctly rounded-ish and dependency-free


def _x(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _where(cond, a, b) -> np.ndarray:
    return np.asarray(np.where(cond, a, b), dtype=np.float64)


def _tame(x: np.ndarray, bound: float = 1e300) -> np.ndarray:
    # Inside gates and exponents, |x| beyond 1e300 (or 1e100 before cubing) changes nothing but would
    # overflow an intermediate product such as beta * x; the outer factor x keeps the true value.
    return np.clip(x, -bound, bound)


# ---- building blocks ---------------------------------------------------------------------------

def _sigmoid(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return _where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_prime(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))  # sigma'(x) = e^-|x| / (1 + e^-|x|)^2, symmetric, no 1 - sigma cancellation
    return e / (1.0 + e) ** 2


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _sech2(x: np.ndarray) -> np.ndarray:
    e = np.exp(-2.0 * np.abs(_tame(x)))  # 1 - tanh^2 without cancellation for large |x|
    return 4.0 * e / (1.0 + e) ** 2


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    # Phi(x) = erfc(-x/sqrt2)/2 keeps full relative precision in the left tail, where 1 + erf(.) would not.
    return 0.5 * np.asarray(_erfc(-x * _INV_SQRT_2), dtype=np.float64)


def _normal_pdf(x: np.ndarray) -> np.ndarray:
    return _INV_SQRT_2PI * np.exp(-0.5 * np.minimum(x * x, 1e300))


# ---- identity and step -------------------------------------------------------------------------

def identity(x):
    return _x(x).copy()


def identity_df(x):
    return np.ones_like(_x(x))


def binary_step(x):
    x = _x(x)
    return _where(x >= 0, 1.0, 0.0)  # H(0) = 1


def binary_step_df(x):
    return np.zeros_like(_x(x))  # zero everywhere (and undefined at 0): nothing to learn through


# ---- sigmoid-like ------------------------------------------------------------------------------

def sigmoid(x):
    return _sigmoid(_x(x))


def sigmoid_df(x):
    return _sigmoid_prime(_x(x))


def tanh(x):
    return np.tanh(_x(x))


def tanh_df(x):
    return _sech2(_x(x))


def softsign(x):
    x = _x(x)
    return x / (1.0 + np.abs(x))


def softsign_df(x):
    return (1.0 / (1.0 + np.abs(_x(x)))) ** 2  # square after dividing: (1 + |x|)^2 could overflow


def logsigmoid(x):
    x = _x(x)
    return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))  # = -softplus(-x)


def logsigmoid_df(x):
    return _sigmoid(-_x(x))


# ---- ReLU family -------------------------------------------------------------------------------

def relu(x):
    x = _x(x)
    return _where(x > 0, x, 0.0)


def relu_df(x):
    return _where(_x(x) > 0, 1.0, 0.0)  # PyTorch: relu'(0) = 0


def leaky_relu(x, negative_slope=0.01):
    x = _x(x)
    return _where(x > 0, x, negative_slope * x)


def leaky_relu_df(x, negative_slope=0.01):
    return _where(_x(x) > 0, 1.0, float(negative_slope))  # PyTorch: slope of the left piece at 0


def prelu(x, init=0.25):
    return leaky_relu(x, init)  # PReLU's forward is LeakyReLU whose slope `init` is then learned


def prelu_df(x, init=0.25):
    return leaky_relu_df(x, init)


def rrelu_eval_slope(lower: float, upper: float) -> float:
    """RReLU in evaluation mode uses the mean of its training distribution U(lower, upper)."""
    return (float(lower) + float(upper)) / 2.0


def rrelu(x, lower=1.0 / 8, upper=1.0 / 3):
    return leaky_relu(x, rrelu_eval_slope(lower, upper))


def rrelu_df(x, lower=1.0 / 8, upper=1.0 / 3):
    return leaky_relu_df(x, rrelu_eval_slope(lower, upper))


# ---- exponential family ------------------------------------------------------------------------

def elu(x, alpha=1.0):
    x = _x(x)
    return _where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_df(x, alpha=1.0):
    x = _x(x)
    return _where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))  # PyTorch: elu'(0) = alpha


def selu(x, alpha=SELU_ALPHA, scale=SELU_SCALE):
    return scale * elu(x, alpha)


def selu_df(x, alpha=SELU_ALPHA, scale=SELU_SCALE):
    return scale * elu_df(x, alpha)


def celu(x, alpha=1.0):
    x = _x(x)
    return _where(x > 0, x, alpha * np.expm1(_tame(np.minimum(x, 0.0)) / alpha))


def celu_df(x, alpha=1.0):
    x = _x(x)
    return _where(x > 0, 1.0, np.exp(_tame(np.minimum(x, 0.0)) / alpha))  # 1 at 0 for every alpha: C^1


# ---- smooth, self-gated ------------------------------------------------------------------------

def _gelu_tanh_u(x):
    return _SQRT_2_OVER_PI * (x + _GELU_C * x**3)


def gelu(x, approximate="none"):
    x = _x(x)
    xc = _tame(x, 1e100)  # x**3 and x*x must stay finite
    if approximate == "tanh":
        # 0.5 (1 + tanh u) = sigmoid(2u): no cancellation in the left tail
        return x * _sigmoid(2.0 * _gelu_tanh_u(xc))
    return x * _normal_cdf(xc)


def gelu_df(x, approximate="none"):
    x = _tame(_x(x), 1e100)  # beyond, f' is exactly 0 or 1 in float64 anyway
    if approximate == "tanh":
        u = _gelu_tanh_u(x)
        du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_C * x * x)
        return _sigmoid(2.0 * u) + x * 2.0 * _sigmoid_prime(2.0 * u) * du
    return _normal_cdf(x) + x * _normal_pdf(x)


def silu(x):
    return swish(x, 1.0)


def silu_df(x):
    return swish_df(x, 1.0)


def swish(x, beta=1.0):
    x = _x(x)
    return x * _sigmoid(beta * _tame(x))


def swish_df(x, beta=1.0):
    bx = beta * _tame(_x(x))
    return _sigmoid(bx) + bx * _sigmoid_prime(bx)


def mish(x):
    x = _x(x)
    return x * np.tanh(_softplus(x))


def mish_df(x):
    x = _tame(_x(x))
    sp = _softplus(x)
    return np.tanh(sp) + x * _sech2(sp) * _sigmoid(x)


def softplus(x, beta=1.0, threshold=20.0):
    x = _x(x)
    bx = beta * _tame(x)
    # PyTorch reverts to the identity where beta*x > threshold (for speed and stability)
    return _where(bx > threshold, x, _softplus(bx) / beta)


def softplus_df(x, beta=1.0, threshold=20.0):
    bx = beta * _tame(_x(x))
    return _where(bx > threshold, 1.0, _sigmoid(bx))


# ---- hard / piecewise-linear -------------------------------------------------------------------

def hardtanh(x, min_val=-1.0, max_val=1.0):
    return np.clip(_x(x), min_val, max_val)


def hardtanh_df(x, min_val=-1.0, max_val=1.0):
    x = _x(x)
    return _where((x > min_val) & (x < max_val), 1.0, 0.0)  # PyTorch: 0 at both kinks


def relu6(x):
    return hardtanh(x, 0.0, 6.0)


def relu6_df(x):
    return hardtanh_df(x, 0.0, 6.0)


def hardsigmoid(x):
    x = _x(x)
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)


def hardsigmoid_df(x):
    x = _x(x)
    return _where((x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0)


def hardswish(x):
    x = _x(x)
    return x * (np.clip(x + 3.0, 0.0, 6.0) / 6.0)  # divide first: x * 6 could overflow


def hardswish_df(x):
    x = _x(x)
    # PyTorch's backward at the kinks: 0 at -3 (left piece), 1 at +3 (right piece)
    return _where(x <= -3.0, 0.0, _where(x < 3.0, x / 3.0 + 0.5, 1.0))


# ---- shrinkage ---------------------------------------------------------------------------------

def hardshrink(x, lambd=0.5):
    x = _x(x)
    return _where(np.abs(x) > lambd, x, 0.0)


def hardshrink_df(x, lambd=0.5):
    x = _x(x)
    return _where(np.abs(x) > lambd, 1.0, 0.0)


def softshrink(x, lambd=0.5):
    x = _x(x)
    return _where(x > lambd, x - lambd, _where(x < -lambd, x + lambd, 0.0))


def softshrink_df(x, lambd=0.5):
    return hardshrink_df(x, lambd)


def tanhshrink(x):
    x = _x(x)
    return x - np.tanh(x)


def tanhshrink_df(x):
    return np.tanh(_x(x)) ** 2


# ---- other -------------------------------------------------------------------------------------

def threshold(x, threshold=1.0, value=0.0):
    x = _x(x)
    return _where(x > threshold, x, float(value))


def threshold_df(x, threshold=1.0, value=0.0):
    return _where(_x(x) > threshold, 1.0, 0.0)
