"""The oracle: what a raw value means for a control (strictly, or as Python's float() reads it), independently of
activations/validate.py's parsers."""
from __future__ import annotations

import math
import re

from .keys import KeySpec

NO = None  # "no reading": the text is not a value of this control
_STRICT_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_ASCII_SPACE = " \t\r\n"
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _strict_float(raw: str) -> float | None:
    s = raw.strip(_ASCII_SPACE)
    if not _STRICT_NUMBER.fullmatch(s):
        return None
    v = float(s)
    return v if math.isfinite(v) else None


def loose_float(raw: str) -> float | None:
    try:
        v = float(raw.strip())
    except (ValueError, TypeError):
        return None
    return v if math.isfinite(v) else None


def reading(spec: KeySpec, raw: str, strict: bool):
    """The control value `raw` stands for, or NO. Strict: plain ASCII numbers, exact option names, no empty or
    repeated list entries. Lenient: what Python's float() reads, case and surrounding whitespace ignored."""
    kind = spec.kind
    num = _strict_float if strict else loose_float
    if kind in ("float", "int"):
        v = num(raw)
        if v is None or not spec.low <= v <= spec.high:
            return NO
        if kind == "int":
            return int(v) if v == int(v) else NO
        return v
    if kind == "select":
        v = num(raw)
        opts = spec.options
        return next((o for o in opts if o == v), NO) if v is not None else NO
    if kind == "choice":
        opts = spec.options
        if raw in opts:
            return raw
        if strict:
            return NO
        lowered = {o.lower(): o for o in opts}
        return lowered.get(raw.strip().lower(), NO)
    if kind == "choices":
        opts = spec.options
        lowered = {o.lower(): o for o in opts}
        picked: list[str] = []
        for part in raw.split(","):
            if strict:
                if part not in opts or part in picked:
                    return NO
                picked.append(part)
                continue
            s = part.strip()
            if not s:
                continue
            o = s if s in opts else lowered.get(s.lower())
            if o is None:
                return NO
            if o not in picked:
                picked.append(o)
        return picked if 1 <= len(picked) <= spec.max_count else NO
    if kind == "range":
        parts = raw.split(",")
        if len(parts) != 2:
            return NO
        a, b = num(parts[0]), num(parts[1])
        if a is None or b is None or not spec.low <= a <= b <= spec.high or b - a < spec.min_width:
            return NO
        return (a, b)
    if kind == "bool":
        if strict:
            return True if raw in _TRUE else False if raw in _FALSE else NO
        s = raw.strip().lower()
        return True if s in _TRUE else False if s in _FALSE else NO
    if kind == "text":  # a formula: the text itself if the parser builds it (its whitelist is its own oracle)
        from activations.formula import parse

        return raw if len(raw) <= spec.max_count and parse(raw)[0] is not None else NO
    raise ValueError(kind)


def same(value, reading) -> bool:
    if isinstance(reading, bool) or isinstance(value, bool):
        return value is reading
    if isinstance(reading, tuple | list):
        return (isinstance(value, tuple | list) and len(value) == len(reading)
                and all(a == b for a, b in zip(value, reading, strict=True)))
    return value == reading
