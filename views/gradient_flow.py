"""Gradient flow: vanishing and exploding gradients through a deep MLP, initialization, clipping."""
import streamlit as st

from i18n import N_
from labs import gradflow
from labs.codegen import gradflow as codegen
from ui import page, takehome
from ui.widgets import activation_name
from views.sections.gradient_flow import BASE, CLIP_BASE, P, probe_panel, train_panel

state = page.start("gradient_flow", N_("Gradient flow"))
page.presets(state, gradflow.PRESETS, list(P), formats={"activation": activation_name},
             intro=N_("**Presets**: one click sets every network control below (hover for what each one sets)."))


probe_panel(state)
train_panel(state)
takehome.section("gradient_flow_clipping", codegen.CLIP_TITLE, lambda: codegen.clip_parts(st.session_state[CLIP_BASE]),
                 codegen.CLIP_INTRO, codegen.CLIP_TEXTS)
takehome.section("gradient_flow", codegen.TITLE, lambda: codegen.parts(st.session_state[BASE]), codegen.INTRO,
                 codegen.PART_TEXTS)
page.more("gradient_flow", N_("More on vanishing and exploding gradients"))
state.finish()
