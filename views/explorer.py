"""Explorer: one activation, its parameters, f and f' with the regions where gradients die or grow."""
import numpy as np
import streamlit as st

import activations
from activations import analysis, plots
from activations.export import csv_text
from activations.functions import rrelu_eval_slope
from ui import compute
from ui.params import param_label, param_widgets
from ui.text import activation_note, page_text, picker_label, source_of
from ui.urlstate import PageState

EPS_STEPS = (1e-4, 1e-3, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)

st.title("Explorer")
state = PageState("explorer")
keys = activations.keys_grouped()
key = state.selectbox(
    "Activation", "fn", keys, "elu",
    help="Grouped by family. The URL's fn= is this function's PyTorch name.",
    format_func=picker_label,
)
spec = activations.get(key)
summary, notes_md = activation_note(key)
st.caption(f"**{spec.name}** · {spec.torch_name} · {summary}")


@st.fragment  # a slider move reruns only this part: controls, chart, formulas, properties
def panel(state: PageState, key: str) -> None:
    spec = activations.get(key)
    state.section()
    controls, chart = st.columns([1, 2.8], gap="medium")
    with controls:
        params = param_widgets(state, spec)
        lo, hi = state.range_slider("x-range", "x", -50.0, 50.0, (-6.0, 6.0), 0.5, min_width=0.5,
                                    help="The inputs shown. Properties below are measured on all reals, "
                                         "not just this window.")
        eps = state.select_slider("ε: saturation threshold", "eps", EPS_STEPS, 0.01, format_func=lambda v: f"{v:g}",
                                  help="Where 0 < |f′(x)| < ε the gradient is nearly gone: shaded as saturating.")
        show_autograd = state.toggle("torch autograd check", "autograd", False,
                                     help="Overlay PyTorch's own derivative (float64 autograd) as markers.")

    x, f, df = compute.curve(key, params, lo, hi)
    regions = analysis.regions(x, df, eps)
    band = None
    if key == "rrelu":
        neg = x[x <= 0]
        band = (neg, params["lower"] * neg, params["upper"] * neg)
    grad = None
    if show_autograd:
        with st.spinner("Loading PyTorch and running autograd…"):
            grad = compute.autograd(key, params, x)

    with chart:
        fig = plots.curve_figure(
            x, f, df, regions, autograd=grad, band=band,
            band_label=f"training: slope ~ U({params.get('lower', 0):.3g}, {params.get('upper', 0):.3g})",
        )
        kinds = sorted({r.kind for r in regions})
        st.plotly_chart(fig, config=plots.chart_config(),
                        alt=f"{spec.name} and its derivative for x from {lo:g} to {hi:g}; "
                            f"regions shown: {', '.join(kinds) or 'none'}.")
        if grad is not None:
            err = float(np.max(np.abs(grad - df)))
            st.caption(f"max |analytic f′ − autograd f′| over {len(x)} points: **{err:.2e}**")
        if key == "rrelu":
            slope = rrelu_eval_slope(params["lower"], params["upper"])
            st.caption(f"Evaluation slope (lower + upper)/2 = **{slope:.4g}**; "
                       "the shaded band is every slope training can draw.")

    props_col, math_col = st.columns([1, 1.6], gap="large")
    with math_col:
        f_tex, df_tex = spec.tex(params)
        st.latex(f_tex)
        st.latex(df_tex)
        numeric = [p for p in spec.params if not p.is_choice]
        if numeric:
            st.caption("with " + ", ".join(f"{param_label(p)} = {params[p.name]:.4g}" for p in numeric))
    with props_col:
        rows = compute.properties(key, params).as_rows()
        st.markdown("| Property (measured) | Value |\n|---|---|\n"
                    + "\n".join(f"| {a} | {b} |".replace("|f′|", "\\|f′\\|") for a, b in rows))
        st.download_button(
            "Download the plotted data (CSV)",
            data=lambda: csv_text({"x": x, "f": f, "df": df}),
            file_name=f"{key}.csv", mime="text/csv",
        )
    state.end_section()


panel(state, key)
st.subheader(f"Notes on {spec.name}")
st.markdown(notes_md or "No notes yet.")

with st.expander("How to read this chart"):
    st.markdown(page_text("explorer"))
with st.expander("Show the code of f and f′"):
    st.code(source_of(key), language="python")

state.finish()
