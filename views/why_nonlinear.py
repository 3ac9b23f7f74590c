"""Why non-linear: linear layers collapse, XOR needs a non-linearity, ReLUs add up to curves, zero-centering."""
import numpy as np
import streamlit as st

import activations
from activations import nonlinear, whyplots, zerocenter
from ui import compute
from ui.text import page_text
from ui.urlstate import PageState

PAGE = "why_nonlinear"
KEYS = activations.keys_grouped()
NAME = {k: activations.get(k).name for k in KEYS}
LRS = (0.1, 0.3, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.2, 4.0, 6.0, 10.0)


def matrix_tex(m: np.ndarray, name: str) -> str:
    rows = [" & ".join(f"{v:.2f}" for v in row) for row in np.atleast_2d(m)]
    return r"\underbrace{\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}}_{" + name + "}"


st.title("Why non-linear?")
st.markdown(page_text("why_nonlinear").split("\n\n")[0])
state = PageState(PAGE)

# ---- 1. collapse -----------------------------------------------------------------------------------------------
st.subheader("1. Linear layers collapse into one")


@st.fragment
def collapse_panel(state: PageState) -> None:
    state.section("collapse")
    seed = state.number("Seed of the random matrices", "c.seed", 0, 1_000_000, 0, where=st.columns([1, 3])[0],
                        help="Draw other matrices: the product still does the same job as the stack.")
    c = compute.cached("collapse", seed, lambda: nonlinear.linear_collapse(seed))
    # One equation in the order the product is written, as inline math: KaTeX may break an inline formula after
    # "·" and "=", so on a phone the matrices wrap onto new lines instead of being clipped.
    w1, w2, w3 = (f"W_{i} ({m.shape[0]}×{m.shape[1]})" for i, m in enumerate(c.weights, start=1))
    parts = [matrix_tex(c.weights[2], w3), matrix_tex(c.weights[1], w2), matrix_tex(c.weights[0], w1)]
    st.markdown(r"$\displaystyle " + r" \cdot ".join(parts) + " = "
                + matrix_tex(c.product, f"W ({c.product.shape[0]}×{c.product.shape[1]})") + "$")
    st.markdown(f"Three layers applied one after another, and the single matrix $W = W_3W_2W_1$, give the same "
                f"outputs on {len(c.x)} random inputs: the largest difference is **{c.max_abs_diff:.1e}**, "
                "float64 round-off. Depth without a non-linearity adds nothing a single layer couldn't do.")
    state.end_section()


collapse_panel(state)

# ---- 2. XOR ----------------------------------------------------------------------------------------------------
st.subheader("2. XOR: a deep linear network fails, one non-linear layer succeeds")


@st.fragment
def xor_panel(state: PageState) -> None:
    state.section("xor")
    c1, c2, c3, c4 = st.columns(4)
    depth = state.slider("Linear net: layers", "x.depth", 1, 8, 3, 1, where=c1,
                         help="However many, they multiply out to one matrix.")
    act = state.selectbox("Non-linear net: activation", "x.act", KEYS, "relu", format_func=NAME.get, where=c2,
                          help="One hidden layer with this activation.")
    hidden = state.slider("Hidden units", "x.hidden", 2, 32, 8, 1, where=c3, help="Width of the hidden layer(s).")
    seed = state.number("Seed", "x.seed", 0, 1_000_000, 0, where=c4, help="Same seed, same data and weights.")
    with st.spinner("Training both…"):
        lin = compute.cached("xor", ("linear", depth, hidden, seed),
                             lambda: nonlinear.train_xor("linear", depth=depth, hidden=hidden, seed=seed))
        non = compute.cached("xor", ("nonlinear", act, hidden, seed),
                             lambda: nonlinear.train_xor("nonlinear", hidden=hidden, activation=act, seed=seed))
    X, y = nonlinear.xor_data(seed=seed)
    left, right = st.columns(2)
    left.metric(f"deep linear ({depth} layers)", f"accuracy {lin.accuracy:.0%}",
                help="No straight line gets more than 3 of XOR's 4 clusters right; trained on this loss, the best "
                     "a linear model can do is to say 1/2 everywhere.")
    left.plotly_chart(whyplots.boundary_figure(lin.grid_axis, lin.boundary, X, y,
                                                                "linear: at best ½ everywhere (no colour)"),
                      config={"displaylogo": False}, alt=f"XOR with a linear net: accuracy {lin.accuracy:.0%}.")
    right.metric(f"one hidden {NAME[act]} layer", f"accuracy {non.accuracy:.0%}")
    right.plotly_chart(whyplots.boundary_figure(non.grid_axis, non.boundary, X, y, f"{NAME[act]}: a bent boundary"),
                       config={"displaylogo": False}, alt=f"XOR with a {NAME[act]} layer: accuracy {non.accuracy:.0%}.")
    state.end_section()


xor_panel(state)

# ---- 3. ReLUs add up to curves -----------------------------------------------------------------------------------
st.subheader("3. ReLUs add up to curves")


@st.fragment
def relu_panel(state: PageState) -> None:
    state.section("relus")
    mode = state.radio("Mode", "r.mode", ("fit", "hand"), "fit",
                       format_func={"fit": "fit k ReLUs to a target", "hand": "build it by hand"}.get,
                       help="Least squares picks the weights, or you set three ReLUs yourself.")
    if mode == "fit":
        c1, c2 = st.columns([1, 3])
        tgt = state.selectbox("Target", "r.target", nonlinear.TARGETS, "sin", where=c1,
                              format_func={"sin": "sin x", "abs": "|x|", "square": "x²", "step": "step"}.get,
                              help="The curve to approximate on [−3, 3].")
        k = state.slider("Number of ReLUs k", "r.k", 1, 64, 6, 1, where=c1,
                         help="k knots evenly spaced; least squares picks each ReLU's weight.")
        fit = compute.cached("relufit", (tgt, k), lambda: nonlinear.fit_relus(tgt, k))
        c1.metric("mean squared error", f"{fit.mse:.2e}")
        c1.metric("largest error", f"{fit.max_err:.2e}")
        pieces = [w * np.maximum(fit.x - kn, 0.0) for kn, w in zip(fit.knots, fit.weights, strict=True)]
        with c2:
            st.plotly_chart(whyplots.relu_fit_figure(fit.x, fit.y, fit.approx, pieces if k <= 16 else (), fit.knots),
                            config={"displaylogo": False}, alt=f"{k} ReLUs fitted to {tgt}; MSE {fit.mse:.1e}.")
        ks = (1, 2, 4, 8, 16, 32, 64)
        mses = [compute.cached("relufit", (tgt, kk), lambda kk=kk: nonlinear.fit_relus(tgt, kk)).mse for kk in ks]
        st.plotly_chart(whyplots.error_curve_figure(ks, mses), config={"displaylogo": False},
                        alt=f"Fitting error against the number of ReLUs for {tgt}.")
    else:
        x = np.linspace(-3, 3, 601)
        cols = st.columns(3)
        knots, weights = [], []
        for i, col in enumerate(cols):
            knots.append(state.slider(f"ReLU {i + 1}: knot", f"r.k{i + 1}", -3.0, 3.0, (-1.0, 0.0, 1.0)[i], 0.1,
                                      where=col, help="Where this ReLU bends: max(0, x − knot)."))
            weights.append(state.slider(f"ReLU {i + 1}: weight", f"r.w{i + 1}", -3.0, 3.0, (1.0, -2.0, 1.0)[i],
                                        0.1, where=col, help="How steep this ReLU's contribution is."))
        y = nonlinear.relu_sum(x, np.array(knots), np.array(weights))
        pieces = [w * np.maximum(x - kn, 0.0) for kn, w in zip(knots, weights, strict=True)]
        st.plotly_chart(whyplots.relu_fit_figure(x, y, y, pieces, knots), config={"displaylogo": False},
                        alt="A sum of three shifted, weighted ReLUs.")
        st.caption("The default makes a 'hat': up at −1, down twice as steeply at 0, level again after 1.")
    state.end_section()


relu_panel(state)

# ---- 4. zero-centering -----------------------------------------------------------------------------------------
st.subheader("4. Zero-centred inputs: why sigmoid's outputs make gradient descent zig-zag")


@st.fragment
def zero_panel(state: PageState) -> None:
    state.section("zero")
    c1, c2 = st.columns([1, 3])
    lr = state.select_slider("Learning rate", "z.lr", LRS, zerocenter.DEFAULT_LR, where=c1,
                             format_func=lambda v: f"{v:g}", help="The same step size for both inputs.")
    seed = state.number("Seed", "z.seed", 0, 1_000_000, 0, where=c1, help="Same seed, same data.")
    pos = compute.cached("descent", (False, lr, seed), lambda: zerocenter.descent(False, lr=lr, seed=seed))
    cen = compute.cached("descent", (True, lr, seed), lambda: zerocenter.descent(True, lr=lr, seed=seed))
    for p in (pos, cen):
        c1.metric(p.label, f"{p.steps_to_converge} steps" if p.steps_to_converge else "did not converge",
                  help="Steps until the weights are within 1e-3 of the optimum.")
    share = compute.cached("signs", seed, lambda: zerocenter.per_sample_gradient_signs(seed))
    c1.caption(f"Per-example gradients with all-positive inputs whose two components share a sign: **{share:.0%}**.")
    (_, cap_pos), (_, cap_cen) = (compute.cached("curv", (c, seed), lambda c=c: zerocenter.curvature(c, seed))
                                  for c in (False, True))
    c1.caption(f"Largest learning rate that does not diverge (2/λ_max of the loss's Hessian): all-positive "
               f"**{cap_pos:.3g}**, centred **{cap_cen:.3g}**. The mean of 0.5 adds one steep direction along "
               "(1, 1): near its limit the positive path zig-zags across it, while the centred one is far from "
               "its own.")
    with c2:
        st.plotly_chart(whyplots.descent_figure([pos, cen]), config={"displaylogo": False},
                        alt="Gradient descent paths with positive and with zero-centred inputs.")
    state.end_section()


zero_panel(state)

with st.expander("More: the arguments behind these four demos"):
    st.markdown(page_text("why_nonlinear").split("\n\n", 1)[-1])
state.finish()
