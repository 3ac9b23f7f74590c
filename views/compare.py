"""Compare: several activations overlaid, f, f' or both, each with its own parameters; what each costs."""
import time

import streamlit as st

import activations
from charts import curves
from i18n import N_, _, _f, fill, ngettext
from labs import cost
from ui import cache, page
from ui.text import page_text
from ui.widgets import activation_name
from views.sections.compare import compared

COSTS_KEY = "_compare_costs"  # (Costs, wall time measured): kept for the session, not put in the link

state = page.start("compare", N_("Compare"))
picked, _drawn = compared(state)

# ---- what each one costs: measured on demand, never on a plain rerun ----------------------------------------------
st.subheader(_("What does each cost to compute?"))
st.markdown(page_text("compare", "cost_intro"))
if st.button(_("Measure now"), key="measure_cost", type="primary",
             help=_f("Times all {n} activations, forward and backward, in PyTorch on this server's CPU (about 2 s).",
                     n=len(activations.REGISTRY))):
    with st.spinner(_("Timing every activation, forward and backward…")):
        measured, age = cache.measure_costs()
        st.session_state[COSTS_KEY] = (measured, time.time() - age)
if COSTS_KEY in st.session_state:
    measured, at = st.session_state[COSTS_KEY]
    base = measured.row(cost.BASELINE)
    baseline = activation_name(cost.BASELINE)
    rows = [(activation_name(k), *rest) for k, *rest in measured.chart_rows()]
    page.chart(curves.cost_figure(rows, [activation_name(k) for k in picked], baseline=baseline),
               alt=_f("Measured forward and backward time of every activation relative to {baseline}.",
                      baseline=baseline))
    st.caption(" ".join((
        _f("For scale: one `Linear(1024, 1024)` layer on a batch of 256 took {linear:.1f} ns per output element, "
           "{ratio:,.0f}× {baseline}'s forward.", linear=measured.linear_ns, ratio=measured.linear_ratio,
           baseline=baseline),
        # Translators: {threads} is the number of CPU threads PyTorch used (1 here).
        fill(ngettext("Measured {age:.0f} s ago on {n:,} float32 numbers, {threads} thread, median of {rounds} rounds; "
                    "{baseline} took {forward:.2f} ns forward and {backward:.2f} ns backward per element.",
                    "Measured {age:.0f} s ago on {n:,} float32 numbers, {threads} threads, median of {rounds} rounds; "
                    "{baseline} took {forward:.2f} ns forward and {backward:.2f} ns backward per element.",
                    measured.threads),
           age=max(0, time.time() - at), n=measured.n, threads=measured.threads, rounds=measured.rounds,
           baseline=baseline, forward=base.forward_ns, backward=base.backward_ns),
    )))
page.more("compare", N_("How to read it, and what it does not tell you"), "cost_more")
state.finish()
