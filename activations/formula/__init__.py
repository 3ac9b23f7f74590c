"""Your own activation: a learner's formula in x (and parameters a, b, c), parsed, differentiated and compiled.

The text is parsed by Python's `ast` and checked against a whitelist; it is never passed to eval, exec, sympify
or parse_expr (they evaluate Python). From the checked tree this package builds, itself:
- a SymPy expression of f and its derivative f' (`sympy.diff`), with their LaTeX (`sympy.latex`);
- NumPy callables f(x, a, b, c) and f'(x, a, b, c) (`sympy.lambdify` on those expressions, stable NumPy forms of
  sigmoid, softplus and erf), which never warn: where f or f' is undefined (log of a negative number) or overflows
  (exp(1000)) they return NaN, and `gaps` says which x-intervals are "undefined" and which "overflow";
- a PyTorch twin of the same tree (a function of a tensor), so that autograd can be compared with f'.

Kinks follow PyTorch's autograd conventions: relu'(0) = 0, abs'(0) = 0, sign' = 0, max/min share the gradient
equally at a tie (torch.maximum's rule), where(cond, p, q)' is p' where cond holds and q' elsewhere.

Sympy and torch are imported only when a formula is parsed or its twin is called: `import activations` stays light.
Every message is an i18n Note (a message id and its values); `parse` never raises.

One job per module, each importing only those above it: limits (the language, its limits, the messages) < syntax
(text -> checked tree) < numeric (NumPy) < symbolic (SymPy) and torchversion < build (`parse`) < gaps, activation
(`as_spec`); examples stands apart. This file re-exports their public names: `formula.parse`, `formula.gaps`, ...
"""
from .activation import DEFAULT_FORMULA, DEFAULT_RANGE, OWN_NOTE, PARAM_HELP, PARAM_LIMIT, as_spec, default_param
from .build import Formula, parse
from .examples import EXAMPLES, Example, example
from .gaps import causes, gap_notes, gaps
from .limits import (
    ALIASES,
    ARITY,
    ARITY_AT_LEAST,
    BAD_CHARACTER,
    CACHE_SIZE,
    CONSTANT_FORMULA,
    CONSTANT_TOO_LARGE,
    CONSTANTS,
    DID_YOU_MEAN,
    EMPTY,
    EXPONENT_TOO_LARGE,
    FUNCTION_AS_VALUE,
    FUNCTIONS,
    GAP_OVERFLOW,
    GAP_OVERFLOW_AT,
    GAP_UNDEFINED,
    GAP_UNDEFINED_AT,
    HUGE,
    MAX_BITS,
    MAX_CHARS,
    MAX_DEPTH,
    MAX_DERIVATIVE,
    MAX_EXPONENT,
    MAX_LITERAL,
    MAX_NODES,
    MISSING_TIMES,
    NOT_ALLOWED,
    NOT_PROCESSED,
    NUMBER_TOO_LARGE,
    OVERFLOW,
    PARAMETERS,
    POWER_CARET,
    SYNTAX,
    TIME_BUDGET,
    TOO_COMPLEX,
    TOO_DEEP,
    TOO_LONG,
    TOO_MANY_NODES,
    UNCLOSED,
    UNDEFINED,
    UNDEFINED_NAME,
    UNKNOWN_FUNCTION,
    UNKNOWN_NAME,
    UNOPENED,
    VARIABLE,
    VARIADIC,
    WHERE_CONDITION,
)
from .numeric import NUMPY_FUNCTIONS
from .syntax import canonical, check

__all__ = ["ALIASES", "ARITY", "ARITY_AT_LEAST", "BAD_CHARACTER", "CACHE_SIZE", "CONSTANTS", "CONSTANT_FORMULA",
           "CONSTANT_TOO_LARGE", "DEFAULT_FORMULA", "DEFAULT_RANGE", "DID_YOU_MEAN", "EMPTY", "EXAMPLES",
           "EXPONENT_TOO_LARGE", "Example", "FUNCTIONS", "FUNCTION_AS_VALUE", "Formula", "GAP_OVERFLOW",
           "GAP_OVERFLOW_AT", "GAP_UNDEFINED", "GAP_UNDEFINED_AT", "HUGE", "MAX_BITS", "MAX_CHARS", "MAX_DEPTH",
           "MAX_DERIVATIVE", "MAX_EXPONENT", "MAX_LITERAL", "MAX_NODES", "MISSING_TIMES", "NOT_ALLOWED",
           "NOT_PROCESSED", "NUMBER_TOO_LARGE", "NUMPY_FUNCTIONS", "OVERFLOW", "OWN_NOTE", "PARAMETERS", "PARAM_HELP",
           "PARAM_LIMIT", "POWER_CARET", "SYNTAX", "TIME_BUDGET", "TOO_COMPLEX", "TOO_DEEP", "TOO_LONG",
           "TOO_MANY_NODES", "UNCLOSED", "UNDEFINED", "UNDEFINED_NAME", "UNKNOWN_FUNCTION", "UNKNOWN_NAME",
           "UNOPENED", "VARIABLE", "VARIADIC", "WHERE_CONDITION", "as_spec", "canonical", "causes", "check",
           "default_param", "example", "gap_notes", "gaps", "parse"]
