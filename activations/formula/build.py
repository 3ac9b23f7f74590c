"""A learner's formula checked and built once (SymPy's f and f', their LaTeX, NumPy and torch functions) within a
time budget, and cached by its text: `parse`, which never raises."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from i18n import Note, Raw

from .limits import (
    CACHE_SIZE,
    CONSTANT_FORMULA,
    MAX_CHARS,
    MAX_DERIVATIVE,
    NOT_PROCESSED,
    PARAMETERS,
    TIME_BUDGET,
    TOO_COMPLEX,
    Refused,
)
from .numeric import NUMPY_FUNCTIONS, numpy_function
from .symbolic import SympyOps, kit
from .syntax import read, walk
from .torchversion import TorchOps, torch_twin


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
    tree, normalized, checker, notes = read(source)
    if tree is None:
        return None, notes, True
    sp, x, params, _, own, Printer = kit()
    start = time.perf_counter()
    budget = Note.of(TOO_COMPLEX, seconds=TIME_BUDGET)
    try:
        f = walk(tree.body, SympyOps(checker))
    except Refused as r:
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
    f_np = numpy_function(sp.lambdify(args, f, modules, cse=True))
    df_np = numpy_function(sp.lambdify(args, df, modules, cse=True), f_np)
    if time.perf_counter() - start > TIME_BUDGET:
        return None, [budget], False
    used = tuple(p for p in PARAMETERS if params[p] in f.free_symbols)
    twin = torch_twin(walk(tree.body, TorchOps()))
    formula = Formula(source=source, normalized=normalized, params=used, tex_f=tex_f, tex_df=tex_df, f=f_np,
                      df=df_np, torch_fn=twin, expr=f, dexpr=df)
    constant = not f.free_symbols & {x, own[-1]} and f is not sp.nan  # (NaN everywhere is not "constant")
    return formula, ([Note.of(CONSTANT_FORMULA)] if constant else []), True


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
