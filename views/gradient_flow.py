"""Gradient flow: vanishing and exploding gradients through a deep MLP, initialization, clipping."""
import numpy as np
import streamlit as st

import activations
from activations import flowplots, gradflow
from ui import compute
from ui.params import param_widgets
from ui.text import page_text, preset_help
from ui.urlstate import PageState

PAGE = "gradient_flow"
WIDTHS = (8, 16, 32, 64, 128, 256, 512)
BATCHES = (16, 32, 64, 128, 256, 512, 1024)
SIGMAS = (0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
SCALES = (0.01, 0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
LRS = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
MAX_NORMS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0)
CLIP_VALUES = (0.01, 0.05, 0.1, 0.5, 1.0)
PROGRESS_ABOVE = 2e9  # depth * width^2 * batch above which a run takes long enough to deserve a progress bar
NET_KEYS = {"activation": "act", "depth": "depth", "width": "width", "init": "init", "sigma": "sigma",
            "bias_init": "bias", "bias_value": "bias_value", "input_mean": "in_mean", "input_scale": "in_scale",
            "batch": "batch", "seed": "seed"}
TRAIN_KEYS = {"activation": "t.act", "depth": "t.depth", "width": "t.width", "init": "t.init", "sigma": "t.sigma",
              "seed": "t.seed", "steps": "t.steps", "lr": "t.lr", "max_norm": "t.max_norm", "clip_value": "t.clip"}
DEFAULT_NET = gradflow.NetConfig(**gradflow.PRESETS["sigmoid-default"]["net"])
DEFAULT_TRAIN = gradflow.TrainConfig(net=gradflow.NetConfig(**gradflow.PRESETS["exploding"]["net"]),
                                     **gradflow.PRESETS["exploding"].get("train", {}))
KEYS = activations.keys_grouped()
NAME = {k: activations.get(k).name for k in KEYS}


def preset_values(name: str) -> tuple[dict, dict]:
    """(network controls, training controls) of a preset, URL key -> value. Every network control is set:
    the ones the preset names, and the rest to their defaults, so a preset gives the same view whatever came
    before. Training controls only for presets that name a training run."""
    preset = gradflow.PRESETS[name]
    net = gradflow.NetConfig(**preset["net"])
    values = {url: getattr(net, f) for f, url in NET_KEYS.items()}
    train = {}
    if "train" in preset:
        tc = gradflow.TrainConfig(net=net, **preset["train"])
        train = {url: getattr(net, f) if hasattr(net, f) else getattr(tc, f) for f, url in TRAIN_KEYS.items()}
    return values, train


def apply_preset(name: str) -> None:
    for values in preset_values(name):
        if values:
            PageState.apply(PAGE, values)


def preset_tooltip(name: str) -> str:
    preset = gradflow.PRESETS[name]
    shown = {"activation": ("activation", NAME.get), "depth": ("depth", str), "width": ("width", str),
             "init": ("init", gradflow.INIT_LABELS.get), "sigma": ("σ", "{:g}".format)}
    settings = [(shown[k][0], shown[k][1](v)) for k, v in preset["net"].items() if k in shown]
    settings += [(k.replace("_", " "), f"{v:g}") for k, v in preset.get("train", {}).items()]
    rest = "Every other network control goes back to its default"
    return preset_help(settings, rest + (", and the training run below uses the same net." if "train" in preset
                                         else "; the training run below is left as it is."))


def with_progress(run, cost: float, label: str):
    """Run `run(progress)`, with a progress bar if the job is big enough to be felt."""
    if cost < PROGRESS_ABOVE:
        return run(None)
    bar = st.progress(0.0, text=label)
    try:
        return run(lambda fraction, text: bar.progress(min(max(fraction, 0.0), 1.0), text=f"{label} {text}"))
    finally:
        bar.empty()


st.title("Gradient flow")
st.markdown(page_text("gradient_flow").split("\n\n")[0])  # the first paragraph; the rest is below the charts
state = PageState(PAGE)

st.markdown("**Presets**: one click sets every network control below (hover for what each one sets).")
cols = st.columns(len(gradflow.PRESETS))
for col, (name, preset) in zip(cols, gradflow.PRESETS.items(), strict=True):
    col.button(preset["label"], key=f"preset:{name}", on_click=apply_preset, args=(name,), width="stretch",
               help=preset_tooltip(name))


@st.fragment  # a control change reruns only the network and its charts, not the training section below
def probe_panel(state: PageState) -> None:
    state.section("probe")
    d = DEFAULT_NET
    controls, charts = st.columns([1, 2.6], gap="medium")
    with controls:
        act = state.selectbox("Activation", "act", KEYS, d.activation, format_func=NAME.get,
                              help="Any activation of the Explorer, through its PyTorch module.")
        spec = activations.get(act)
        act_params = param_widgets(state, spec, prefix=f"{act}.") if spec.params else {}
        depth = state.slider("Depth (hidden layers)", "depth", 1, 100, d.depth, 1,
                             help="Number of Linear → activation layers the gradient has to travel through.")
        width = state.select_slider("Width (units per layer)", "width", WIDTHS, d.width,
                                    help="Also the input size: every layer is width × width.")
        init = state.selectbox("Weight initialization", "init", gradflow.INIT_SCHEMES, d.init,
                               format_func=gradflow.INIT_LABELS.get,
                               help="How each Linear layer's weights are drawn before anything is trained.")
        sigma = d.sigma
        if init == "normal":
            sigma = state.select_slider("σ of N(0, σ²)", "sigma", SIGMAS, d.sigma, format_func=lambda v: f"{v:g}",
                                        help="Standard deviation of every weight. He for ReLU would be √(2/width).")
        bias = state.selectbox("Bias initialization", "bias", gradflow.BIAS_INITS, d.bias_init,
                               help="zeros; PyTorch's default U(−1/√fan_in, 1/√fan_in); or one constant.")
        bias_value = d.bias_value
        if bias == "constant":
            bias_value = state.slider("Bias value", "bias_value", -5.0, 5.0, d.bias_value, 0.1,
                                      help="Every bias starts at this value (negative values push ReLUs off).")
        in_mean = state.slider("Input mean", "in_mean", -5.0, 5.0, d.input_mean, 0.1,
                               help="Inputs are drawn from N(mean, scale²): standardized input has mean 0, scale 1.")
        in_scale = state.select_slider("Input scale", "in_scale", SCALES, d.input_scale,
                                       format_func=lambda v: f"{v:g}", help="Standard deviation of the inputs.")
        batch = state.select_slider("Batch size", "batch", BATCHES, d.batch, help="Inputs forwarded at once.")
        seed = state.number("Seed", "seed", 0, 1_000_000, d.seed,
                            help="Same seed, same weights and inputs: the same link gives the same numbers.")
    cfg = gradflow.NetConfig(activation=act, params=tuple(sorted(act_params.items())), depth=depth, width=width,
                             init=init, sigma=sigma, bias_init=bias, bias_value=bias_value, input_mean=in_mean,
                             input_scale=in_scale, batch=batch, seed=seed)
    with charts:
        res = with_progress(lambda p: compute.gradient_flow(cfg, p), depth * width * width * batch,
                            "Forward and backward pass…")
        for n in res.notes:
            state.note(n)
        first, last = res.weight_grad_norm[0], res.weight_grad_norm[-1]
        m1, m2, m3 = st.columns(3)
        ratio = first / last if np.isfinite(first) and np.isfinite(last) and last > 0 else float("nan")
        m1.metric("‖∂L/∂W‖ first layer ÷ last layer", f"{ratio:.2e}",
                  help="Below 1: the input side learns more slowly (vanishing). Far above 1: exploding.")
        m2.metric("std of h, first → last layer", f"{res.act_std[0]:.2g} → {res.act_std[-1]:.2g}")
        m3.metric(f"max |f′| of {spec.name}", f"{res.max_abs_df:.4g}",
                  help="Measured from f′ by the core; the dotted line is this to the power of the layers between.")
        st.plotly_chart(
            flowplots.grad_norm_figure(res.layers, res.weight_grad_norm, res.act_grad_norm, res.bound,
                                       f"activations alone: ‖∂L/∂h_L‖·{res.max_abs_df:.3g}^(L−l)"),
            config={"displaylogo": False},
            alt=f"Gradient norms per layer for {spec.name}, depth {depth}; first/last ratio {ratio:.1e}.")
        underflowed = int(np.sum(res.weight_grad_norm == 0))
        if underflowed:
            st.caption(f"In {underflowed} layer(s) the weight gradient underflowed to exactly 0 in float32: "
                       "those layers would not learn at all (they have no point on the log axis).")
        left, right = st.columns(2)
        left.plotly_chart(flowplots.mean_std_figure(res.layers, res.act_mean, res.act_std),
                          config={"displaylogo": False}, alt="Mean and standard deviation of activations per layer.")
        right.plotly_chart(flowplots.histogram_heatmap(res.layers, res.hist_edges, res.hist),
                           config={"displaylogo": False}, alt="Histogram of activation values, one row per layer.")

    st.subheader("Initialization")
    init_text = page_text("gradient_flow_init")
    a, b = st.columns([1.3, 1], gap="large")
    with a:
        st.markdown(init_text)
    with b:
        st.markdown(f"**This network**: gain used = **{res.gain:.4g}**. {res.gain_note}")
        st.plotly_chart(flowplots.weight_std_figure(res.layers, res.weight_std_measured, res.weight_std_expected),
                        config={"displaylogo": False}, alt="Expected and measured standard deviation of weights.")
        rows = gradflow.gain_table()
        st.markdown("`torch.nn.init.calculate_gain`, live:\n\n| nonlinearity | param | gain |\n|---|---|---|\n"
                    + "\n".join(f"| {n} | {p} | {g:.6g} |" for n, p, g in rows))
        chk = gradflow.default_linear_check(width, width, seed)
        st.markdown(
            f"**PyTorch's default `nn.Linear({width}, {width})`**, checked on a real layer: bound "
            f"1/√fan_in = **{chk.bound:.5g}**, largest |w| = {chk.max_abs_weight:.5g}; variance "
            f"{chk.weight_var:.4g} vs bound²/3 = {chk.expected_var:.4g}; largest |bias| = {chk.max_abs_bias:.5g} "
            f"≤ {chk.bias_bound:.5g}.")
    state.end_section()


@st.fragment  # training is the slow part: only its own controls rerun it
def train_panel(state: PageState) -> None:
    state.section("train")
    st.subheader("Exploding gradients and clipping")
    st.markdown("A short training run (1-D regression, y = sin 3x, full-batch SGD) three times from the same "
                "initial weights: without clipping, with `clip_grad_norm_` and with `clip_grad_value_`.")
    with st.expander("How clipping works, and how to read these charts"):
        st.markdown(page_text("gradient_flow_clipping"))
    d, dn = DEFAULT_TRAIN, DEFAULT_TRAIN.net
    c1, c2, c3, c4 = st.columns(4)
    act = state.selectbox("Activation", "t.act", KEYS, dn.activation, format_func=NAME.get, where=c1,
                          help="The activation of the trained network.")
    depth = state.slider("Depth", "t.depth", 1, 30, dn.depth, 1, where=c1, help="Hidden layers of the trained net.")
    width = state.select_slider("Width", "t.width", WIDTHS[:5], dn.width, where=c2, help="Units per hidden layer.")
    init = state.selectbox("Initialization", "t.init", gradflow.INIT_SCHEMES, dn.init, where=c2,
                           format_func=gradflow.INIT_LABELS.get, help="Too large a σ makes gradients explode.")
    sigma = dn.sigma
    if init == "normal":
        sigma = state.select_slider("σ", "t.sigma", SIGMAS, dn.sigma, where=c2, format_func=lambda v: f"{v:g}",
                                    help="Standard deviation of every weight.")
    lr = state.select_slider("Learning rate", "t.lr", LRS, d.lr, where=c3, format_func=lambda v: f"{v:g}",
                             help="Plain SGD step size.")
    steps = state.slider("Steps", "t.steps", 10, 500, d.steps, 10, where=c3, help="Full-batch SGD steps.")
    max_norm = state.select_slider("max_norm (clip_grad_norm_)", "t.max_norm", MAX_NORMS, d.max_norm, where=c4,
                                   format_func=lambda v: f"{v:g}", help="The global gradient norm is capped here.")
    clip_value = state.select_slider("clip_value (clip_grad_value_)", "t.clip", CLIP_VALUES, d.clip_value,
                                     where=c4, format_func=lambda v: f"{v:g}",
                                     help="Every gradient entry is clamped to [−clip_value, clip_value].")
    seed = state.number("Seed", "t.seed", 0, 1_000_000, dn.seed, where=c1, help="Same seed, same initial weights.")
    net = gradflow.NetConfig(activation=act, depth=depth, width=width, init=init, sigma=sigma, seed=seed)
    runs = []
    for clip, label in (("none", "no clipping"), ("norm", f"clip_grad_norm_({max_norm:g})"),
                        ("value", f"clip_grad_value_({clip_value:g})")):
        cfg = gradflow.TrainConfig(net=net, steps=steps, lr=lr, clip=clip, max_norm=max_norm, clip_value=clip_value)
        res = with_progress(lambda p, cfg=cfg: compute.train(cfg, p), depth * width * width * 256 * steps * 3,
                            f"Training ({label})…")
        runs.append((label, res))
    st.plotly_chart(flowplots.training_figure([(lab, r.steps, r.loss, r.grad_norm) for lab, r in runs]),
                    config={"displaylogo": False},
                    alt="Training loss and gradient norm per step, without and with gradient clipping.")
    for col, (label, r) in zip(st.columns(3), runs, strict=True):
        final = r.loss[np.isfinite(r.loss)]
        if r.diverged_at is not None:
            col.metric(label, f"diverged at step {r.diverged_at}")
        else:
            col.metric(label, f"final loss {final[-1]:.3g}" if final.size else "—")
        finite = r.grad_norm[np.isfinite(r.grad_norm)]
        col.caption(f"largest global gradient norm: {finite.max():.2e}" if finite.size
                    else "the gradient norm was not finite from the first step")
    state.end_section()


probe_panel(state)
train_panel(state)
with st.expander("More on vanishing and exploding gradients"):
    st.markdown(page_text("gradient_flow").split("\n\n", 1)[-1])
state.finish()
