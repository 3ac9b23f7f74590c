"""Hostile page addresses: a few thousand of the URL fuzzer's generated URLs (bench.fuzz) through the pure parsers,
and one hostile link per page through the real page.

In-process, for every page: each schema's `parse_query` and the parameters of the activation(s) its pickers
picked. Every value must lie within its control's declaration, every change must come with a note that names
the URL key (the fuzzer's independent oracle says which texts are valid), every note must render in English
and in the pseudo-locale with every word inside the marks and no raw markup outside inline code, and the
values must survive encode -> parse unchanged. The bench (`python -m bench.fuzz`, 1000 URLs) runs such URLs
through AppTest; here one hostile link per page does, at the cheap end of its experiment, checked by the bench's own
checks: what only a page run shows (the page reads every key it declares, draws, and names every changed value in its
warning).
"""
from __future__ import annotations

import math
import re

import pytest
from pagekit import picked
from pseudokit import leftovers

import activations
import i18n
from bench.fuzz import check, generate, keys, oracle, record, run
from labs import catalog, pages
from labs.controls import Choice, Multi, Number, Range, Steps, Text, Toggle
from ui.address import unknown_keys_note

SEED = 0
PER_PAGE = 500  # URLs parsed per page (about 4000 in all, a second or two)
CODE = re.compile(r"`[^`]*`")
PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*(?:[:!][^{}]*)?\}")


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.activate(i18n.DEFAULT)


def within(c, v) -> bool:
    """Whether `v` is a value the control `c` can hold (its declaration's bounds, steps or options)."""
    if isinstance(c, Number):
        kind_ok = type(v) is int if c.integer else isinstance(v, int | float) and not isinstance(v, bool)
        return kind_ok and math.isfinite(v) and c.low <= v <= c.high
    if isinstance(c, Steps | Choice):
        return v in c.options
    if isinstance(c, Multi):
        return (isinstance(v, list) and 1 <= len(v) <= c.max_count and set(v) <= set(c.options)
                and len(set(v)) == len(v))
    if isinstance(c, Range):
        return (isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, float) and math.isfinite(x) for x in v)
                and c.low <= v[0] < v[1] <= c.high and v[1] - v[0] >= c.min_width - 1e-12)
    if isinstance(c, Toggle):
        return isinstance(v, bool)
    if isinstance(c, Text):
        return isinstance(v, str) and len(v) <= c.max_chars
    raise TypeError(type(c).__name__)


def rendering_problems(note, raws: list[str]) -> list[str]:
    """A note rendered in English and in the pseudo-locale: complete sentences, every word translated, the
    link's text only inside inline code."""
    out = []
    i18n.activate(i18n.DEFAULT)
    en = note.render()
    i18n.activate(i18n.PSEUDO)
    qps = note.render()
    i18n.activate(i18n.DEFAULT)
    for lang, text in (("en", en), ("qps", qps)):
        outside = CODE.sub(" ", text)
        if not text.strip() or PLACEHOLDER.search(outside):
            out.append(f"{lang}: unfilled {text!r}")
        if text.count("`") % 2:
            out.append(f"{lang}: unbalanced backticks {text!r}")
        leaked = [m for m in check.MARKERS if any(m in r for r in raws) and m in outside]
        if leaked:
            out.append(f"{lang}: raw {leaked} outside inline code: {text!r}")
    if not qps.startswith(i18n.OPEN) or leftovers(qps):
        out.append(f"qps: not translated {leftovers(qps)} in {qps!r}")
    return out


def control_problems(c, query: dict[str, str], value, note) -> list[str]:
    """One control's parsed value and note against its declaration and the fuzzer's oracle."""
    out = []
    if not within(c, value):
        out.append(f"{c.url}: {value!r} is outside the declaration")
    if c.url not in query:
        if value != c.default or note is not None:
            out.append(f"{c.url}: not in the link, but got {value!r} / {note}")
        return out
    raw = query[c.url]
    spec = keys.keyspec(c)
    strict, lenient = oracle.reading(spec, raw, True), oracle.reading(spec, raw, False)
    named = note is not None and f"**{c.url}**" in note.render()
    if strict is not oracle.NO:
        if not oracle.same(value, strict) or note is not None:
            out.append(f"{c.url}={raw!r}: valid as {strict!r}, got {value!r} / {note}")
    elif lenient is not oracle.NO:
        if not oracle.same(value, lenient):
            out.append(f"{c.url}={raw!r}: reads as {lenient!r}, got {value!r} without a note naming it")
    elif not named:
        out.append(f"{c.url}={raw!r}: invalid, got {value!r} and no note names **{c.url}**: {note}")
    if note is not None:
        out += [f"{c.url}: {p}" for p in rendering_problems(note, [raw])]
    return out


def own_declared():
    """The own activation as links may set it (a, b and c at their declared ranges), whatever the formula."""
    from dataclasses import replace

    from labs.own import DECLARED_PARAMS

    return replace(activations.get(activations.own_key("x")), params=DECLARED_PARAMS)


def case_problems(case) -> tuple[list[str], int]:
    """Everything wrong with one URL on its page, and how many notes it produced."""
    query = {k: vs[-1] for k, vs in case.query}  # the last value of a repeated key, as st.query_params has it
    out: list[str] = []
    n_notes = 0
    known: set[str] = set()
    for schema in catalog.schemas(case.page):
        values, notes = schema.parse_query(query)
        n_notes += len(notes)
        one_by_one = []
        for c in schema:
            known.add(c.url)
            value, note = c.parse(query[c.url]) if c.url in query else (c.default, None)
            one_by_one += [note] if note else []
            if value != values[c.name]:
                out.append(f"{c.url}: parse_query gave {values[c.name]!r}, the control's parse {value!r}")
            out += control_problems(c, query, values[c.name], note)
            for key in picked(c, values[c.name]):
                spec = own_declared() if key == activations.OWN else activations.get(key)
                raw_params = {}
                for p in catalog.activation_params(c, key):
                    known.add(p.url)
                    v, n = p.parse(query[p.url]) if p.url in query else (p.default, None)
                    n_notes += n is not None
                    out += control_problems(p, query, v, n)
                    if p.parse(p.encode(v)) != (v, None):
                        out.append(f"{p.url}: {v!r} does not survive encode -> parse")
                    raw_params[p.name] = v
                params, more = spec.resolve(raw_params)
                for n in more:
                    out += [f"{key} params: {p}" for p in rendering_problems(n, list(query.values()))]
                for p in spec.params:
                    ok = params[p.name] in p.choices if p.is_choice else p.low <= params[p.name] <= p.high
                    if not ok:
                        out.append(f"{key}: resolved {p.name}={params[p.name]!r} outside its range")
        if notes != one_by_one:
            out.append(f"parse_query's notes differ from the controls' own: {notes} vs {one_by_one}")
        again, notes_again = schema.parse_query(schema.encode(values))
        if again != values or notes_again:
            out.append(f"encode -> parse changed {values} to {again} ({notes_again})")
    unknown = [k for k in query if k not in known and k not in ("lang", *generate.FOCUS)
               and k.lower() not in check.EMBED_KEYS]
    if unknown:
        note = unknown_keys_note(unknown)
        text = note.render()
        missing = [k for k in unknown if not check.unknown_named(k, text)]
        if missing:
            out.append(f"unknown keys not listed: {missing} in {text!r}")
        out += rendering_problems(note, unknown)
    return out, n_notes


@pytest.fixture(scope="module")
def corpus():
    """PER_PAGE URLs per page, seeded, with no cost limit (nothing is run)."""
    return generate.generate({p: PER_PAGE for p in keys.PAGES}, SEED, cheap=False)


@pytest.mark.parametrize("page", keys.PAGES)
def test_generated_links_parse_within_the_declarations(page, corpus):
    cases = [c for c in corpus if c.page == page]
    problems, notes = [], 0
    for case in cases:
        found, n = case_problems(case)
        notes += n
        problems += [f"{case.url(60)}\n    {p}" for p in found]
    assert not problems, f"{len(problems)} problems, e.g.\n" + "\n".join(problems[:12])
    # the corpus did exercise the page: every declared key, and many notes
    declared = {c.url for s in catalog.schemas(page) for c in s}
    assert declared <= {k for c in cases for k, _ in c.query}, declared - {k for c in cases for k, _ in c.query}
    assert notes >= len(cases) / 2 or not declared, notes


# ---- one hostile link per page, through the page --------------------------------------------------------------
HOSTILE = {Number: "nan", Steps: "-1e999", Choice: "<script>alert(1)</script>", Multi: "bogus,<b>x</b>",
           Range: "1e999,abc", Toggle: "maybe", Text: "__import__('os')"}


def cheapest(c) -> str:
    """The value of a `cost` control that makes the page's experiment smallest (its lowest, or one activation)."""
    if isinstance(c, Multi):
        return c.encode(c.default[:1])
    return c.encode(min(c.options) if isinstance(c, Steps) else c.low)


def hostile_case(page: str) -> generate.Case:
    """Every always-shown control of the page given a hostile value (the first one twice), except those that set the
    size of its experiment (`cost`): their cheapest value, so the page runs in a moment. And an unknown key."""
    query: list[tuple[str, tuple[str, ...]]] = []
    repeated = False
    for c in (c for s in catalog.schemas(page) for c in s if not c.needs):
        if c.cost:
            query.append((c.url, (cheapest(c),)))
            continue
        query.append((c.url, (HOSTILE[type(c)],) if repeated else (HOSTILE[type(c)], c.encode(c.default))))
        repeated = True
    query.append(("utm_source", ("[x](javascript:alert(1))",)))
    return generate.Case(page, tuple(query))


@pytest.fixture(scope="module")
def rec():
    run.quiet()
    with record.recording() as r:
        yield r


@pytest.mark.parametrize("page", keys.PAGES)
def test_a_hostile_link_is_explained_and_the_page_still_draws(page, rec):
    res = run.run_case(hostile_case(page), rec)
    assert not res.exceptions, res.exceptions
    assert res.charts >= 1 or not pages.get(page).charts  # the list of lessons, the glossary: text
    findings = [(f.check, f.key, f.raw, f.detail) for f in res.failures]
    assert not findings, "\n".join(map(str, findings))
    assert res.unknown_named == res.unknown == 1  # the page read every key it declares, and named the one it did not
    if catalog.schemas(page):
        assert res.real >= 1 and res.named == res.needed >= 1, (res.real, res.needed, res.named)
