"""The NumPy side: stable NumPy forms of sigmoid, softplus and erf, SymPy's compiled f wrapped to float64 with NaN
where a value is not finite (never a warning), and why a value is not finite, per point: undefined or overflow."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .limits import OVERFLOW, UNDEFINED, UNDEFINED_NAME, VARIABLE

# ---- NumPy: the numeric side --------------------------------------------------------------------------------------
_erf = np.frompyfunc(math.erf, 1, 1)  # NumPy has no erf and SciPy is not a dependency; math's is accurate


def _f64(u) -> np.ndarray:
    """float64, a complex value becoming NaN unless it is real (no ComplexWarning)."""
    u = np.asarray(u)
    if np.iscomplexobj(u):
        u = np.where(u.imag == 0, u.real, np.nan)
    return np.asarray(u, dtype=np.float64)


def _np_erf(u):
    return np.asarray(_erf(_f64(u)), dtype=np.float64)


def _np_sigmoid(u):
    u = _f64(u)
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _np_sigmoid_prime(u):
    e = np.exp(-np.abs(_f64(u)))
    return e / (1.0 + e) ** 2


def _np_softplus(u):
    u = _f64(u)
    return np.maximum(u, 0.0) + np.log1p(np.exp(-np.abs(u)))


def _np_relu(u):
    return np.maximum(_f64(u), 0.0)  # NaN stays NaN, as torch.relu


NUMPY_FUNCTIONS: dict[str, Callable] = {
    "sigmoid": _np_sigmoid, "sigmoid_prime": _np_sigmoid_prime, "softplus": _np_softplus, "relu": _np_relu,
    "absval": np.abs, "sgn": np.sign, "log1p": np.log1p, "expm1": np.expm1, "maximum": np.maximum,
    "minimum": np.minimum, "erf": _np_erf, "where_": np.where,
}


def _real(out, shape) -> np.ndarray:
    """float64 of `shape`; NaN where a value is not finite or not real."""
    out = np.array(np.broadcast_to(_f64(out), shape), dtype=np.float64)
    out[~np.isfinite(out)] = np.nan
    return out


def numpy_function(compiled: Callable, f: Callable | None = None) -> Callable[..., np.ndarray]:
    """The float64 function of x and a, b, c; with `f`, also NaN wherever f is (no slope where no value)."""
    def fn(x, a=1.0, b=1.0, c=1.0) -> np.ndarray:
        xs = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):
            try:
                # NumPy scalars, not Python floats: (-1.3)**pi is NaN, not a complex number; a/0 is inf, not an error
                out = compiled(xs, np.float64(a), np.float64(b), np.float64(c), np.float64(np.nan))
            except (ZeroDivisionError, OverflowError, ValueError, TypeError):  # Python scalars in a constant part
                out = np.full(xs.shape, np.nan)
            out = _real(out, xs.shape)
        if f is not None:
            out[np.isnan(f(xs, a, b, c))] = np.nan
        return out
    return fn


# ---- why a value is not finite: a small interpreter of SymPy's tree that tracks the cause per element ----------
_OK, _OVER, _UNDEF = 0, 1, 2  # a NaN or inf caused by an undefined operation outranks one caused by an overflow
_POLES = frozenset({"log", "log1p"})  # -inf from these is undefined (log 0), not an overflow


class _Causes:
    def __init__(self, env: dict[str, np.ndarray], shape):
        import sympy  # already loaded: the trees it reads come from the kit (activations.formula.symbolic)

        self.sp = sympy
        self.env, self.shape, self.memo = env, shape, {}

    def run(self, e) -> tuple[np.ndarray, np.ndarray]:
        got = self.memo.get(e)
        if got is None:
            got = self.memo[e] = self._eval(e)
        return got

    def _lift(self, out, inputs, name: str, extra_undefined=None):
        out = np.broadcast_to(_f64(out), self.shape)
        bad = ~np.isfinite(out)
        inherited = np.zeros(self.shape, dtype=np.int8)
        any_bad_in = np.zeros(self.shape, dtype=bool)
        for v, c in inputs:
            vb = np.broadcast_to(~np.isfinite(v), self.shape)
            any_bad_in |= vb
            inherited = np.maximum(inherited, np.where(vb, np.broadcast_to(c, self.shape), 0))
        fresh = bad & ~any_bad_in
        kind = np.where(np.isnan(out) | (name in _POLES), _UNDEF, _OVER)
        if extra_undefined is not None:
            kind = np.where(extra_undefined, _UNDEF, kind)
        cause = np.where(fresh, kind, np.where(bad, np.maximum(inherited, _OVER), 0)).astype(np.int8)
        return out, cause

    def _eval(self, e):
        sp = self.sp
        zero = np.zeros(self.shape, dtype=np.int8)
        if e.is_Symbol:
            if e.name == UNDEFINED_NAME:
                return np.full(self.shape, np.nan), np.full(self.shape, _UNDEF, dtype=np.int8)
            return np.broadcast_to(self.env[e.name], self.shape), zero
        if e.is_Atom:  # a number, pi, e; I, zoo and nan are not finite real numbers
            try:
                z = complex(e)
            except (TypeError, ValueError, OverflowError):
                z = complex(math.nan)
            if z.imag != 0 or math.isnan(z.real):
                return np.full(self.shape, np.nan), np.full(self.shape, _UNDEF, dtype=np.int8)
            if math.isinf(z.real):  # a Float beyond the largest double
                return np.full(self.shape, z.real), np.full(self.shape, _OVER, dtype=np.int8)
            return np.full(self.shape, z.real), zero
        if isinstance(e, sp.Piecewise):
            value = np.full(self.shape, np.nan)
            cause = np.full(self.shape, _UNDEF, dtype=np.int8)
            left = np.ones(self.shape, dtype=bool)
            for branch, cond in e.args:
                hit = left & np.broadcast_to(self.truth(cond), self.shape)
                v, c = self.run(branch)
                value = np.where(hit, v, value)
                cause = np.where(hit, c, cause)
                left &= ~hit
            return value, np.where(np.isfinite(value), 0, cause).astype(np.int8)
        if type(e).__name__ == "where_":
            cond, p, q = e.args
            hit = np.broadcast_to(self.truth(cond), self.shape)
            (vp, cp), (vq, cq) = self.run(p), self.run(q)
            return np.where(hit, vp, vq), np.where(hit, cp, cq).astype(np.int8)
        args = [self.run(a) for a in e.args]
        vals = [v for v, _ in args]
        if e.is_Add or e.is_Mul:  # step by step: an overflow half-way (x*e^x*0) is an overflow, not undefined
            op = np.add if e.is_Add else np.multiply
            out = args[0]
            for term in args[1:]:
                out = self._lift(op(out[0], term[0]), [out, term], "add")
            return out
        if e.is_Pow:
            base, power = vals
            return self._lift(np.power(base, power), args, "pow", (base == 0) & (power < 0))
        name = type(e).__name__
        fn = NUMPY_FUNCTIONS.get(name) or getattr(np, {"atan": "arctan"}.get(name, name), None)
        if fn is None or not callable(fn):
            out = sp.lambdify([sp.Symbol(k, real=True) for k in self.env], e, [NUMPY_FUNCTIONS, "numpy"])(
                *self.env.values())
            return self._lift(out, args, name)
        return self._lift(fn(*vals), args, name)

    def truth(self, cond) -> np.ndarray:
        sp = self.sp
        if cond is sp.true:
            return np.ones(self.shape, dtype=bool)
        if cond is sp.false:
            return np.zeros(self.shape, dtype=bool)
        if isinstance(cond, sp.And):
            return np.logical_and.reduce([self.truth(c) for c in cond.args])
        if isinstance(cond, sp.Or):
            return np.logical_or.reduce([self.truth(c) for c in cond.args])
        if isinstance(cond, sp.Not):
            return ~self.truth(cond.args[0])
        u, v = self.run(cond.lhs)[0], self.run(cond.rhs)[0]
        op = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "==": np.equal,
              "!=": np.not_equal}[cond.rel_op]
        return np.broadcast_to(op(u, v), self.shape)


def constant_value(e: Any) -> float:
    """The float64 value of a constant SymPy expression, computed as NumPy would (NaN if undefined)."""
    with np.errstate(all="ignore"):
        value, _ = _Causes({}, ()).run(e)
    return float(value)


def kinds(expr: Any, xs: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """Per point of xs (where a value of `expr` is not finite): UNDEFINED or OVERFLOW, which caused it."""
    if xs.size == 0:
        return np.full(xs.shape, "", dtype=object)
    env = {VARIABLE: xs, "a": np.float64(a), "b": np.float64(b), "c": np.float64(c)}
    with np.errstate(all="ignore"):
        try:
            _, cause = _Causes(env, xs.shape).run(expr)
        except Exception:  # noqa: BLE001 - the kind is advisory: call it undefined rather than fail
            cause = np.full(xs.shape, _UNDEF, dtype=np.int8)
    # NaN from NumPy but finite here: only the order of a product or sum differed, so an overflow on the way
    return np.where(cause == _UNDEF, UNDEFINED, OVERFLOW).astype(object)
