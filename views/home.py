"""Home: what an activation is, and a gallery of every one of them (f and f'), linking to the Explorer."""
from urllib.parse import urlencode

import streamlit as st

import activations
import i18n
from charts import curves
from i18n import N_, _, _f
from labs import explore
from ui import lang, page
from ui.text import activation_note

COLS = 4
TAB = "home:family"  # the open family's tab label

state = page.start("home", N_("Activation Lab"))  # Home has no controls: any link parameter is reported and dropped


def link_query(key: str, code: str | None) -> dict[str, str]:
    """The Explorer's link for activation `key`, in the learner's language (`?lang=` unless it is English)."""
    return {"fn": key, **({"lang": code} if code else {})}


# Shared by all sessions and never mutated: no pickling per visit. Keyed by the language, since the figure's
# number format and its links (?lang=) follow it.
@st.cache_resource(max_entries=32, show_spinner=False)
def family_gallery(family: str, language: str, code: str | None):
    tiles = []
    for spec in activations.families()[family]:
        x, f, df = explore.curve(spec.key, spec.defaults, *explore.GALLERY_X, explore.GALLERY_POINTS)
        title = f'<a href="explorer?{urlencode(link_query(spec.key, code))}" target="_self">{spec.name}</a>'
        tiles.append((title, x, f, df))
    return curves.gallery_figure(tiles, cols=COLS)


code = lang.url_value()
families = activations.families()
# One family at a time: the tabs rerun the page on a switch and only the open one draws, so a new visitor's first
# chart no longer waits for the other galleries (each ~20 curves) to render in the browser first.
tabs = st.tabs([_(family) for family in families], key=TAB, on_change="rerun")
for tab, (family, specs) in zip(tabs, families.items(), strict=True):
    if tab.open is False:
        continue
    with tab:
        page.chart(family_gallery(family, i18n.current(), code),
                   alt=_f("{family}: {names} with their derivatives.", family=_(family),
                          names=", ".join(s.name for s in specs)))
        cols = st.columns(COLS)
        for i, spec in enumerate(specs):
            cols[i % COLS].page_link("views/explorer.py", label=_f("Open {name}", name=spec.name),
                                     icon=":material/arrow_forward:", query_params=link_query(spec.key, code),
                                     help=activation_note(spec.key)[0] or None)

state.finish()
