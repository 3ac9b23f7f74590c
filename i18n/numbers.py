"""Numbers as a learner reads them in the current locale: one place decides decimal marks, grouping, percent."""
from __future__ import annotations

import math
from functools import cache

from . import PSEUDO, current


@cache
def _symbols(code: str) -> tuple[str, str, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    loc = "en" if code == PSEUDO else code
    return get_decimal_symbol(loc), get_group_symbol(loc), get_minus_sign_symbol(loc)


def localize(text: str) -> str:
    """A number Python formatted ("1,234.5", "-2.5e-03") in the current locale's symbols."""
    decimal, group, minus = _symbols(current())
    if (decimal, group, minus) == (".", ",", "-"):
        return text
    return "".join(decimal if c == "." else group if c == "," else minus if c == "-" else c for c in text)


NOT_FINITE = "—"  # a value that overflowed or is undefined: the page's notes say where


def num(value: float, spec: str = "g") -> str:
    """`format(value, spec)`, localized: num(0.000123, ".2e") -> "1.23e-04"; "—" for NaN and ±inf."""
    return localize(format(value, spec)) if math.isfinite(value) else NOT_FINITE


def percent(fraction: float, digits: int = 0) -> str:
    """0.4 -> "40%" (Babel's pattern for the locale: some put a space or the sign first); "—" for NaN and ±inf."""
    from babel.numbers import format_percent

    if not math.isfinite(fraction):
        return NOT_FINITE

    code = current()
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(fraction, format=pattern, locale="en" if code == PSEUDO else code)
