"""Your own activation: a learner's formula in x (and parameters a, b, c), parsed, differentiated and compiled.

The text is parsed by Python's `ast` and checked against a whitelist; it is never passed to eval, exec, sympify
or parse_expr (they evaluate Python). From the checked tree this module builds, itself:
- a SymPy expression of f and its derivative f' (`sympy.diff`), with their LaTeX (`sympy.latex`);
- NumPy callables f(x, a, b, c) and f'(x, a, b, c) (`sympy.lambdify` on those expressions, stable NumPy forms of
  sigmoid, softplus and erf), which never warn: where f or f' is undefined (log of a negative number) or overflows
  (exp(1000)) they return NaN, and `gaps` says which x-intervals are "undefined" and which "overflow";
- a PyTorch twin of the same tree (a function of a tensor), so that autograd can be compared with f'.

Kinks follow PyTorch's autograd conventions: relu'(0) = 0, abs'(0) = 0, sign' = 0, max/min share the gradient
equally at a tie (torch.maximum's rule), where(cond, p, q)' is p' where cond holds and q' elsewhere.

Sympy and torch are imported only when a formula is parsed or its twin is called: `import activations` stays light.
Every message is an i18n Note (a message id and its values); `parse` never raises.
"""
from __future__ import annotations

import ast
import difflib
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from typing import Any

import numpy as np

from i18n import N_, Msg, Nn_, Note, Raw

from .analysis import Region, runs
from .registry import FAMILIES
from .spec import ActivationSpec, Param

# ---- the language ------------------------------------------------------------------------------------------------
VARIABLE = "x"
PARAMETERS = ("a", "b", "c")
CONSTANTS = {"pi": math.pi, "e": math.e}
# name -> number of arguments (max and min take two or more)
FUNCTIONS = {
    "exp": 1, "log": 1, "log1p": 1, "expm1": 1, "sqrt": 1, "abs": 1, "sign": 1,
    "sin": 1, "cos": 1, "tan": 1, "tanh": 1, "sinh": 1, "cosh": 1, "arctan": 1, "erf": 1,
    "sigmoid": 1, "softplus": 1, "relu": 1, "max": 2, "min": 2, "where": 3,
}
VARIADIC = frozenset({"max", "min"})
# names learners reach for, and the function of the list they mean
ALIASES = {"ln": "log", "atan": "arctan", "arctg": "arctan", "sgn": "sign", "maximum": "max", "minimum": "min",
           "logistic": "sigmoid", "heaviside": "where", "step": "where", "ifelse": "where"}

MAX_CHARS = 300  # of the text as typed
MAX_NODES = 200  # expression nodes of the tree
MAX_DEPTH = 30  # nesting of expression nodes
MAX_EXPONENT = 16  # |p| for a constant exponent p
MAX_LITERAL = 1e15  # |v| for a number written in the formula
MAX_BITS = 1024  # numerator/denominator of an exact constant the formula computes (2**1024 > the largest float)
HUGE = 1e100  # a constant part beyond this magnitude is kept as a float (SymPy's exact forms would grow costly)
MAX_DERIVATIVE = 20_000  # nodes of f' (SymPy's tree) beyond which the formula is "too complex"
TIME_BUDGET = 1.0  # seconds for building, differentiating and compiling one formula (SymPy's import excluded)
CACHE_SIZE = 64  # parsed formulas kept (by their text)

UNDEFINED, OVERFLOW = "undefined", "overflow"  # the kinds of Region that `gaps` returns
UNDEFINED_NAME = "undefined_"  # the symbol standing for NaN inside where() (NumPy: nan)

# ---- messages (N_-marked: the UI renders them in the learner's language) ---------------------------------------
EMPTY = N_("Type a formula in x, for example `x * sigmoid(x)`.")
TOO_LONG = N_("The formula is {length} characters long; at most {limit} are allowed.")
BAD_CHARACTER = N_("Column {col}: the character {char} ({code}) cannot be part of a formula.")
UNOPENED = N_("Column {col}: this closing parenthesis has no opening one.")
UNCLOSED = N_("Column {col}: this parenthesis is never closed.")
SYNTAX = N_("Column {col}: the formula does not read as an expression from here: {raw}.")
MISSING_TIMES = N_("Column {col}: write * to multiply, as in `2*x` or `a*(x + 1)`: {raw}.")
POWER_CARET = N_("Column {col}: for a power write ** instead of ^, as in `x**2`.")
TOO_MANY_NODES = N_("The formula has {count} parts; at most {limit} are allowed.")
TOO_DEEP = N_("Column {col}: the formula nests {depth} levels deep here; at most {limit} are allowed.")
NOT_ALLOWED = N_("Column {col}: {what} cannot be part of a formula: {raw}.")
UNKNOWN_NAME = N_("Column {col}: {raw} is not a name a formula knows. It may use x, the parameters a, b and c, "
                  "the constants pi and e, and the functions {functions}.")
UNKNOWN_FUNCTION = N_("Column {col}: {raw} is not a function a formula may call. The functions are {functions}.")
DID_YOU_MEAN = N_("Column {col}: {raw} is not known to a formula; did you mean `{suggestion}`?")
FUNCTION_AS_VALUE = N_("Column {col}: {raw} is a function: give it an argument, as in `{name}(x)`.")
ARITY = Nn_("Column {col}: {raw} takes {n} argument, not {given}.",
            "Column {col}: {raw} takes {n} arguments, not {given}.")
ARITY_AT_LEAST = N_("Column {col}: {raw} takes at least {least} arguments, not {given}.")
WHERE_CONDITION = N_("Column {col}: the first argument of where must be a comparison, such as `x > 0`: {raw}.")
EXPONENT_TOO_LARGE = N_("Column {col}: the exponent {raw} is too large; a constant exponent must lie "
                        "between -{limit} and {limit}.")
NUMBER_TOO_LARGE = N_("Column {col}: the number {raw} is too large; a number in a formula is at most {limit} "
                      "in size.")
CONSTANT_TOO_LARGE = N_("Column {col}: {raw} makes a number too large to work with.")
TOO_COMPLEX = N_("The formula is too complex: its derivative could not be worked out within {seconds} s.")
NOT_PROCESSED = N_("The formula {raw} could not be processed.")
CONSTANT_FORMULA = N_("The formula does not use x: f is constant, so f′ is 0 everywhere.")
GAP_UNDEFINED = N_("{fn} is undefined for x from {start} to {end} (for example the logarithm or square root of a "
                   "negative number, or a division by zero).")
GAP_UNDEFINED_AT = N_("{fn} is undefined at x = {start} (for example the logarithm of 0, or a division by zero).")
GAP_OVERFLOW = N_("{fn} overflows for x from {start} to {end}: a value on the way exceeds the largest number a "
                  "computer's float holds (about 1.8e308).")
GAP_OVERFLOW_AT = N_("{fn} overflows at x = {start}: a value on the way exceeds the largest float.")

# what a refused construct is, for NOT_ALLOWED
_ATTRIBUTE = N_("attribute access (a dot after a value)")
_SUBSCRIPT = N_("indexing with [ ]")
_LAMBDA = N_("a lambda")
_COMPREHENSION = N_("a comprehension")
_STRING = N_("text in quotes")
_CONTAINER = N_("a list, tuple, set or dictionary")
_IF_ELSE = N_("`if … else` (use `where(cond, p, q)`)")
_KEYWORD = N_("a keyword argument (give the arguments in order)")
_STARRED = N_("a starred argument")
_COMPLEX = N_("a complex number")
_TRUE_FALSE = N_("True, False or None")
_ASSIGNMENT = N_("an assignment")
_OPERATOR = N_("this operator (use + - * / **)")
_COMPARISON = N_("a comparison outside the condition of `where`")
_LOGIC = N_("`and`, `or` or `not` outside the condition of `where`")
_OTHER = N_("this construct")


# ---- the results ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Formula:
    """A checked formula: its texts, LaTeX, and the functions built from it (all pure, reusable across reruns)."""

    source: str  # as typed
    normalized: str  # canonical text (Python's ast.unparse of the checked tree): what a link carries
    params: tuple[str, ...]  # the parameters it uses, of ("a", "b", "c"), in that order
    tex_f: str  # "f(x) = …"
    tex_df: str  # "f'(x) = …"
    f: Callable[..., np.ndarray] = field(repr=False)  # f(x, a=1.0, b=1.0, c=1.0): float64, NaN where not finite
    df: Callable[..., np.ndarray] = field(repr=False)  # the analytic f', same conventions
    torch_fn: Callable[..., Any] = field(repr=False)  # torch_fn(tensor, a=1.0, b=1.0, c=1.0) -> tensor
    expr: Any = field(repr=False, compare=False, default=None)  # SymPy's f
    dexpr: Any = field(repr=False, compare=False, default=None)  # SymPy's f'


@dataclass(frozen=True)
class Example:
    """A formula to click, with where it comes from and the parameters it uses."""

    key: str
    formula: str
    origin: str  # N_-marked: one line on where it comes from
    params: tuple[Param, ...] = ()  # a, b, c with their default, slider range and help

    @property
    def defaults(self) -> dict[str, float]:
        return {p.name: float(p.default) for p in self.params}


EXAMPLES: tuple[Example, ...] = (
    Example("snake", "x + sin(a*x)**2/a",
            N_("Snake (Ziyin, Hartwig & Ueda, 2020): x + sin²(ax)/a, monotonic with a periodic ripple, proposed "
               "so that networks can learn periodic functions."),
            (Param("a", 1.0, 0.1, 10.0, 0.1, N_("Frequency of the ripple: larger a, faster and smaller wiggles.")),)),
    Example("siren", "sin(a*x)",
            N_("SIREN (Sitzmann et al., 2020): sin(ω₀x) with ω₀ = 30 in the first layer, for networks that "
               "represent images, sounds and shapes as functions."),
            (Param("a", 1.0, 0.1, 30.0, 0.1, N_("The frequency ω₀: SIREN uses 30 in its first layer.")),)),
    Example("gaussian", "exp(-x**2)",
            N_("Gaussian: the bump of radial-basis-function networks; not monotonic, and its gradient vanishes on "
               "both sides.")),
    Example("bent_identity", "(sqrt(x**2 + 1) - 1)/2 + x",
            N_("Bent identity: a smooth curve between the identity and a rectifier, from the classic lists of "
               "activations.")),
    Example("arctan", "arctan(x)",
            N_("Arctangent: sigmoid-shaped, but its tails approach ±π/2 slowly (like 1/x), so it saturates later "
               "than tanh.")),
    Example("tanhexp", "x*tanh(exp(x))",
            N_("TanhExp (Liu & Di, 2020): x·tanh(eˣ), proposed for lightweight networks.")),
    Example("serf", "x*erf(softplus(x))",
            N_("Serf (Nag & Bhattacharyya, 2021): x·erf(ln(1 + eˣ)), a self-gated cousin of Mish and GELU.")),
    Example("squareplus", "(x + sqrt(x**2 + b))/2",
            N_("Squareplus (Barron, 2021): a softplus-like rectifier made of algebra only (no exp, no log); b sets "
               "how round the corner is, and b = 0 gives ReLU."),
            (Param("b", 4.0, 0.0, 10.0, 0.1, N_("Roundness of the corner at 0: b = 0 is ReLU's sharp corner.")),)),
    Example("elu", "where(x > 0, x, a*(exp(x) - 1))",
            N_("ELU rebuilt from its definition (Clevert et al., 2015): it matches the built-in ELU, derivative "
               "at 0 included."),
            (Param("a", 1.0, 0.0, 3.0, 0.01, N_("ELU's α: the value approached for very negative x is −α.")),)),
)


def example(key: str) -> Example:
    for ex in EXAMPLES:
        if ex.key == key:
            return ex
    raise KeyError(f"no example {key!r}; the examples are {[e.key for e in EXAMPLES]}")


class _Refused(Exception):
    """Raised inside the builders with the Note to return."""

    def __init__(self, note: Note):
        super().__init__(note.msgid)
        self.note = note


# ---- step 1: the text -----------------------------------------------------------------------------------------
# Typographic characters a learner may paste, written the Python way; full-width forms (U+FF01-FF5E) as ASCII.
_TYPOGRAPHIC = {
    "\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u2217": "*", "\u00f7": "/",
    "\u2215": "/", "\u03c0": "pi", "\u00b2": "**2", "\u00b3": "**3", "\u2264": "<=", "\u2265": ">=", "\u2260": "!=",
}
_SPACES = frozenset("\t\n\r\u00a0\u2002\u2003\u2009\u202f\u3000")
_REFUSED_ASCII = frozenset("#\\")  # a comment would hide the rest; a backslash continues lines


def _normalize(text: str) -> tuple[str, list[int], Note | None]:
    """The text in plain ASCII and, for each of its characters, the index it came from in `text`."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch in _TYPOGRAPHIC:
            rep = _TYPOGRAPHIC[ch]
        elif ch in _SPACES:
            rep = " "
        elif "\uff01" <= ch <= "\uff5e":
            rep = chr(ord(ch) - 0xFEE0)
        else:
            rep = ch
        if any(not (" " <= r <= "~") or r in _REFUSED_ASCII for r in rep):
            return "", [], Note.of(BAD_CHARACTER, col=i + 1, char=Raw(ch), code=f"U+{ord(ch):04X}")
        out.append(rep)
        origin += [i] * len(rep)
    return "".join(out), origin, None


def _parentheses(text: str) -> Note | None:
    depth: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            depth.append(i)
        elif ch == ")":
            if not depth:
                return Note.of(UNOPENED, col=i + 1)
            depth.pop()
    return Note.of(UNCLOSED, col=depth[-1] + 1) if depth else None


_NUMBER_THEN_NAME = re.compile(r"(?<![\w.])(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?=[A-Za-z_(])")


# ---- step 2: the tree -----------------------------------------------------------------------------------------
class _Checker:
    """Walks the tree once, pre-order; the first construct outside the whitelist gives its Note."""

    def __init__(self, text: str, original: str, origin: list[int]):
        self.text, self.original, self.origin = text, original, origin

    def col(self, offset: int) -> int:
        """1-based column in the text as typed of a 0-based offset in the normalized text."""
        if not self.origin:
            return 1
        return self.origin[min(max(offset, 0), len(self.origin) - 1)] + 1

    def raw(self, node: ast.AST) -> Raw:
        start = getattr(node, "col_offset", 0)
        end = getattr(node, "end_col_offset", None) or start + 1
        lo, hi = self.col(start) - 1, self.col(end - 1)
        return Raw(self.original[lo:hi])

    def refuse(self, msgid: str, node: ast.AST, offset: int | None = None, **values) -> _Refused:
        col = self.col(node.col_offset if offset is None else offset)
        return _Refused(Note.of(msgid, col=col, **values))

    def not_allowed(self, what: str, node: ast.AST, offset: int | None = None) -> _Refused:
        return self.refuse(NOT_ALLOWED, node, offset, what=Msg(what), raw=self.raw(node))

    # -- values ------------------------------------------------------------------------------------------------
    def value(self, node: ast.AST) -> None:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub | ast.UAdd):
                return self.value(node.operand)
            if isinstance(node.op, ast.Not):
                raise self.not_allowed(_LOGIC, node)
            raise self.not_allowed(_OPERATOR, node)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.BitXor):
                raise self.refuse(POWER_CARET, node, self._after(node.left))
            if not isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Pow):
                raise self.not_allowed(_OPERATOR, node, self._after(node.left))
            self.value(node.left)
            return self.value(node.right)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Compare):
            raise self.not_allowed(_COMPARISON, node)
        if isinstance(node, ast.BoolOp):
            raise self.not_allowed(_LOGIC, node)
        raise self._construct(node)

    def _after(self, node: ast.AST) -> int:
        """The first character after `node` that is neither a space nor a closing parenthesis."""
        i = node.end_col_offset or node.col_offset
        while i < len(self.text) and self.text[i] in " )":
            i += 1
        return i

    def _construct(self, node: ast.AST) -> _Refused:
        if isinstance(node, ast.Attribute):
            return self.not_allowed(_ATTRIBUTE, node, self._after(node.value))
        if isinstance(node, ast.Subscript):
            return self.not_allowed(_SUBSCRIPT, node, self._after(node.value))
        if isinstance(node, ast.Lambda):
            return self.not_allowed(_LAMBDA, node)
        if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            return self.not_allowed(_COMPREHENSION, node)
        if isinstance(node, ast.JoinedStr | ast.FormattedValue):
            return self.not_allowed(_STRING, node)
        if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
            return self.not_allowed(_CONTAINER, node)
        if isinstance(node, ast.IfExp):
            return self.not_allowed(_IF_ELSE, node)
        if isinstance(node, ast.Starred):
            return self.not_allowed(_STARRED, node)
        if isinstance(node, ast.NamedExpr):
            return self.not_allowed(_ASSIGNMENT, node)
        return self.not_allowed(_OTHER, node)

    def constant(self, node: ast.Constant) -> None:
        v = node.value
        if isinstance(v, bool) or v is None:
            raise self.not_allowed(_TRUE_FALSE, node)
        if isinstance(v, str | bytes):
            raise self.not_allowed(_STRING, node)
        if isinstance(v, complex):
            raise self.not_allowed(_COMPLEX, node)
        if not isinstance(v, int | float):
            raise self.not_allowed(_OTHER, node)
        if isinstance(v, int) and abs(v) > MAX_LITERAL or isinstance(v, float) and not abs(v) <= MAX_LITERAL:
            raise self.refuse(NUMBER_TOO_LARGE, node, raw=self.raw(node), limit=MAX_LITERAL)

    def name(self, node: ast.Name) -> None:
        if node.id == VARIABLE or node.id in PARAMETERS or node.id in CONSTANTS:
            return
        if node.id in FUNCTIONS:
            raise self.refuse(FUNCTION_AS_VALUE, node, raw=self.raw(node), name=node.id)
        suggestion = _suggest(node.id, (VARIABLE, *PARAMETERS, *CONSTANTS, *FUNCTIONS))
        if suggestion:
            raise self.refuse(DID_YOU_MEAN, node, raw=self.raw(node), suggestion=suggestion)
        raise self.refuse(UNKNOWN_NAME, node, raw=self.raw(node), functions=_function_list())

    def call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Constant | ast.BinOp | ast.UnaryOp | ast.Call):  # 2(x + 1), (x+1)(x-1)
                raise self.refuse(MISSING_TIMES, node, self._after(func), raw=self.raw(node))
            raise self._construct(func)
        name = func.id
        if name in (VARIABLE, *PARAMETERS, *CONSTANTS):  # x(x + 1), a(x + 1)
            raise self.refuse(MISSING_TIMES, node, self._after(func), raw=self.raw(node))
        if name not in FUNCTIONS:
            suggestion = _suggest(name, tuple(FUNCTIONS))
            if suggestion:
                raise self.refuse(DID_YOU_MEAN, func, raw=self.raw(func), suggestion=suggestion)
            raise self.refuse(UNKNOWN_FUNCTION, func, raw=self.raw(func), functions=_function_list())
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.not_allowed(_STARRED, arg)
        if node.keywords:
            kw = node.keywords[0]
            raise self.not_allowed(_KEYWORD, kw)
        given, want = len(node.args), FUNCTIONS[name]
        if name in VARIADIC and given < want:
            raise self.refuse(ARITY_AT_LEAST, func, raw=self.raw(func), least=want, given=given)
        if name not in VARIADIC and given != want:
            forms, n = ARITY, want
            note = Note.count(forms, n, col=self.col(func.col_offset), raw=self.raw(func), given=given)
            raise _Refused(note)
        if name == "where":
            self.condition(node.args[0])
            self.value(node.args[1])
            return self.value(node.args[2])
        for arg in node.args:
            self.value(arg)

    # -- conditions (the first argument of where) -----------------------------------------------------------------
    def condition(self, node: ast.AST) -> None:
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if not isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE | ast.Eq | ast.NotEq):
                    raise self.not_allowed(_OPERATOR, node)
            self.value(node.left)
            for comparator in node.comparators:
                self.value(comparator)
            return
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                self.condition(v)
            return
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.condition(node.operand)
        if isinstance(node, ast.Constant | ast.Name | ast.BinOp | ast.Call | ast.UnaryOp):
            raise self.refuse(WHERE_CONDITION, node, raw=self.raw(node))
        raise self._construct(node)


def _suggest(name: str, known: Sequence[str]) -> str:
    if name in ALIASES:
        return ALIASES[name]
    if name.lower() in known:
        return name.lower()
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    return close[0] if close else ""


@cache
def _function_list() -> str:
    return ", ".join(f"`{name}`" for name in FUNCTIONS)


def _chain(node: ast.AST) -> str:
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Add | ast.Sub):
            return "+"
        if isinstance(node.op, ast.Mult | ast.Div):
            return "*"
    return ""


def _size(tree: ast.AST, checker: _Checker) -> Note | None:
    """Nodes and depth, counted without recursion (so a deep tree cannot exhaust the stack)."""
    count = 0
    stack: list[tuple[ast.AST, int, str]] = [(tree, 0, "")]
    while stack:
        node, depth, chain = stack.pop()
        link = _chain(node)
        if isinstance(node, ast.expr):
            count += 1
            if not (link and link == chain):  # x + x + x is one level, not two: a sum reads flat
                depth += 1
            if depth > MAX_DEPTH:
                return Note.of(TOO_DEEP, col=checker.col(node.col_offset), depth=depth, limit=MAX_DEPTH)
        stack.extend((child, depth, link) for child in ast.iter_child_nodes(node))
    if count > MAX_NODES:
        return Note.of(TOO_MANY_NODES, count=count, limit=MAX_NODES)
    return None


def _check(source: str) -> tuple[ast.Expression | None, str, _Checker | None, list[Note]]:
    """The checked tree, its normalized text and the checker (for positions), or the Note saying why not."""
    if len(source) > MAX_CHARS:
        return None, "", None, [Note.of(TOO_LONG, length=len(source), limit=MAX_CHARS)]
    if not source.strip():
        return None, "", None, [Note.of(EMPTY)]
    text, origin, note = _normalize(source)
    if note is not None:
        return None, "", None, [note]
    if not text.strip():
        return None, "", None, [Note.of(EMPTY)]
    lead = len(text) - len(text.lstrip())  # Python reads leading spaces as an indent: drop them, keep positions
    text, origin = text[lead:], origin[lead:]
    checker = _Checker(text, source, origin)
    note = _parentheses(text)
    if note is not None:
        return None, "", checker, [note]
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as e:
        m = _NUMBER_THEN_NAME.search(text)
        if m:
            return None, "", checker, [Note.of(MISSING_TIMES, col=checker.col(m.end()),
                                               raw=Raw(source[checker.col(m.start()) - 1:checker.col(m.end())]))]
        if "^" in text:
            return None, "", checker, [Note.of(POWER_CARET, col=checker.col(text.index("^")))]
        offset = (getattr(e, "offset", None) or 0) - 1
        if not 0 <= offset < len(text):  # the text ended too early: point at its end
            offset = len(text.rstrip()) - 1
        return None, "", checker, [Note.of(SYNTAX, col=checker.col(offset),
                                           raw=Raw(source[checker.col(offset) - 1:]))]
    note = _size(tree, checker)
    if note is not None:
        return None, "", checker, [note]
    try:
        checker.value(tree.body)
    except _Refused as r:
        return None, "", checker, [r.note]
    return tree, ast.unparse(tree), checker, []


# ---- step 3: one walk of the tree, two builders (SymPy and torch) -------------------------------------------------
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


def _is_one(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and not isinstance(node.value, bool) and node.value == 1


def _is_call(node: ast.AST, name: str) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
            and len(node.args) == 1)


def _fused(node: ast.AST) -> tuple[str, ast.AST] | None:
    """exp(u) - 1 is expm1(u) and log(1 + u) is log1p(u): the same value without cancellation near u = 0."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and _is_call(node.left, "exp") \
            and _is_one(node.right):
        return "expm1", node.left.args[0]
    if _is_call(node, "log") and isinstance(node.args[0], ast.BinOp) and isinstance(node.args[0].op, ast.Add):
        s = node.args[0]
        if _is_one(s.left):
            return "log1p", s.right
        if _is_one(s.right):
            return "log1p", s.left
    return None


def _walk(node: ast.AST, ops):
    """Fold the checked tree with `ops` (a builder): every backend sees exactly the same operations."""
    fused = _fused(node)
    if fused is not None:
        return ops.call(fused[0], [_walk(fused[1], ops)], node)
    if isinstance(node, ast.Constant):
        return ops.number(node.value, node)
    if isinstance(node, ast.Name):
        return ops.constant(node.id) if node.id in CONSTANTS else ops.symbol(node.id)
    if isinstance(node, ast.UnaryOp):
        inner = _walk(node.operand, ops)
        if isinstance(node.op, ast.USub):
            return ops.neg(inner)
        if isinstance(node.op, ast.Not):
            return ops.not_(inner)
        return inner
    if isinstance(node, ast.BinOp):
        return ops.binary(_BINARY[type(node.op)], _walk(node.left, ops), _walk(node.right, ops), node)
    if isinstance(node, ast.Call):
        return ops.call(node.func.id, [_walk(a, ops) for a in node.args], node)
    if isinstance(node, ast.Compare):
        terms = [_walk(node.left, ops), *(_walk(c, ops) for c in node.comparators)]
        pairs = [ops.compare(_COMPARE[type(op)], terms[i], terms[i + 1]) for i, op in enumerate(node.ops)]
        return pairs[0] if len(pairs) == 1 else ops.logic("and", pairs)
    if isinstance(node, ast.BoolOp):
        return ops.logic("and" if isinstance(node.op, ast.And) else "or", [_walk(v, ops) for v in node.values])
    raise TypeError(f"unchecked node {type(node).__name__}")  # the checker lets none through


# ---- SymPy: the symbolic side -------------------------------------------------------------------------------------
_kit_lock = threading.Lock()


def _kit():
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


class _SympyOps:
    """Builds SymPy's f from the tree; refuses exponents and constants beyond the bounds, as it goes."""

    def __init__(self, checker: _Checker):
        self.sp, self.x, self.params, self.functions, self.own, _ = _kit()
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
        v = _constant_value(e)
        if math.isnan(v):
            return sp.nan
        if math.isinf(v):
            raise self._too_large(node)
        if abs(v) > HUGE and not e.is_Float:
            return sp.Float(v)
        return e

    def _too_large(self, node: ast.AST) -> _Refused:
        return _Refused(Note.of(CONSTANT_TOO_LARGE, col=self.checker.col(node.col_offset), raw=self.checker.raw(node)))

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
            raise _Refused(Note.of(EXPONENT_TOO_LARGE, col=self.checker.col(node.right.col_offset),
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


def _numeric(compiled: Callable, f: Callable | None = None) -> Callable[..., np.ndarray]:
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
        self.sp = _kit()[0]
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


def _constant_value(e) -> float:
    """The float64 value of a constant SymPy expression, computed as NumPy would (NaN if undefined)."""
    with np.errstate(all="ignore"):
        value, _ = _Causes({}, ()).run(e)
    return float(value)


def causes(formula: Formula, x, a=1.0, b=1.0, c=1.0, derivative: bool = False) -> np.ndarray:
    """Per point of x: "" where f (or f') is finite, else UNDEFINED or OVERFLOW (f' has f's gaps, and its own)."""
    xs = np.asarray(x, dtype=np.float64)
    out = np.full(xs.shape, "", dtype=object)
    fbad = np.isnan(formula.f(xs, a, b, c))
    out[fbad] = _kinds(formula.expr, xs[fbad], a, b, c)
    if derivative:
        bad = np.isnan(formula.df(xs, a, b, c)) & ~fbad
        out[bad] = _kinds(formula.dexpr, xs[bad], a, b, c)
    return out


def _kinds(expr, xs: np.ndarray, a, b, c) -> np.ndarray:
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


def gaps(formula: Formula, x, a=1.0, b=1.0, c=1.0, derivative: bool = False) -> list[Region]:
    """Maximal runs of grid points (x sorted) where f (or f') is undefined or overflows, in x order."""
    xs = np.asarray(x, dtype=np.float64).ravel()
    return runs(xs, causes(formula, xs, a, b, c, derivative))


def gap_notes(regions: list[Region], derivative: bool = False) -> list[Note]:
    """One sentence per gap, saying where (for the caption under the chart)."""
    fn = "f′" if derivative else "f"
    notes = []
    for r in regions:
        if r.start == r.end:
            msgid = GAP_UNDEFINED_AT if r.kind == UNDEFINED else GAP_OVERFLOW_AT
        else:
            msgid = GAP_UNDEFINED if r.kind == UNDEFINED else GAP_OVERFLOW
        notes.append(Note.of(msgid, fn=fn, start=r.start, end=r.end))
    return notes


# ---- torch: the twin, from the same tree ------------------------------------------------------------------------
class _TorchOps:
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


def _torch_twin(body: Callable) -> Callable:
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


# ---- putting it together ------------------------------------------------------------------------------------------
def _count(e, limit: int) -> int:
    from sympy import preorder_traversal

    n = 0
    for _ in preorder_traversal(e):
        n += 1
        if n > limit:
            break
    return n


def _build(source: str) -> tuple[Formula | None, list[Note], bool]:
    """(formula, notes, cacheable): a result that ran out of time may go better on the next try."""
    tree, normalized, checker, notes = _check(source)
    if tree is None:
        return None, notes, True
    sp, x, params, _, own, Printer = _kit()
    start = time.perf_counter()
    budget = Note.of(TOO_COMPLEX, seconds=TIME_BUDGET)
    try:
        f = _walk(tree.body, _SympyOps(checker))
    except _Refused as r:
        return None, [r.note], True
    df = sp.nan if f is sp.nan else sp.diff(f, x)  # NaN everywhere has no derivative (diff would say 0)
    df = df.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.S.Zero)
    if df.has(sp.zoo, sp.oo, -sp.oo, sp.I):  # log(-2) in d/dx (-2)**x is log(2) + i*pi: not a real number
        df = df.xreplace({sp.zoo: sp.nan, sp.oo: sp.nan, -sp.oo: sp.nan, sp.I: sp.nan})
    if _count(df, MAX_DERIVATIVE) > MAX_DERIVATIVE or time.perf_counter() - start > TIME_BUDGET:
        return None, [budget], False
    printer = Printer({"ln_notation": True})
    tex_f, tex_df = "f(x) = " + printer.doprint(f), "f'(x) = " + printer.doprint(df)
    args = (x, *(params[p] for p in PARAMETERS), own[-1])  # the last: the NaN inside where(), given as an argument
    modules = [NUMPY_FUNCTIONS, "numpy"]
    f_np = _numeric(sp.lambdify(args, f, modules, cse=True))
    df_np = _numeric(sp.lambdify(args, df, modules, cse=True), f_np)
    if time.perf_counter() - start > TIME_BUDGET:
        return None, [budget], False
    used = tuple(p for p in PARAMETERS if params[p] in f.free_symbols)
    twin = _torch_twin(_walk(tree.body, _TorchOps()))
    formula = Formula(source=source, normalized=normalized, params=used, tex_f=tex_f, tex_df=tex_df, f=f_np,
                      df=df_np, torch_fn=twin, expr=f, dexpr=df)
    constant = not f.free_symbols & {x, own[-1]} and f is not sp.nan  # (NaN everywhere is not "constant")
    return formula, ([Note.of(CONSTANT_FORMULA)] if constant else []), True


PARAM_HELP = N_("A parameter of your formula: f, f′ and every chart follow its value.")
PARAM_LIMIT = 1000.0  # |a|, |b|, |c| at most: what a link may set; the learner's slider range lies inside it
DEFAULT_RANGE = (-5.0, 5.0)  # a parameter's slider when neither the learner nor an example has set one
DEFAULT_FORMULA = "x*sigmoid(a*x)"  # SiLU with a learnable-looking β: one parameter to move from the start


def default_param(name: str, low: float = -PARAM_LIMIT, high: float = PARAM_LIMIT, value: float = 1.0) -> Param:
    """Parameter a, b or c: any value in [-PARAM_LIMIT, PARAM_LIMIT] (the pages narrow the slider to the
    learner's range, or an example's)."""
    return Param(name, value, low, high, 0.01, PARAM_HELP)


def as_spec(formula: Formula, params: Sequence[Param] = ()) -> ActivationSpec:
    """The formula as an activation of the core contract (key "own:<normalized text>"), with a parameter for each
    of a, b, c it uses (`params` may give their defaults and ranges).

    Unlike a built-in, f and f' may be NaN (where undefined or overflowing): see `gaps`.
    """
    from .registry import own_key

    given = {p.name: p for p in params}
    used = tuple(given.get(name) or default_param(name) for name in formula.params)

    def torch_fn(p):
        return partial(formula.torch_fn, **{name: p[name] for name in formula.params})

    return ActivationSpec(
        key=own_key(formula.normalized), name=formula.normalized, family=FAMILIES[-1], f=formula.f, df=formula.df,
        tex=lambda p: (formula.tex_f, formula.tex_df), params=used, torch_fn=torch_fn,
        torch_note=OWN_NOTE,
    )


OWN_NOTE = N_("your formula, built with torch operations")


_cache: OrderedDict[str, tuple[Formula | None, tuple[Note, ...]]] = OrderedDict()
_lock = threading.Lock()


def parse(source: object) -> tuple[Formula | None, list[Note]]:
    """A learner's formula checked and built, or None and the Note saying why (with the column). Never raises.

    Notes that come with a Formula are information (a constant formula), not refusals. The result is cached by
    the text (the parameters a, b, c are arguments of the compiled functions, so a slider move reuses it).
    """
    text = "" if source is None else source if isinstance(source, str) else str(source)
    with _lock:
        if text in _cache:
            _cache.move_to_end(text)
            formula, notes = _cache[text]
            return formula, list(notes)
    try:
        formula, notes, cacheable = _build(text)
    except Exception:  # noqa: BLE001 - a formula must never break the page
        formula, notes, cacheable = None, [Note.of(NOT_PROCESSED, raw=Raw(text))], True
    if cacheable and len(text) <= MAX_CHARS:  # 100 kB of text is refused at once, and not kept
        with _lock:
            _cache[text] = (formula, tuple(notes))
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return formula, notes


@lru_cache(maxsize=CACHE_SIZE)
def canonical(text: str) -> str | None:
    """The canonical text of a formula the whitelist accepts (what `parse` would give as `normalized`), without
    building it: no SymPy (a picker names the learner's formula with it)."""
    try:
        tree, normalized, _, _ = _check(text)
    except Exception:  # noqa: BLE001
        return None
    return normalized if tree is not None else None


def check(source: object) -> list[Note]:
    """Only the whitelist (no SymPy): the Note saying why the text is refused, or [] if it reads as a formula."""
    text = "" if source is None else source if isinstance(source, str) else str(source)
    try:
        return _check(text)[3]
    except Exception:  # noqa: BLE001
        return [Note.of(NOT_PROCESSED, raw=Raw(text))]
