"""Fuzzed page addresses on every page: a prefix of bench/fuzz_urls.py's URLs, run and checked the same way.

The bench runs 1000 URLs (`python bench/fuzz_urls.py`); this runs the first URLs of the same seeded streams:
40 on each cheap page, 8 on each lab page that trains networks. Any finding fails the test: the four the fuzzer
found (an empty list, repeated keys, Home ignoring parameters, more than 8 unknown keys) are fixed, and each has
its own test in tests/test_pages.py or below.
"""
from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("fuzz_urls", ROOT / "bench" / "fuzz_urls.py")
fuzz = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("fuzz_urls", fuzz)  # dataclasses look their module up while the file runs
_spec.loader.exec_module(fuzz)

SEED = 0
SAMPLE = {"home": 40, "explorer": 40, "compare": 40, "vector": 40, "why_nonlinear": 40,
          "gradient_flow": 8, "dying_relu": 8, "self_normalizing": 8}


@pytest.fixture(scope="module")
def rec():
    fuzz._quiet()
    with fuzz.recording() as r:
        yield r


# ---- the generator ------------------------------------------------------------------------------------------------
def test_generator_is_seeded_and_stable_per_page():
    a = fuzz.generate(SAMPLE, SEED)
    assert a == fuzz.generate(SAMPLE, SEED)
    assert a != fuzz.generate(SAMPLE, SEED + 1)
    # a page's first URLs do not depend on how many the other pages get: the test runs a prefix of the bench
    full = fuzz.generate(fuzz.split_count(1000, fuzz.PAGES), SEED)
    for page, n in SAMPLE.items():
        assert [c for c in a if c.page == page] == [c for c in full if c.page == page][:n]
    assert fuzz.split_count(1000, fuzz.PAGES) == {p: 125 for p in fuzz.PAGES}
    assert all(v >= 50 for v in fuzz.split_count(1000, fuzz.PAGES, lab_count=50).values())


def test_generator_mixes_real_unknown_hostile_and_repeated():
    cases = fuzz.generate({p: 125 for p in fuzz.PAGES}, SEED)
    schemas = fuzz.schemas()
    assert all(0 <= len(c.query) <= fuzz.MAX_PARAMS for c in cases)
    assert {len(c.query) for c in cases} == set(range(fuzz.MAX_PARAMS + 1))
    values = {v for c in cases for _, vs in c.query for v in vs}
    for must in ("", " ", "nan", "-nan", "inf", "-inf", "1e999", "-1e999", "1e-400", "0x1F", "1_000", "١٢٣", "١e5",
                 "<script>alert(1)</script>", "[x](javascript:alert(1))", "`code`", "**bold**", "$\\frac{1}{0}$",
                 "%00", "\x00", "\\x00", "../../etc/passwd", "a,b,c", ",,,", "1,2,3"):
        assert must in values, must
    assert any(len(v) >= 10_000 for v in values) and any(ord(ch) > 0xFFFF for v in values for ch in v)
    assert any(len(vs) > 1 for c in cases for _, vs in c.query)  # repeated keys
    for page in fuzz.PAGES:
        own = {s.key for s in schemas[page]}
        keys = [k for c in cases if c.page == page for k, _ in c.query]
        assert any(k not in own for k in keys), page  # unknown keys
        assert any("." in k or "[" in k for k in keys if k not in own), page
        if own:
            assert len(own & set(keys)) >= 0.8 * len({s.key for s in schemas[page] if s.weight == 1}), page


def test_generator_knows_every_url_key_of_every_view():
    pages = re.findall(r'st\.Page\("views/(\w+)\.py"', (ROOT / "app.py").read_text(encoding="utf-8"))
    assert sorted(pages) == sorted(fuzz.PAGES)
    schemas = fuzz.schemas()
    for page in fuzz.PAGES:
        tree = ast.parse((ROOT / "views" / f"{page}.py").read_text(encoding="utf-8"))
        literal = {
            node.args[1].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in fuzz.WIDGETS
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "state"
            and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
        }
        assert literal <= {s.key for s in schemas[page]}, (page, literal - {s.key for s in schemas[page]})


def test_oracle_readings():
    f = {"kind": "float", "low": 0.0, "high": 3.0}
    assert fuzz._reading(f, "1.5", True) == 1.5 and fuzz._reading(f, "1e-400", True) == 0.0
    for raw in ("nan", "inf", "1e999", "0x1F", "١٢٣", "1_0", "-0.1", "", " "):
        assert fuzz._reading(f, raw, True) is fuzz.NO, raw
    assert fuzz._reading(f, "١", False) == 1.0 and fuzz._reading(f, "\xa02\xa0", False) == 2.0
    c = {"kind": "choices", "options": ("relu", "tanh", "elu"), "max_count": 2}
    assert fuzz._reading(c, "relu,tanh", True) == ["relu", "tanh"]
    assert fuzz._reading(c, "relu,relu", True) is fuzz.NO and fuzz._reading(c, "relu,relu", False) == ["relu"]
    assert fuzz._reading(c, ",,,", False) is fuzz.NO and fuzz._reading(c, "relu,tanh,elu", False) is fuzz.NO
    r = {"kind": "range", "low": -50.0, "high": 50.0, "min_width": 0.5}
    assert fuzz._reading(r, "-3,3", True) == (-3.0, 3.0)
    assert all(fuzz._reading(r, x, False) is fuzz.NO for x in ("3,-3", "1,1.2", "1,2,3", "7"))


# ---- the pages ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", list(SAMPLE))
def test_fuzzed_links(page, rec):
    cases = fuzz.generate({page: SAMPLE[page]}, SEED)
    results = [fuzz.run_case(c, rec) for c in cases]
    exceptions = [(r.case.describe(), r.exceptions) for r in results if r.exceptions]
    assert not exceptions
    assert all(r.charts >= 1 for r in results)
    findings = [(f.check, r.case.describe(), f.key, f.raw, f.detail) for r in results for f in r.failures]
    assert not findings, "\n".join(map(str, findings))
    if page != "home":  # the sample did exercise the notices
        assert sum(r.needed for r in results) > 0 and sum(r.unknown for r in results) > 0


def _raise(*args):
    raise ValueError("planted")


PLANTED = [  # (what urlvalues does instead, the link, the check that must catch it)
    ("parse_float", lambda name, raw, low, high, default: (min(max(float(raw), low), high), None),
     (("fn", ("elu",)), ("alpha", ("7",))), "notice-missing"),
    ("parse_choice", lambda name, raw, options, default: (default, None), (("fn", ("relu",)),), "silent-change"),
    ("shown", lambda raw: str(raw), (("fn", ("[x](javascript:alert(1))",)),), "markup-escape"),
    ("parse_bool", _raise, (("autograd", ("1",)),), "exception"),
]


@pytest.mark.parametrize("name,fake,query,check", PLANTED, ids=[p[3] for p in PLANTED])
def test_the_checks_catch_planted_bugs(name, fake, query, check, rec, monkeypatch):
    from activations import urlvalues

    monkeypatch.setattr(urlvalues, name, fake)
    res = fuzz.run_case(fuzz.Case("explorer", query), rec)
    assert check in {f.check for f in res.failures}, res.failures
