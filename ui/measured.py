"""A measured value as the app words it (labs.lessons.MEASURES: named functions of a section's result): a lesson's
reveal and a preset's caption are templates whose {names} are measures, filled from the run."""
from __future__ import annotations

import math
import string
from typing import Any

import activations
from i18n import _, fill
from i18n.numbers import num, percent
from labs import lessons


def shown(name: str, value: Any) -> str:
    """A measure's value as a reveal shows it (labs.lessons.Measure.unit)."""
    unit = lessons.MEASURES[name].unit
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "percent":
        return percent(value, 1 if 0 < abs(value) < 0.1 else 0)
    if unit == "sci":
        return num(value, ".1e")
    if unit == "int":
        return fill("{v}", v=int(value))
    if unit == "answer":
        return answer(value)
    if unit == "names":
        return ", ".join(activations.get(k).name for k in value) or "—"
    return num(value, ".3g")


def answer(key: str) -> str:
    """A choice's label: an activation's name, or one of labs.lessons.ANSWERS."""
    if key in lessons.ANSWERS:
        return _(lessons.ANSWERS[key])
    return activations.get(key).name


def placeholders(template: str) -> list[str]:
    """The {names} a reveal template is filled with (each a measure of its step's section)."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name]


def filled(template: str, result: Any) -> str:
    """`template` with each {measure} replaced by its value in `result`, as shown()."""
    return fill(template, **{name: shown(name, lessons.measure(name, result)) for name in placeholders(template)})
