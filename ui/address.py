"""A page's address without widgets (TensorFlow Playground's state.ts): query text in, control values and notes
out, values back to query text. No Streamlit here: ui.urlstate binds it to the session and the widgets.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from activations import validate
from i18n import N_, Nn_, Note, Raw, shown_raw
from labs.controls import Control

LANG = "lang"  # the language is the app's, not the page's (ui.lang reads it)
HIDE, LOCK = "hide", "lock"  # focus links: controls a teacher's link hides or locks (TensorFlow Playground's *_hide)
FOCUS_KEYS_MAX = 64  # a link may name this many keys to hide or lock; more are ignored (with the unknown ones)
NOT_FOCUSED = Nn_("This link hides or locks a control this page does not have: {keys} (ignored).",
                  "This link hides or locks {n} controls this page does not have: {keys} (ignored).")
UNKNOWN_KEYS = Nn_("Ignored an unknown link parameter: {keys}.", "Ignored {n} unknown link parameters: {keys}.")
MORE_KEYS = N_("{keys} and {count} more")


class Link:
    """The query of the link a page is entered by: each key's last value (as st.query_params gives it) and how
    many values the keys given more than once had; `lang` is left to ui.lang."""

    def __init__(self, params: Mapping[str, Sequence[str]]):
        self.query: dict[str, str] = {}
        self.repeated: dict[str, int] = {}
        self.hide = focus_keys(params.get(HIDE, ()))
        self.lock = focus_keys(params.get(LOCK, ()))
        for key, values in params.items():
            if key in (LANG, HIDE, LOCK):
                continue
            self.query[key] = values[-1] if values else ""
            if len(values) > 1:
                self.repeated[key] = len(values)

    def __bool__(self) -> bool:
        return bool(self.query or self.hide or self.lock)

    def value(self, control: Control) -> tuple[bool, Any, list[Note]]:
        """(given, value, notes): the link's value for `control`, parsed and checked by its declaration, with the
        notes a learner reads about it (a changed value, a repeated key), or its default when the link is silent."""
        url_key = control.url
        if url_key not in self.query:
            return False, control.default, []
        value, note = control.parse(self.query[url_key])
        notes = [note] if note else []
        if url_key in self.repeated:
            notes.append(Note.of(validate.REPEATED, name=url_key, count=self.repeated[url_key],
                                 raw=Raw(self.query[url_key])))
        return True, value, notes

    def peek(self, control: Control) -> Any:
        """The value `control` takes from this link, without its notes."""
        return control.parse(self.query[control.url])[0] if control.url in self.query else control.default

    def unknown(self, read: Collection[str]) -> list[str]:
        """The link's keys the page did not read (`read`: the keys it did), in the link's order."""
        return [k for k in self.query if k not in read]


def focus_keys(values: Sequence[str]) -> tuple[str, ...]:
    """The URL keys a `hide=` or `lock=` names: comma-separated, in every value given, each once, at most
    FOCUS_KEYS_MAX of them (a hostile link cannot make a page check thousands)."""
    out: dict[str, None] = {}
    for value in values:
        for key in str(value).split(","):
            key = key.strip()
            if key and len(out) < FOCUS_KEYS_MAX:
                out[key[:64]] = None
    return tuple(out)


def focus_query(hide: Collection[str], lock: Collection[str]) -> dict[str, str]:
    """hide= and lock= as the address writes them back (a focused view stays focused when its link is shared)."""
    return {k: ",".join(sorted(v)) for k, v in ((HIDE, hide), (LOCK, lock)) if v}


def not_focused_note(keys: Sequence[str]) -> Note:
    shown = ", ".join(shown_raw(k) for k in keys[:8])
    if len(keys) > 8:
        shown = Note.of(MORE_KEYS, keys=shown, count=len(keys) - 8)
    return Note.count(NOT_FOCUSED, len(keys), keys=shown)


def encoded(control: Control, value: Any) -> str | None:
    """`value` as the address writes it, or None at the control's default (a link names only what differs)."""
    return None if value == control.default else control.encode(value)


def address(values: Mapping[str, str], lang: str | None) -> dict[str, str]:
    """The query the address bar shows: the page's keys, then the language when the learner chose one."""
    return {**values, LANG: lang} if lang else dict(values)


def unknown_keys_note(unknown: Sequence[str]) -> Note:
    """The note listing the keys a page ignored (the first eight, then how many more)."""
    keys = ", ".join(shown_raw(k) for k in unknown[:8])
    if len(unknown) > 8:
        keys = Note.of(MORE_KEYS, keys=keys, count=len(unknown) - 8)
    return Note.count(UNKNOWN_KEYS, len(unknown), keys=keys)
