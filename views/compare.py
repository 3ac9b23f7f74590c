"""Compare: several activations overlaid, f, f' or both, each with its own parameters."""
import time

import streamlit as st

import activations
from activations import cost, plots
from ui import compute
from ui.params import param_widgets
from ui.text import page_text
from ui.urlstate import PageState

MAX_CURVES = 8
POINTS = 301  # per curve: up to 16 traces share the browser's redraw
COSTS_KEY = "_compare_costs"  # (Costs, wall time measured): kept for the session, not put in the link

st.title("Compare")
st.markdown(page_text("compare"))
state = PageState("compare")
keys = activations.keys_grouped()
top = st.columns([3, 1])
picked = state.multiselect(
    "Activations", "fns", keys, ["sigmoid", "tanh", "relu", "gelu"], max_selections=MAX_CURVES,
    help=f"Up to {MAX_CURVES} functions.", format_func=lambda k: activations.get(k).name, where=top[0],
)
show = state.radio("Show", "show", ("f", "df", "both"), "both", help="f, its derivative, or both side by side.",
                   format_func={"f": "f(x)", "df": "f′(x)", "both": "both"}.get, where=top[1])


@st.fragment  # a slider move reruns only this part, not the pickers or the page's text
def panel(state: PageState, picked: list[str], show: str) -> None:
    state.section()
    lo, hi = state.range_slider("x-range", "x", -50.0, 50.0, (-5.0, 5.0), 0.5, min_width=0.5,
                                help="The inputs shown.")
    chosen = {}
    with_params = [k for k in picked if activations.get(k).params]
    if with_params:
        cols = st.columns(min(len(with_params), 4))
        for i, k in enumerate(with_params):
            spec = activations.get(k)
            with cols[i % len(cols)].expander(f"{spec.name} parameters"):
                chosen[k] = param_widgets(state, spec, prefix=f"{k}.")

    if not picked:
        st.info("Pick at least one activation above.")
    else:
        curves = []
        for k in picked:
            x, f, df = compute.curve(k, chosen.get(k, {}), lo, hi, POINTS)
            curves.append((activations.get(k).name, x, f, df))
        st.plotly_chart(plots.compare_figure(curves, show), config=plots.chart_config(),
                        alt=f"{', '.join(c[0] for c in curves)} compared for x from {lo:g} to {hi:g}.")
    state.end_section()


panel(state, picked, show)

# ---- what each one costs: measured on demand, never on a plain rerun ----------------------------------------------
st.subheader("What does each cost to compute?")
intro, _, more = page_text("compare_cost").partition("\n\n")
st.markdown(intro)
if st.button("Measure now", key="measure_cost", type="primary",
             help="Times all 26 activations, forward and backward, in PyTorch on this server's CPU (about 2 s)."):
    with st.spinner("Timing every activation, forward and backward…"):
        measured, age = compute.measure_costs()
        st.session_state[COSTS_KEY] = (measured, time.time() - age)
if COSTS_KEY in st.session_state:
    measured, at = st.session_state[COSTS_KEY]
    base = measured.row(cost.BASELINE)
    rows = [(activations.get(r.key).name, *measured.relative(r.key), r.forward_ns, r.backward_ns, r.ops)
            for r in measured.rows]
    st.plotly_chart(plots.cost_figure(rows, [activations.get(k).name for k in picked]), config=plots.chart_config(),
                    alt="Measured forward and backward time of every activation relative to ReLU.")
    st.caption(f"For scale: one `Linear(1024, 1024)` layer on a batch of 256 took {measured.linear_ns:.1f} ns per "
               f"output element, {measured.linear_ns / base.forward_ns:,.0f}× ReLU's forward. Measured "
               f"{max(0, time.time() - at):.0f} s ago on {measured.n:,} float32 numbers, {measured.threads} thread, "
               f"median of {measured.rounds} rounds; ReLU took {base.forward_ns:.2f} ns forward and "
               f"{base.backward_ns:.2f} ns backward per element.")
with st.expander("How to read it, and what it does not tell you"):
    st.markdown(more)
state.finish()
