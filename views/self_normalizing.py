"""Self-normalizing nets: SELU keeps mean 0 / variance 1 across depth, why (the fixed point), and what breaks it."""

import streamlit as st

from activations.functions import SELU_ALPHA, SELU_SCALE
from charts import selfnorm as charts
from i18n import N_, _, _f, fill
from labs import selfnorm
from ui import cache, page
from views.sections.self_normalizing import depth_panel

state = page.start("self_normalizing", N_("Self-normalizing networks"))


depth_panel(state)

st.subheader(_("Why it works: the layer-to-layer map of mean and variance"))
g = cache.lab("selfnorm-map", (), selfnorm.selu_map, 1)
left, right = st.columns([1.6, 1], gap="large")
with left:
    page.chart(charts.vector_field_figure(g.mu, g.nu, g.dmu, g.dnu, g.paths, selfnorm.STABLE_MU, selfnorm.STABLE_NU),
               alt=_("Vector field of one SELU layer's map of mean and variance; paths converge to (0, 1)."))
    st.caption(_("Each arrow goes from a layer's input (μ, ν) to its output (μ̃, ν̃), computed by numerical "
                 "integration with normalized weights (Σw = 0, Σw² = 1). Dashed box: the region the paper proves "
                 "stable. Blue: iterating the map from six starts."))
with right:
    st.markdown(_("**The constants, derived here** by solving μ̃(0, 1) = 0 and ν̃(0, 1) = 1:"))
    row = "| {name} | {derived:.10f} | {torch:.10f} | {error:.1e} |"
    st.markdown("| | " + _("derived") + " | PyTorch | " + _("difference") + " |\n|---|---|---|---|\n"
                + fill(row, name="α", derived=g.alpha, torch=g.torch_alpha, error=g.alpha_error) + "\n"
                + fill(row, name="λ", derived=g.scale, torch=g.torch_scale, error=g.scale_error))
    st.markdown(_f("Jacobian of the map at (0, 1): spectral radius **{rho:.3f}** < 1, so (0, 1) attracts.",
                   rho=g.radius))
    st.caption(_f("PyTorch's constants, for the record: α = {alpha:.17g}, λ = {scale:.17g}.", alpha=SELU_ALPHA,
                  scale=SELU_SCALE))

page.more("self_normalizing", N_("The conditions SELU needs, and how to read these charts"))
state.finish()
