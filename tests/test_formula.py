"""Your own activation (issue 12), the core: a learner's formula is checked against a whitelist (every refusal
a Note with the column), never evaluated as Python; f and f' built from it agree with torch autograd of the same
formula; evaluation never warns and names where f or f' is undefined or overflows."""
import json
import random
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import activations
from activations import formula as F
from activations.reference import torch_f_df
from i18n import Note

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parent.parent
# Every test here runs with warnings as errors: a NumPy RuntimeWarning (or any other) fails it.
pytestmark = pytest.mark.filterwarnings("error")

RTOL, ATOL = 1e-9, 1e-12
PARAMS = {"a": 0.7, "b": 1.3, "c": -0.4}
BASE = np.concatenate([
    np.linspace(-30.0, 30.0, 1201),
    [-1e4, -1e3, -750.0, -710.0, -100.0, -1e-8, -1e-300, 0.0, -0.0, 1e-300, 1e-8, 100.0, 710.0, 750.0, 1e3, 1e4],
])


def grid(kinks=()):
    k = np.array(kinks, dtype=float)
    return np.sort(np.concatenate([BASE, k, np.nextafter(k, -np.inf), np.nextafter(k, np.inf), k - 1e-9, k + 1e-9]))


def autograd(formula, x, **params):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = formula.torch_fn(t, **params)
    (g,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy(), g.numpy()


def assert_close(ours, ref, x, what, rtol=RTOL, atol=ATOL, nan_ok=()):
    """Where torch is finite, ours is finite (but at the points `nan_ok`) and within rtol/atol."""
    finite = np.isfinite(ref)
    missing = finite & ~np.isfinite(ours) & ~np.isin(x, np.array(nan_ok, dtype=float))
    assert not missing.any(), f"{what}: NaN where torch is finite, at x = {x[missing][:5]}"
    both = finite & np.isfinite(ours)
    bad = np.abs(ours[both] - ref[both]) > rtol * np.abs(ref[both]) + atol
    assert not bad.any(), (f"{what}: at x = {x[both][bad][:5]}: ours {ours[both][bad][:5]}, "
                           f"torch {ref[both][bad][:5]}")


def built(source):
    formula, notes = F.parse(source)
    assert formula is not None, [str(n) for n in notes]
    return formula


# ---- the whitelist: what is refused, with which message and column ---------------------------------------------
HOSTILE = [
    ("__import__('os')", F.UNKNOWN_FUNCTION, 1),
    ("().__class__", F.NOT_ALLOWED, 3),
    ("x.__class__", F.NOT_ALLOWED, 2),
    ("x.real", F.NOT_ALLOWED, 2),
    ("(x).real", F.NOT_ALLOWED, 4),
    ("exp(x).real", F.NOT_ALLOWED, 7),
    ("x.exp()", F.NOT_ALLOWED, 2),
    ("open('/etc/passwd')", F.UNKNOWN_FUNCTION, 1),
    ("exec('1')", F.UNKNOWN_FUNCTION, 1),
    ("eval", F.UNKNOWN_NAME, 1),
    ("[x]", F.NOT_ALLOWED, 1),
    ("x[0]", F.NOT_ALLOWED, 2),
    ("{x: 1}", F.NOT_ALLOWED, 1),
    ("x, 1", F.NOT_ALLOWED, 1),
    ("lambda: 0", F.NOT_ALLOWED, 1),
    ("[x for x in x]", F.NOT_ALLOWED, 1),
    ("sum(x for x in x)", F.UNKNOWN_FUNCTION, 1),
    ("exp(x for x in x)", F.NOT_ALLOWED, 4),  # Python counts the call's parentheses as the generator's
    ("x if x else 1", F.NOT_ALLOWED, 1),
    ("(y := 2)", F.NOT_ALLOWED, 2),
    ("'x'", F.NOT_ALLOWED, 1),
    ("x + 'a'", F.NOT_ALLOWED, 5),
    ("b'x'", F.NOT_ALLOWED, 1),
    ("f'{x}'", F.NOT_ALLOWED, 1),
    ("1j * x", F.NOT_ALLOWED, 1),
    ("True", F.NOT_ALLOWED, 1),
    ("x + None", F.NOT_ALLOWED, 5),
    ("exp(x=1)", F.NOT_ALLOWED, 5),
    ("exp(**x)", F.NOT_ALLOWED, 5),
    ("max(x, *x)", F.NOT_ALLOWED, 8),
    ("x // 2", F.NOT_ALLOWED, 3),
    ("x % 2", F.NOT_ALLOWED, 3),
    ("(x + 1) @ x", F.NOT_ALLOWED, 9),
    ("~x", F.NOT_ALLOWED, 1),
    ("x ^ 2", F.POWER_CARET, 3),
    ("x > 0", F.NOT_ALLOWED, 1),
    ("x > 0 and x", F.NOT_ALLOWED, 1),
    ("not x", F.NOT_ALLOWED, 1),
    ("x * (x in x)", F.NOT_ALLOWED, 6),
    ("where(x is 0, 1, 2)", F.NOT_ALLOWED, 7),
    ("where(x, 1, 2)", F.WHERE_CONDITION, 7),
    ("where(x > 0, 1)", F.ARITY[0], 1),
    ("exp()", F.ARITY[0], 1),
    ("sin(x, 1)", F.ARITY[0], 1),
    ("max(x)", F.ARITY_AT_LEAST, 1),
    ("exp", F.FUNCTION_AS_VALUE, 1),
    ("x + sin", F.FUNCTION_AS_VALUE, 5),
    ("y", F.UNKNOWN_NAME, 1),
    ("X", F.DID_YOU_MEAN, 1),
    ("ln(x)", F.DID_YOU_MEAN, 1),
    ("2*atan(x)", F.DID_YOU_MEAN, 3),
    ("foo(x)", F.UNKNOWN_FUNCTION, 1),
    ("2x", F.MISSING_TIMES, 2),
    ("2(x + 1)", F.MISSING_TIMES, 2),
    ("x(x + 1)", F.MISSING_TIMES, 2),
    ("(x + 1)(x - 1)", F.MISSING_TIMES, 8),
    ("x +", F.SYNTAX, 3),
    ("import os", F.SYNTAX, 1),
    ("x = 1", F.SYNTAX, 3),
    ("(x", F.UNCLOSED, 1),
    ("exp(x))", F.UNOPENED, 7),
    ("9**9**9", F.EXPONENT_TOO_LARGE, 4),
    ("9**9**9**9", F.EXPONENT_TOO_LARGE, 7),
    ("x**100000", F.EXPONENT_TOO_LARGE, 4),
    ("x**-17", F.EXPONENT_TOO_LARGE, 4),
    ("x**(2**5)", F.EXPONENT_TOO_LARGE, 5),
    ("x**(3*log(exp(6)))", F.EXPONENT_TOO_LARGE, 5),
    ("(((9**16)**16)**16)**16", F.CONSTANT_TOO_LARGE, 2),
    ("sin(exp(exp(16)))*x", F.CONSTANT_TOO_LARGE, 5),  # SymPy alone would work on sin(10**3863727) for hours
    ("where(exp(exp(exp(16))) > 1, x, 0)", F.CONSTANT_TOO_LARGE, 11),
    ("exp(1000)*x", F.CONSTANT_TOO_LARGE, 1),
    ("2**exp(exp(3))*x", F.CONSTANT_TOO_LARGE, 1),
    ("1" * 16, F.NUMBER_TOO_LARGE, 1),
    ("x + 1e999", F.NUMBER_TOO_LARGE, 5),
    ("1e16 * x", F.NUMBER_TOO_LARGE, 1),
    ("exp(" * 30 + "x" + ")" * 30, F.TOO_DEEP, 121),
    ("-" * 31 + "x", F.TOO_DEEP, 31),
    ("+".join(["x"] * 101), F.TOO_MANY_NODES, None),
    ("(" * 10_000 + "x" + ")" * 10_000, F.TOO_LONG, None),
    ("x" * 100_000, F.TOO_LONG, None),
    ("x" + " " * 300, F.TOO_LONG, None),
    ("", F.EMPTY, None),
    ("   \t\n ", F.EMPTY, None),
    ("\x00", F.BAD_CHARACTER, 1),
    ("x\x00", F.BAD_CHARACTER, 2),
    ("x\u202e+1", F.BAD_CHARACTER, 2),  # right-to-left override
    ("x\u200b", F.BAD_CHARACTER, 2),  # zero-width space
    ("\u0445 + 1", F.BAD_CHARACTER, 1),  # Cyrillic x
    ("\U0001d431", F.BAD_CHARACTER, 1),  # mathematical bold x (Python would read it as x)
    ("e\u0301", F.BAD_CHARACTER, 2),  # combining accent
    ("x # a comment", F.BAD_CHARACTER, 3),
    ("x\\\n+1", F.BAD_CHARACTER, 2),
    ("\u03c0\u00b7x + foo", F.UNKNOWN_NAME, 7),  # columns count the characters as typed, not as normalized
    ("  foo", F.UNKNOWN_NAME, 3),
]


@pytest.mark.parametrize(("source", "msgid", "col"), HOSTILE, ids=[repr(h[0])[:40] for h in HOSTILE])
def test_refused_with_a_note_at_the_column(source, msgid, col):
    formula, notes = F.parse(source)
    assert formula is None
    assert len(notes) == 1
    note = notes[0]
    assert note.msgid == msgid, str(note)
    values = dict(note.values)
    if col is not None:
        assert values["col"] == col, str(note)
    assert str(note)  # every placeholder filled
    if msgid in (F.EXPONENT_TOO_LARGE, F.CONSTANT_TOO_LARGE):  # computed constants: SymPy finds those
        assert F.check(source) == []
    else:  # the whitelist alone says the same (no SymPy needed)
        assert F.check(source) == [note]


def test_a_refusal_quotes_the_text_safely():
    _, (note,) = F.parse("x + `rm -rf`")
    assert "`rm" not in str(note)
    _, (note,) = F.parse("x.__class__.__bases__[0].__subclasses__()")
    assert note.msgid in (F.NOT_ALLOWED, F.UNKNOWN_FUNCTION)


ACCEPTED = [  # source -> normalized text (what a link carries)
    ("x", "x"),
    ("  x + 1", "x + 1"),
    ("x\n+ 1", "x + 1"),
    ("x" + " " * 299, "x"),  # 300 characters: the limit
    ("\uff58\uff0b\uff11", "x + 1"),  # full-width forms
    ("x\u00b2 \u2212 2\u00b7x \u00f7 3", "x ** 2 - 2 * x / 3"),
    ("\u03c0*x", "pi * x"),
    ("where(x \u2264 0, 0, x)", "where(x <= 0, 0, x)"),
    ("(" * 90 + "x" + ")" * 90, "x"),  # parentheses nest, but add no depth
    ("exp(" * 29 + "x" + ")" * 29, "exp(" * 29 + "x" + ")" * 29),
    ("+".join(["x"] * 100), " + ".join(["x"] * 100)),  # a long sum is flat
    ("x**16 + x**-16 + x**0.5", "x ** 16 + x ** (-16) + x ** 0.5"),
    ("9**16 * x", "9 ** 16 * x"),
    ("1e15 * x", "1000000000000000.0 * x"),
    ("exp(exp(exp(exp(x))))", "exp(exp(exp(exp(x))))"),
]


@pytest.mark.parametrize(("source", "normalized"), ACCEPTED, ids=[repr(a[0])[:30] for a in ACCEPTED])
def test_accepted_and_normalized(source, normalized):
    formula = built(source)
    assert formula.normalized == normalized
    assert formula.source == source
    assert F.check(source) == []


def test_parameters_used_are_listed_in_order():
    assert built("c*x + a").params == ("a", "c")
    assert built("where(x > b, x, 0)").params == ("b",)
    assert built("x").params == ()


def test_the_text_is_never_evaluated(monkeypatch):
    """A refused text reaches no eval, exec, compile, sympify or parse_expr (only an accepted tree is compiled,
    by SymPy's lambdify from SymPy's own expression)."""
    import builtins

    import sympy

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec/compile called on a learner's text")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)
    monkeypatch.setattr(sympy, "sympify", forbidden)
    monkeypatch.setattr(sympy, "parse_expr", forbidden, raising=False)
    for source, _, _ in HOSTILE:
        formula, notes = F.parse(source + " ")  # not cached: checked afresh
        assert formula is None and notes


def test_work_beyond_the_time_budget_says_too_complex(monkeypatch):
    monkeypatch.setattr(F.build, "TIME_BUDGET", 0.0)
    formula, notes = F.parse("x*sigmoid(x)*tanh(x) + 0.25")
    assert formula is None and [n.msgid for n in notes] == [F.TOO_COMPLEX]
    monkeypatch.setattr(F.build, "TIME_BUDGET", 1.0)
    assert F.parse("x*sigmoid(x)*tanh(x) + 0.25")[0] is not None  # the refusal was not cached


def test_messages_are_notes_never_plain_sentences():
    for source, _, _ in HOSTILE:
        for note in F.parse(source)[1]:
            assert isinstance(note, Note)
    for ex in F.EXAMPLES:
        assert ex.origin and isinstance(ex.origin, str)


# ---- f and f' against torch autograd of the same formula ----------------------------------------------------------
CONSTRUCTS = [  # (formula, kinks to probe, points where our f' may be NaN while torch's is finite)
    ("x + 2", (), ()), ("x - 0.5", (), ()), ("3*x", (), ()), ("x/4", (), ()), ("-x", (), ()), ("+x", (), ()),
    ("x**2", (), ()), ("x**3 - x**-2", (0.0,), ()), ("x**0.5", (0.0,), ()), ("x**(1/3)", (), ()),
    ("2**x", (), ()), ("e**x", (), ()), ("pi*x + e", (), ()), ("x**x", (), (0.0,)),
    ("a*x + b", (), ()), ("c*x**2 - a", (), ()), ("x**a", (), ()), ("b**x", (), ()),
    ("exp(x)", (), ()), ("log(x)", (), ()), ("log1p(x)", (-1.0,), ()), ("expm1(x)", (), ()),
    ("sqrt(x)", (), ()), ("abs(x)", (0.0,), ()), ("sign(x)*x", (0.0,), ()), ("sign(x)", (0.0,), ()),
    ("sin(x)", (), ()), ("cos(x)", (), ()), ("tan(x)", (), ()), ("tanh(x)", (), ()), ("sinh(x)", (), ()),
    ("cosh(x)", (), ()), ("arctan(x)", (), ()), ("erf(x)", (), ()), ("sigmoid(x)", (), ()),
    ("softplus(x)", (), ()), ("relu(x)", (0.0,), ()), ("max(x, 0)", (0.0,), ()), ("min(x, 0)", (0.0,), ()),
    ("max(x, a*x, -1)", (0.0, -1.0, -1 / 0.7), ()), ("min(x, 1, b)", (1.0,), ()), ("max(x, x)", (), ()),
    ("min(max(x, -1), 1)", (-1.0, 1.0), ()),
    ("where(x > 0, x, 0)", (0.0,), ()), ("where(x >= 0, x, -x)", (0.0,), ()),
    ("where(x < 1, x**2, x)", (1.0,), ()), ("where(x <= -1, -1, x)", (-1.0,), ()),
    ("where(x == 1, 2, x)", (1.0,), ()), ("where(x != 0, x, 1)", (0.0,), ()),
    ("where(0 < x < 1, x, 0)", (0.0, 1.0), ()), ("where(x > 0 and x < 2, x, 0)", (0.0, 2.0), ()),
    ("where(x < -1 or x > 1, x, 0)", (-1.0, 1.0), ()), ("where(not x > 0, -x, x)", (0.0,), ()),
    ("where(x > a, b, c)", (0.7,), ()), ("where(x > 0, log(x), x)", (0.0,), ()),
    ("x*sigmoid(a*x)", (), ()), ("log(1 + exp(x))", (), ()), ("exp(x) - 1", (), ()),
    ("x*tanh(softplus(x))", (), ()), ("x*(1 + erf(x/sqrt(2)))/2", (), ()), ("relu(x)**2", (0.0,), ()),
    ("exp(exp(exp(exp(x))))", (), ()), ("1/x", (0.0,), ()), ("x/0", (), ()), ("log(-1)*x", (), ()),
    ("sigmoid(1000*x)", (0.0,), ()), ("sqrt(x**2 + 1e-12)", (0.0,), ()), ("2", (), ()),
]


@pytest.mark.parametrize(("source", "kinks", "nan_ok"), CONSTRUCTS, ids=[c[0] for c in CONSTRUCTS])
def test_every_construct_agrees_with_torch_autograd(source, kinks, nan_ok):
    formula = built(source)
    x = grid(kinks)
    f, df = formula.f(x, **PARAMS), formula.df(x, **PARAMS)
    assert f.dtype == df.dtype == np.float64 and f.shape == df.shape == x.shape
    tf, tdf = autograd(formula, x, **PARAMS)
    assert_close(f, tf, x, f"f of {source}")
    fine = np.isfinite(f)  # f' is NaN wherever f is (no slope where there is no value); torch's needn't be
    assert_close(np.where(fine, df, np.nan), np.where(fine, tdf, np.nan), x, f"f' of {source}", nan_ok=nan_ok)


def _example_params(ex):
    sets = [ex.defaults]
    for p in ex.params:
        sets += [{**ex.defaults, p.name: v} for v in p.values_to_test()]
    return sets


@pytest.mark.parametrize("ex", F.EXAMPLES, ids=[e.key for e in F.EXAMPLES])
def test_every_example_agrees_with_torch_autograd(ex):
    formula = built(ex.formula)
    assert formula.params == tuple(p.name for p in ex.params)
    x = grid((0.0,))
    for params in _example_params(ex):
        f, df = formula.f(x, **params), formula.df(x, **params)
        tf, tdf = autograd(formula, x, **params)
        assert_close(f, tf, x, f"f of {ex.key} {params}")
        # torch.where's backward multiplies the unused branch's infinite slope by 0 (NaN): ours stays finite
        assert_close(df, tdf, x, f"f' of {ex.key} {params}")
        inside = np.abs(x) <= 30
        assert np.isfinite(f[inside]).all()
        if ex.key != "squareplus" or params["b"] > 0:  # b = 0 is ReLU's corner: f'(0) undefined
            assert np.isfinite(df[inside]).all()


def test_the_examples_are_as_the_issue_lists_them():
    keys = {ex.key for ex in F.EXAMPLES}
    assert {"snake", "siren", "gaussian", "bent_identity", "arctan", "tanhexp", "serf", "squareplus", "elu"} <= keys
    x = np.linspace(-3, 3, 61)
    snake = built(F.example("snake").formula)
    np.testing.assert_allclose(snake.f(x, a=1.0), x + np.sin(x) ** 2, rtol=1e-14)
    squareplus = built(F.example("squareplus").formula)
    np.testing.assert_allclose(squareplus.f(x, b=0.0), np.maximum(x, 0), atol=1e-15)
    for ex in F.EXAMPLES:
        for p in ex.params:
            assert p.low <= p.default <= p.high and p.help


@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.0, 3.0])
def test_elu_rebuilt_equals_the_registry_elu(alpha):
    formula = built(F.example("elu").formula)
    spec = activations.get("elu")
    x = grid((0.0,))
    np.testing.assert_allclose(formula.f(x, a=alpha), spec.f(x, alpha=alpha), rtol=1e-13, atol=0)
    np.testing.assert_allclose(formula.df(x, a=alpha), spec.df(x, alpha=alpha), rtol=1e-13, atol=0)
    at0 = np.array([0.0, -0.0])
    assert (formula.df(at0, a=alpha) == alpha).all()  # PyTorch: elu'(0) = alpha
    assert (torch_f_df("elu", at0, {"alpha": alpha})[1] == alpha).all()


CATALOGUE = [  # registry key, its params, the formula, the formula's params, rtol; kinks where f' differs
    ("relu", {}, "relu(x)", {}, 1e-15, {}),
    ("relu", {}, "max(x, 0)", {}, 1e-15, {0.0: 0.5}),  # torch.maximum shares the gradient at a tie
    ("leaky_relu", {"negative_slope": 0.1}, "where(x > 0, x, a*x)", {"a": 0.1}, 1e-15, {}),
    ("elu", {"alpha": 0.5}, "where(x > 0, x, a*(exp(x) - 1))", {"a": 0.5}, 1e-13, {}),
    ("silu", {}, "x*sigmoid(x)", {}, 1e-13, {}),
    ("gelu", {}, "x*(1 + erf(x/sqrt(2)))/2", {}, 1e-12, {}),
    ("softplus", {}, "softplus(x)", {}, 5e-9, {}),  # PyTorch's softplus is x itself beyond threshold 20
    ("mish", {}, "x*tanh(softplus(x))", {}, 1e-12, {}),
    ("hardtanh", {}, "min(max(x, -1), 1)", {}, 1e-15, {-1.0: 0.5, 1.0: 0.5}),  # F.hardtanh says 0 there
    ("tanh", {}, "tanh(x)", {}, 1e-12, {}),
    ("sigmoid", {}, "sigmoid(x)", {}, 1e-13, {}),
]


@pytest.mark.parametrize(("key", "spec_params", "source", "params", "rtol", "kink_slopes"), CATALOGUE,
                         ids=[f"{c[0]}={c[2]}" for c in CATALOGUE])
def test_the_catalogue_typed_as_formulas(key, spec_params, source, params, rtol, kink_slopes):
    formula = built(source)
    spec = activations.get(key)
    kinks = tuple(kink_slopes) or tuple(spec.kinks(spec.resolve(spec_params)[0]))
    x = grid(kinks)
    ours_f, ours_df = formula.f(x, **params), formula.df(x, **params)
    np.testing.assert_allclose(ours_f, spec.f(x, **spec_params), rtol=rtol, atol=1e-15)
    away = ~np.isin(x, np.array(list(kink_slopes), dtype=float))
    np.testing.assert_allclose(ours_df[away], spec.df(x, **spec_params)[away], rtol=rtol, atol=1e-15)
    for k, slope in kink_slopes.items():
        assert formula.df(np.array([k]), **params)[0] == slope
        assert autograd(formula, np.array([k]), **params)[1][0] == slope  # ... as torch autograd says


# ---- never a warning, never a crash; undefined and overflow named ------------------------------------------------
def test_log_is_undefined_left_of_zero():
    formula = built("log(x)")
    x = np.linspace(-2.0, 2.0, 401)
    (gap,) = F.gaps(formula, x)
    assert (gap.kind, gap.start, gap.end) == (F.UNDEFINED, -2.0, 0.0)
    (dgap,) = F.gaps(formula, x, derivative=True)  # f' has f's gap (1/x alone is finite left of 0)
    assert (dgap.kind, dgap.start, dgap.end) == (F.UNDEFINED, -2.0, 0.0)
    (note,) = F.gap_notes([gap])
    assert note.msgid == F.GAP_UNDEFINED and dict(note.values)["fn"] == "f"
    assert "-2" in str(note)


def test_exp_overflows_at_1000():
    formula = built("exp(x)")
    x = np.array([-1000.0, 0.0, 700.0, 709.0, 710.0, 1000.0])
    assert np.isnan(formula.f(x)).tolist() == [False, False, False, False, True, True]
    (gap,) = F.gaps(formula, x)
    assert (gap.kind, gap.start, gap.end) == (F.OVERFLOW, 710.0, 1000.0)
    assert F.gaps(formula, x, derivative=True) == [gap]
    (note,) = F.gap_notes([gap], derivative=True)
    assert note.msgid == F.GAP_OVERFLOW and dict(note.values)["fn"] == "f′"


def test_undefined_and_overflow_side_by_side():
    formula = built("exp(x) + sqrt(1 - x)")
    x = np.array([0.0, 1.0, 2.0, 800.0])
    assert [(g.kind, g.start, g.end) for g in F.gaps(formula, x)] == [(F.UNDEFINED, 2.0, 800.0)]
    formula = built("where(x < 0, log(-x - 1), exp(x))")
    x = np.array([-2.0, -1.0, -0.5, 0.0, 1.0, 800.0])
    kinds = [(g.kind, g.start, g.end) for g in F.gaps(formula, x)]
    assert kinds == [(F.UNDEFINED, -1.0, -0.5), (F.OVERFLOW, 800.0, 800.0)]
    # an overflow on the way that makes a NaN (x * e^x * 0 is inf * 0) is an overflow, not "undefined"
    formula = built("x*tanh(exp(x))")
    assert F.gaps(formula, np.array([800.0])) == []
    assert [g.kind for g in F.gaps(formula, np.array([800.0]), derivative=True)] == [F.OVERFLOW]
    # a pole: undefined at one point
    (g,) = F.gaps(built("1/x"), np.array([-1.0, 0.0, 1.0]))
    assert (g.kind, g.start, g.end) == (F.UNDEFINED, 0.0, 0.0)
    assert F.gap_notes([g])[0].msgid == F.GAP_UNDEFINED_AT


NASTY = ["x**(0/0)", "x**log(-1)", "2**(1/0)", "max(0/0, x)", "relu(log(-1)) + x", "where(0/0 > x, 1, x)",
         "log(x)", "sqrt(x)", "1/x", "x/0", "0/0*x", "log(0)*x", "exp(exp(x))", "tan(x)", "x**x", "(-1)**x",
         "b**pi*x", "a**0.5*x", "erf(1e15*x*x)", "sinh(x)*cosh(x)", "where(x == 0, 1, sin(x)/x)", "log(-x)",
         "where(x > 0, log(x), sqrt(-x))", "max(log(x), sqrt(-x))", "sigmoid(exp(x))", "softplus(exp(x))",
         "relu(log(x))", "x**-16", "expm1(x)**16", "log1p(-x)", "arctan(1/x)", "sign(log(x))", "abs(1/x)"]


@pytest.mark.parametrize("source", NASTY)
def test_no_warning_and_no_crash_anywhere(source):
    formula = built(source)
    x = np.concatenate([grid((0.0, 1.0, -1.0)), [np.nan, np.inf, -np.inf]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for params in ({}, {"a": -2.0, "b": -1.3}, {"a": 0.0, "b": 0.0, "c": 0.0}):
            f, df = formula.f(x, **params), formula.df(x, **params)
            assert not np.isinf(f).any() and not np.isinf(df).any()  # not finite is NaN
            for derivative in (False, True):
                for gap in F.gaps(formula, np.sort(x[np.isfinite(x)]), derivative=derivative, **params):
                    assert gap.kind in (F.UNDEFINED, F.OVERFLOW)
                    str(F.gap_notes([gap])[0])
            formula.torch_fn(torch.tensor(x), **params)
        assert formula.f(2.0).shape == ()  # a scalar in, a 0-d array out
        assert formula.f(np.zeros((2, 3))).shape == (2, 3)


def test_the_torch_twin_keeps_the_dtype_and_trains():
    formula = built("x*tanh(softplus(a*x))")
    t = torch.linspace(-3, 3, 7, dtype=torch.float32, requires_grad=True)
    y = formula.torch_fn(t, a=0.5)
    assert y.dtype == torch.float32 and y.shape == t.shape
    y.sum().backward()
    assert t.grad is not None and torch.isfinite(t.grad).all()
    slope = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)  # a learned parameter keeps its gradient
    y = formula.torch_fn(torch.linspace(-3, 3, 7, dtype=torch.float64), a=slope)
    (g,) = torch.autograd.grad(y.sum(), slope)
    assert torch.isfinite(g) and g != 0
    const = built("2")
    t = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(const.torch_fn(t).sum(), t)
    assert (g == 0).all()


def test_a_constant_formula_says_so():
    formula, notes = F.parse("2*pi")
    assert [n.msgid for n in notes] == [F.CONSTANT_FORMULA]
    assert (formula.f(np.zeros(3)) == 2 * np.pi).all() and (formula.df(np.zeros(3)) == 0).all()
    formula, notes = F.parse("x/0")  # NaN everywhere, but not "constant"
    assert notes == [] and np.isnan(formula.f(np.ones(2))).all()


def test_latex_of_f_and_f_prime():
    formula = built("where(x > 0, x, a*(exp(x) - 1))")
    assert formula.tex_f.startswith("f(x) = ") and formula.tex_df.startswith("f'(x) = ")
    assert r"\begin{cases}" in formula.tex_f and "otherwise" not in formula.tex_f + formula.tex_df
    assert r"x \leq 0" in formula.tex_df
    assert r"\frac{1}{2} & x = 0" in built("max(x, 0)").tex_df  # the tie, said
    assert built("sigmoid(x)**2").tex_f == r"f(x) = \left(\sigma\left(x\right)\right)^{2}"
    assert built("log(x)").tex_f == r"f(x) = \ln{\left(x \right)}"


def test_the_spec_adapter():
    formula = built("x*sigmoid(b*x)")
    spec = F.as_spec(formula)
    assert spec.key == "own:x * sigmoid(b * x)" and [p.name for p in spec.params] == ["b"]
    x = np.linspace(-2, 2, 5)
    np.testing.assert_array_equal(spec.f(x, b=2.0), formula.f(x, b=2.0))
    assert spec.tex({"b": 2.0}) == (formula.tex_f, formula.tex_df)
    y = spec.torch_fn({"b": 2.0})(torch.tensor(x))
    np.testing.assert_allclose(y.numpy(), formula.f(x, b=2.0), rtol=1e-15)
    ex = F.example("squareplus")
    assert F.as_spec(built(ex.formula), ex.params).params == ex.params


def test_parse_is_cached_and_the_cache_is_bounded():
    first, _ = F.parse("x*sigmoid(x) + 0")
    assert F.parse("x*sigmoid(x) + 0")[0] is first
    for i in range(F.CACHE_SIZE + 5):
        F.parse(f"x + {i}")
    assert len(F.build._cache) <= F.CACHE_SIZE


def test_random_formulas_never_raise():
    """A seeded random walk over the grammar, half of it mangled: every result is a Formula or a Note."""
    rng = random.Random(12)
    atoms = ["x", "x", "a", "b", "c", "pi", "e", "0", "1", "2", "0.5", "-1", "16", "17", "1e300"]
    unary = list(k for k, n in F.FUNCTIONS.items() if n == 1)

    def expr(d):
        if d <= 0 or rng.random() < 0.25:
            return rng.choice(atoms)
        k = rng.random()
        if k < 0.35:
            return f"({expr(d - 1)} {rng.choice(['+', '-', '*', '/', '**'])} {expr(d - 1)})"
        if k < 0.7:
            return f"{rng.choice(unary)}({expr(d - 1)})"
        if k < 0.8:
            return f"{rng.choice(['max', 'min'])}({', '.join(expr(d - 1) for _ in range(rng.randint(2, 3)))})"
        if k < 0.9:
            op = rng.choice(["<", "<=", ">", ">=", "==", "!="])
            return f"where({expr(d - 2)} {op} {expr(d - 2)}, {expr(d - 1)}, {expr(d - 1)})"
        return f"-{expr(d - 1)}"

    def mangle(s):
        chars = list(s)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(chars) + 1)
            ch = rng.choice("()[]{}.,:;'\"_*+-/^%@&|~!<>=#\\ 0123456789xabcelmnoprstwz\x00\u00e9\u2212\u00b2\uff58")
            if rng.random() < 0.5:
                chars.insert(i, ch)
            elif chars:
                chars[min(i, len(chars) - 1)] = ch
        return "".join(chars)

    x = np.array([-1e4, -750.0, -30.0, -1.0, -0.5, -0.0, 0.0, 1e-300, 0.5, 1.0, 2.0, 30.0, 750.0, 1e4])
    made = 0
    for _ in range(150):
        source = expr(rng.randint(1, 5))
        if rng.random() < 0.5:
            source = mangle(source)
        formula, notes = F.parse(source)
        for note in notes:
            assert str(note) and note.msgid != F.NOT_PROCESSED, source  # NOT_PROCESSED: an exception was caught
        if formula is None:
            assert len(notes) == 1
            continue
        made += 1
        f, df = formula.f(x, **PARAMS), formula.df(x, **PARAMS)
        assert f.shape == df.shape == x.shape
        F.gaps(formula, x, derivative=True, **PARAMS)
        t = torch.tensor(x, requires_grad=True)
        torch.autograd.grad(formula.torch_fn(t, **PARAMS).sum(), t)
    assert made > 30


def test_importing_the_module_loads_no_sympy_torch_streamlit_or_plotly():
    code = ("import sys, json; import activations, activations.formula as F; "
            "notes = F.check('x*sigmoid(x)') + F.check('__import__(\"os\")'); "
            "print(json.dumps([m for m in ('sympy', 'torch', 'streamlit', 'plotly') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
