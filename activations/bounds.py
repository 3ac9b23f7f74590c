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


def activation_and_params(activation, params, default: str, notes: list[str]) -> tuple[str, dict]:
    """A registry key and its checked parameters (PyTorch names, clamped to the slider ranges)."""
    from .registry import REGISTRY, get

    act = activation if isinstance(activation, str) and activation in REGISTRY else None
    if act is None:
        notes.append(f"activation {activation!r} is not in the registry: used '{default}'.")
        act = default
    try:
        raw = dict(params) if params else {}
    except (TypeError, ValueError):
        notes.append(f"params {params!r} are not (name, value) pairs: used the defaults.")
        raw = {}
    if act != activation and raw:  # the parameters belonged to an activation we are not using
        notes.append(f"the parameters of {activation!r} were dropped.")
        raw = {}
    resolved, more = get(act).resolve(raw)
    notes.extend(more)
    return act, resolved
