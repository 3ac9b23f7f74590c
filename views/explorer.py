"""Explorer: one activation, its parameters, f and f' with the regions where gradients die or grow."""
import streamlit as st

from activations import OWN
from i18n import N_, _, _f
from labs import explore
from ui import own, page
from ui.curve_panel import panel
from ui.text import activation_note, source_of
from ui.widgets import picker_label

C = explore.EXPLORER
state = page.start("explorer", N_("Explorer"), intro=None)
choice = state.widget(C.fn, format_func=picker_label)
spec = own.chosen(state, choice)
if choice != OWN:
    summary, notes_md = activation_note(choice)
    st.caption(f"**{spec.name}** · `{spec.torch_name}`{f' ({_(spec.torch_note)})' if spec.torch_note else ''} · "
               f"{summary}")
panel(state, spec, C.x, C.eps, C.autograd)
if choice != OWN:
    st.subheader(_f("Notes on {name}", name=spec.name))
    st.markdown(notes_md or _("No notes yet."))
page.more("explorer", N_("How to read this chart"), "how_to_read")
if choice != OWN:
    with st.expander(_("Show the code of f and f′")):
        st.code(source_of(choice), language="python")
state.finish()
