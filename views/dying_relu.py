"""Dying ReLU: train a small MLP on 2-D data, watch units die, and compare the fixes from the same weights."""
import numpy as np
import streamlit as st

import activations
from activations import dying, dyingplots
from ui import compute
from ui.params import param_widgets
from ui.text import page_text, preset_help
from ui.urlstate import PageState

PAGE = "dying_relu"
LRS = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
UNITS = (4, 8, 16, 32, 64, 128)
SIZES = (100, 200, 500, 1000, 2000)
KEYS = activations.keys_grouped()
NAME = {k: activations.get(k).name for k in KEYS}
D = dying.TrainConfig()
FIELDS = {"activation": "act", "layers": "layers", "units": "units", "optimizer": "opt", "lr": "lr", "init": "init",
          "bias_init": "bias", "bias_value": "bias_value", "steps": "steps", "seed": "seed"}
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD + momentum 0.9", "adam": "Adam"}
DATA_FIELDS = {"name": "data", "n": "n", "noise": "noise", "seed": "data_seed"}


def preset_values(name: str) -> dict:
    """Every control of the experiment, URL key -> value: the preset's, and the rest at their defaults."""
    cfg = dying.preset_config(name)
    values = {url: getattr(cfg, f) for f, url in FIELDS.items()}
    values.update({url: getattr(cfg.data, f) for f, url in DATA_FIELDS.items()})
    return values


def apply_preset(name: str) -> None:
    PageState.apply(PAGE, preset_values(name))


def preset_tooltip(name: str) -> str:
    train = dying.PRESETS[name]["train"]
    shown = {"activation": ("activation", NAME.get), "optimizer": ("optimizer", OPTIMIZER_NAMES.get),
             "lr": ("learning rate", "{:g}".format), "bias_value": ("constant bias", "{:g}".format)}
    settings = [(shown[k][0], shown[k][1](v)) for k, v in train.items() if k in shown]
    settings += [("data", train["data"]["name"])] if "data" in train else []
    return preset_help(settings, "Every other control goes back to its default.")


st.title("Dying ReLU")
st.markdown(page_text("dying_relu").split("\n\n")[0])
state = PageState(PAGE)
st.markdown("**Presets**: one click sets every control below (hover for what each one sets).")
for col, (name, preset) in zip(st.columns(len(dying.PRESETS)), dying.PRESETS.items(), strict=True):
    col.button(preset["label"], key=f"preset:{name}", on_click=apply_preset, args=(name,), width="stretch",
               help=preset_tooltip(name))


@st.fragment  # a control change retrains here without redrawing the page's text or the sweep
def experiment(state: PageState) -> None:
    state.section("experiment")
    controls, main = st.columns([1, 2.6], gap="medium")
    with controls:
        st.markdown("**Data**")
        data_name = state.selectbox("Data set", "data", dying.DATASETS, D.data.name, help="2-D toy data, two classes.")
        n = state.select_slider("Points", "n", SIZES, D.data.n, help="Training points (full batch).")
        noise = state.slider("Noise", "noise", 0.0, 1.0, D.data.noise, 0.05, help="Gaussian jitter on the points.")
        data_seed = state.number("Data seed", "data_seed", 0, 1_000_000, D.data.seed, help="Same seed, same points.")
        st.markdown("**Network and training**")
        act = state.selectbox("Activation", "act", KEYS, D.activation, format_func=NAME.get,
                              help="The hidden layers' activation.")
        spec = activations.get(act)
        params = param_widgets(state, spec, prefix=f"{act}.") if spec.params else {}
        layers = state.slider("Hidden layers", "layers", 1, 4, D.layers, 1, help="1 to 4 hidden layers.")
        units = state.select_slider("Units per layer", "units", UNITS, D.units, help="Width of each hidden layer.")
        opt = state.selectbox("Optimizer", "opt", dying.OPTIMIZERS, D.optimizer,
                              format_func=OPTIMIZER_NAMES.get,
                              help="Full-batch updates.")
        lr = state.select_slider("Learning rate", "lr", LRS, D.lr, format_func=lambda v: f"{v:g}",
                                 help="Too high a step knocks ReLU units off the data for good.")
        init = state.selectbox("Weight init", "init", dying.INITS, D.init, help="How the weights start.")
        bias = state.selectbox("Bias init", "bias", ("default", "constant"), D.bias_init,
                               help="PyTorch's default, or one value for every bias.")
        bias_value = D.bias_value
        if bias == "constant":
            bias_value = state.slider("Bias value", "bias_value", -10.0, 10.0, D.bias_value, 0.5,
                                      help="A strongly negative bias starts ReLU units off for every point.")
        steps = state.slider("Steps", "steps", 10, 1000, D.steps, 10, help="Full-batch training steps.")
        seed = state.number("Weight seed", "seed", 0, 1_000_000, D.seed,
                            help="Same seed, same initial weights, whatever the activation.")
    data = dying.DataConfig(name=data_name, n=n, noise=noise, seed=data_seed)
    cfg = dying.TrainConfig(data=data, activation=act, params=tuple(sorted(params.items())), layers=layers,
                            units=units, optimizer=opt, lr=lr, init=init, bias_init=bias, bias_value=bias_value,
                            steps=steps, record_every=max(1, steps // 60), seed=seed,
                            grid=40)  # 40x40 per frame keeps 61 frames under a megabyte; zsmooth hides the cells
    with main:
        with st.spinner("Training…"):
            run = compute.dying_train(cfg)
        for note in run.notes:
            state.note(note)
        m1, m2, m3 = st.columns(3)
        m1.metric("dead hidden units at the end",
                  f"{run.final_dead_fraction:.0%}" if np.isfinite(run.final_dead_fraction) else "— (diverged)",
                  help="Dead: f′(z) = 0 for every training point, so no gradient ever reaches its weights.")
        ok = np.isfinite(run.loss)
        m2.metric("final accuracy", f"{run.accuracy[ok][-1]:.0%}" if ok.any() else "—")
        m3.metric("final loss", f"{run.loss[-1]:.3g}" if ok[-1] else "diverged")
        st.plotly_chart(dyingplots.training_animation(run), config={"displaylogo": False},
                        alt=f"Training animation of {NAME[act]} on {data_name}: decision boundary and unit lines.")
        st.caption("Each line is one first-layer unit's w·x + b = 0. A unit is alive on one side of its line; "
                   "a dotted grey line has every point on its dead side. Press ▶ or drag the step slider.")

    st.subheader("The fixes, from the same initial weights")
    f1, f2 = st.columns([1, 3])
    fix = state.selectbox("Compare with", "fix", KEYS, "leaky_relu", format_func=NAME.get, where=f1,
                          help="Trained with the same data, seed and initial weights; only the activation differs.")
    fix_cfg = dying.TrainConfig(**{**cfg.__dict__, "activation": fix, "params": ()})
    with st.spinner("Training the fix…"):
        fixed = compute.dying_train(fix_cfg)
    f1.metric(f"dead units: {NAME[act]}", f"{run.final_dead_fraction:.0%}")
    f1.metric(f"dead units: {NAME[fix]}", f"{fixed.final_dead_fraction:.0%}")
    f1.metric(f"accuracy: {NAME[fix]}", f"{fixed.accuracy[-1]:.0%}" if np.isfinite(fixed.accuracy[-1]) else "—")
    with f2:
        st.plotly_chart(dyingplots.dead_curves([(NAME[act], run), (NAME[fix], fixed)]), config={"displaylogo": False},
                        alt="Share of dead units per layer over training for both activations.")
    b1, b2 = st.columns(2)
    b1.plotly_chart(dyingplots.boundary_figure(run, f"{NAME[act]} after {steps} steps"),
                    config={"displaylogo": False}, alt=f"Final decision boundary of {NAME[act]}.")
    b2.plotly_chart(dyingplots.boundary_figure(fixed, f"{NAME[fix]} after {steps} steps (same start)"),
                    config={"displaylogo": False}, alt=f"Final decision boundary of {NAME[fix]}.")

    st.subheader("PReLU and RReLU")
    which = state.radio("Show", "learned", ("prelu", "rrelu"), "prelu", format_func=NAME.get,
                        help="Trained with the same settings and initial weights.")
    other = compute.dying_train(dying.TrainConfig(**{**cfg.__dict__, "activation": which, "params": ()}))
    if which == "prelu" and other.prelu_slopes is not None:
        st.plotly_chart(dyingplots.prelu_figure(other), config={"displaylogo": False},
                        alt="PReLU's learned negative slope per layer over training.")
        st.caption("Each layer's slope starts at 0.25 and is learned with the weights; at the end: "
                   + ", ".join(f"layer {i + 1}: {v:.3g}" for i, v in enumerate(other.prelu_slopes[-1])) + ".")
    elif which == "rrelu" and other.rrelu_train_slopes is not None:
        st.plotly_chart(dyingplots.rrelu_figure(other), config={"displaylogo": False},
                        alt="Histogram of RReLU's random training slopes and its fixed evaluation slope.")
        st.caption("In training every negative input gets its own random slope from U(lower, upper); in evaluation "
                   f"the slope is fixed at their mean, {other.rrelu_eval_slope:.4g}.")
    state.end_section()
    st.session_state["_dying_base"] = cfg  # the sweep below starts from this experiment's settings


experiment(state)

st.subheader("Learning-rate sweep")
st.markdown("Final share of dead units against the learning rate, for ReLU and LeakyReLU, three seeds each, "
            "on the data and network above (8 learning rates × 3 seeds × 2 activations = 48 trainings).")
base = st.session_state.get("_dying_base", D)
if st.button("Run the sweep", key="run_sweep", help="About 48 short trainings; a progress bar shows how far it is."):
    bar = st.progress(0.0, text="Sweeping…")
    compute.dying_sweep(base, lambda f, t: bar.progress(min(max(f, 0.0), 1.0), text=f"Sweeping… {t}"))
    bar.empty()
sweep = compute.dying_sweep_cached(base)
if sweep is not None:
    st.plotly_chart(dyingplots.sweep_figure(sweep), config={"displaylogo": False},
                    alt="Dead units at the end against the learning rate for ReLU and LeakyReLU.")
    worst = [np.nanmax(np.nanmean(sweep.dead[i], axis=1)) for i in range(len(sweep.activations))]
    blown = int(np.isnan(sweep.dead).sum())
    st.caption(f"At worst {worst[0]:.0%} of ReLU units end dead (mean over seeds); LeakyReLU: {worst[1]:.0%}. "
               "CS231n quotes up to 40% with too high a learning rate."
               + (f" {blown} run(s) blew up (loss not finite) and are left out." if blown else ""))
else:
    st.caption("Press the button to run it for the current settings.")

with st.expander("Why units die, and how the fixes work"):
    st.markdown(page_text("dying_relu").split("\n\n", 1)[-1])
state.finish()
