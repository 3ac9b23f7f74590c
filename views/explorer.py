"""Explorer: one activation, its parameters, f and f' with the regions where gradients die or grow."""
import streamlit as st

import activations
from activations import OWN
from i18n import N_, _, _f
from ui import page
from ui.text import activation_note, source_of
from views.sections.explorer import curve

state = page.start("explorer", N_("Explorer"), intro=None)
drawn = curve(state)
choice = state.values["fn"]
if choice != OWN:
    st.subheader(_f("Notes on {name}", name=activations.get(choice).name))
    st.markdown(activation_note(choice)[1] or _("No notes yet."))
page.more("explorer", N_("How to read this chart"), "how_to_read")
if choice != OWN:
    with st.expander(_("Show the code of f and f′")):
        st.code(source_of(choice), language="python")
state.finish()
