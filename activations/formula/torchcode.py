"""A learner's formula as PyTorch source text: the same fold of the same checked tree as the torch twin
(torchversion.TorchOps), each operation written instead of run, so the exported function computes exactly what the
page's twin does. The text is built from the checked tree only (never from what the learner typed): numbers are
written with repr, names are x, a, b, c and the whitelisted functions."""
from __future__ import annotations

from .limits import CONSTANTS, VARIADIC
from .syntax import read, walk

UNARY = {"arctan": "torch.atan", "sign": "torch.sign", "abs": "torch.abs", "relu": "torch.relu",
         "sigmoid": "torch.sigmoid"}  # torchversion._torch_unary's names; every other is torch.<name>
COMPARE = {"<": "torch.lt", "<=": "torch.le", ">": "torch.gt", ">=": "torch.ge", "==": "torch.eq", "!=": "torch.ne"}

# What the twin does around the folded body (torchversion._tensor and torch_twin), written once in the function
HELPERS = '''    def t(v, boolean=False):
        """A number as a tensor like x (the twin's _tensor)."""
        if isinstance(v, torch.Tensor):
            return v
        if boolean:
            return torch.tensor(bool(v), device=x.device)
        return torch.tensor(float(v), dtype=x.dtype, device=x.device)

    def softplus(u):
        """ln(1 + e^u) exactly (F.softplus switches to u beyond 20); its gradient is sigmoid(u)."""
        return torch.logaddexp(u, torch.zeros((), dtype=u.dtype, device=u.device))
'''


class TorchCodeOps:
    """Builds source text from the tree, operation for operation as TorchOps builds closures."""

    def number(self, v, node):
        return repr(float(v))

    def constant(self, name):
        return repr(float(CONSTANTS[name]))

    def symbol(self, name):
        return name

    def neg(self, u):
        return f"(-t({u}))"

    def binary(self, op, u, v, node):
        return f"(t({u}) {op} {v})"

    def call(self, name, args, node):
        if name == "where":
            cond, p, q = args
            return f"torch.where(t({cond}, True), t({p}), t({q}))"
        if name in VARIADIC:
            op = "torch.maximum" if name == "max" else "torch.minimum"
            out = f"t({args[0]})"
            for a in args[1:]:
                out = f"{op}({out}, t({a}))"
            return out
        (u,) = args
        fn = "softplus" if name == "softplus" else UNARY.get(name, f"torch.{name}")
        return f"{fn}(t({u}))"

    def compare(self, op, u, v):
        return f"{COMPARE[op]}(t({u}), t({v}))"

    def logic(self, op, terms):
        out = f"t({terms[0]}, True)"
        for term in terms[1:]:
            out = f"torch.logical_{op}({out}, t({term}, True))"
        return out

    def not_(self, u):
        return f"torch.logical_not(t({u}, True))"


def function_code(source: str, name: str = "f", params: dict | None = None) -> str:
    """`def f(x, a=…, b=…, c=…)` computing the formula `source` as the app's torch twin does; ValueError if the
    whitelist refuses it. `params` are the defaults written for a, b and c (the page's slider values)."""
    tree, normalized, _checker, notes = read(source)
    if tree is None:
        raise ValueError(f"not a formula the app accepts: {notes}")
    body = walk(tree.body, TorchCodeOps())
    p = {"a": 1.0, "b": 1.0, "c": 1.0, **(params or {})}
    return (f'def {name}(x, a={float(p["a"])!r}, b={float(p["b"])!r}, c={float(p["c"])!r}):\n'
            f'    """f(x) = {normalized}, as PyTorch operations."""\n'
            f"{HELPERS}\n"
            f"    out = t({body})\n"
            "    if out.shape != x.shape:  # a formula without x: the same value everywhere\n"
            "        out = torch.zeros_like(x) + out\n"
            "    if x.requires_grad and not out.requires_grad:  # still a function of x (gradient 0)\n"
            "        out = out + 0.0 * x\n"
            "    return out\n")
