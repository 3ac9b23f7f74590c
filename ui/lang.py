"""Which language this session reads: the link's ?lang=, else the learner's last choice, else the browser's.

Called at the top of every run (app.py) and of every fragment rerun (PageState.section), because the active
translator is per thread (i18n) and a fragment may rerun on a new thread.
"""
from __future__ import annotations

import streamlit as st

import i18n
from i18n import N_, Note, Raw

KEY = "_lang"  # session_state: the language in use, once known
_NOTICE = "_lang_notice"
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
    """Decide the language for this run, activate it and return it."""
    ss = st.session_state
    raw = st.query_params.get_all("lang")
    if raw:
        wanted = raw[-1].strip().lower()
        if wanted in _allowed():
            ss[KEY] = wanted
        elif ss.get(_NOTICE) != raw[-1]:  # say it once per bad value, then keep the URL clean
            ss[_NOTICE] = raw[-1]
            ss.setdefault(KEY, i18n.DEFAULT)
            ss["_lang_notes"] = [Note.of(UNKNOWN_LANG, raw=Raw(raw[-1]), choices=", ".join(i18n.languages()))]
            ss[KEY] = i18n.DEFAULT
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
    return st.session_state.pop("_lang_notes", [])


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
