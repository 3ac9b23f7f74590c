"""Fuzz every page's address: random and malformed query strings through AppTest, checked for what a learner sees.

Usage, from the repository root:
  python bench/fuzz_urls.py [--count 1000] [--seed 0] [--pages all|explorer,compare,...] [--workers 2]
                            [--json results.json] [--strict]

What it does
  generate   A seeded generator draws, per page, URLs of 0-8 parameters: the page's real URL keys (every control
             the page declares, read from labs.catalog: its schemas' controls, including the conditional ones:
             sigma once init=normal, and the parameters of every activation its pickers can pick) and unknown keys
             (junk, dots/brackets, other pages' keys, Streamlit's own `embed`). Values come from a hostile corpus
             (empty, whitespace, nan, inf, 1e999, 1e-400, 0x1F, 1_000, Arabic-Indic digits, 10 kB strings, emoji,
             Markdown/HTML/LaTeX, NUL, path traversal, lists), mixed with valid values, out-of-range and off-step
             values, values of the wrong type, valid values of other keys and repeated keys. A control declared
             with `cost` (what sets the size of a training run) keeps to the cheapest third of its range: no value
             of it reads as more, so a lab page runs about as fast as with its defaults. Each page has its own
             stream (random.Random(f"{seed}:{page}")): the first N URLs of a page are the same whatever the other
             pages' counts. tests/test_fuzz_urls.py parses a few thousand of these URLs in-process (without
             the cost limit) and runs one hostile link per page.
  run        One fresh AppTest per URL (a fresh session: the link is a learner's first entry into the page).
             Caches (st.cache_*, the labs' bounded caches) are per process, as on a server. With --workers 2 the
             URLs are shared by two processes, each with torch on one thread.
  check      For every URL:
               exception        at.exception is empty (and the run finished within the timeout)
               no-chart         the page still draws at least one Plotly chart
               notice-missing   a real key of the page (one the page read in this run) whose value is not a valid
                                value for its control: the warning names it as **key**
               silent-change    a real key not named in the warning: the control got exactly the value the text
                                says (a strict reading, or a lenient one: see below)
               valid-rejected   a strictly valid value that the page changed anyway (with a notice)
               repeat-dropped   a key given several different values: the warning names it (only one is used)
               unknown-missing  every key the page did not read is listed in the "Ignored unknown link
                                parameter(s)" line (Streamlit's own embed/embed_options excepted)
               markup-escape    outside inline code, no "<script", "javascript:", "](" ... from the raw input,
                                and the backticks are balanced
             What the page read, with which declaration and what the control ended with, is recorded by wrapping
             ui.urlstate.PageState.widget (it calls the original and returns its value), so the oracle follows
             the app and is independent of activations/validate.py's parsers.
             Lenient readings are counted, not failed: Python's float() accepts "١٢٣", "1_000", " 1 " (NBSP),
             the choice parsers accept "RELU" and " relu ", a list may repeat or leave empty entries.
  report     URLs per page, exceptions with the failing URLs, notice coverage, failures by check with examples,
             lenient readings, time. Exit 1 on any exception (or a run that failed to finish); --strict: exit 1
             on any failed check too.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import re
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from labs.catalog import PAGES as _CATALOG  # noqa: E402 (the declarations: no lab module is imported yet)

PAGES = tuple(_CATALOG)  # app.py's pages, by URL path
URL_PATH = {"home": ""}  # st.Page(url_path=...) in app.py; the others are the file's name
MAX_PARAMS = 8
TIMEOUT = 600.0  # per URL; a lab page at its largest sizes takes seconds, not minutes
EMBED_KEYS = ("embed", "embed_options")  # Streamlit's own: st.query_params hides them from the app
MARKERS = ("<script", "javascript:", "](", "**bold**", "$\\frac", "<b>", "<img", "\x1b")

# ---------------------------------------------------------------------------------------------------------------
# the hostile corpus
# ---------------------------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------------------------
# what each page reads from its address: the labs' declarations (labs.catalog), nothing restated here
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeySpec:
    """One URL key of a page as the generator and the oracle see it: a declared control, flattened."""

    key: str
    kind: str  # float | int | select | choice | choices | range | bool | text (max_count: its length limit)
    low: float = 0.0
    high: float = 1.0
    step: float = 0.0
    options: tuple = ()
    max_count: int = 1
    min_width: float = 0.0
    needs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (key, raw values of which any makes this key read)
    cost: bool = False  # the run time grows with it: its values are kept low (see _cheap)
    weight: float = 1.0  # how often it is drawn, relative to a page's other keys


def keyspec(control, needs=None, weight: float = 1.0) -> KeySpec:
    """The KeySpec of a labs.controls.Control (its own `needs`, or the ones given)."""
    from labs.controls import Choice, Multi, Number, Range, Steps, Text, Toggle

    needs = control.needs if needs is None else needs
    common = {"needs": tuple(needs), "cost": control.cost, "weight": weight}
    c = control
    if isinstance(c, Number):
        return KeySpec(c.url, "int" if c.integer else "float", c.low, c.high, c.step, **common)
    if isinstance(c, Steps):
        return KeySpec(c.url, "select", min(c.options), max(c.options), options=tuple(c.options), **common)
    if isinstance(c, Choice):
        return KeySpec(c.url, "choice", options=tuple(c.options), **common)
    if isinstance(c, Multi):
        return KeySpec(c.url, "choices", options=tuple(c.options), max_count=c.max_count, **common)
    if isinstance(c, Range):
        return KeySpec(c.url, "range", c.low, c.high, c.step, min_width=c.min_width, **common)
    if isinstance(c, Toggle):
        return KeySpec(c.url, "bool", **common)
    if isinstance(c, Text):
        return KeySpec(c.url, "text", max_count=c.max_chars, **common)
    raise TypeError(f"no KeySpec for {type(c).__name__}")


def _url_text(control, value: str) -> str:
    """A `needs` value (str() of a widget value, as PageState.shown compares it) as URL text."""
    from labs.controls import Toggle

    if isinstance(control, Toggle):
        return "1" if value == "True" else "0"
    return value


def page_specs(page: str) -> list[KeySpec]:
    """Every URL key of `page`: its declared controls, and the parameters of every activation its pickers can
    pick, each read only while its activation is picked (together drawn about as often as 3 other keys)."""
    from labs import catalog
    from labs.controls import Multi

    out: list[KeySpec] = []
    controls = [c for s in catalog.schemas(page) for c in s]
    by_url = {c.url: c for c in controls}
    for c in controls:
        needs = tuple((k, tuple(_url_text(by_url[k], v) if k in by_url else v for v in vals)) for k, vals in c.needs)
        out.append(keyspec(c, needs))
    for c in controls:
        picks = [(key, catalog.activation_params(c, key)) for key in getattr(c, "options", ())]
        n_params = sum(len(ps) for _, ps in picks)
        for key, params in picks:
            picked = (key, f"{key},relu", f"tanh,{key}") if isinstance(c, Multi) else (key,)
            out += [keyspec(p, ((c.url, picked),), 3.0 / n_params) for p in params]
    return out


_SCHEMAS: dict[str, list[KeySpec]] | None = None


def lab_pages() -> tuple[str, ...]:
    """The pages with a `cost` control: they train small torch nets on every new setting."""
    return tuple(p for p in PAGES if any(spec.cost for spec in schemas()[p]))


def schemas() -> dict[str, list[KeySpec]]:
    """Page -> the URL keys its controls are bound to (from labs.catalog)."""
    global _SCHEMAS
    if _SCHEMAS is None:
        _SCHEMAS = {p: page_specs(p) for p in PAGES}
    return _SCHEMAS


# ---------------------------------------------------------------------------------------------------------------
# generating URLs
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    page: str
    query: tuple[tuple[str, tuple[str, ...]], ...]  # (key, values): more than one value = a repeated key

    def params(self) -> dict[str, str | list[str]]:
        """What AppTest.query_params takes: a list for a repeated key."""
        return {k: (list(vs) if len(vs) > 1 else vs[0]) for k, vs in self.query}

    def url(self, limit: int | None = 80) -> str:
        """The address, with values longer than `limit` written as <'x' * 10240> (limit=None: exact)."""
        cut = lambda t: t if limit is None or len(t) <= limit else f"<{_short(t).replace(' * ', '*')}>"
        pairs = [(cut(k), cut(val)) for k, vs in self.query for val in vs]
        path = URL_PATH.get(self.page, self.page)
        return f"/{path}?{urlencode(pairs, safe=_URL_SAFE)}" if pairs else f"/{path}"

    def describe(self) -> str:
        """page + the query as Python: a failing URL, precisely, long values as 'x' * 10240."""
        body = ", ".join(f"{_short(k)}: " + (f"[{', '.join(_short(x) for x in vs)}]" if len(vs) > 1 else _short(vs[0]))
                         for k, vs in self.query)
        return f"{self.page} {{{body}}}"


_URL_SAFE = "<>*()'"  # keep the <'x' * 10240> placeholders readable


def _short(val: str, limit: int = 80) -> str:
    if len(val) <= limit:
        return repr(val)
    for n in range(1, 17):
        unit = val[:n]
        if len(val) % n == 0 and unit * (len(val) // n) == val:
            return f"{unit!r} * {len(val) // n}"
    return f"{val[:40]!r}…({len(val)} chars)"


def _fmt(rng: random.Random, v: float) -> str:
    if float(v).is_integer() and abs(v) < 1e15 and rng.random() < 0.5:
        return str(int(v))
    return rng.choice((repr(float(v)), f"{v:g}", f"{v:.6g}", f"{v:e}"))


CHEAP_SHARE = 1 / 3  # a cost key's values stay in the lowest third of its range (or of its steps)


def _cheap(spec: KeySpec) -> KeySpec:
    """A cost key narrowed to its cheap end: a page drawn with it runs about as fast as with the defaults."""
    if spec.kind in ("float", "int"):
        span = (spec.high - spec.low) * CHEAP_SHARE
        high = spec.low + (max(round(span / spec.step), 1) * spec.step if spec.step else span)
        return replace(spec, high=int(high) if spec.kind == "int" else high)
    if spec.kind == "select":
        opts = spec.options[: max(2, round(len(spec.options) * CHEAP_SHARE))]
        return replace(spec, high=max(opts), options=opts)
    return spec


def _valid(rng: random.Random, spec: KeySpec) -> str:
    k = spec.kind
    if k == "float":
        r = rng.random()
        if r < 0.2:
            return _fmt(rng, rng.choice((spec.low, spec.high)))
        x = rng.uniform(spec.low, spec.high)
        if r < 0.6 and spec.step:
            x = min(max(spec.low + round((x - spec.low) / spec.step) * spec.step, spec.low), spec.high)
            return f"{x:.10g}"
        return _fmt(rng, x)
    if k == "int":
        n = rng.randint(int(spec.low), int(spec.high))
        return rng.choice((str(n), str(n), str(n), f"{n}.0", f"+{n}"))
    if k == "select":
        o = rng.choice(spec.options)
        return str(o) if isinstance(o, int) else rng.choice((repr(float(o)), f"{o:g}"))
    if k == "choice":
        return rng.choice(spec.options)
    if k == "choices":
        return ",".join(rng.sample(spec.options, rng.randint(1, min(spec.max_count, len(spec.options)))))
    if k == "range":
        a = rng.uniform(spec.low, spec.high - spec.min_width)
        b = rng.uniform(a + spec.min_width, spec.high)
        if rng.random() < 0.5:
            a, b = round(a * 2) / 2, round(b * 2) / 2
            if b - a < spec.min_width:
                a, b = spec.low, spec.high
        return f"{a:g},{b:g}"
    if k == "bool":
        return rng.choice(("1", "0", "true", "false", "on", "off", "yes", "no"))
    if k == "text":  # a formula (the only text control): an example, or a small one
        from activations.formula import EXAMPLES

        return rng.choice([e.formula for e in EXAMPLES] + ["x", "relu(x) - a*relu(-x)", "x*sigmoid(b*x) + c"])
    raise ValueError(k)


def _edge(rng: random.Random, spec: KeySpec, page_specs: list[KeySpec], cheap: bool = False) -> str:
    """Near misses: out of range, off the steps, the wrong shape, a choice of another control.
    `cheap`: only the misses that do not read as a large value (a cost key)."""
    k = spec.kind
    if k in ("float", "int", "select"):
        span = (spec.high - spec.low) or 1.0
        cands = [spec.low - span, spec.low - 1e-9, -spec.high - 1]
        if not cheap:
            cands += [spec.high + span, spec.high + 1e-9, spec.high * 1e6 + 1]
        if k == "int":
            n = rng.randint(int(spec.low), int(spec.high))
            cands += [n + 0.5, n + 1e-7, int(spec.low) - 1]
            if not cheap:
                cands += [int(spec.high) + 1, 10 ** 12]
        if k == "select":
            opts = sorted(spec.options)
            i = rng.randrange(len(opts) - 1)
            cands += [(opts[i] + opts[i + 1]) / 2, opts[0] / 2 if opts[0] > 0 else opts[0] - 1, 0]
            if not cheap:
                cands.append(opts[-1] * 2)
        return _fmt(rng, rng.choice(cands))
    if k == "choice":
        o = rng.choice(spec.options)
        other = [x for s in page_specs if s.kind == "choice" for x in s.options if x not in spec.options]
        cands = [o.upper(), f" {o} ", o + "x", o[:-1] or "_", f"{o},{o}"]
        if other:
            cands.append(rng.choice(other))  # a choice of another control of the page
        return rng.choice(cands)
    if k == "choices":
        o = list(spec.options)
        a, b = rng.choice(o), rng.choice(o)
        too_many = ",".join(o[: spec.max_count + 1]) if len(o) > spec.max_count else f"{a},{a},{a}"
        return rng.choice((too_many, f"{a},{a}", f"{a},,{b}", f"{a},bogus", f" {a} , {b.upper()} ", f"{a},", ",",
                           f"{a},{b},<script>", f"{a}, ,{b}"))
    if k == "range":
        mid = (spec.low + spec.high) / 2
        a = rng.uniform(spec.low, mid)
        b = rng.uniform(mid + spec.min_width, spec.high)
        return rng.choice((f"{b:g},{a:g}", f"{a:g},{a + spec.min_width / 2:g}", "a,b", f"{a:g}", f"{a:g},",
                           f"{spec.low - 10:g},{spec.high + 10:g}", f"{a:g},{b:g},{b + 1:g}", f"{a:g};{b:g}",
                           f"{a:g},nan", f"nan,{b:g}", f"{a:g},inf", f"{a:g},{a:g}", f" {a:g} , {b:g} "))
    if k == "bool":
        return rng.choice(("2", "-1", "TRUE", " yes ", "y", "ja", "oui", "1.0", "0.0", "On"))
    if k == "text":  # formulas that are refused, or nearly so
        return rng.choice(("x*", "2x", "x^2", "exp(", "x)", "sin(x, x)", "where(x, 1, 0)", "foo(x)", "x.real",
                           "__import__('os')", "().__class__", "lambda: 0", "[x for x in x]", "9**9**9**9",
                           "exp(exp(exp(exp(x))))", "(" * 400 + "x" + ")" * 400, "log(x)", "sqrt(-1 - x**2)",
                           "1/x", "x" + "+x" * 250, "open('/etc/passwd')", "x if x > 0 else 0", "x\x00"))
    raise ValueError(k)


def _hostile(rng: random.Random, cheap: KeySpec | None = None) -> str:
    """A value from the hostile corpus; for a cost key (`cheap`), none that reads as a number above its cheap end."""
    while True:
        v = rng.choice(LONG) if rng.random() < 0.08 else rng.choice(HOSTILE)
        if cheap is None:
            return v
        x = _loose_float(v)
        if x is None or x <= cheap.high:
            return v


def _one_value(rng: random.Random, spec: KeySpec, page_specs: list[KeySpec], all_specs: list[KeySpec],
               cheap: bool) -> str:
    low_cost = cheap and spec.cost
    if low_cost:
        spec = _cheap(spec)
    r = rng.random()
    if r < 0.35:
        return _valid(rng, spec)
    if r < 0.52:
        return _edge(rng, spec, page_specs, low_cost)
    if r < 0.87:
        return _hostile(rng, spec if low_cost else None)
    if low_cost:  # a valid value of another key, as long as it reads as cheap for this one
        v = _valid(rng, rng.choice(page_specs))
        x = _loose_float(v)
        return v if x is None or x <= spec.high else _valid(rng, spec)
    return _valid(rng, rng.choice(page_specs if page_specs and rng.random() < 0.7 else all_specs))


def _values(rng: random.Random, spec: KeySpec, page_specs: list[KeySpec], all_specs: list[KeySpec],
            cheap: bool) -> tuple:
    if rng.random() < 0.06:  # a repeated key: ?k=a&k=b (sometimes the same value twice)
        first = _one_value(rng, spec, page_specs, all_specs, cheap)
        more = [first if rng.random() < 0.3 else _one_value(rng, spec, page_specs, all_specs, cheap)
                for _ in range(rng.randint(1, 2))]
        return (first, *more)
    return (_one_value(rng, spec, page_specs, all_specs, cheap),)


def make_case(rng: random.Random, page: str, cheap: bool = True) -> Case:
    """One URL of 0-MAX_PARAMS parameters. `cheap`: every cost key's value stays at its cheap end (the page is
    run); without, anything goes (the URL is only parsed)."""
    s = schemas()
    page_specs = s[page]
    all_specs = [x for p in PAGES for x in s[p]]
    by_key: dict[str, list[KeySpec]] = defaultdict(list)
    for spec in page_specs:
        by_key[spec.key].append(spec)
    own = sorted(by_key)
    weights = [max(x.weight for x in by_key[k]) for k in own]
    others = sorted({x.key for x in all_specs} - set(own))
    n = rng.randint(0, MAX_PARAMS)
    q: dict[str, tuple[str, ...]] = {}
    for _ in range(200):
        if len(q) >= n:
            break
        if own and rng.random() < 0.75:
            key = rng.choices(own, weights)[0]
            spec = rng.choice(by_key[key])
            if key in q:
                continue
            q[key] = _values(rng, spec, page_specs, all_specs, cheap)
            for need_key, need_values in spec.needs:
                if need_key not in q and len(q) < n and rng.random() < 0.75:
                    q[need_key] = (rng.choice(need_values),)
        else:
            key = rng.choice(UNKNOWN_KEYS) if not others or rng.random() < 0.5 else rng.choice(others)
            if key in q:
                continue
            if rng.random() < 0.5:
                q[key] = (_hostile(rng),)
            else:
                q[key] = (_valid(rng, rng.choice(all_specs)),)
    return Case(page, tuple(q.items()))


def generate(counts: dict[str, int], seed: int = 0, cheap: bool = True) -> list[Case]:
    """counts: page -> number of URLs. Each page draws from its own stream, so a page's first N are stable."""
    cases = []
    for page, count in counts.items():
        if page not in PAGES:
            raise ValueError(f"unknown page {page!r}; pages: {', '.join(PAGES)}")
        rng = random.Random(f"{seed}:{page}{'' if cheap else ':any'}")
        cases += [make_case(rng, page, cheap) for _ in range(count)]
    return cases


def split_count(count: int, pages: tuple[str, ...], lab_count: int | None = None) -> dict[str, int]:
    """count URLs over pages: evenly, or lab pages lab_count each and the rest over the cheap ones."""
    labs = [p for p in pages if p in lab_pages()]
    cheap = [p for p in pages if p not in lab_pages()]
    out: dict[str, int] = {}
    if lab_count is not None and cheap:
        out.update({p: lab_count for p in labs})
        rest = max(count - lab_count * len(labs), 0)
        out.update({p: rest // len(cheap) + (i < rest % len(cheap)) for i, p in enumerate(cheap)})
    else:
        out.update({p: count // len(pages) + (i < count % len(pages)) for i, p in enumerate(pages)})
    return {p: out[p] for p in pages}


# ---------------------------------------------------------------------------------------------------------------
# recording what the page read: PageState's widget methods, wrapped
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class Read:
    page: str
    key: str
    spec: KeySpec
    value: object
    fresh: bool


class Recorder:
    """Wraps ui.urlstate.PageState.widget: every control a page draws (with its `needs` met), its declaration
    and the value it ended with."""

    def __init__(self) -> None:
        self.reads: list[Read] = []
        self._original = None

    def install(self) -> None:
        from ui.urlstate import PageState

        if self._original is not None:
            return
        self._original = original = PageState.widget
        recorder = self

        def widget(state, control, *args, **kwargs):
            fresh = bool(state.fresh)  # before: a fresh run is the one seeded from the link
            try:
                shown = state.shown(control)  # a control whose `needs` are not met does not read the link
            except Exception:  # never break the page under test
                shown = False
            value = original(state, control, *args, **kwargs)
            if shown:
                try:
                    spec = keyspec(control)
                    recorder.reads.append(Read(state.page, control.url, spec, value, fresh))
                except Exception as e:
                    recorder.reads.append(Read(state.page, "?", KeySpec("?", repr(e)), value, False))
            return value

        widget.__wrapped__ = original
        PageState.widget = widget
        self._original_read = original_read = PageState.read

        def read(state, control):  # a key no widget draws (the own formula's): recorded when the link gives it
            fresh = bool(state.fresh)
            given, value = original_read(state, control)
            if given:
                recorder.reads.append(Read(state.page, control.url, keyspec(control), value, fresh))
            return given, value

        read.__wrapped__ = original_read
        PageState.read = read

    def uninstall(self) -> None:
        from ui.urlstate import PageState

        if self._original is not None:
            PageState.widget = self._original
            PageState.read = self._original_read
            self._original = None


_RECORDER: Recorder | None = None


def recorder() -> Recorder:
    global _RECORDER
    if _RECORDER is None:
        _RECORDER = Recorder()
    _RECORDER.install()
    return _RECORDER


@contextmanager
def recording() -> Iterator[Recorder]:
    """The recorder installed for the duration (tests: leave PageState as it was afterwards)."""
    rec = recorder()
    try:
        yield rec
    finally:
        rec.uninstall()


# ---------------------------------------------------------------------------------------------------------------
# the oracle: what a raw value means for a control, independently of activations/validate.py
# ---------------------------------------------------------------------------------------------------------------
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


def _loose_float(raw: str) -> float | None:
    try:
        v = float(raw.strip())
    except (ValueError, TypeError):
        return None
    return v if math.isfinite(v) else None


def _reading(spec: KeySpec, raw: str, strict: bool):
    """The control value `raw` stands for, or NO. Strict: plain ASCII numbers, exact option names, no empty or
    repeated list entries. Lenient: what Python's float() reads, case and surrounding whitespace ignored."""
    kind = spec.kind
    num = _strict_float if strict else _loose_float
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


def _same(value, reading) -> bool:
    if isinstance(reading, bool) or isinstance(value, bool):
        return value is reading
    if isinstance(reading, tuple | list):
        return (isinstance(value, tuple | list) and len(value) == len(reading)
                and all(a == b for a, b in zip(value, reading, strict=True)))
    return value == reading


# ---------------------------------------------------------------------------------------------------------------
# running and checking one URL
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class Finding:
    check: str
    key: str | None
    raw: str | None  # the key's (last) raw value, shortened for reading
    detail: str
    value: str | None = None  # the key's (last) raw value, whole


@dataclass
class Result:
    case: Case
    seconds: float
    exceptions: list[str]
    charts: int
    warning: str
    failures: list[Finding] = field(default_factory=list)
    lenient: list[Finding] = field(default_factory=list)
    needed: int = 0  # real keys whose value had to be changed (invalid, or several values)
    named: int = 0  # ... and that the warning names
    unknown: int = 0  # keys the page did not read
    unknown_named: int = 0
    real: int = 0  # keys the page read
    py_warnings: list[str] = field(default_factory=list)


UNKNOWN_LINE = re.compile(r"Ignored (?:an|\d+) unknown link parameters?:")  # ui.urlstate.UNKNOWN_KEYS, in English


def _unknown_named(key: str, line: str) -> bool:
    s = re.sub(r"[\x00-\x1f\x7f`\\]", "?", key)
    return "(empty)" in line if not s.strip() else s[:20] in line


def check(case: Case, at, reads: list[Read], seconds: float, error: str | None = None) -> Result:
    exceptions = [str(e.value) for e in at.exception] if error is None else []
    if error is not None:
        exceptions.append(error)
    try:
        warning = "\n".join(str(w.value) for w in at.warning)
        info = "\n".join(str(i.value) for i in at.info)
        charts = len(at.get("plotly_chart"))
    except Exception as e:  # a run that did not finish has no element tree
        warning, info, charts = "", "", 0
        exceptions.append(f"(no element tree: {e!r})")
    res = Result(case, seconds, exceptions, charts, warning)
    fail = res.failures.append
    if exceptions:
        fail(Finding("exception", None, None, " | ".join(x[:300] for x in exceptions)))
    if charts < 1:
        fail(Finding("no-chart", None, None, "the page drew no chart"))

    used: dict[str, Read] = {}
    for r in reads:
        if r.page == case.page and r.fresh and r.key not in used:
            used[r.key] = r
    unknown_line = next((ln for ln in warning.splitlines() if UNKNOWN_LINE.search(ln)), "")
    for key, values in case.query:
        raw = values[-1]  # st.query_params returns the last value of a repeated key
        if key.lower() in EMBED_KEYS:
            continue
        about = lambda check, detail: Finding(check, key, _short(raw, 40), detail, raw)  # noqa: B023
        if key not in used:
            res.unknown += 1
            if _unknown_named(key, unknown_line):
                res.unknown_named += 1
            else:
                fail(about("unknown-missing", "not in the 'Ignored … unknown link parameter(s)' line"))
            continue
        res.real += 1
        read = used[key]
        named = f"**{key}**" in warning
        strict, lenient = _reading(read.spec, raw, True), _reading(read.spec, raw, False)
        value = read.value
        must_name = (strict is NO and lenient is NO) or len(set(values)) > 1
        res.needed += must_name
        res.named += must_name and named
        if strict is not NO:
            if not _same(value, strict):
                fail(about("valid-rejected" if named else "silent-change",
                           f"strictly valid, read as {strict!r}, the control got {value!r}"))
        elif lenient is not NO:
            if not named:
                if _same(value, lenient):
                    res.lenient.append(about("lenient", f"accepted as {value!r}"))
                else:
                    fail(about("silent-change", f"reads as {lenient!r}, the control got {value!r}"))
        elif not named:
            fail(about("notice-missing", f"invalid, the control got {value!r}; the warning "
                       + (f"does not name it: {warning[:200]!r}" if warning else "is absent")))
        if len(set(values)) > 1 and not named:
            fail(about("repeat-dropped", f"{len(values)} values {', '.join(_short(x, 20) for x in values)}: "
                                         "the last one used, no notice"))

    notices = warning + "\n" + info
    outside = re.sub(r"`[^`]*`", "", notices)
    raw_text = "\n".join(k + "\n" + "\n".join(vs) for k, vs in case.query)
    leaked = [m for m in MARKERS if m in raw_text and m in outside]
    if leaked or notices.count("`") % 2:
        fail(Finding("markup-escape", None, None, f"outside inline code: {leaked or 'unbalanced backticks'}"))
    return res


def run_case(case: Case, rec: Recorder | None = None, timeout: float = TIMEOUT) -> Result:
    """One fresh AppTest (a new session) on the case's page with its query; the checks above."""
    from streamlit.testing.v1 import AppTest

    rec = rec or recorder()
    rec.reads = []
    t0 = time.perf_counter()
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for k, v in case.params().items():
        at.query_params[k] = v
    at.switch_page(f"views/{case.page}.py")
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            at.run()
        except Exception as e:  # a timeout, or AppTest itself failing on this input
            error = f"run() raised {type(e).__name__}: {e}"
    seconds = time.perf_counter() - t0
    reads, rec.reads = rec.reads, []
    res = check(case, at, reads, seconds, error)
    # Python warnings raised by the app's own code (e.g. NumPy's "All-NaN slice"): not failures, but worth a look
    res.py_warnings = sorted({f"{Path(w.filename).relative_to(ROOT)}:{w.lineno}: {w.category.__name__}: {w.message}"
                              for w in caught if Path(w.filename).is_relative_to(ROOT)})
    return res


# ---------------------------------------------------------------------------------------------------------------
# many URLs, optionally in two processes
# ---------------------------------------------------------------------------------------------------------------
class _NoContextWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def _quiet() -> None:
    # AppTest outside a server warns "missing ScriptRunContext" on creation: harmless, hide it. A filter, not a
    # level: Streamlit resets its loggers' levels when it (re)reads its config.
    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    if not any(isinstance(f, _NoContextWarning) for f in logger.filters):
        logger.addFilter(_NoContextWarning())


def _worker_init() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _quiet()
    recorder()
    try:
        import torch

        torch.set_num_threads(1)  # two processes on two cores: one thread each (see labs.seeding.one_thread)
    except ImportError:
        pass


def _run_one(case: Case) -> Result:
    return run_case(case)


def run_all(cases: list[Case], workers: int = 1, progress: bool = True) -> list[Result]:
    t0 = time.perf_counter()
    results: list[Result | None] = [None] * len(cases)

    def report(done: int) -> None:
        if progress and (done % 50 == 0 or done == len(cases)):
            print(f"  {done}/{len(cases)} URLs, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)

    if workers <= 1:
        _worker_init()
        for i, case in enumerate(cases):
            results[i] = run_case(case)
            report(i + 1)
        return results  # type: ignore[return-value]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = multiprocessing.get_context("spawn")
    # the slow pages first, so that the two processes end together
    slow = lab_pages()
    order = sorted(range(len(cases)), key=lambda i: cases[i].page not in slow)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init) as pool:
        futures = {pool.submit(_run_one, cases[i]): i for i in order}
        for done, fut in enumerate(as_completed(futures), 1):
            results[futures[fut]] = fut.result()
            report(done)
    return results  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------------------------
# summary
# ---------------------------------------------------------------------------------------------------------------
def summarize(results: list[Result], seconds: float) -> dict:
    pages: dict[str, dict] = {}
    for p in PAGES:
        rs = [r for r in results if r.case.page == p]
        if not rs:
            continue
        t = sorted(r.seconds for r in rs)
        pages[p] = {
            "urls": len(rs), "params": sum(len(r.case.query) for r in rs),
            "repeated_keys": sum(len(vs) > 1 for r in rs for _, vs in r.case.query),
            "real_keys": sum(r.real for r in rs), "unknown_keys": sum(r.unknown for r in rs),
            "exceptions": sum(bool(r.exceptions) for r in rs), "with_chart": sum(r.charts > 0 for r in rs),
            "notices_needed": sum(r.needed for r in rs), "notices_named": sum(r.named for r in rs),
            "unknown_named": sum(r.unknown_named for r in rs), "lenient": sum(len(r.lenient) for r in rs),
            "failed_urls": sum(bool(r.failures) for r in rs),
            "failures": dict(Counter(f.check for r in rs for f in r.failures)),
            "seconds": round(sum(t), 2), "median_s": round(t[len(t) // 2], 3), "max_s": round(t[-1], 2),
        }
    failures = [{"check": f.check, "page": r.case.page, "key": f.key, "raw": f.raw, "detail": f.detail,
                 "case": r.case.describe(), "url": r.case.url()}
                for r in results for f in r.failures]
    lenient = Counter((r.case.page, f.key, f.raw, f.detail) for r in results for f in r.lenient)
    py_warnings: dict[str, list[str]] = defaultdict(list)
    for r in results:
        for w in r.py_warnings:
            py_warnings[w].append(r.case.describe())
    return {
        "urls": len(results), "seconds": round(seconds, 1), "pages": pages,
        "exceptions": sum(bool(r.exceptions) for r in results),
        "failed_urls": sum(bool(r.failures) for r in results),
        "failures_by_check": dict(Counter(f["check"] for f in failures)),
        "failures": failures,
        "lenient": [{"page": p, "key": k, "raw": raw, "detail": d, "times": n}
                    for (p, k, raw, d), n in lenient.most_common()],
        "python_warnings": [{"warning": w, "urls": len(cs), "examples": cs[:3]} for w, cs in py_warnings.items()],
    }


def print_summary(s: dict, args) -> None:
    tot = defaultdict(int)
    print(f"\nActivation Lab URL fuzz: {s['urls']} URLs, seed {args.seed}, {args.workers} worker(s), "
          f"{s['seconds']:.1f} s wall ({s['seconds'] / max(s['urls'], 1):.2f} s/URL)")
    head = (f"{'page':18} {'URLs':>5} {'params':>6} {'real':>5} {'unkn':>5} {'rep':>4} {'exc':>4} {'chart':>6} "
            f"{'notice':>9} {'unknown':>9} {'lenient':>7} {'failed':>6} {'run s':>7} {'med s':>6} {'max s':>6}")
    print(head)
    print("-" * len(head))
    for p, d in s["pages"].items():
        print(f"{p:18} {d['urls']:>5} {d['params']:>6} {d['real_keys']:>5} {d['unknown_keys']:>5} "
              f"{d['repeated_keys']:>4} {d['exceptions']:>4} {d['with_chart']:>6} "
              f"{d['notices_named']:>4}/{d['notices_needed']:<4} {d['unknown_named']:>4}/{d['unknown_keys']:<4} "
              f"{d['lenient']:>7} {d['failed_urls']:>6} {d['seconds']:>7.1f} {d['median_s']:>6.2f} {d['max_s']:>6.1f}")
        for k in ("urls", "params", "real_keys", "unknown_keys", "repeated_keys", "exceptions", "with_chart",
                  "notices_named", "notices_needed", "unknown_named", "lenient", "failed_urls"):
            tot[k] += d[k]
        tot["seconds"] += d["seconds"]
    print("-" * len(head))
    print(f"{'all':18} {tot['urls']:>5} {tot['params']:>6} {tot['real_keys']:>5} {tot['unknown_keys']:>5} "
          f"{tot['repeated_keys']:>4} {tot['exceptions']:>4} {tot['with_chart']:>6} "
          f"{tot['notices_named']:>4}/{tot['notices_needed']:<4} {tot['unknown_named']:>4}/{tot['unknown_keys']:<4} "
          f"{tot['lenient']:>7} {tot['failed_urls']:>6} {tot['seconds']:>7.1f}")
    pct = lambda a, b: f"{100 * a / b:.1f}%" if b else "n/a"
    print(f"\nnotice coverage: invalid or repeated values of real keys named in the warning: "
          f"{tot['notices_named']}/{tot['notices_needed']} ({pct(tot['notices_named'], tot['notices_needed'])}); "
          f"unknown keys listed: {tot['unknown_named']}/{tot['unknown_keys']} "
          f"({pct(tot['unknown_named'], tot['unknown_keys'])})")
    exc = [f for f in s["failures"] if f["check"] == "exception"]
    print(f"exceptions: {len(exc)}")
    for f in exc[:50]:
        print(f"  {f['case']}\n    {f['url']}\n    {f['detail'][:500]}")
    print(f"failed checks: {s['failures_by_check'] or 'none'}")
    by_check: dict[str, list] = defaultdict(list)
    for f in s["failures"]:
        if f["check"] != "exception":
            by_check[f["check"]].append(f)
    for c, fs in by_check.items():
        pages = Counter(f["page"] for f in fs)
        print(f"  {c}: {len(fs)} on {dict(pages)}")
        seen = set()
        for f in fs:
            sig = (f["page"], f["key"], f["raw"])
            if sig in seen:
                continue
            seen.add(sig)
            if len(seen) > 6:
                print("    …")
                break
            key = _short(f["key"] or "", 40)
            print(f"    {f['page']}: {key} = {f['raw']}: {f['detail'][:220]}\n      {f['url'][:300]}")
    for w in s["python_warnings"]:
        print(f"python warning from the app ({w['urls']} URL(s)): {w['warning']}\n    e.g. {w['examples'][0]}")
    if s["lenient"]:
        print(f"lenient readings (accepted without a notice, value as read): "
              f"{sum(x['times'] for x in s['lenient'])}, e.g.")
        for x in s["lenient"][:8]:
            print(f"    {x['page']}: {x['key']} = {x['raw']} {x['detail']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1000, help="URLs in all (split over the pages)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pages", default="all", help="'all' or a comma-separated list, e.g. explorer,compare")
    ap.add_argument("--lab-count", type=int, default=None,
                    help="URLs per lab page (one with a `cost` control: it trains networks); the rest go to the "
                         "others. Default: an even split")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--json", metavar="PATH", help="save the figures, failures and lenient readings here")
    ap.add_argument("--strict", action="store_true", help="exit 1 on any failed check, not only on exceptions")
    args = ap.parse_args(argv)
    pages = PAGES if args.pages == "all" else tuple(p.strip() for p in args.pages.split(",") if p.strip())
    bad = [p for p in pages if p not in PAGES]
    if bad:
        ap.error(f"unknown page(s) {bad}; pages: {', '.join(PAGES)}")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    counts = split_count(args.count, pages, args.lab_count)
    cases = generate(counts, args.seed)
    print(f"fuzzing {len(cases)} URLs: {counts}", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    results = run_all(cases, args.workers)
    summary = summarize(results, time.perf_counter() - t0)
    summary.update(seed=args.seed, workers=args.workers, counts=counts)
    print_summary(summary, args)
    if args.json:
        summary["cases"] = [{"case": r.case.describe(), "url": r.case.url(), "seconds": round(r.seconds, 3),
                             "failures": [{**asdict(f), "value": None} for f in r.failures]} for r in results]
        Path(args.json).write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"saved {args.json}")
    if summary["exceptions"]:
        return 1
    return 1 if args.strict and summary["failed_urls"] else 0


if __name__ == "__main__":
    # Run as the module `fuzz_urls`, not `__main__`: worker processes unpickle Case, Result and _run_one by module
    # name, and AppTest replaces sys.modules["__main__"] with the app's script while it runs.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import fuzz_urls

    sys.exit(fuzz_urls.main())
