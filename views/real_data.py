"""Real data: activations raced on scikit-learn's digits (or breast cancer), several seeds each, against the rule
of thumb the learners' notes quote."""
from i18n import N_
from labs import realdata
from ui import page
from ui.widgets import activation_name
from views.sections.real_data import R, race_panel

state = page.start("real_data", N_("Real data"))
page.presets(state, realdata.PRESETS, list(R),
             formats={"activations": lambda keys: ", ".join(activation_name(k) for k in keys)},
             intro=N_("**Presets**: one click sets every control below (hover for what each one sets)."))


race_panel(state)
page.more("real_data", N_("Why the rule of thumb is a heuristic"))
state.finish()
