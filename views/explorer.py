"""Explorer: one activation, its parameters, f and f' with the regions where gradients die or grow."""
import numpy as np
import streamlit as st

import activations
from activations import analysis
from activations.functions import rrelu_eval_slope
from charts import curves
from i18n import N_, _, _f, fill
from labs import explore
from labs.export import csv_text
from ui import cache, page
from ui.tables import properties_table
from ui.text import activation_note, source_of
from ui.urlstate import PageState, param_label
from ui.widgets import picker_label

C = explore.EXPLORER
state = page.start("explorer", N_("Explorer"), intro=None)
key = state.widget(C.fn, format_func=picker_label)
spec = activations.get(key)
summary, notes_md = activation_note(key)
st.caption(f"**{spec.name}** · `{spec.torch_name}`{f' ({_(spec.torch_note)})' if spec.torch_note else ''} · {summary}")


@st.fragment  # a slider move reruns only this part: controls, chart, formulas, properties
def panel(state: PageState, key: str) -> None:
    spec = activations.get(key)
    state.section()
    controls, chart = st.columns([1, 2.8], gap="medium")
    with controls:
        params = state.params(spec)
        lo, hi = state.widget(C.x)
        eps = state.widget(C.eps)
        show_autograd = state.widget(C.autograd)

    x, f, df = explore.curve(key, params, lo, hi)
    regions = analysis.regions(x, df, eps)
    band = explore.rrelu_band(x, params) if key == "rrelu" else None
    grad = None
    if show_autograd:
        with st.spinner(_("Loading PyTorch and running autograd…")):
            grad = cache.autograd(key, params, x)

    with chart:
        fig = curves.curve_figure(
            x, f, df, regions, autograd=grad, band=band,
            band_label=_f("training: slope ~ U({lower:.3g}, {upper:.3g})", lower=params.get("lower", 0),
                          upper=params.get("upper", 0)),
        )
        kinds = ", ".join(_(curves.REGION_STYLE[k][1]) for k in sorted({r.kind for r in regions}))
        page.chart(fig, alt=_f("{name} and its derivative for x from {lo:g} to {hi:g}; regions shown: {kinds}.",
                               name=spec.name, lo=lo, hi=hi, kinds=kinds or _("none")))
        if grad is not None:
            st.caption(_f("max |analytic f′ − autograd f′| over {n} points: **{err:.2e}**", n=len(x),
                          err=float(np.max(np.abs(grad - df)))))
        if key == "rrelu":
            st.caption(_f("Evaluation slope (lower + upper)/2 = **{slope:.4g}**; the shaded band is every slope "
                          "training can draw.", slope=rrelu_eval_slope(params["lower"], params["upper"])))

    props_col, math_col = st.columns([1, 1.6], gap="large")
    with math_col:
        f_tex, df_tex = spec.tex(params)
        st.latex(f_tex)
        st.latex(df_tex)
        numeric = [p for p in spec.params if not p.is_choice]
        if numeric:
            st.caption(_f("with {values}", values=", ".join(
                fill("{label} = {v:.4g}", label=param_label(p), v=params[p.name]) for p in numeric)))
    with props_col:
        st.markdown(properties_table(explore.properties(key, params)))
        st.download_button(_("Download the plotted data (CSV)"), data=lambda: csv_text({"x": x, "f": f, "df": df}),
                           file_name=f"{key}.csv", mime="text/csv",
                           help=_("x, f(x) and f′(x) at every plotted point, 17 significant digits."))
    state.end_section()


panel(state, key)
st.subheader(_f("Notes on {name}", name=spec.name))
st.markdown(notes_md or _("No notes yet."))
page.more("explorer", N_("How to read this chart"), "how_to_read")
with st.expander(_("Show the code of f and f′")):
    st.code(source_of(key), language="python")
state.finish()
