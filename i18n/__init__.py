"""Translation for every string a learner reads: gettext catalogs (Babel), one translator per session.

Streamlit serves each session from its own thread, so the active translator is a ContextVar set at the start
of every run and every fragment rerun (ui.lang does it), never `gettext.install()` (one global for all users).

- `_`, `ngettext`, `pgettext`: translate now (ui/, views/, charts/).
- `N_`: mark a message for extraction without translating it (the registry and labs stay locale-free).
- `Note`: what the core and labs return instead of a sentence: a message id and its values; `render()` makes
  the sentence in the learner's language, with numbers formatted for the locale (`i18n.numbers`).
- `_f`: translate and fill placeholders with locale-formatted numbers in one step.
"""
from __future__ import annotations

import gettext
import io
import string
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
DOMAIN = "messages"
DEFAULT = "en"
# A pseudo-locale for tests and translators: every translated message comes back wrapped in ⟦…⟧, so text that
# reaches the screen without passing through gettext stands out. Never offered in the language switch.
PSEUDO = "qps"
OPEN, CLOSE = "⟦", "⟧"


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated where it is shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for extraction (ngettext picks one where it is shown)."""
    return singular, plural


@cache
def languages() -> tuple[str, ...]:
    """Every language with a catalog in locales/, English first: adding a language is a catalog, no code."""
    found = sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (DEFAULT, *(code for code in found if code != DEFAULT))


def language_name(code: str) -> str:
    """The language's own name for itself ("English", "한국어"), from Babel's locale data."""
    from babel import Locale

    return Locale.parse(code).get_display_name(code).capitalize() if code != PSEUDO else "Pseudo"


# Every message the pseudo-locale translated: the tests check that each one is in the extracted template (a
# message Babel cannot see, such as one written inside an f-string, would reach no translator).
SEEN: set[tuple[str | None, str]] = set()


class _Pseudo(gettext.NullTranslations):
    def gettext(self, message):
        SEEN.add((None, message))
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular, plural, n):
        SEEN.add((None, singular))
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"

    def pgettext(self, context, message):
        SEEN.add((context, message))
        return f"{OPEN}{message}{CLOSE}"

    def npgettext(self, context, singular, plural, n):
        return self.ngettext(singular, plural, n)


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalog of `code`, compiled in memory from its .po (no build step to forget); English is the msgids."""
    if code == PSEUDO:
        return _Pseudo()
    if code == DEFAULT:  # the msgids are the English text: reading en.po (~85 ms at start-up) would change nothing
        return gettext.NullTranslations()
    po = LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale=code, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


_lang: ContextVar[str] = ContextVar("activation_lab_lang", default=DEFAULT)


def activate(code: str) -> None:
    """Use `code` for everything translated in this thread's current run."""
    _lang.set(code if code in languages() or code == PSEUDO else DEFAULT)


def current() -> str:
    return _lang.get()


def _(message: str) -> str:
    return translations(_lang.get()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_lang.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(_lang.get()).pgettext(context, message)


class _LocaleFormatter(string.Formatter):
    """str.format, with numbers written in the current locale's symbols (i18n.numbers)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        from .numbers import localize

        if isinstance(value, bool) or not isinstance(value, int | float):
            return super().format_field(value, format_spec)
        return localize(format(value, format_spec or ("d" if isinstance(value, int) else "g")))


_FORMATTER = _LocaleFormatter()


def fill(template: str, **values: Any) -> str:
    """`template.format(**values)` with locale-formatted numbers; Notes and Raw values rendered."""
    return _FORMATTER.vformat(template, (), {k: _shown(v) for k, v in values.items()})


def _f(message: str, **values: Any) -> str:
    """Translate `message`, then fill its named placeholders."""
    return fill(_(message), **values)


# ---- messages returned by code that does not know the language ------------------------------------------------
@dataclass(frozen=True)
class Raw:
    """A piece of untrusted text (a URL value) to quote as given: rendered as inline code, safely."""

    text: str


@dataclass(frozen=True)
class Msg:
    """A message id used as a value inside another message (a control's label, an option's name)."""

    msgid: str


@dataclass(frozen=True)
class Note:
    """A message for the learner, before translation: its id (an N_-marked template) and its values."""

    msgid: str
    values: tuple[tuple[str, Any], ...] = ()
    plural: str = ""  # with `n`: the plural form (ngettext chooses)
    n: int = 1

    @classmethod
    def of(cls, msgid: str, **values: Any) -> Note:
        return cls(msgid, tuple(values.items()))

    @classmethod
    def count(cls, forms: tuple[str, str], n: int, **values: Any) -> Note:
        """A message with singular and plural forms (an Nn_ pair); `{n}` is the count."""
        return cls(forms[0], tuple({"n": n, **values}.items()), forms[1], n)

    def render(self) -> str:
        if self.plural:
            return fill(ngettext(self.msgid, self.plural, self.n), **dict(self.values))
        return _f(self.msgid, **dict(self.values))

    def __str__(self) -> str:  # English, for logs and assertion messages
        return self.render()


MAX_SHOWN = 40


def shown_raw(raw: object) -> str:
    """Untrusted text made safe inside Markdown inline code: no backticks or control characters, short."""
    import re

    s = re.sub(r"[\x00-\x1f\x7f`\\]", "?", str(raw))
    if len(s) > MAX_SHOWN:
        s = s[: MAX_SHOWN - 1] + "…"
    return f"`{s}`" if s.strip() else _("(empty)")


def _shown(value: Any) -> Any:
    if isinstance(value, Raw):
        return shown_raw(value.text)
    if isinstance(value, Msg):
        return _(value.msgid)
    if isinstance(value, Note):
        return value.render()
    return value


def render(note: Note | str) -> str:
    """A Note in the learner's language (a plain str passes through: already translated by the caller)."""
    return note.render() if isinstance(note, Note) else note
