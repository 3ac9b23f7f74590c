"""Gradient flow's sections, drawn by its page and by lesson steps: the probe of a deep net and the clipping run."""
from __future__ import annotations

from functools import partial

import streamlit as st

from charts import gradflow as plots
from i18n import _, _f, fill, ngettext, pgettext, render
from i18n.numbers import num
from labs import gradflow, inits
from labs.codegen import gradflow as codegen
from labs.progress import is_long
from ui import cache, own, page, takehome
from ui.text import page_text
from ui.urlstate import PageState
from ui.widgets import activation_name

P, T = gradflow.PROBE, gradflow.TRAIN


@st.fragment  # a control change reruns only the network and its charts, not the training section below
def probe_panel(state: PageState) -> gradflow.FlowResult:
    state.section("probe")
    controls, charts = page.split(state, [1, 2.6])
    with controls:
        act, spec, params = own.pick(state, P.activation, format_func=activation_name)
        values = {"activation": act, **state.widgets(P, only=[c.name for c in P if c is not P.activation])}
    cfg = gradflow.NetConfig.of(values, params)
    with charts:
        res = page.with_progress(lambda p: cache.lab("flow", cfg, partial(gradflow.gradient_flow, cfg), 48, p),
                                 _("Forward and backward pass…"),
                                 show=is_long(gradflow.seconds(cfg)) and cache.peek("flow", cfg) is None)
        for n in res.notes:
            state.note(n)
        ratio = res.first_last_ratio
        m1, m2, m3 = st.columns(3)
        m1.metric(_("‖∂L/∂W‖ first layer ÷ last layer"), num(ratio, ".2e"),
                  help=_("Below 1: the input side learns more slowly (vanishing). Far above 1: exploding."))
        m2.metric(_("std of h, first → last layer"),
                  fill("{a} → {b}", a=num(res.act_std[0], ".2g"), b=num(res.act_std[-1], ".2g")))
        m3.metric(_f("max |f′| of {name}", name=spec.name), num(res.max_abs_df, ".4g"),
                  help=_("Measured from f′ by the core; the dotted line is this to the power of the layers between."))
        page.preset_caption(state, gradflow.PRESETS, list(P), res)
        page.chart(plots.grad_norm_figure(res.layers, res.weight_grad_norm, res.act_grad_norm, res.bound,
                                          res.max_abs_df),
                   alt=_f("Gradient norms per layer for {name}, depth {depth}; first/last ratio {ratio}.",
                          name=spec.name, depth=cfg.depth, ratio=num(ratio, ".1e")))
        if res.underflowed_layers:
            st.caption(fill(ngettext(
                "In {n} layer the weight gradient underflowed to exactly 0 in float32: that layer would not learn "
                "at all (it has no point on the log axis).",
                "In {n} layers the weight gradient underflowed to exactly 0 in float32: those layers would not "
                "learn at all (they have no point on the log axis).", res.underflowed_layers),
                n=res.underflowed_layers))
        left, right = st.columns(2)
        page.chart(plots.mean_std_figure(res.layers, res.act_mean, res.act_std), where=left,
                   alt=_("Mean and standard deviation of activations per layer."))
        page.chart(plots.histogram_heatmap(res.layers, res.hist_edges, res.hist), where=right,
                   alt=_("Histogram of activation values, one row per layer."))

    if state.extras:  # the initialization part: the lab page's (a lesson step's where it asks for it)
        st.subheader(_("Initialization"))
        text, live = st.columns([1.3, 1], gap="large")
        text.markdown(page_text("gradient_flow", "init"))
        # the text's ReLU + default-init example, measured at the page's seed instead of a number typed into the prose
        ref = gradflow.NetConfig(activation="relu", init="default", bias_init="zeros", depth=20, seed=cfg.seed)
        r = cache.lab("flow", ref, partial(gradflow.gradient_flow, ref), 48)
        text.markdown(_f("**Measured at the page's seed ({seed})**, ReLU with PyTorch's default init and zero biases, "
                         "depth {depth}, width {width}: ‖∂L/∂W‖ first ÷ last = **{ratio}**, while ‖∂L/∂h‖ first ÷ last "
                         "= {h_ratio} and the std of h goes from {first} at layer 1 to {last} at layer {depth}.",
                         seed=ref.seed, depth=ref.depth, width=ref.width, ratio=num(r.first_last_ratio, ".2f"),
                         h_ratio=num(r.act_grad_norm[0] / r.act_grad_norm[-1], ".1e"), first=num(r.act_std[0], ".2g"),
                         last=num(r.act_std[-1], ".1e")))
        with live:
            st.markdown(_f("**This network**: gain used = **{gain:.4g}**. {note}", gain=res.gain, note=res.gain_note))
            page.chart(plots.weight_std_figure(res.layers, res.weight_std_measured, res.weight_std_expected),
                       alt=_("Expected and measured standard deviation of weights."))
            rows = "\n".join(fill("| {name} | {param} | {gain:.6g} |", name=n, param=render(p) if p else "—", gain=g)
                             for n, p, g in inits.gain_table())
            st.markdown(_f("`torch.nn.init.calculate_gain`, live:\n\n| nonlinearity | param | gain |\n|---|---|---|\n"
                           "{rows}", rows=rows))
            w, seed = cfg.width, cfg.seed
            chk = cache.lab("linear_check", (w, seed), partial(inits.default_linear_check, w, w, seed), 16)
            st.markdown(_f(
                "**PyTorch's default `nn.Linear({width}, {width})`**, checked on a real layer: bound 1/√fan_in = "
                "**{bound:.5g}**, largest |w| = {max_w:.5g}; variance {var:.4g} vs bound²/3 = {expected:.4g}; largest "
                "|bias| = {max_b:.5g} ≤ {bias_bound:.5g}.", width=w, bound=chk.bound, max_w=chk.max_abs_weight,
                var=chk.weight_var, expected=chk.expected_var, max_b=chk.max_abs_bias, bias_bound=chk.bias_bound))
    takehome.section(state, "gradient_flow", codegen.TITLE, partial(codegen.parts, cfg), codegen.INTRO,
                     codegen.PART_TEXTS)
    state.end_section()
    return res


@st.fragment  # training is the slow part: only its own controls rerun it
def train_panel(state: PageState) -> tuple:
    state.section("train")
    st.subheader(_("Exploding gradients and clipping"))
    st.markdown(_("A short training run (1-D regression, y = sin 3x, full-batch SGD) three times from the same "
                  "initial weights: without clipping, with `clip_grad_norm_` and with `clip_grad_value_`."))
    with st.expander(_("How clipping works, and how to read these charts")):
        st.markdown(page_text("gradient_flow", "clipping"))
    c1, c2, c3, c4 = st.columns(4)
    values = {"activation": own.key_for(state, state.widget(T.activation, where=c1, format_func=activation_name)),
              **state.widgets(T, c1, only=["depth"]), **state.widgets(T, c2, only=["width", "init", "sigma"]),
              **state.widgets(T, c3, only=["lr", "steps"]), **state.widgets(T, c4, only=["max_norm", "clip_value"]),
              **state.widgets(T, c1, only=["seed"])}
    cfg = gradflow.TrainConfig.of(values)
    parts = [((cfg, clip), partial(gradflow.clip_run, cfg, clip)) for clip in gradflow.CLIPS]  # side by side
    runs = page.with_progress(lambda p: cache.lab_parts("train", cfg, parts, tuple, 16, p,
                                                        part_seconds=gradflow.seconds(cfg) / len(parts)),
                              _("Training three times from the same initial weights…"),
                              show=is_long(gradflow.seconds(cfg)) and cache.peek("train", cfg) is None)
    labels = [render(r.label) for r in runs]
    page.chart(plots.training_figure([(lab, r.result.steps, r.result.loss, r.result.grad_norm)
                                      for lab, r in zip(labels, runs, strict=True)]),
               alt=_("Training loss and gradient norm per step, without and with gradient clipping."))
    for col, label, run in zip(st.columns(len(runs)), labels, runs, strict=True):
        r = run.result
        if r.diverged_at is not None:
            col.metric(label, _f("diverged at step {step}", step=r.diverged_at))
        else:
            col.metric(label, _f("final loss {loss:.3g}", loss=r.final_loss) if r.final_loss is not None else "—")
        col.caption(fill(pgettext("backprop", "largest global gradient norm: {norm:.2e}"), norm=r.largest_grad_norm)
                    if r.largest_grad_norm is not None
                    else pgettext("backprop", "the gradient norm was not finite from the first step"))
    takehome.section(state, "gradient_flow_clipping", codegen.CLIP_TITLE, partial(codegen.clip_parts, cfg),
                     codegen.CLIP_INTRO, codegen.CLIP_TEXTS)
    state.end_section()
    return runs
