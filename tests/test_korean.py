"""Every page in Korean: no exception, and no English sentence left on screen (three or more English words in a
row outside code, identifiers, names and math). The pseudo-locale test's twin, with the real catalog."""
import re

import pytest
from pagekit import open_page
from pseudokit import STRIP, allowed_words, visible_texts
from test_pseudo_locale import STATES

import i18n

# Each page's plain view and its most revealing state (the last one listed): the catalog test already holds every
# message to a translation, so this checks what reaches the screen from elsewhere (assets, names, formatting).
CASES = [(page.partition("#")[0], q) for page, states in STATES.items()
         for q in ([states[0], states[-1]] if len(states) > 1 else states)]
RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z][A-Za-z'’-]*){2,}")  # 3+ Latin words in a row


ITALIC = re.compile(r"(?<![*\w])\*[^*\n]+\*(?![*\w])|(?<!\w)_[^_\n]+_(?!\w)")  # paper titles stay as published
REFERENCE = re.compile(r"^.*\(\d{4}[a-z]?\)[.,].*$", re.M)  # a citation line: authors (year). Title. Venue.


# Names of models and citations read the same in Korean texts
NAMES = {"BERT", "GPT", "ViT", "LLaMA", "PaLM", "Mistral", "MobileNet", "MobileNetV", "et", "al"}


def english_runs(text: str, allowed: set[str]) -> list[str]:
    allowed = allowed | NAMES
    rest = REFERENCE.sub(" ", ITALIC.sub(" ", text))
    for pattern in STRIP:
        rest = pattern.sub(" ", rest)
    # names and identifiers (ReLU, nn.Linear, clip_grad_norm_) are not English words
    rest = " ".join("·" if (w.strip(".,:;()[]") in allowed or "_" in w or "." in w.strip(".")) else w
                    for w in rest.split())
    return RUN.findall(rest)


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.activate(i18n.DEFAULT)  # the test thread's language must not leak into the next test


def test_the_check_finds_an_english_sentence():
    allowed = allowed_words()
    assert english_runs("기울기 소실: the gradient vanishes here", allowed) == ["the gradient vanishes here"]
    assert english_runs("ReLU, GELU and SELU: `nn.ReLU` $f(x)$ 입니다", allowed) == []


@pytest.mark.parametrize(("page", "query"), CASES, ids=[f"{p.split('/')[-1][:-3]}-{i}" for i, (p, _) in
                                                        enumerate(CASES)])
def test_every_page_reads_in_korean(page, query):
    at = open_page(page, {"lang": "ko", **query})
    i18n.activate("ko")  # AppTest formats option labels in the test's thread
    allowed = allowed_words()
    texts = visible_texts(at)
    assert any(re.search("[가-힣]", t) for _, t in texts)
    found = [f"{where}: {text[:90]!r} -> {runs}" for where, text in texts if (runs := english_runs(text, allowed))]
    assert found == []
