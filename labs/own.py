"""Your own activation: the controls of a learner's formula, and the activation its parameters' ranges make of it.

The formula is one per learner and app-wide: typed on its page, picked as "Your own" in every other page's
activation picker, and carried by every link that uses it (`formula=`, `range.a=low,high`). Its parameters' values
are each page's own, like a built-in's (`a=` on the Explorer, `own.a=` elsewhere). No Streamlit here.
"""
from __future__ import annotations

import math
from dataclasses import replace

from activations import ActivationSpec, Param, get
from activations import formula as F
from i18n import N_, Note, Raw

from .controls import Range, Schema, Text, Toggle
from .explore import EXPLORER

LINK_REFUSED = N_("**{name}** = {raw} cannot be used: {reason} Used the default, {default}.")


def refusal(name: str, text: str, default: str) -> Note | None:
    """Why a formula cannot be used (its parser's note, with the column), or None."""
    formula, notes = F.parse(text)
    if formula is not None or not notes:
        return None
    return Note.of(LINK_REFUSED, name=name, raw=Raw(text), reason=notes[0], default=Raw(default))


FORMULA = Text("formula", N_("f(x) ="),
               N_("A formula in x, written as in Python: + − * / ** and functions such as exp, tanh, sigmoid, "
                  "where(x > 0, p, q). Parameters `a`, `b` and `c` get sliders. Press Enter to apply."),
               F.DEFAULT_FORMULA, max_chars=F.MAX_CHARS, check=refusal)
RANGES = {name: Range(f"range_{name}", N_("Slider range"),
                      N_("The smallest and largest value of this parameter's slider (at most ±{limit})."),
                      F.DEFAULT_RANGE, url=f"range.{name}", low=-F.PARAM_LIMIT, high=F.PARAM_LIMIT, step=0.01,
                      min_width=0.01)
          for name in F.PARAMETERS}
# The page's view: x-range and ε as on the Explorer; the autograd check is on by default (a formula deserves it).
AUTOGRAD = Toggle("autograd", EXPLORER.autograd.label,
                  N_("PyTorch's autograd of the same formula, as markers, and the largest difference from the "
                     "analytic f′."), True)
SCHEMA = Schema(FORMULA, *RANGES.values(), EXPLORER.x, EXPLORER.eps, AUTOGRAD)
SCHEMAS = {"own": SCHEMA}

# what each example is called on its button (its origin, the line under it, is the example's own)
EXAMPLE_NAMES = {
    "snake": N_("Snake"), "siren": N_("SIREN: sin"), "gaussian": N_("Gaussian"), "bent_identity": N_("Bent identity"),
    "arctan": N_("Arctangent"), "tanhexp": N_("TanhExp"), "serf": N_("Serf"), "squareplus": N_("Squareplus"),
    "elu": N_("ELU, rebuilt"),
}


# What a link may set for the own activation's parameters on any page (`own.a=`): the catalogue's declaration
# (labs.catalog); the page narrows each to the learner's range.
DECLARED_PARAMS = tuple(F.default_param(name, *F.DEFAULT_RANGE) for name in F.PARAMETERS)


def normalized(text: str) -> tuple[str | None, list[Note]]:
    """The canonical text of a formula that parses, or None and the note saying why (with its column)."""
    formula, notes = F.parse(text)
    return (formula.normalized if formula is not None else None), notes


def example_of(text: str) -> F.Example | None:
    """The example this formula is (by its canonical text; the whitelist alone decides it, without SymPy)."""
    target = F.canonical(text)
    for ex in F.EXAMPLES:
        if target is not None and F.canonical(ex.formula) == target:
            return ex
    return None


def default_ranges(text: str) -> dict[str, tuple[float, float]]:
    """The sliders' ranges a formula starts with: its example's, else DEFAULT_RANGE."""
    ex = example_of(text)
    given = {p.name: (float(p.low), float(p.high)) for p in ex.params} if ex else {}
    return {name: given.get(name, F.DEFAULT_RANGE) for name in F.PARAMETERS}


def default_values(text: str) -> dict[str, float]:
    ex = example_of(text)
    return {name: (ex.defaults.get(name, 1.0) if ex else 1.0) for name in F.PARAMETERS}


def step_for(low: float, high: float) -> float:
    """A slider step of the 1-2-5 series giving at most a hundred stops over [low, high] (0.1 for [-5, 5], 0.5 for
    [0.1, 30]): the chart is redrawn at every stop while the slider is dragged (ui.live)."""
    width = max(high - low, 1e-9)
    exponent = math.floor(math.log10(width / 100))
    for mantissa in (1, 2, 5, 10):
        step = mantissa * 10.0 ** exponent
        if width / step <= 100 + 1e-9:
            break
    return float(min(max(step, 1e-4), 10.0))


def spec(key: str, ranges: dict[str, tuple[float, float]], defaults: dict[str, float] | None = None
         ) -> ActivationSpec:
    """The activation of own key `key` with the learner's slider ranges and defaults (clamped into them)."""
    base = get(key)
    defaults = defaults or {}
    params = []
    for p in base.params:
        lo, hi = ranges.get(p.name, F.DEFAULT_RANGE)
        value = min(max(float(defaults.get(p.name, p.default)), lo), hi)
        params.append(Param(p.name, value, lo, hi, step_for(lo, hi), p.help, p.symbol))
    return replace(base, params=tuple(params))

