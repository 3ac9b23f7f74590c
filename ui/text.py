"""Prose from assets/<lang>/: Markdown with named sections, per page and per activation.

A file is split by lines `<!-- section: name -->`; a page asks for a section by name, never by paragraph
number, so a translator may add or merge paragraphs freely. A language without a file falls back to English.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import i18n

ASSETS = Path(__file__).resolve().parent.parent / "assets"
_SECTION = re.compile(r"^<!--\s*section:\s*([\w.-]+)\s*-->\s*$", re.MULTILINE)


def parse_sections(text: str) -> dict[str, str]:
    """A Markdown file's named sections, in order (text before the first marker under the name "")."""
    parts = _SECTION.split(text)
    out = {"": parts[0].strip()} if parts[0].strip() else {}
    for sec, body in zip(parts[1::2], parts[2::2], strict=True):
        out[sec] = body.strip()
    return out


@cache
def _sections(lang: str, kind: str, name: str) -> dict[str, str]:
    path = ASSETS / lang / kind / f"{name}.md"
    return parse_sections(path.read_text(encoding="utf-8")) if path.exists() else {}


def section(kind: str, name: str, sec: str) -> str:
    """Section `sec` of assets/<lang>/<kind>/<name>.md in the current language ('' if it does not exist)."""
    lang = i18n.current()
    found = _sections("en" if lang == i18n.PSEUDO else lang, kind, name).get(sec)
    if found is None:
        found = _sections(i18n.DEFAULT, kind, name).get(sec, "")
    return f"{i18n.OPEN}{found}{i18n.CLOSE}" if lang == i18n.PSEUDO and found else found


def sections(kind: str, name: str) -> tuple[str, ...]:
    """The section names of a document (in English, the reference)."""
    return tuple(_sections(i18n.DEFAULT, kind, name))


def page_text(page: str, sec: str) -> str:
    return section("pages", page, sec)


def activation_note(key: str) -> tuple[str, str]:
    """(one-line summary, the notes) of an activation."""
    return section("activations", key, "summary"), section("activations", key, "notes")


@cache
def source_of(key: str) -> str:
    """The NumPy source of f and f' for the "show the code" expander (read once per process)."""
    import inspect

    import activations

    spec = activations.get(key)
    return inspect.getsource(spec.f) + "\n\n" + inspect.getsource(spec.df)
