"""Home: what an activation is, and a gallery of every one of them (f and f'), linking to the Explorer."""
import streamlit as st

import activations
from activations import plots
from ui import compute
from ui.text import activation_note, page_text
from ui.urlstate import PageState

COLS = 4

st.title("Activation Lab")
state = PageState("home")  # Home has no controls: any link parameter is reported and dropped
st.markdown(page_text("home"))


@st.cache_resource(max_entries=16, show_spinner=False)  # shared, never mutated: no pickling per visit
def family_gallery(family: str):
    tiles = []
    for spec in activations.families()[family]:
        x, f, df = compute.curve(spec.key, spec.defaults, -5.0, 5.0, 201)
        title = f'<a href="explorer?fn={spec.key}" target="_self">{spec.name}</a>'
        tiles.append((title, x, f, df))
    return plots.gallery_figure(tiles, cols=COLS)


for family, specs in activations.families().items():
    st.subheader(family)
    st.plotly_chart(family_gallery(family), config=plots.chart_config(),
                    alt=f"{family}: " + ", ".join(s.name for s in specs) + " with their derivatives.")
    cols = st.columns(COLS)
    for i, spec in enumerate(specs):
        cols[i % COLS].page_link("views/explorer.py", label=f"Open {spec.name}", icon=":material/arrow_forward:",
                                 query_params={"fn": spec.key}, help=activation_note(spec.key)[0] or None)

state.finish()
