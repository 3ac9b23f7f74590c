"""Which language this session reads: the link's ?lang=, else the learner's last choice, else the browser's.

Called at the top of every run (app.py) and of every fragment rerun (PageState.section), because the active
translator is per thread (i18n) and a fragment may rerun on a new thread.
"""
from __future__ import annotations

import streamlit as st

import i18n
from i18n import N_, Note, Raw

KEY = "_lang"  # session_state: the language in use, once known
_SEEN = "_lang_seen"  # the last ?lang= value read from a link
_NOTES = "_lang_notes"
UNKNOWN_LANG = N_("**lang** = {raw} is not a language of this app ({choices}): used English.")


def _allowed() -> tuple[str, ...]:
    import os

    extra = (i18n.PSEUDO,) if os.environ.get("ACTIVATION_LAB_PSEUDO") == "1" else ()
    return (*i18n.languages(), *extra)


def from_browser() -> str:
    """The first language of the browser's locale that we have ("ko-KR" -> "ko"), else English."""
    try:
        locale = st.context.locale or ""
    except Exception:  # no browser (AppTest without a locale): the default
        locale = ""
    code = locale.replace("_", "-").split("-")[0].lower()
    return code if code in i18n.languages() else i18n.DEFAULT


def choose() -> str:
    """Decide the language for this run, activate it and return it.

    The link's ?lang= is read when it is new to this session (a link opened, a page switched with it), not on
    every rerun: otherwise the link's language would undo the learner's choice in the switch."""
    ss = st.session_state
    raw = st.query_params.get_all("lang")
    if raw and raw[-1] != ss.get(_SEEN):
        ss[_SEEN] = raw[-1]
        wanted = raw[-1].strip().lower()
        if wanted in _allowed():
            ss[KEY] = wanted
        else:
            ss[KEY] = i18n.DEFAULT
            ss[_NOTES] = [Note.of(UNKNOWN_LANG, raw=Raw(raw[-1]), choices=", ".join(i18n.languages()))]
    if KEY not in ss:
        ss[KEY] = from_browser()
    activate()
    return ss[KEY]


def activate() -> None:
    i18n.activate(st.session_state.get(KEY, i18n.DEFAULT))


def current() -> str:
    return st.session_state.get(KEY, i18n.DEFAULT)


def pop_notes() -> list[Note]:
    """The notice about a bad ?lang= value, once."""
    return st.session_state.pop(_NOTES, [])


def url_value() -> str | None:
    """What goes into the link: ?lang= for every language but the default, so a shared link keeps it."""
    code = current()
    return None if code == i18n.DEFAULT else code


def _switch() -> None:
    st.session_state[KEY] = st.session_state["_lang_switch"]


def switch(where=st.sidebar) -> None:
    """The language switch (one entry per catalog in locales/)."""
    codes = i18n.languages()
    if current() not in codes:  # the pseudo-locale in tests: no switch to draw
        return
    st.session_state["_lang_switch"] = current()
    where.selectbox(i18n._("Language"), codes, key="_lang_switch", format_func=i18n.language_name,
                    on_change=_switch, help=i18n._("The language of the whole app. Links keep it as ?lang=."))
