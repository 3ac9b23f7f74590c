"""One message per condition: every untrusted value (a URL's text, a lab's config) is checked here.

Each checker returns (value to use, Note or None). A Note is a message id and its values, never an English
sentence: the UI renders it in the learner's language. Nothing here raises on any input. (An activation and its
parameters are checked by activations.lookup, above the registry, with the messages defined here.)
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from i18n import N_, Note, Raw, shown_raw

NOT_A_NUMBER = N_("**{name}** = {raw} is not a number: used the default {default}.")
OUT_OF_RANGE = N_("**{name}** = {raw} is outside [{low}, {high}]: clamped to {value}.")
NOT_WHOLE = N_("**{name}** = {raw} must be a whole number: rounded to {value}.")
NOT_A_STEP = N_("**{name}** = {raw} is not one of the slider's steps: used the nearest, {value}.")
NOT_A_CHOICE = N_("**{name}** = {raw} is not one of {choices}: used {default}.")
NOT_A_PAIR = N_("**{name}** = {raw} should be two numbers 'low,high': used the default {low},{high}.")
SWAPPED = N_("**{name}**: the two ends were swapped so that low < high.")
TOO_NARROW = N_("**{name}** = {raw} is narrower than {width}: used the default {low},{high}.")
UNKNOWN_ITEMS = N_("**{name}**: unknown {items} dropped.")
TOO_MANY = N_("**{name}**: at most {count} at once; kept the first {count}.")
NOTHING_VALID = N_("**{name}** = {raw} names nothing valid: used the default {default}.")
NOT_A_TOGGLE = N_("**{name}** = {raw} should be 1 or 0: used {default}.")
REPEATED = N_("**{name}** was given {count} times: used the last one, {raw}.")
NO_SUCH_PARAM = N_("{activation} has no parameter {raw}: ignored.")
NOT_AN_ACTIVATION = N_("**{name}** = {raw} is not an activation of this app: used {default}.")
PARAMS_DROPPED = N_("The parameters given for {raw} were dropped.")
NOT_PAIRS = N_("**{name}** = {raw} are not (name, value) pairs: used the defaults.")
TEXT_TOO_LONG = N_("**{name}** is {length} characters long; at most {limit} are allowed: used {default}.")


def as_text(value: object) -> str:
    """A value as the learner gave it: text as is, anything else as its repr."""
    return value if isinstance(value, str) else repr(value)


def number(name: str, raw: object, low: float, high: float, default: float,
           integer: bool = False) -> tuple[float | int, Note | None]:
    """A finite number within [low, high]; a whole one if `integer`. NaN and text give the default, ±inf clamps."""
    try:
        v = float(raw.strip() if isinstance(raw, str) else raw)
    except (TypeError, ValueError, OverflowError):
        return default, Note.of(NOT_A_NUMBER, name=name, raw=Raw(as_text(raw)), default=default)
    if math.isnan(v):
        return default, Note.of(NOT_A_NUMBER, name=name, raw=Raw(as_text(raw)), default=default)
    if v < low or v > high:  # also ±inf and 1e999 (which float() reads as inf)
        c = min(max(v, low), high)
        c = int(round(c)) if integer else c
        return c, Note.of(OUT_OF_RANGE, name=name, raw=Raw(as_text(raw)), low=low, high=high, value=c)
    if integer:
        r = int(round(v))
        return r, (None if r == v else Note.of(NOT_WHOLE, name=name, raw=Raw(as_text(raw)), value=r))
    return v, None


def step(name: str, raw: object, options: Sequence[float], default: float) -> tuple[float, Note | None]:
    """The option nearest to a number (a select slider's steps)."""
    v, note = number(name, raw, min(options), max(options), default)
    nearest = min(options, key=lambda o: abs(o - v))
    if nearest != v and note is None:
        note = Note.of(NOT_A_STEP, name=name, raw=Raw(as_text(raw)), value=nearest)
    return nearest, note


def choice(name: str, raw: object, options: Sequence[str], default: str) -> tuple[str, Note | None]:
    s = raw.strip() if isinstance(raw, str) else raw
    if s in options:
        return s, None
    if isinstance(s, str):
        lowered = {o.lower(): o for o in options}
        if s.lower() in lowered:  # "ReLU" for "relu": unambiguous, accepted quietly
            return lowered[s.lower()], None
    # the options are URL values (identifiers): quoted as code, the same in every language
    shown = ", ".join(f"`{o}`" for o in options[:8]) + (", …" if len(options) > 8 else "")
    return default, Note.of(NOT_A_CHOICE, name=name, raw=Raw(as_text(raw)), choices=shown, default=Raw(default))


def choices(name: str, raw: object, options: Sequence[str], default: Sequence[str],
            max_count: int) -> tuple[list[str], Note | None]:
    """A comma-separated list (or a sequence) of options; unknown and repeated entries are dropped."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else [raw]
    picked, bad = [], []
    lowered = {o.lower(): o for o in options}
    for part in parts:
        s = part.strip() if isinstance(part, str) else part
        o = s if s in options else lowered.get(s.lower()) if isinstance(s, str) else None
        if o is None:
            if s:
                bad.append(as_text(s))
        elif o not in picked:
            picked.append(o)
    notes = []
    if bad:
        # each entry as safe inline code (no backtick, newline or control character can break out of it)
        notes.append(Note.of(UNKNOWN_ITEMS, name=name, items=", ".join(shown_raw(b[:20]) for b in bad[:5])))
    if len(picked) > max_count:
        picked = picked[:max_count]
        notes.append(Note.of(TOO_MANY, name=name, count=max_count))
    if not picked:
        notes.append(Note.of(NOTHING_VALID, name=name, raw=Raw(as_text(raw)), default=", ".join(default)))
        picked = list(default)
    return picked, joined(notes)


def text(name: str, raw: object, max_chars: int, default: str) -> tuple[str, Note | None]:
    """A learner's text (a formula) as typed, if it is not longer than `max_chars`; what it says is checked by
    whoever reads it (activations.formula, with the column of each mistake)."""
    t = "" if raw is None else as_text(raw)
    if len(t) > max_chars:
        return default, Note.of(TEXT_TOO_LONG, name=name, length=len(t), limit=max_chars, default=Raw(default))
    return t, None


def toggle(name: str, raw: object, default: bool) -> tuple[bool, Note | None]:
    if isinstance(raw, bool):
        return raw, None
    s = str(raw).strip().lower()
    if s in ("1", "true", "yes", "on"):
        return True, None
    if s in ("0", "false", "no", "off"):
        return False, None
    return default, Note.of(NOT_A_TOGGLE, name=name, raw=Raw(as_text(raw)), default=int(default))


def pair(name: str, raw: object, low: float, high: float, default: tuple[float, float],
         min_width: float = 0.0) -> tuple[tuple[float, float], Note | None]:
    """A 'lo,hi' pair (or a 2-sequence) inside [low, high] with hi - lo >= min_width."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else [raw]
    if len(parts) != 2:
        return tuple(default), Note.of(NOT_A_PAIR, name=name, raw=Raw(as_text(raw)), low=default[0], high=default[1])
    a, n1 = number(name, parts[0], low, high, default[0])
    b, n2 = number(name, parts[1], low, high, default[1])
    notes = [n for n in (n1, n2) if n]
    if a > b:
        a, b = b, a
        notes.append(Note.of(SWAPPED, name=name))
    if b - a < min_width:
        return tuple(default), Note.of(TOO_NARROW, name=name, raw=Raw(as_text(raw)), width=min_width,
                                       low=default[0], high=default[1])
    return (a, b), joined(notes)


JOINED = N_("{first} {second}")


def joined(notes: Sequence[Note]) -> Note | None:
    """Several notes about one value as one (kept in order)."""
    if not notes:
        return None
    out = notes[0]
    for n in notes[1:]:
        out = Note.of(JOINED, first=out, second=n)
    return out
