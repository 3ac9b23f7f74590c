"""Parse untrusted URL query values into valid widget values, saying what was changed and why.

Every parser returns (value, note): `note` is None when the raw text was used as given, otherwise a
short sentence for the learner. Nothing here raises on any input string.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

MAX_SHOWN = 40
_CONTROL = re.compile(r"[\x00-\x1f\x7f`\\]")


def shown(raw: object) -> str:
    """Raw text made safe to quote inside Markdown inline code: no backticks, no control chars, short."""
    s = _CONTROL.sub("?", str(raw))
    if len(s) > MAX_SHOWN:
        s = s[: MAX_SHOWN - 1] + "…"
    return f"`{s}`" if s.strip() else "(empty)"


def encode_float(v: float) -> str:
    """Shortest text that parses back to exactly v (the link reproduces the view bit for bit)."""
    return repr(float(v))


def parse_float(name: str, raw: str, low: float, high: float, default: float) -> tuple[float, str | None]:
    try:
        v = float(str(raw).strip())
    except (TypeError, ValueError):
        return default, f"**{name}** = {shown(raw)} is not a number: using the default {default:g}."
    if math.isnan(v):
        return default, f"**{name}** = {shown(raw)} is not a number: using the default {default:g}."
    if v < low or v > high:  # also catches ±inf and 1e999 (which float() reads as inf)
        c = min(max(v, low), high)
        return c, f"**{name}** = {shown(raw)} is outside [{low:g}, {high:g}]: clamped to {c:g}."
    return v, None


def parse_int(name: str, raw: str, low: int, high: int, default: int) -> tuple[int, str | None]:
    v, note = parse_float(name, raw, low, high, default)
    if note is None and v != int(v):
        return int(round(v)), f"**{name}** = {shown(raw)} must be a whole number: rounded to {int(round(v))}."
    return int(round(v)), note


def parse_range(name: str, raw: str, low: float, high: float, default: tuple[float, float],
                min_width: float = 0.0) -> tuple[tuple[float, float], str | None]:
    """A 'lo,hi' pair inside [low, high] with lo < hi (by at least min_width)."""
    parts = str(raw).split(",")
    if len(parts) != 2:
        return default, (f"**{name}** = {shown(raw)} should be two numbers 'low,high': "
                         f"using the default {default[0]:g},{default[1]:g}.")
    notes = []
    a, n1 = parse_float(name, parts[0], low, high, default[0])
    b, n2 = parse_float(name, parts[1], low, high, default[1])
    notes += [n for n in (n1, n2) if n]
    if a > b:
        a, b = b, a
        notes.append(f"**{name}**: the two ends were swapped so that low < high.")
    if b - a < min_width:
        return default, (f"**{name}** = {shown(raw)} is narrower than {min_width:g}: "
                         f"using the default {default[0]:g},{default[1]:g}.")
    return (a, b), " ".join(notes) or None


def parse_choice(name: str, raw: str, options: Sequence[str], default: str) -> tuple[str, str | None]:
    s = str(raw).strip()
    if s in options:
        return s, None
    lowered = {o.lower(): o for o in options}
    if s.lower() in lowered:  # "ReLU" for "relu": accept quietly, it is unambiguous
        return lowered[s.lower()], None
    return default, f"**{name}** = {shown(raw)} is not one of the choices: using '{default}'."


def parse_choices(name: str, raw: str, options: Sequence[str], default: Sequence[str],
                  max_count: int) -> tuple[list[str], str | None]:
    """A comma-separated list of options; unknown or repeated entries are dropped."""
    picked, bad = [], []
    lowered = {o.lower(): o for o in options}
    for part in str(raw).split(","):
        s = part.strip()
        o = s if s in options else lowered.get(s.lower())
        if o is None:
            if s:
                bad.append(s)
        elif o not in picked:
            picked.append(o)
    notes = []
    if bad:
        notes.append(f"**{name}**: unknown {', '.join(shown(b) for b in bad[:5])} dropped.")
    if len(picked) > max_count:
        picked = picked[:max_count]
        notes.append(f"**{name}**: at most {max_count} at once; kept the first {max_count}.")
    if not picked:
        notes.append(f"**{name}** = {shown(raw)} names nothing valid: using the default {', '.join(default)}.")
        return list(default), " ".join(notes)
    return picked, " ".join(notes) or None


def parse_bool(name: str, raw: str, default: bool) -> tuple[bool, str | None]:
    s = str(raw).strip().lower()
    if s in ("1", "true", "yes", "on"):
        return True, None
    if s in ("0", "false", "no", "off"):
        return False, None
    return default, f"**{name}** = {shown(raw)} should be 1 or 0: using {int(default)}."
