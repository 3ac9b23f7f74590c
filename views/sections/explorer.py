"""The Explorer's section, drawn by its page and by lesson steps: the function picker and its curve panel."""
from __future__ import annotations

import streamlit as st

from activations import OWN
from i18n import _
from labs import explore
from ui import own
from ui.curve_panel import Drawn, panel
from ui.text import activation_note
from ui.urlstate import PageState
from ui.widgets import picker_label

C = explore.EXPLORER


def curve(state: PageState) -> Drawn:
    """The picker, a caption naming the function (its torch name and one line about it), then its panel."""
    choice = state.widget(C.fn, format_func=picker_label)
    spec = own.chosen(state, choice)
    if choice != OWN:
        summary, _notes = activation_note(choice)
        st.caption(f"**{spec.name}** · `{spec.torch_name}`{f' ({_(spec.torch_note)})' if spec.torch_note else ''} · "
                   f"{summary}")
    return panel(state, spec, C.x, C.eps, C.autograd)
