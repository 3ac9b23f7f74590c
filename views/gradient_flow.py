"""Gradient flow: vanishing and exploding gradients through a deep MLP, initialization, clipping."""
from i18n import N_
from labs import gradflow
from ui import page
from ui.widgets import activation_name
from views.sections.gradient_flow import P, probe_panel, train_panel

state = page.start("gradient_flow", N_("Gradient flow"))
page.presets(state, gradflow.PRESETS, list(P), formats={"activation": activation_name},
             intro=N_("**Presets**: one click sets every network control below (hover for what each one sets)."))

probe_panel(state)
train_panel(state)
page.more("gradient_flow", N_("More on vanishing and exploding gradients"))
state.finish()
