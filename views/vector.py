"""Vector-valued activations: softmax / softmin / log_softmax with temperature, the softmax Jacobian, GLU, Maxout."""
import streamlit as st

from charts import vector as charts
from i18n import N_, _, _f
from labs import vector
from ui import page
from ui.urlstate import PageState

state = page.start("vector", N_("Softmax, GLU and Maxout"))

st.subheader(_("Softmax, softmin, log-softmax"))


@st.fragment
def softmax_panel(state: PageState) -> None:
    state.section("softmax")
    c1, c2 = st.columns([1, 2.6], gap="medium")
    s = vector.softmax_family(state.widgets(vector.SOFTMAX, where=c1))
    page.chart(charts.bars_figure(vector.CLASSES, [("softmax", s.softmax), ("softmin", s.softmin),
                                                   ("log_softmax", s.log_softmax)]), where=c2,
               alt=_("Softmax, softmin and log-softmax of the five logits."))
    c2.caption(_f("softmax sums to {total:.12f}; adding the same number to every logit changes nothing "
                  "(shift-invariance); the largest probability is {top:.3f} for class {top_class}.",
                  total=s.total, top=s.top, top_class=s.top_class))
    a, b = st.columns([1.2, 1])
    page.chart(charts.jacobian_figure(s.jacobian, vector.CLASSES), where=a, alt=_("The softmax Jacobian as a heatmap."))
    with b:
        st.latex(r"\frac{\partial p_i}{\partial z_j} = \frac{p_i\,(\delta_{ij} - p_j)}{T}")
        st.markdown(_("Positive on the diagonal, negative elsewhere, and every row sums to 0: raising one logit can "
                      "only take probability from the others."))
    state.end_section()


softmax_panel(state)

st.subheader(_("GLU: a gate on a value"))


@st.fragment
def glu_panel(state: PageState) -> None:
    state.section("glu")
    g = vector.glu_surface(state.widgets(vector.GLU))
    page.chart(charts.glu_figure(g.a, g.b, g.z),
               alt=_("GLU a times sigmoid of b over a grid of a and b, as a heat map with contours."))
    st.caption(_("GLU(a, b) = a·σ(b): for very negative b the gate is shut (output 0 whatever a is); for large b it "
                 "passes a unchanged. `torch.nn.functional.glu` takes one tensor and splits it into a and b."))
    state.end_section()


glu_panel(state)

st.subheader(_("Maxout: the maximum of linear pieces"))


@st.fragment
def maxout_panel(state: PageState) -> None:
    state.section("maxout")
    c1, c2 = st.columns([1, 2.6], gap="medium")
    preset = state.widget(vector.PRESET, where=c1)
    controls = vector.maxout_controls(preset)  # the preset's pieces are the sliders' defaults
    values = {"preset": preset, "k": state.widget(controls.k, where=c1)}
    for c in controls:
        if c.name not in values:  # each preset keeps its own edits of its pieces
            values[c.name] = state.widget(c, where=c1, scope=f"{preset}.")
    m = vector.maxout_unit(values)
    page.chart(charts.maxout_figure(m.x, m.y, m.pieces), where=c2,
               alt=_("A maxout unit: the maximum of the chosen linear pieces."))
    c2.caption(_("A maximum of lines is always convex: ReLU, |x|, leaky ReLU and bowls are reachable; tanh or "
                 "ReLU6 (which bend the other way) are not, with one maxout unit."))
    state.end_section()


maxout_panel(state)

page.more("vector", N_("More on softmax, GLU and Maxout"))
state.finish()
