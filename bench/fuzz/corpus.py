"""The values and keys a hostile link is made of: malformed numbers, markup, long strings, keys no page reads."""
from __future__ import annotations

HOSTILE: tuple[str, ...] = (
    "", " ", "   ", "\t", "\n", "\r\n", "+", "-", ".", "e5", "1e", "--1",
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e999", "-1e999", "1e-400", "-1e-400", "9" * 400,
    "0x1F", "0b101", "0o17", "1_000", "1 000", "1,5", "١٢٣", "١e5", "１２", "𝟏", "\u00a01\u00a0", "\u200b1", "1\u202e",
    "+1", "-0", "1.", ".5", "1e3", "1e-3", "0.30000000000000004", "4294967296", "9223372036854775808", "-1000000",
    "0", "1", "-1", "2", "100", "1000000", "1e6",
    "true", "false", "None", "null", "undefined", "[]", "{}", "[1]", "{'a': 1}",
    "🙂", "🙂🙃", "ℵ₀", "Ⅻ", "ﷺ", "e\u0301", "\U0001f9ea" * 3,
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "`code`", "``", "`", "a`b", "relu,`x", "**bold**",
    "$\\frac{1}{0}$",
    "<b>x</b>", "<img src=x onerror=alert(1)>", "'; DROP TABLE x;--", "%00", "%2C", "%20", "\x00", "\x1b[31mred",
    "\\x00", "\\", "../../etc/passwd", "a,b,c", ",,,", ",", "1,2,3", "1,2", "2,1", "-1,1", "1;2",
    "relu", "RELU", "Sigmoid", "none", "normal",
)
LONG: tuple[str, ...] = ("7" * 10_240, "x" * 10_240, "🙂" * 2_560, "1," * 5_120, "relu," * 2_048, "<script>" * 1_280)
UNKNOWN_KEYS: tuple[str, ...] = (
    "utm_source", "fbclid", "ref", "FN", "Alpha", "X", "Fns", "fn[]", "fns[0]", "a.b.c", "x[0][1]", "..", ".",
    "__proto__", "constructor", "<script>alert(1)</script>", "[x](javascript:alert(1))", "`code`", "**bold**",
    "$\\frac{1}{0}$", "ключ", "مفتاح", "🙂", "", " ", "k" * 300, "%00", "\x00", "a\x00b", "../../etc/passwd", "a,b",
    "embed", "embed_options", "EMBED",
)
