"""Every word a learner reads goes through gettext: each page rendered in the pseudo-locale (every translated
message wrapped in ⟦…⟧) shows no text outside the marks but names, identifiers, numbers and math. The same page runs
check that every control drawn has a tooltip and every preset button says what it sets (test_controls_help)."""
from functools import cache
from pathlib import Path

import pytest
from pagekit import open_page
from pseudokit import leftovers, untranslated, visible_texts
from test_controls_help import page_tooltip_problems
from test_warmup import asked_for, warmup_problems

import i18n
from labs import pages

# Each page in the states that reveal its other texts (hidden controls, notices, the RReLU band, …).
STATES = {
    "views/home.py": [{}, {"fn": "relu", "utm_source": "x"}],
    # the list; a step's question; a step without one (the lab's section at once); a hostile link's notices
    "views/lessons.py": [{}, {"lesson": "dying-relu", "step": "1"}, {"lesson": "nonlinear", "step": "4"},
                         {"lesson": "choosing", "step": "99", "hide": "lr"}],
    "views/explorer.py": [{}, {"fn": "rrelu", "autograd": "1", "lower": "0.5", "upper": "0.1"},
                          {"fn": "gelu", "x": "oops", "eps": "7"}, {"fn": "relu", "alpha": "2", "x": "3,-3"}],
    "views/compare.py": [{}, {"fns": "elu,zzz", "show": "df"},
                         {"fns": "rrelu,gelu,hardtanh,threshold,swish", "show": "both", "x": "9,1",
                          "rrelu.lower": "0.5", "rrelu.upper": "0.1"}],
    "views/gradient_flow.py": [
        {}, {"init": "normal", "bias": "constant", "t.init": "normal", "depth": "999"},
        # underflowed layers, the zeros and leaky gain notes; then float32 overflow notes and "not finite" captions
        {"init": "zeros", "act": "leaky_relu", "t.init": "kaiming_uniform", "t.act": "tanh"},
        {"init": "normal", "sigma": "10", "depth": "100", "width": "8", "act": "gelu", "t.lr": "1.0",
         "t.sigma": "10.0"},
    ],
    # the hidden bias value and a parameter slider; then a run that diverges (LeakyReLU at SGD lr 10), RReLU's
    # slopes and a hostile link's notices (the sweep's texts are checked in test_lab_pages, after a run of it)
    "views/dying_relu.py": [{}, {"bias": "constant", "act": "leaky_relu"},
                            {"act": "leaky_relu", "lr": "1e999", "learned": "rrelu", "data": "mnist", "opt": "nope"}],
    "views/self_normalizing.py": [{}, {"dropout": "alpha_dropout", "residual": "1"},
                                  {"init": "xavier_normal", "depth": "2.5", "acts": "selu,zzz"}],
    "views/why_nonlinear.py": [{}, {"r.mode": "hand", "z.lr": "10", "x.depth": "1", "c.seed": "x"}],
    "views/vector.py": [{}, {"m.k": "6", "m.preset": "Leaky ReLU 0.1", "T": "nan"}],
    # the own activation: its page with an example (its origin), with gaps (their sentences and legend), with a
    # refused link; then the labs with a formula that is undefined for half the inputs
    "views/own.py": [{}, {"formula": "x + sin(a*x)**2/a", "range.a": "0,3"},
                     {"formula": "log(x) + abs(b)", "autograd": "1"}, {"formula": "__import__('os')", "x": "1,1"}],
    # the race: its verdict, ranking, charts and table; then notices of a hostile link, chance and divergence
    "views/real_data.py": [{"seeds": "2", "epochs": "2"},
                           {"lr": "3.0", "acts": "relu,sigmoid,bogus", "seeds": "1", "epochs": "2", "depth": "99"}],
    "views/glossary.py": [{}],
    "views/gradient_flow.py#own": [{"act": "own", "formula": "log(x)", "t.act": "own"}],
    "views/self_normalizing.py#own": [{"acts": "selu,own", "formula": "sqrt(x)"}],
}
CASES = [(page.partition("#")[0], q) for page, states in STATES.items() for q in states]
assert {p.partition("#")[0] for p in STATES} == {p.view for p in pages.PAGES}, "states for every page of labs.pages"


@cache
def template() -> set[tuple[str | None, str]]:
    """(context, msgid) of every message in locales/messages.pot."""
    from babel.messages.pofile import read_po

    with (Path(__file__).resolve().parent.parent / "locales" / "messages.pot").open("rb") as f:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(f) if m.id}


@pytest.fixture(autouse=True)
def _pseudo(monkeypatch):
    monkeypatch.setenv("ACTIVATION_LAB_PSEUDO", "1")


@pytest.mark.parametrize(("page", "query"), CASES, ids=[f"{p.split('/')[-1][:-3]}-{i}" for i, (p, _) in
                                                        enumerate(CASES)])
def test_every_visible_word_is_translated(page, query, monkeypatch):
    with asked_for(monkeypatch) as seen:
        at = open_page(page, {"lang": "qps", **query})
    texts = visible_texts(at)
    assert sum("⟦" in t for _, t in texts) >= 5, "the pseudo-locale is not active"
    assert untranslated(at) == []
    key = next(p.key for p in pages.PAGES if p.view == page)
    assert page_tooltip_problems(at, key, i18n.translations(i18n.PSEUDO).gettext) == []
    if query == STATES[page][0]:  # a lab at its defaults: what the server's warm-up computes for it (test_warmup)
        assert warmup_problems(key, query, seen) == []
    # What this process has translated so far (this page and any run before it) was extracted by Babel
    # (scripts/i18n.py), so translators have it: a message built where extraction cannot see it (inside an
    # f-string, from a variable that was never marked) is caught here, whichever test ran first.
    assert sorted(i18n.SEEN - template(), key=str) == []


def test_the_check_finds_a_plain_string():
    assert leftovers("⟦Depth⟧ of the network") == ["of", "the", "network"]
    assert leftovers("⟦**{depth}** = `7` is outside [⟦a⟧]⟧") == []
    assert leftovers("ReLU, GELU and $\\alpha$ in `nn.ELU`") == ["and", "in"]
