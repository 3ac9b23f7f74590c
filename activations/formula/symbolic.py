"""The SymPy kit: SymPy, the symbols, the functions it lacks (with PyTorch's kink conventions for their derivatives)
and the builder of f from the checked tree. SymPy is imported when the first formula is built."""
from __future__ import annotations

import ast
import math
import threading
from functools import cache

from i18n import Note

from .limits import (
    CONSTANT_TOO_LARGE,
    EXPONENT_TOO_LARGE,
    HUGE,
    MAX_BITS,
    MAX_EXPONENT,
    PARAMETERS,
    UNDEFINED_NAME,
    VARIABLE,
    VARIADIC,
    Refused,
)
from .numeric import constant_value
from .syntax import Checker

# ---- SymPy: the symbolic side -------------------------------------------------------------------------------------
_kit_lock = threading.Lock()


def kit() -> tuple:
    """SymPy, its symbols and our functions: made once, under a lock (sessions run in threads, and one formula
    must be built from one set of classes)."""
    with _kit_lock:
        return _make_kit()


@cache
def _make_kit():
    """SymPy, its symbols, and the functions SymPy lacks or whose derivative we set (PyTorch's kink conventions)."""
    import sympy as sp
    from sympy.printing.latex import LatexPrinter
    from sympy.printing.precedence import PRECEDENCE

    def tex(template: str, printer, args, exp=None) -> str:
        """`template` with each @ replaced by the LaTeX of the next argument (LaTeX is full of braces); raised to
        the power `exp` when the printer asks (it does for a function's power: sigmoid(x)**2)."""
        parts = template.split("@")
        out = parts[0] + "".join(printer._print(a) + rest for a, rest in zip(args, parts[1:], strict=True))
        return out if exp is None else rf"\left({out}\right)^{{{exp}}}"

    class sigmoid(sp.Function):  # noqa: N801 - the name is what the printers and lambdify see
        def fdiff(self, argindex=1):
            return sigmoid_prime(self.args[0])

        def _latex(self, printer, exp=None):
            return tex(r"\sigma\left(@\right)", printer, self.args, exp)

    class sigmoid_prime(sp.Function):  # noqa: N801 - sigma (1 - sigma), computed stably
        precedence = PRECEDENCE["Mul"]

        def _latex(self, printer, exp=None):
            s = tex(r"\sigma\left(@\right)", printer, self.args)
            out = rf"{s}\left(1 - {s}\right)"
            return out if exp is None else rf"\left({out}\right)^{{{exp}}}"

    class softplus(sp.Function):  # noqa: N801
        def fdiff(self, argindex=1):
            return sigmoid(self.args[0])

        def _latex(self, printer, exp=None):
            return tex(r"\operatorname{softplus}\left(@\right)", printer, self.args, exp)

    class relu(sp.Function):  # noqa: N801
        def fdiff(self, argindex=1):
            return where_(sp.Gt(self.args[0], 0, evaluate=False), sp.S.One, sp.S.Zero)  # PyTorch: relu'(0) = 0

        def _latex(self, printer, exp=None):
            return tex(r"\operatorname{ReLU}\left(@\right)", printer, self.args, exp)

    class absval(sp.Function):  # noqa: N801 - |u| whose derivative is sign(u), 0 at 0 (as PyTorch)
        def fdiff(self, argindex=1):
            return sgn(self.args[0])

        def _latex(self, printer, exp=None):
            bars = tex(r"\left|@\right|", printer, self.args)
            return bars if exp is None else f"{bars}^{{{exp}}}"

    class sgn(sp.Function):  # noqa: N801 - sign, derivative 0 (as PyTorch)
        def fdiff(self, argindex=1):
            return sp.S.Zero

        def _latex(self, printer, exp=None):
            return tex(r"\operatorname{sgn}\left(@\right)", printer, self.args, exp)

    class log1p(sp.Function):  # noqa: N801
        def fdiff(self, argindex=1):
            return 1 / (1 + self.args[0])

        def _latex(self, printer, exp=None):
            return tex(r"\ln\left(1 + @\right)", printer, self.args, exp)

    class expm1(sp.Function):  # noqa: N801
        precedence = PRECEDENCE["Add"]

        def fdiff(self, argindex=1):
            return sp.exp(self.args[0])

        def _latex(self, printer, exp=None):
            return tex(r"e^{@} - 1", printer, self.args, exp)

    def _tie(sign_of_self):
        def fdiff(self, argindex=1):
            u, v = self.args if argindex == 1 else self.args[::-1]
            above, below = sp.Gt(u, v, evaluate=False), sp.Lt(u, v, evaluate=False)
            wins, loses = (above, below) if sign_of_self > 0 else (below, above)
            return where_(wins, sp.S.One, where_(loses, sp.S.Zero, sp.S.Half))  # torch: half each at a tie
        return fdiff

    class maximum(sp.Function):  # noqa: N801 - binary, so max(x, y, z) nests exactly as torch folds it
        nargs = 2
        fdiff = _tie(+1)

        def _latex(self, printer, exp=None):
            return tex(r"\max\left(@, @\right)", printer, self.args, exp)

    class minimum(sp.Function):  # noqa: N801
        nargs = 2
        fdiff = _tie(-1)

        def _latex(self, printer, exp=None):
            return tex(r"\min\left(@, @\right)", printer, self.args, exp)

    signs = {">": {1}, "<": {-1}, ">=": {1, 0}, "<=": {-1, 0}, "==": {0}, "!=": {1, -1}}
    flipped = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
    from_signs = {frozenset(v): k for k, v in signs.items()}

    def _all_of(terms):
        """The conjunction of `terms`, for reading: comparisons of one pair u, v merged (u <= v and u >= v: u = v)."""
        from sympy.logic.boolalg import to_nnf

        terms = [t for t in terms if t is not sp.true]
        if not terms:
            return sp.true
        if all(isinstance(t, sp.Rel) and t.rel_op in signs for t in terms):
            lhs, rhs = terms[0].lhs, terms[0].rhs
            if all({t.lhs, t.rhs} == {lhs, rhs} for t in terms):
                left = {-1, 0, 1}
                for t in terms:
                    left &= signs[t.rel_op if t.lhs == lhs else flipped[t.rel_op]]
                if not left:
                    return sp.false
                if len(left) == 3:
                    return sp.true
                return sp.Rel(lhs, rhs, from_signs[frozenset(left)], evaluate=False)
        return to_nnf(sp.And(*terms))  # cheap; simplify() may take seconds

    class where_(sp.Function):  # noqa: N801 - where(cond, p, q); a Function, not a Piecewise (no condition solving)
        nargs = 3
        is_commutative = True  # its condition is a Boolean, which SymPy would not call commutative: -(-x - w) loops

        @classmethod
        def eval(cls, cond, p, q):
            if cond is sp.true:
                return p
            if cond is sp.false:
                return q
            if p == q:
                return p
            return None

        def _eval_derivative(self, s):
            cond, p, q = self.args
            return where_(cond, p.diff(s), q.diff(s))  # PyTorch: p' where cond holds, q' elsewhere

        def _latex(self, printer, exp=None):
            rows, before, node = [], [], self
            while isinstance(node, where_):  # where(c1, p, where(c2, q, r)) reads as three cases
                cond, p, q = node.args
                rows.append((p, _all_of([*(sp.Not(c) for c in before), cond])))
                before.append(cond)
                node = q
            rows.append((node, _all_of([sp.Not(c) for c in before])))
            shown = [f"{printer._print(v)} & {printer._print(c) if c is not sp.true else ''}" for v, c in rows]
            return r"\begin{cases} " + r" \\ ".join(shown) + r" \end{cases}"

    class Undefined(sp.Symbol):
        """A value that is not a number, inside where(): SymPy's own nan there derails its rewriting (erf(-u))."""

        def _latex(self, printer, exp=None):
            return r"\mathrm{NaN}"

    undefined = Undefined(UNDEFINED_NAME, real=True)

    x = sp.Symbol(VARIABLE, real=True)
    params = {name: sp.Symbol(name, real=True) for name in PARAMETERS}
    functions = {
        "exp": sp.exp, "log": sp.log, "log1p": log1p, "expm1": expm1, "sqrt": sp.sqrt, "abs": absval,
        "sign": sgn, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "tanh": sp.tanh, "sinh": sp.sinh,
        "cosh": sp.cosh, "arctan": sp.atan, "erf": sp.erf, "sigmoid": sigmoid, "softplus": softplus, "relu": relu,
        "max": maximum, "min": minimum, "where": where_,
    }
    own = (sigmoid, sigmoid_prime, softplus, relu, absval, sgn, log1p, expm1, maximum, minimum, where_, undefined)
    return sp, x, params, functions, own, LatexPrinter


class SympyOps:
    """Builds SymPy's f from the tree; refuses exponents and constants beyond the bounds, as it goes."""

    def __init__(self, checker: Checker):
        self.sp, self.x, self.params, self.functions, self.own, _ = kit()
        self.checker = checker
        sp = self.sp
        self.bad = {sp.zoo: sp.nan, sp.oo: sp.nan, -sp.oo: sp.nan, sp.I: sp.nan}

    def settle(self, e, node: ast.AST):
        """A constant part is checked by its float64 value, never by SymPy's arbitrary precision (which, for
        sin(exp(exp(16))), would take hours): NaN if it is undefined (1/0, log(-1)), refused if it overflows, a
        Float if it is huge; exact constants stay exact and readable (e^{2}, sqrt(2)) while they are tame."""
        sp = self.sp
        if e.has(*self.bad):
            e = e.xreplace(self.bad)
        if e.free_symbols or e is sp.nan:
            return e
        if e.is_Rational and max(abs(e.p).bit_length(), abs(e.q).bit_length()) > MAX_BITS:
            raise self._too_large(node)
        v = constant_value(e)
        if math.isnan(v):
            return sp.nan
        if math.isinf(v):
            raise self._too_large(node)
        if abs(v) > HUGE and not e.is_Float:
            return sp.Float(v)
        return e

    def _too_large(self, node: ast.AST) -> Refused:
        return Refused(Note.of(CONSTANT_TOO_LARGE, col=self.checker.col(node.col_offset), raw=self.checker.raw(node)))

    def number(self, v, node):
        return self.sp.Integer(v) if isinstance(v, int) else self.sp.Float(v)

    def constant(self, name):
        return self.sp.pi if name == "pi" else self.sp.E

    def symbol(self, name):
        return self.x if name == VARIABLE else self.params[name]

    def neg(self, u):
        return -u

    def binary(self, op, u, v, node):
        sp = self.sp
        if op == "**" and v.is_Number and v is not sp.nan and abs(v) > MAX_EXPONENT:
            raise Refused(Note.of(EXPONENT_TOO_LARGE, col=self.checker.col(node.right.col_offset),
                                   raw=self.checker.raw(node.right), limit=MAX_EXPONENT))
        try:
            if op == "+":
                e = u + v
            elif op == "-":
                e = u - v
            elif op == "*":
                e = u * v
            elif op == "/":
                e = u / v
            else:
                e = sp.Pow(u, v)
        except ZeroDivisionError:  # SymPy's Floats divide by 0.0 in mpmath, which raises: undefined, as 1/0 is
            return sp.nan
        return self.settle(e, node)

    def call(self, name, args, node):
        if name == "where":
            undefined = self.own[-1]
            return self.functions["where"](*(undefined if a is self.sp.nan else a for a in args))
        if any(a is self.sp.nan for a in args):  # every function of NaN is NaN (max and min too, as in torch)
            return self.sp.nan
        if name in VARIADIC:
            e = args[0]
            for a in args[1:]:
                e = self.functions[name](e, a)
            return self.settle(e, node)
        return self.settle(self.functions[name](args[0]), node)

    def compare(self, op, u, v):
        sp = self.sp
        if u is sp.nan or v is sp.nan:  # as NumPy and torch: every comparison with NaN is false, but !=
            return sp.true if op == "!=" else sp.false
        cls = {"<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge, "==": sp.Eq, "!=": sp.Ne}[op]
        try:
            return cls(u, v)
        except TypeError:
            return cls(u, v, evaluate=False)

    def logic(self, op, terms):
        return self.sp.And(*terms) if op == "and" else self.sp.Or(*terms)

    def not_(self, u):
        return self.sp.Not(u)
