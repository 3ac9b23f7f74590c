"""Dying ReLU: train a small MLP on 2-D data, watch units die, and compare the fixes from the same weights."""
from functools import partial

import streamlit as st

from charts import dying as charts
from i18n import N_, _, _f, fill, render
from labs import dying
from ui import cache, page
from ui.widgets import activation_name
from views.sections.dying_relu import BASE, PRESET_CONTROLS, SWEPT, experiment

NUMBER = {"lr": lambda v: fill("{v:g}", v=v), "bias_value": lambda v: fill("{v:g}", v=v)}

state = page.start("dying_relu", N_("Dying ReLU"))
page.presets(state, dying.PRESETS, PRESET_CONTROLS, formats={"activation": activation_name, **NUMBER},
             intro=N_("**Presets**: one click sets every control below (hover for what each one sets)."))


experiment(state)

st.subheader(_("Learning-rate sweep"))
st.markdown(_f("Final share of dead units against the learning rate, for ReLU and LeakyReLU, three seeds each "
               "(dashed: LeakyReLU's inactive units), on the data and network above ({lrs} learning rates × {seeds} "
               "seeds × {acts} activations = {total} trainings).", lrs=len(dying.SWEEP_LRS),
               seeds=len(dying.SWEEP_SEEDS), acts=len(dying.SWEEP_ACTIVATIONS), total=dying.SWEEP_RUNS))
# The sweep is drawn outside the experiment's fragment, so a change up there does not redraw it: it always says
# which settings it ran on, and (at the next full run) that they are no longer the ones above.
base = dying.sweep_base(st.session_state[BASE])
if st.button(_("Run the sweep"), key="run_sweep",
             help=_f("About {total} short trainings; a progress bar shows how far it is.", total=dying.SWEEP_RUNS)):
    jobs = dying.sweep_jobs(base)  # one per activation and rate, over the workers side by side
    each = len(dying.SWEEP_SEEDS) * dying.seconds(base, frames=False)  # a part's runs
    page.with_progress(lambda p: cache.lab_parts("dying_sweep", base, jobs,
                                                 partial(dying.sweep_assemble, dying.sweep_parts()), max_entries=8,
                                                 progress=p, part_seconds=each),
                       _("Sweeping…"),
                       show=cache.peek("dying_sweep", base) is None)
    st.session_state[SWEPT] = base
swept = base if cache.peek("dying_sweep", base) is not None else st.session_state.get(SWEPT)
sweep = cache.peek("dying_sweep", swept) if swept is not None else None
if sweep is None:
    st.caption(_("Press the button to run it for the current settings."))
else:
    page.chart(charts.sweep_figure(sweep), alt=_("Dead units at the end against the learning rate for ReLU and "
                                                 "LeakyReLU, and LeakyReLU's inactive units."))
    st.caption(" ".join(render(n) for n in dying.sweep_summary(sweep)))
    st.caption(" ".join(render(n) for n in dying.sweep_settings(swept)))
    if swept != base:
        st.caption(_("The settings above have changed since: press the button to sweep them."))

page.more("dying_relu", N_("Why units die, and how the fixes work"))
state.finish()
