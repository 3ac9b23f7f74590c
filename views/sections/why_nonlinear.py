"""Why non-linear's sections, drawn by its page and by lesson steps: collapse, XOR, ReLU sums, zero-centring."""
from __future__ import annotations

from functools import partial

import numpy as np
import streamlit as st

from charts import why
from i18n import _, _f, fill, ngettext
from i18n.numbers import num, percent
from labs import nonlinear, zerocenter
from labs.codegen import nonlinear as codegen
from ui import cache, own, page, takehome
from ui.urlstate import PageState
from ui.widgets import activation_name

MAX_TERMS_SHOWN = 16  # beyond this many, the single ReLU terms are a grey smear: the chart leaves them out


def matrix_tex(m: np.ndarray, name: str) -> str:
    rows = [" & ".join(format(v, ".2f") for v in row) for row in np.atleast_2d(m)]  # math: not localized
    return r"\underbrace{\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}}_{" + name + "}"


@st.fragment
def collapse_panel(state: PageState) -> nonlinear.Collapse:
    state.section("collapse")
    seed = state.widget(nonlinear.COLLAPSE.seed, where=st.columns([1, 3])[0])
    c = nonlinear.linear_collapse(seed)
    # One equation in the order the product is written, as inline math: KaTeX may break an inline formula after
    # "·" and "=", so on a phone the matrices wrap onto new lines instead of being clipped.
    w1, w2, w3 = (f"W_{i} ({m.shape[0]}×{m.shape[1]})" for i, m in enumerate(c.weights, start=1))
    parts = [matrix_tex(c.weights[2], w3), matrix_tex(c.weights[1], w2), matrix_tex(c.weights[0], w1)]
    st.markdown(r"$\displaystyle " + r" \cdot ".join(parts) + " = "
                + matrix_tex(c.product, f"W ({c.product.shape[0]}×{c.product.shape[1]})") + "$")
    st.markdown(_f("Three layers applied one after another, and the single matrix $W = W_3W_2W_1$, give the same "
                   "outputs on {n} random inputs: the largest difference is **{diff:.1e}**, float64 round-off. "
                   "Depth without a non-linearity adds nothing a single layer couldn't do.",
                   n=len(c.x), diff=c.max_abs_diff))
    state.end_section()
    return c


@st.fragment
def xor_panel(state: PageState) -> dict[str, nonlinear.XorFit]:
    state.section("xor")
    X = nonlinear.XOR
    cols = st.columns(4)
    values = {c.name: state.widget(c, where=col, format_func=activation_name if c is X.activation else None)
              for c, col in zip(X, cols, strict=True)}
    values["activation"] = own.key_for(state, values["activation"])  # "own": the learner's formula
    cfg = nonlinear.XorConfig(**values)
    runs = {kind: cfg.for_kind(kind) for kind in nonlinear.XOR_KINDS}  # the linear net has no activation
    with st.spinner(_("Training both…")):
        lin, non = (cache.lab("xor", (kind, run), partial(nonlinear.train_xor, kind, run))
                    for kind, run in runs.items())
    name = activation_name(cfg.activation)
    left, right = st.columns(2)
    left.metric(fill(ngettext("deep linear ({n} layer)", "deep linear ({n} layers)", cfg.depth), n=cfg.depth),
                _f("accuracy {acc}", acc=percent(lin.accuracy)),
                help=_("No straight line gets more than 3 of XOR's 4 clusters right; trained on this loss, the best "
                       "a linear model can do is to say 1/2 everywhere."))
    page.chart(why.boundary_figure(lin), where=left,
               alt=_f("XOR with a linear net: accuracy {acc}.", acc=percent(lin.accuracy)))
    right.metric(_f("one hidden {name} layer", name=name), _f("accuracy {acc}", acc=percent(non.accuracy)))
    page.chart(why.boundary_figure(non, name), where=right,
               alt=_f("XOR with a {name} layer: accuracy {acc}.", name=name, acc=percent(non.accuracy)))
    takehome.section(state, "why_nonlinear", codegen.TITLE, partial(codegen.parts, cfg), codegen.INTRO,
                     codegen.PART_TEXTS)
    state.end_section()
    return {"linear": lin, "nonlinear": non}


@st.fragment
def relu_panel(state: PageState) -> nonlinear.ReluFit | nonlinear.ReluSum:
    state.section("relus")
    R = nonlinear.RELUS
    mode = state.widget(R.mode)
    if mode == "fit":
        c1, c2 = st.columns([1, 3])
        tgt = state.widget(R.target, where=c1)
        k = state.widget(R.k, where=c1)
        fit = cache.lab("relufit", (tgt, k), partial(nonlinear.fit_relus, tgt, k))
        c1.metric(_("mean squared error"), fill("{v:.2e}", v=fit.mse))
        c1.metric(_("largest error"), fill("{v:.2e}", v=fit.max_err))
        target_name = _(nonlinear.TARGET_LABELS[tgt])
        page.chart(why.relu_fit_figure(fit.x, fit.y, fit.approx, fit.terms if k <= MAX_TERMS_SHOWN else (),
                                       fit.knots), where=c2,
                   alt=fill(ngettext("{n} ReLU fitted to {target}; MSE {mse:.1e}.",
                                     "{n} ReLUs fitted to {target}; MSE {mse:.1e}.", k),
                            n=k, target=target_name, mse=fit.mse))
        ks, mses = cache.lab("relu_errors", tgt, partial(nonlinear.error_curve, tgt))
        page.chart(why.error_curve_figure(ks, mses),
                   alt=_f("Fitting error against the number of ReLUs for {target}.", target=target_name))
    else:
        cols = st.columns(len(nonlinear.HAND_KNOTS))
        values = {}
        for col, knot, weight in zip(cols, nonlinear.HAND_KNOTS, nonlinear.HAND_WEIGHTS, strict=True):
            values |= state.widgets(R, where=col, only=(knot, weight))
        s = nonlinear.hand_sum(values)
        page.chart(why.relu_fit_figure(s.x, s.y, s.y, s.terms, s.knots),
                   alt=_("A sum of three shifted, weighted ReLUs."))
        # Translators: "slope" is the steepness of the drawn curve (of a line), not a gradient of the loss
        st.caption(_("The default makes a “hat”: it rises with slope +1 from −1, falls with slope −1 from 0 (as "
                     "steeply as it rose: the slope changes by −2 there, twice as much as at −1 and 1) and is level "
                     "again after 1."))
    state.end_section()
    return fit if mode == "fit" else s


@st.fragment
def zero_panel(state: PageState) -> zerocenter.Comparison:
    state.section("zero")
    c1, c2 = st.columns([1, 3])
    cfg = zerocenter.ZeroConfig(**state.widgets(zerocenter.ZERO, where=c1))
    z = cache.lab("zerocenter", cfg, partial(zerocenter.compare, cfg))
    for p in (z.positive, z.centred):
        n = p.steps_to_converge
        # Translators: steps of gradient descent until the weights reach the optimum
        steps = fill(ngettext("{n} step", "{n} steps", n), n=n) if n is not None else _("did not converge")
        c1.metric(_(p.label), steps, help=_("Steps until the weights are within 1e-3 of the optimum."))
    c1.caption(_f("Per-example gradients with all-positive inputs whose two components share a sign: **{share}**.",
                  share=percent(z.share_same_sign)))
    c1.caption(_f("Largest learning rate that does not diverge (2/λ_max of the loss's Hessian): all-positive "
                  "**{positive:.3g}**, centred **{centred:.3g}**. The mean of 0.5 adds one steep direction along "
                  "(1, 1): near its limit the positive path zig-zags across it, while the centred one is far from "
                  "its own.", positive=z.limit_positive, centred=z.limit_centred))
    page.chart(why.descent_figure([z.positive, z.centred]), where=c2,
               alt=_("Gradient descent paths with positive and with zero-centred inputs."))
    st.markdown(bias_shift_table(cfg.seed))
    state.end_section()
    return z


def bias_shift_table(seed: int) -> str:
    """The bias shift of zerocenter.bias_shift, measured at the section's seed, as a Markdown table."""
    rows = cache.lab("biasshift", seed, partial(zerocenter.bias_shift, seed))
    n = zerocenter.SHIFT_ROWS
    head = ("| " + " | ".join((_("activation"), _("mean μ of its outputs"), _("shift of the next layer's unit means"),
                                _("std within a unit"), _("shift ÷ std"), _("chance alone: std ÷ √n")))
            + " |\n|---|---|---|---|---|---|\n")
    body = "\n".join(fill("| {name} | {mean} | {shift} | {std} | {ratio} | {chance} |", name=activation_name(r.key),
                          mean=num(r.out_mean, "+.3f"), shift=num(r.shift, ".3f"), std=num(r.spread, ".3f"),
                          ratio=num(r.ratio, ".2f"), chance=num(r.spread / n**0.5, ".3f"))
                     for r in rows)
    return (_f("**Bias shift, measured on one layer** ({n} standardized inputs, {width} units, LeCun-normal weights, "
               "seed {seed}): unit j of the next layer computes Σᵢ wⱼᵢ hᵢ, so the mean μ of this layer's outputs "
               "reaches it as an extra bias μ·Σᵢ wⱼᵢ. The shift is the root mean square of these biases over the "
               "next layer's units.", n=n, width=zerocenter.SHIFT_WIDTH, seed=seed)
            + "\n\n" + head + body)
