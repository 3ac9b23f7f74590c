"""The formula's PyTorch twin, built from the same checked tree as SymPy's f (so autograd can be compared with f');
torch is imported when the twin first runs."""
from __future__ import annotations

from collections.abc import Callable

from .limits import CONSTANTS, VARIADIC


# ---- torch: the twin, from the same tree ------------------------------------------------------------------------
class TorchOps:
    """Builds, from the tree, closures env -> tensor (or float); torch is imported when the twin first runs."""

    def number(self, v, node):
        v = float(v)
        return lambda env: v

    def constant(self, name):
        v = CONSTANTS[name]
        return lambda env: v

    def symbol(self, name):
        return lambda env: env[name]

    def neg(self, u):
        return lambda env: -_tensor(u(env), env)

    def binary(self, op, u, v, node):
        def run(env):
            p, q = _tensor(u(env), env), v(env)
            if op == "+":
                return p + q
            if op == "-":
                return p - q
            if op == "*":
                return p * q
            if op == "/":
                return p / q
            return p ** q
        return run

    def call(self, name, args, node):
        if name == "where":
            cond, p, q = args
            return lambda env: env["torch"].where(_tensor(cond(env), env, boolean=True), _tensor(p(env), env),
                                                  _tensor(q(env), env))
        if name in VARIADIC:
            def fold(env):
                op = env["torch"].maximum if name == "max" else env["torch"].minimum
                out = _tensor(args[0](env), env)
                for a in args[1:]:
                    out = op(out, _tensor(a(env), env))
                return out
            return fold
        (u,) = args
        return lambda env: _torch_unary(name, env)(_tensor(u(env), env))

    def compare(self, op, u, v):
        def run(env):
            p, q = _tensor(u(env), env), _tensor(v(env), env)
            t = env["torch"]
            return {"<": t.lt, "<=": t.le, ">": t.gt, ">=": t.ge, "==": t.eq, "!=": t.ne}[op](p, q)
        return run

    def logic(self, op, terms):
        def run(env):
            t = env["torch"]
            out = _tensor(terms[0](env), env, boolean=True)
            for term in terms[1:]:
                nxt = _tensor(term(env), env, boolean=True)
                out = t.logical_and(out, nxt) if op == "and" else t.logical_or(out, nxt)
            return out
        return run

    def not_(self, u):
        return lambda env: env["torch"].logical_not(_tensor(u(env), env, boolean=True))


def _tensor(v, env, boolean: bool = False):
    t = env["torch"]
    if isinstance(v, t.Tensor):
        return v
    if boolean:
        return t.tensor(bool(v), device=env["x"].device)
    return t.tensor(float(v), dtype=env["x"].dtype, device=env["x"].device)


def _torch_unary(name: str, env) -> Callable:
    t = env["torch"]
    if name == "softplus":  # ln(1 + e^u) exactly (F.softplus switches to u beyond 20); its gradient is sigmoid(u)
        return lambda u: t.logaddexp(u, t.zeros((), dtype=u.dtype, device=u.device))
    return {"arctan": t.atan, "sign": t.sign, "abs": t.abs, "relu": t.relu, "sigmoid": t.sigmoid}.get(name) \
        or getattr(t, name)


def torch_twin(body: Callable) -> Callable:
    def torch_fn(x, a=1.0, b=1.0, c=1.0):
        import torch

        # a parameter may be a tensor (a learned one keeps its gradient), else it is a number
        env = {"torch": torch, "x": x, **{k: v if isinstance(v, torch.Tensor) else float(v)
                                           for k, v in (("a", a), ("b", b), ("c", c))}}
        out = _tensor(body(env), env)
        if out.shape != x.shape:
            out = torch.zeros_like(x) + out
        if x.requires_grad and not out.requires_grad:  # a constant f: still a function of x (gradient 0)
            out = out + 0.0 * x
        return out
    return torch_fn
