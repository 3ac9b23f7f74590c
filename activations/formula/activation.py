"""A learner's formula as an activation of the core contract (an ActivationSpec keyed "own:<formula>"), with its
parameters a, b, c as sliders."""
from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from i18n import N_

from ..registry import FAMILIES, own_key
from ..spec import ActivationSpec, Param
from .build import Formula

PARAM_HELP = N_("A parameter of your formula: f, f′ and every chart follow its value.")
PARAM_LIMIT = 1000.0  # |a|, |b|, |c| at most: what a link may set; the learner's slider range lies inside it
DEFAULT_RANGE = (-5.0, 5.0)  # a parameter's slider when neither the learner nor an example has set one
DEFAULT_FORMULA = "x*sigmoid(a*x)"  # SiLU with a learnable-looking β: one parameter to move from the start
OWN_NOTE = N_("your formula, built with torch operations")


def default_param(name: str, low: float = -PARAM_LIMIT, high: float = PARAM_LIMIT, value: float = 1.0) -> Param:
    """Parameter a, b or c: any value in [-PARAM_LIMIT, PARAM_LIMIT] (the pages narrow the slider to the
    learner's range, or an example's)."""
    return Param(name, value, low, high, 0.01, PARAM_HELP)


def as_spec(formula: Formula, params: Sequence[Param] = ()) -> ActivationSpec:
    """The formula as an activation of the core contract (key "own:<normalized text>"), with a parameter for each
    of a, b, c it uses (`params` may give their defaults and ranges).

    Unlike a built-in, f and f' may be NaN (where undefined or overflowing): see `gaps`.
    """
    given = {p.name: p for p in params}
    used = tuple(given.get(name) or default_param(name) for name in formula.params)

    def torch_fn(p):
        return partial(formula.torch_fn, **{name: p[name] for name in formula.params})

    return ActivationSpec(
        key=own_key(formula.normalized), name=formula.normalized, family=FAMILIES[-1], f=formula.f, df=formula.df,
        tex=lambda p: (formula.tex_f, formula.tex_df), params=used, torch_fn=torch_fn,
        torch_note=OWN_NOTE,
    )
