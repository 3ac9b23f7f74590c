"""What a formula may say and how large it may be: its language, its limits, and a message for each refusal."""
from __future__ import annotations

import math

from i18n import N_, Nn_, Note

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


class Refused(Exception):
    """Raised inside the checker and the builders with the Note to return."""

    def __init__(self, note: Note):
        super().__init__(note.msgid)
        self.note = note
