"""Why non-linear: linear layers collapse, XOR needs a non-linearity, ReLUs add up to curves, zero-centering."""
import streamlit as st

from i18n import N_, _
from ui import page
from views.sections.why_nonlinear import collapse_panel, relu_panel, xor_panel, zero_panel

state = page.start("why_nonlinear", N_("Why non-linear?"))

# ---- 1. collapse -----------------------------------------------------------------------------------------------
st.subheader(_("1. Linear layers collapse into one"))


collapse_panel(state)

# ---- 2. XOR ----------------------------------------------------------------------------------------------------
st.subheader(_("2. XOR: a deep linear network fails, one non-linear layer succeeds"))


xor_panel(state)

# ---- 3. ReLUs add up to curves -----------------------------------------------------------------------------------
st.subheader(_("3. ReLUs add up to curves"))


relu_panel(state)

# ---- 4. zero-centering -----------------------------------------------------------------------------------------
st.subheader(_("4. Zero-centred inputs: why sigmoid's outputs make gradient descent zig-zag"))


zero_panel(state)

page.more("why_nonlinear", N_("More: the arguments behind these four demos"))
state.finish()
