"""Seeded URLs for each page: its real keys and unknown ones, valid values mixed with near misses and the hostile
corpus; a key that sets the size of a training run (`cost`) keeps to its cheap end when the page is to be run."""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from labs import pages

from .corpus import HOSTILE, LONG, UNKNOWN_KEYS
from .keys import PAGES, KeySpec, lab_pages, schemas
from .oracle import loose_float

MAX_PARAMS = 8
FOCUS_SHARE = 0.2  # the URLs that also hide or lock controls (hide=, lock=)
FOCUS = ("hide", "lock")  # not controls: the page's focus (ui.address.HIDE, LOCK)


@dataclass(frozen=True)
class Case:
    page: str
    query: tuple[tuple[str, tuple[str, ...]], ...]  # (key, values): more than one value = a repeated key

    def params(self) -> dict[str, str | list[str]]:
        """What AppTest.query_params takes: a list for a repeated key."""
        return {k: (list(vs) if len(vs) > 1 else vs[0]) for k, vs in self.query}

    def url(self, limit: int | None = 80) -> str:
        """The address, with values longer than `limit` written as <'x' * 10240> (limit=None: exact)."""
        cut = lambda t: t if limit is None or len(t) <= limit else f"<{short(t).replace(' * ', '*')}>"
        pairs = [(cut(k), cut(val)) for k, vs in self.query for val in vs]
        path = pages.get(self.page).path
        return f"{path}?{urlencode(pairs, safe=_URL_SAFE)}" if pairs else path

    def describe(self) -> str:
        """page + the query as Python: a failing URL, precisely, long values as 'x' * 10240."""
        body = ", ".join(f"{short(k)}: " + (f"[{', '.join(short(x) for x in vs)}]" if len(vs) > 1 else short(vs[0]))
                         for k, vs in self.query)
        return f"{self.page} {{{body}}}"


_URL_SAFE = "<>*()'"  # keep the <'x' * 10240> placeholders readable


def short(val: str, limit: int = 80) -> str:
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
        x = loose_float(v)
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
        x = loose_float(v)
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
    if rng.random() < FOCUS_SHARE:  # a teacher's focus link, well or badly made (ui.address.focus_keys)
        for focus in ("hide", "lock"):
            if rng.random() < 0.6:
                names = [rng.choice(own) if own and rng.random() < 0.6 else
                         rng.choice(others) if others and rng.random() < 0.5 else _hostile(rng)
                         for _ in range(rng.randint(1, 4))]
                q[focus] = (",".join(names),)
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
