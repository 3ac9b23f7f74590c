"""Server-side bounds for the labs' configurations: coerce untrusted values, say what changed."""
from __future__ import annotations

import math


def number(name: str, value, default: float, lo: float, hi: float, integer: bool, notes: list[str]) -> float | int:
    """`value` coerced to a finite number within [lo, hi] (a whole number if `integer`); a note for every change."""
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):
        notes.append(f"{name} must be a number: used {default:g}.")
        return default
    if not math.isfinite(v):
        notes.append(f"{name} must be finite: used {default:g}.")
        return default
    out = min(max(v, lo), hi)
    if integer:
        out = int(round(out))
    if out != v:
        notes.append(f"{name} = {v:g} is outside [{lo:g}, {hi:g}]: clamped to {out:g}." if not lo <= v <= hi
                     else f"{name} must be a whole number: {v:g} rounded to {out:g}.")
    return out


def choice(name: str, value, choices: tuple[str, ...], default: str, notes: list[str]) -> str:
    if isinstance(value, str) and value in choices:
        return value
    notes.append(f"{name} {value!r} is not one of {', '.join(choices)}: used '{default}'.")
    return default
