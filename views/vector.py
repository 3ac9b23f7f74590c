"""Vector-valued activations: softmax / softmin / log_softmax with temperature, the softmax Jacobian, GLU, Maxout."""
import numpy as np
import streamlit as st

from activations import vector, whyplots
from ui.text import page_text
from ui.urlstate import PageState

PAGE = "vector"
TEMPS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0)
LABELS = ("1", "2", "3", "4", "5")
DEFAULT_LOGITS = (2.0, 1.0, 0.1, -1.0, 0.5)

st.title("Softmax, GLU and Maxout")
st.markdown(page_text("vector").split("\n\n")[0])
state = PageState(PAGE)

st.subheader("Softmax, softmin, log-softmax")


@st.fragment
def softmax_panel(state: PageState) -> None:
    state.section("softmax")
    c1, c2 = st.columns([1, 2.6], gap="medium")
    with c1:
        z = np.array([state.slider(f"logit z{i + 1}", f"z{i + 1}", -10.0, 10.0, DEFAULT_LOGITS[i], 0.1,
                                   help="A raw score; softmax turns the scores into probabilities.")
                      for i in range(len(LABELS))])
        t = state.select_slider("Temperature T", "T", TEMPS, 1.0, format_func=lambda v: f"{v:g}",
                                help="Small T: nearly one-hot (argmax). Large T: nearly uniform.")
    p = vector.softmax(z, t)
    q = vector.softmin(z, t)
    lp = vector.log_softmax(z, t)
    with c2:
        st.plotly_chart(whyplots.bars_figure(LABELS, [("softmax", p), ("softmin", q), ("log_softmax", lp)]),
                        config={"displaylogo": False}, alt="Softmax, softmin and log-softmax of the five logits.")
        st.caption(f"softmax sums to {p.sum():.12f}; adding the same number to every logit changes nothing "
                   f"(shift-invariance); the largest probability is {p.max():.3f} for class {int(p.argmax()) + 1}.")
    a, b = st.columns([1.2, 1])
    with a:
        st.plotly_chart(whyplots.jacobian_figure(vector.softmax_jacobian(z, t), LABELS), config={"displaylogo": False},
                        alt="The softmax Jacobian as a heatmap.")
    with b:
        st.latex(r"\frac{\partial p_i}{\partial z_j} = \frac{p_i\,(\delta_{ij} - p_j)}{T}")
        st.markdown("Positive on the diagonal, negative elsewhere, and every row sums to 0: raising one logit can "
                    "only take probability from the others.")
    state.end_section()


softmax_panel(state)

st.subheader("GLU: a gate on a value")


@st.fragment
def glu_panel(state: PageState) -> None:
    state.section("glu")
    b_max = state.slider("Range of the gate input b", "glu.b", 1.0, 10.0, 6.0, 0.5,
                         help="How far the gate's input goes each way.")
    A, B, Z = vector.glu_surface(b_range=(-b_max, b_max))
    st.plotly_chart(whyplots.glu_figure(A, B, Z), config={"displaylogo": False},
                    alt="GLU a times sigmoid of b over a grid of a and b, as a heat map with contours.")
    st.caption("GLU(a, b) = a·σ(b): for very negative b the gate is shut (output 0 whatever a is); for large b it "
               "passes a unchanged. `torch.nn.functional.glu` takes one tensor and splits it into a and b.")
    state.end_section()


glu_panel(state)

st.subheader("Maxout: the maximum of linear pieces")


@st.fragment
def maxout_panel(state: PageState) -> None:
    state.section("maxout")
    names = list(vector.MAXOUT_PRESETS)
    c1, c2 = st.columns([1, 2.6], gap="medium")
    with c1:
        preset = state.selectbox("Start from", "m.preset", names, names[0],
                                 help="Each preset is a set of pieces; edit them below.")
        pieces = vector.MAXOUT_PRESETS[preset]
        k = state.slider("Pieces k", "m.k", 1, 6, len(pieces), 1, help="How many linear pieces the unit has.")
        chosen = []
        for i in range(k):
            a0, c0 = pieces[i] if i < len(pieces) else (0.0, -5.0)
            a_i = state.slider(f"piece {i + 1}: slope", f"m.a{i + 1}", -3.0, 3.0, float(a0), 0.1,
                               help="Slope of this linear piece.", scope=f"{preset}.")
            c_i = state.slider(f"piece {i + 1}: intercept", f"m.c{i + 1}", -5.0, 5.0, float(c0), 0.1,
                               help="Intercept of this linear piece.", scope=f"{preset}.")
            chosen.append((a_i, c_i))
    x = np.linspace(-3, 3, 601)
    y, _ = vector.maxout(x, chosen)
    with c2:
        st.plotly_chart(whyplots.maxout_figure(x, y, chosen), config={"displaylogo": False},
                        alt="A maxout unit: the maximum of the chosen linear pieces.")
        st.caption("A maximum of lines is always convex: ReLU, |x|, leaky ReLU and bowls are reachable; tanh or "
                   "ReLU6 (which bend the other way) are not, with one maxout unit.")
    state.end_section()


maxout_panel(state)

with st.expander("More on softmax, GLU and Maxout"):
    st.markdown(page_text("vector").split("\n\n", 1)[-1])
state.finish()
