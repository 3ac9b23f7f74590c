"""Self-normalizing nets: SELU keeps mean 0 / variance 1 across depth, why (the fixed point), and what breaks it."""
import numpy as np
import streamlit as st
import torch

import activations
from activations import selfnorm, whyplots
from activations.functions import SELU_ALPHA, SELU_SCALE
from ui import compute
from ui.text import page_text
from ui.urlstate import PageState

PAGE = "self_normalizing"
D = selfnorm.SNConfig()
NAME = {k: activations.get(k).name for k in selfnorm.COMPARED}
WIDTHS = (8, 16, 32, 64, 128, 256)
BATCHES = (10, 50, 100, 250, 500, 1000)

st.title("Self-normalizing networks")
st.markdown(page_text("self_normalizing").split("\n\n")[0])
state = PageState(PAGE)


@st.fragment  # a control change reruns only the depth experiment
def depth_panel(state: PageState) -> None:
    state.section("depth")
    controls, chart = st.columns([1, 2.8], gap="medium")
    with controls:
        shown = state.multiselect("Activations", "acts", selfnorm.COMPARED, list(selfnorm.COMPARED),
                                  max_selections=len(selfnorm.COMPARED), format_func=NAME.get,
                                  help="All get the same weights and the same input batch.")
        st.markdown("**Try to break it**")
        init = state.selectbox("Weight init", "init", selfnorm.INITS, D.init,
                               help="SELU's guarantee assumes LeCun normal: Var W = 1/fan_in.")
        in_mean = state.slider("Input mean", "in_mean", -3.0, 3.0, D.input_mean, 0.1,
                               help="Standardized input has mean 0.")
        in_scale = state.slider("Input scale", "in_scale", 0.1, 5.0, D.input_scale, 0.1,
                                help="Standardized input has standard deviation 1.")
        dropout = state.selectbox("Dropout after each layer", "dropout", selfnorm.DROPOUTS, D.dropout,
                                  format_func={"none": "none", "dropout": "nn.Dropout",
                                               "alpha_dropout": "nn.AlphaDropout"}.get,
                                  help="Training mode. AlphaDropout keeps SELU's mean and variance; Dropout does not.")
        rate = D.dropout_rate
        if dropout != "none":
            rate = state.slider("Dropout rate", "rate", 0.0, 0.5, D.dropout_rate, 0.05, help="Share of units dropped.")
        residual = state.toggle("Residual connections", "residual", D.residual,
                                help="h ← h + f(Wh): each layer adds variance, which SELU cannot take back.")
        st.markdown("**The network**")
        depth = state.slider("Depth", "depth", 1, 100, D.depth, 1, help="Layers the signal goes through.")
        width = state.select_slider("Width", "width", WIDTHS, D.width, help="Units per layer.")
        batch = state.select_slider("Batch", "batch", BATCHES, D.batch, help="Inputs whose statistics are measured.")
        seed = state.number("Seed", "seed", 0, 1_000_000, D.seed, help="Same seed, same weights and inputs.")
    cfg = selfnorm.SNConfig(depth=depth, width=width, batch=batch, seed=seed, init=init, input_mean=in_mean,
                            input_scale=in_scale, dropout=dropout, dropout_rate=rate, residual=residual)
    with chart:
        if not shown:
            st.info("Pick at least one activation.")
            state.end_section()
            return
        with st.spinner("Forwarding the batch…"):
            res = compute.cached("selfnorm", (cfg, tuple(shown)), lambda: selfnorm.depth_stats(cfg, tuple(shown)))
        for n in res.notes:
            state.note(n)
        rows = []
        for key in shown:
            m, sd = res.mean[key][-1], res.std[key][-1]
            inside = abs(m) <= selfnorm.STABLE_MU[1] and selfnorm.STABLE_NU[0] <= sd * sd <= selfnorm.STABLE_NU[1]
            rows.append(f"| {NAME[key]} | {m:+.3f} | {sd:.3f} | {'✓ yes' if inside else '✗ no'} |")
        st.markdown(f"**At layer {depth}** (green band: |mean| ≤ 0.1, variance in [0.8, 1.5], the region the paper "
                    "proves stable)\n\n| activation | mean | std | in the band |\n|---|---|---|---|\n"
                    + "\n".join(rows))
        st.plotly_chart(whyplots.depth_stats_figure(res.layers, res.mean, res.std, NAME, selfnorm.STABLE_MU,
                                                    tuple(np.sqrt(selfnorm.STABLE_NU))),
                        config={"displaylogo": False},
                        alt="Mean and standard deviation of activations per layer for each activation.")
    state.end_section()


depth_panel(state)

st.subheader("Why it works: the layer-to-layer map of mean and variance")
left, right = st.columns([1.6, 1], gap="large")
with left:
    field = compute.cached("selfnorm-field", (), lambda: (
        selfnorm.vector_field(),
        [selfnorm.trajectory(m, v, 15) for m, v in ((-0.25, 0.6), (0.25, 0.6), (-0.25, 1.9), (0.25, 1.9),
                                                       (0.0, 0.55), (0.0, 1.95))]))
    (MU, NU, dMU, dNU), paths = field
    st.plotly_chart(whyplots.vector_field_figure(MU, NU, dMU, dNU, paths, selfnorm.STABLE_MU, selfnorm.STABLE_NU),
                    config={"displaylogo": False},
                    alt="Vector field of one SELU layer's map of mean and variance; paths converge to (0, 1).")
    st.caption("Each arrow goes from a layer's input (μ, ν) to its output (μ̃, ν̃), computed by numerical "
               "integration with normalized weights (Σw = 0, Σw² = 1). Dashed box: the region the paper proves "
               "stable. Blue: iterating the map from six starts.")
with right:
    alpha, scale = compute.cached("selu-constants", (), selfnorm.derive_selu_constants)
    t_scale = float(torch.nn.functional.selu(torch.tensor(1.0, dtype=torch.float64)))
    t_alpha = float(-torch.nn.functional.selu(torch.tensor(-60.0, dtype=torch.float64))) / t_scale
    st.markdown("**The constants, derived here** by solving μ̃(0, 1) = 0 and ν̃(0, 1) = 1:")
    st.markdown("| | derived | PyTorch | difference |\n|---|---|---|---|\n"
                f"| α | {alpha:.10f} | {t_alpha:.10f} | {abs(alpha - t_alpha):.1e} |\n"
                f"| λ | {scale:.10f} | {t_scale:.10f} | {abs(scale - t_scale):.1e} |")
    J = compute.cached("selu-jacobian", (), selfnorm.jacobian_at_fixed_point)
    rho = float(np.max(np.abs(np.linalg.eigvals(J))))
    st.markdown(f"Jacobian of the map at (0, 1): spectral radius **{rho:.3f}** < 1, so (0, 1) attracts.")
    st.caption(f"PyTorch's constants, for the record: α = {SELU_ALPHA}, λ = {SELU_SCALE}.")

with st.expander("The conditions SELU needs, and how to read these charts"):
    st.markdown(page_text("self_normalizing").split("\n\n", 1)[-1])
state.finish()
