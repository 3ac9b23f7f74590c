"""The catalogs are complete and true to the code: every message extracted, every Korean translation present,
with the same placeholders and markup; every English text in assets/ has its Korean twin, section by section."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import i18n

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [code for code in i18n.languages() if code != i18n.DEFAULT]
# What must survive translation unchanged, counted: Python and Plotly placeholders, code, math, bold, HTML.
MARKUP = {
    "placeholder": re.compile(r"(?<!%)\{[^{}]*\}"), "plotly": re.compile(r"%\{[^}]*\}"),
    "code": re.compile(r"`[^`]*`"), "math": re.compile(r"\$[^$]*\$"), "bold": re.compile(r"\*\*"),
    "html": re.compile(r"</?[a-z]+[^>]*>"),
}
LETTERS = re.compile(r"[A-Za-z]{3,}")
# Markdown does not close bold after punctuation (`$`, a backtick, a bracket) when a letter follows at once, as
# Korean particles do ("**$f$**입니다"): the page would show the asterisks.
UNCLOSED_BOLD = re.compile(r"[$`)\]'\".,:;!?]\*\*(?=[가-힣])")


def catalog(code: str):
    with (ROOT / "locales" / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=code)


def test_the_template_holds_every_message_of_the_code():
    out = subprocess.run([sys.executable, "scripts/i18n.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_korean_is_a_language_of_the_app():
    assert "ko" in i18n.languages()
    assert i18n.language_name("ko") == "한국어"


def _counts(text: str) -> dict[str, list[str]]:
    return {k: sorted(p.findall(text)) for k, p in MARKUP.items() if k != "code"} | {
        "code": sorted(MARKUP["code"].findall(text))}


def _identifier_only(text: str) -> bool:
    """Text with no word to translate: placeholders, code, math, symbols and names only."""
    from pseudokit import leftovers

    return not leftovers(re.sub(r"%?\{[^{}]*\}", " ", text))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(code):
    template = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog("en") if m.id}
    problems = []
    cat = catalog(code)
    seen = set()
    for m in cat:
        if not m.id:
            continue
        singular = m.id if isinstance(m.id, str) else m.id[0]
        seen.add(singular)
        forms = [m.string] if isinstance(m.id, str) else list(m.string)
        if m.fuzzy or not all(forms):
            problems.append(f"untranslated: {singular[:70]!r}")
            continue
        source = singular if isinstance(m.id, str) else m.id[1]
        for form in forms:
            if UNCLOSED_BOLD.search(form):
                problems.append(f"bold that Markdown will not close: {form[:60]!r}")
            if _counts(form) != _counts(source):
                problems.append(f"markup differs: {singular[:60]!r} -> {form[:60]!r}")
            if form == source and not _identifier_only(source):
                problems.append(f"English copy: {singular[:70]!r}")
    problems += [f"not in the {code} catalog: {t[:70]!r}" for t in sorted(template - seen)]
    assert problems == []


def _sections(path: Path) -> dict[str, str]:
    from ui.text import parse_sections

    return parse_sections(path.read_text(encoding="utf-8"))


ENGLISH_ASSETS = sorted((ROOT / "assets" / "en").rglob("*.md"))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_english_text_has_its_twin_with_the_same_sections(code):
    problems = []
    for en in ENGLISH_ASSETS:
        twin = ROOT / "assets" / code / en.relative_to(ROOT / "assets" / "en")
        if not twin.exists():
            problems.append(f"missing: {twin.relative_to(ROOT)}")
            continue
        a, b = _sections(en), _sections(twin)
        if list(a) != list(b):
            problems.append(f"{twin.relative_to(ROOT)}: sections {list(b)} != {list(a)}")
            continue
        for name in a:
            if UNCLOSED_BOLD.search(b[name]):
                problems.append(f"{twin.relative_to(ROOT)} [{name}]: bold that Markdown will not close")
            if not b[name] or b[name] == a[name]:
                problems.append(f"{twin.relative_to(ROOT)} [{name}]: empty or an English copy")
            elif set(MARKUP["math"].findall(a[name])) - set(MARKUP["math"].findall(b[name])):
                problems.append(f"{twin.relative_to(ROOT)} [{name}]: a formula of the English text is missing")
    assert problems == []
