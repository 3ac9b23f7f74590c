"""A learner's text read by Python's `ast` and checked against the whitelist (never evaluated), each refusal with
its column; and the one fold of the checked tree that every backend (SymPy, torch) builds from."""
from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from i18n import N_, Msg, Note, Raw

from .limits import (
    ALIASES,
    ARITY,
    ARITY_AT_LEAST,
    BAD_CHARACTER,
    CACHE_SIZE,
    CONSTANTS,
    DID_YOU_MEAN,
    EMPTY,
    FUNCTION_AS_VALUE,
    FUNCTIONS,
    MAX_CHARS,
    MAX_DEPTH,
    MAX_LITERAL,
    MAX_NODES,
    MISSING_TIMES,
    NOT_ALLOWED,
    NOT_PROCESSED,
    NUMBER_TOO_LARGE,
    PARAMETERS,
    POWER_CARET,
    SYNTAX,
    TOO_DEEP,
    TOO_LONG,
    TOO_MANY_NODES,
    UNCLOSED,
    UNKNOWN_FUNCTION,
    UNKNOWN_NAME,
    UNOPENED,
    VARIABLE,
    VARIADIC,
    WHERE_CONDITION,
    Refused,
)

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
class Checker:
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

    def refuse(self, msgid: str, node: ast.AST, offset: int | None = None, **values) -> Refused:
        col = self.col(node.col_offset if offset is None else offset)
        return Refused(Note.of(msgid, col=col, **values))

    def not_allowed(self, what: str, node: ast.AST, offset: int | None = None) -> Refused:
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

    def _construct(self, node: ast.AST) -> Refused:
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
            raise Refused(note)
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


def _size(tree: ast.AST, checker: Checker) -> Note | None:
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


def read(source: str) -> tuple[ast.Expression | None, str, Checker | None, list[Note]]:
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
    checker = Checker(text, source, origin)
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
    except Refused as r:
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


def walk(node: ast.AST, ops: Any) -> Any:
    """Fold the checked tree with `ops` (a builder): every backend sees exactly the same operations."""
    fused = _fused(node)
    if fused is not None:
        return ops.call(fused[0], [walk(fused[1], ops)], node)
    if isinstance(node, ast.Constant):
        return ops.number(node.value, node)
    if isinstance(node, ast.Name):
        return ops.constant(node.id) if node.id in CONSTANTS else ops.symbol(node.id)
    if isinstance(node, ast.UnaryOp):
        inner = walk(node.operand, ops)
        if isinstance(node.op, ast.USub):
            return ops.neg(inner)
        if isinstance(node.op, ast.Not):
            return ops.not_(inner)
        return inner
    if isinstance(node, ast.BinOp):
        return ops.binary(_BINARY[type(node.op)], walk(node.left, ops), walk(node.right, ops), node)
    if isinstance(node, ast.Call):
        return ops.call(node.func.id, [walk(a, ops) for a in node.args], node)
    if isinstance(node, ast.Compare):
        terms = [walk(node.left, ops), *(walk(c, ops) for c in node.comparators)]
        pairs = [ops.compare(_COMPARE[type(op)], terms[i], terms[i + 1]) for i, op in enumerate(node.ops)]
        return pairs[0] if len(pairs) == 1 else ops.logic("and", pairs)
    if isinstance(node, ast.BoolOp):
        return ops.logic("and" if isinstance(node.op, ast.And) else "or", [walk(v, ops) for v in node.values])
    raise TypeError(f"unchecked node {type(node).__name__}")  # the checker lets none through


@lru_cache(maxsize=CACHE_SIZE)
def canonical(text: str) -> str | None:
    """The canonical text of a formula the whitelist accepts (what `parse` would give as `normalized`), without
    building it: no SymPy (a picker names the learner's formula with it)."""
    try:
        tree, normalized, _, _ = read(text)
    except Exception:  # noqa: BLE001
        return None
    return normalized if tree is not None else None


def check(source: object) -> list[Note]:
    """Only the whitelist (no SymPy): the Note saying why the text is refused, or [] if it reads as a formula."""
    text = "" if source is None else source if isinstance(source, str) else str(source)
    try:
        return read(text)[3]
    except Exception:  # noqa: BLE001
        return [Note.of(NOT_PROCESSED, raw=Raw(text))]
