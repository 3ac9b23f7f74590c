"""Every word a learner reads goes through gettext: each page rendered in the pseudo-locale (every translated
message wrapped in ⟦…⟧) shows no text outside the marks but names, identifiers, numbers and math."""
import pytest
from pagekit import open_page
from pseudokit import leftovers, untranslated, visible_texts

# Each page in the states that reveal its other texts (hidden controls, notices, the RReLU band, …).
STATES = {
    "views/home.py": [{}],
    "views/explorer.py": [{}, {"fn": "rrelu", "autograd": "1"}, {"fn": "gelu", "x": "oops", "eps": "7"}],
    "views/compare.py": [{}, {"fns": "elu,zzz", "show": "df"}],
    "views/gradient_flow.py": [{}, {"init": "normal", "bias": "constant", "t.init": "normal", "depth": "999"}],
    "views/dying_relu.py": [{}, {"bias": "constant", "act": "leaky_relu"}],
    "views/self_normalizing.py": [{}, {"dropout": "alpha_dropout", "residual": "1"}],
    "views/why_nonlinear.py": [{}, {"r.mode": "hand"}],
    "views/vector.py": [{}, {"m.k": "6"}],
}
CASES = [(page, q) for page, states in STATES.items() for q in states]


@pytest.fixture(autouse=True)
def _pseudo(monkeypatch):
    monkeypatch.setenv("ACTIVATION_LAB_PSEUDO", "1")


@pytest.mark.parametrize(("page", "query"), CASES, ids=[f"{p.split('/')[-1][:-3]}-{i}" for i, (p, _) in
                                                        enumerate(CASES)])
def test_every_visible_word_is_translated(page, query):
    at = open_page(page, {"lang": "qps", **query})
    texts = visible_texts(at)
    assert sum("⟦" in t for _, t in texts) >= 5, "the pseudo-locale is not active"
    assert untranslated(at) == []


def test_the_check_finds_a_plain_string():
    assert leftovers("⟦Depth⟧ of the network") == ["of", "the", "network"]
    assert leftovers("⟦**{depth}** = `7` is outside [⟦a⟧]⟧") == []
    assert leftovers("ReLU, GELU and $\\alpha$ in `nn.ELU`") == ["and", "in"]
