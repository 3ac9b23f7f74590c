"""Take it home (labs.codegen): the exported scripts and notebooks reproduce the page's numbers. The notebook runs
top to bottom in a fresh kernel, and every generated script runs in that process as a script runs: each prints
figures bit-identical to what the lab returns for the same config. The parts they share match the lab's own (the
same data, the same modules); the code passes ruff; hostile values never reach it."""
import json
import math
import re
import subprocess
import sys

import nbformat
import numpy as np
import pytest

import activations
import i18n
from labs import dying, gradflow, nonlinear, realdata, selfnorm, toydata
from labs.codegen import common, notebook
from labs.codegen import dying as gen
from labs.codegen import function as fn_gen
from labs.codegen import gradflow as flow_gen
from labs.codegen import nonlinear as xor_gen
from labs.codegen import realdata as race_gen
from labs.codegen import selfnorm as sn_gen
from labs.seeding import one_thread

pytest.importorskip("torch")

# Small configs at two different seeds, between them every optimizer, both inits drawn again, a constant bias, three
# data sets, and the activations whose slope is learned (PReLU) or random in training (RReLU, a stream of its own)
CONFIGS = {
    "relu-sgd-seed0": dict(n=200, steps=40, units=16, seed=0, data_seed=0),
    "rrelu-adam-seed3": dict(n=200, steps=30, units=8, seed=3, data_seed=2, activation="rrelu", optimizer="adam",
                             lr=0.03, init="kaiming_normal", bias_init="constant", bias_value=-0.5, dataset="circles"),
    "prelu-momentum-seed3": dict(n=200, steps=30, units=8, layers=3, seed=3, activation="prelu",
                                 optimizer="momentum", lr=0.1, init="xavier_normal", dataset="spiral"),
}

# Gradient flow's probe at two seeds: another init with a constant bias and a shifted input, Xavier with tanh's gain
FLOW_CONFIGS = {
    "flow-leaky-he-seed5": dict(activation="leaky_relu", depth=6, width=16, batch=32, init="kaiming_normal", seed=5,
                                bias_init="constant", bias_value=0.1, input_mean=1.0),
    "flow-tanh-xavier-seed2": dict(activation="tanh", depth=12, width=16, batch=32, init="xavier_normal", seed=2),
}


def flow_config(values: dict) -> gradflow.NetConfig:
    return gradflow.NetConfig.of({**gradflow.PROBE.defaults(), **values},
                                 activations.get(values["activation"]).defaults)


def flow_figures(cfg: gradflow.NetConfig) -> dict:
    r = one_thread(lambda: gradflow.gradient_flow(cfg))
    return {"weight_grad": [float(v) for v in r.weight_grad_norm], "act_grad": [float(v) for v in r.act_grad_norm],
            "std": [float(v) for v in r.act_std], "mean": [float(v) for v in r.act_mean],
            "ratio": r.first_last_ratio, "loss": r.loss}


# Gradient flow's clipping run at two seeds: the page's exploding net (it diverges unclipped), and tanh with Xavier
CLIP_CONFIGS = {
    "clip-exploding-seed0": dict(steps=30),
    "clip-tanh-seed3": dict(activation="tanh", depth=5, width=8, init="xavier_normal", seed=3, steps=30, lr=0.1),
}


def clip_config(values: dict) -> gradflow.TrainConfig:
    return gradflow.TrainConfig.of({**gradflow.TRAIN.defaults(), **values})


def clip_figures(cfg: gradflow.TrainConfig) -> dict:
    runs = [one_thread(lambda c=c: gradflow.clip_run(cfg, c)) for c in gradflow.CLIPS]
    return {r.clip: {"final_loss": r.result.final_loss, "largest_grad_norm": r.result.largest_grad_norm,
                     "diverged_at": r.result.diverged_at} for r in runs}


# Real data's race at small settings, two seed ranges: the digits with matched inits (He, Xavier's gain, LeCun), and
# breast cancer with the default init and Adam
RACE_CONFIGS = {
    "race-digits-seed0": dict(activations=["relu", "tanh", "selu"], seeds=2, epochs=3, width=16),
    "race-cancer-seed5": dict(data="breast_cancer", activations=["sigmoid", "elu"], seeds=2, epochs=2, seed=5,
                              init="default", optimizer="adam", lr=0.01, depth=3),
}


def race_config(values: dict) -> realdata.RaceConfig:
    return realdata.RaceConfig.of({**realdata.RACE.defaults(), **values}).clamped()[0]


def race_figures(cfg: realdata.RaceConfig) -> dict:
    res = one_thread(lambda: realdata.assemble(cfg, [realdata.run_part(cfg, k, s) for k, s in
                                                      realdata.race_parts(cfg)]))
    return {k: {"test": [float(v) for v in res.final[a]], "train": [float(v) for v in res.train_accuracy[a]]}
            for a, k in enumerate(res.keys)}


# Why non-linear's XOR nets at two seeds: the page's ReLU, and tanh on a shallower linear stack
XOR_CONFIGS = {
    "xor-relu-seed0": dict(steps=150),
    "xor-tanh-seed3": dict(activation="tanh", depth=2, hidden=4, seed=3, steps=100),
}


def xor_figures(cfg: nonlinear.XorConfig) -> dict:
    lin = one_thread(lambda: nonlinear.train_xor("linear", cfg.for_kind("linear")))
    non = one_thread(lambda: nonlinear.train_xor("nonlinear", cfg.for_kind("nonlinear")))
    return {"linear": lin.accuracy, "nonlinear": non.accuracy, "linear_loss": float(lin.loss[-1]),
            "nonlinear_loss": float(non.loss[-1])}


# Self-normalizing nets at two seeds: LeCun with three activations and residual blocks with dropout; Xavier's
# per-activation gain with AlphaDropout and a shifted input
SN_CONFIGS = {
    "sn-lecun-residual-seed0": (dict(depth=8, width=16, batch=10, dropout="dropout", residual=True),
                                ("selu", "relu", "tanh")),
    "sn-xavier-alpha-seed4": (dict(depth=8, width=16, batch=10, init="xavier_normal", dropout="alpha_dropout",
                                   seed=4, input_mean=0.5), ("selu", "elu", "sigmoid")),
}


def sn_config(values: dict) -> selfnorm.SNConfig:
    return selfnorm.SNConfig(**{**{k: v for k, v in selfnorm.SCHEMA.defaults().items() if k != "acts"}, **values})


def sn_figures(cfg: selfnorm.SNConfig, acts) -> dict:
    res = one_thread(lambda: selfnorm.depth_stats(cfg, acts))
    return {k: {"mean": [float(v) for v in res.mean[k]], "std": [float(v) for v in res.std[k]]} for k in acts}


def own(formula: str) -> str:
    """The key of a learner's formula, registered as the own page registers it (labs.own.spec)."""
    from labs import own as own_lab

    key = activations.own_key(own_lab.normalized(formula)[0])
    own_lab.spec(key, own_lab.default_ranges(formula), own_lab.default_values(formula))
    return key


def config(values: dict) -> dying.TrainConfig:
    return dying.config({**dying.DATA.defaults(), **dying.TRAIN.defaults(), **values},
                        activations.get(values.get("activation", "relu")).defaults)


def figures(out: str) -> list[dict]:
    return [json.loads(line.split(" ", 1)[1]) for line in out.splitlines() if line.startswith("FIGURES ")]


def lab_figures(cfg: dying.TrainConfig) -> dict:
    run = one_thread(lambda: dying.train(cfg))
    return {"dead": run.final_dead_fraction, "inactive": run.final_inactive_fraction, "accuracy": run.final_accuracy,
            "loss": run.final_loss, "dead_per_layer": [float(v) for v in run.dead_fraction[-1]],
            "diverged_at": run.diverged_at}


def same(a: dict, b: dict) -> bool:
    """Equal, float for float (nan equals nan: an activation without a negative side counts no inactive units)."""
    def eq(x, y):
        if isinstance(x, list):
            return len(x) == len(y) and all(eq(u, v) for u, v in zip(x, y, strict=True))
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            return True
        return x == y
    return a.keys() == b.keys() and all(eq(a[k], b[k]) for k in a)


@pytest.mark.parametrize("which", ["dying", "gradflow", "clipping", "xor", "selfnorm", "race", "own"])
def test_the_generated_code_is_clean_python(which):
    code = {"dying": lambda: gen.script(config(CONFIGS["rrelu-adam-seed3"])),
            "gradflow": lambda: flow_gen.script(flow_config(FLOW_CONFIGS["flow-leaky-he-seed5"])),
            "clipping": lambda: flow_gen.clip_script(clip_config(CLIP_CONFIGS["clip-tanh-seed3"])),
            "xor": lambda: xor_gen.script(nonlinear.XorConfig(**XOR_CONFIGS["xor-tanh-seed3"])),
            "selfnorm": lambda: sn_gen.script(sn_config(SN_CONFIGS["sn-xavier-alpha-seed4"][0]),
                                              SN_CONFIGS["sn-xavier-alpha-seed4"][1]),
            "race": lambda: race_gen.script(race_config(RACE_CONFIGS["race-digits-seed0"])),
            "own": lambda: fn_gen.script(activations.own_key("where(x > 0, x, a * (exp(x) - 1))"), {"a": 0.5},
                                         -3.0, 3.0)}[which]()
    compile(code, "export.py", "exec")
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "--no-cache", "--isolated",
                          "--line-length", "120", "--select", "E,F,W,I,B", "--stdin-filename", "export.py", "-"],
                         input=code, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    imported = {line.split()[1].split(".")[0] for line in code.splitlines() if line.startswith(("import ", "from "))}
    assert imported <= {"copy", "json", "math", "matplotlib", "numpy", "sklearn", "torch"}, imported  # never the app


@pytest.mark.parametrize("dataset", toydata.DATASETS)
def test_the_exported_data_are_the_labs(dataset):
    scope = {"np": np, "math": math}
    exec(common.two_classes(dataset, 101, 0.3, 7), scope)  # noqa: S102 - our own generated text
    X, y = toydata.two_classes(dataset, 101, 0.3, 7)
    np.testing.assert_array_equal(scope["X"], X)
    np.testing.assert_array_equal(scope["y"], y)


def test_every_activation_with_an_nn_class_is_written_as_it_is_built():
    written, refused = [], []
    for key, spec in activations.REGISTRY.items():
        try:
            written.append(common.activation(key, spec.defaults))
        except common.NotExportable:
            refused.append(key)
    assert "nn.LeakyReLU(negative_slope=0.01)" in written and "nn.PReLU(init=0.25)" in written
    assert set(refused) == {"binary_step", "swish"}  # no torch.nn class: the formula printer's work (issue 25)
    key = own("x*sigmoid(x)")  # the learner's formula: a module around the formula printed as torch code
    assert common.activation(key, {}) == "Own()"
    assert "def formula(x, a=" in common.preamble([key], {}) and "class Own(nn.Module)" in common.preamble(key, {})
    assert common.preamble("relu", {}) == ""
    with pytest.raises(common.NotExportable):
        common.activation("swish", {"beta": 1.0})


def test_hostile_values_never_reach_the_code():
    """A config is checked by its declaration before it is written: out-of-range and unknown values are replaced."""
    cfg = dying.config({**dying.DATA.defaults(), **dying.TRAIN.defaults(), "steps": 10**9, "lr": float("nan"),
                        "units": 7, "dataset": "<script>", "activation": "__import__('os')"})
    code = gen.script(cfg)
    assert "__import__" not in code and "<script>" not in code
    checked, notes = cfg.clamped()
    assert len(notes) >= 4 and checked.activation == "relu" and checked.data.dataset == "moons"
    assert f"lr={dying.TRAIN.lr.default!r}" in code and "nn.ReLU()" in code and "np.cos(t0)" in code
    assert f"STEPS, EVERY = {checked.steps}," in code and checked.steps == dying.TRAIN.steps.high


@pytest.mark.long
def test_the_notebook_and_every_script_print_the_labs_numbers_bit_for_bit(tmp_path):
    """The notebook of the first config runs top to bottom in a fresh kernel (nbclient: a process of its own, with
    this environment); then, in that process, every config's script runs as `python script.py` would (runpy, as
    __main__): one torch import for all. Every FIGURES line equals the lab's run of the same config, float for float."""
    from nbclient import NotebookClient

    scripts = {name: gen.script(config(values)) for name, values in CONFIGS.items()}
    scripts |= {name: flow_gen.script(flow_config(values)) for name, values in FLOW_CONFIGS.items()}
    scripts |= {name: flow_gen.clip_script(clip_config(values)) for name, values in CLIP_CONFIGS.items()}
    # a learner's formula inside the labs: printed as torch code (activations.formula.torchcode) in an nn.Module
    swish = own("x*sigmoid(a*x)")
    own_dying = dying.config({**dying.DATA.defaults(), **dying.TRAIN.defaults(), "n": 200, "steps": 30, "units": 8,
                              "activation": swish}, {"a": 1.5})
    own_flow = gradflow.NetConfig.of({**gradflow.PROBE.defaults(), "activation": swish, "depth": 6, "width": 16,
                                      "batch": 32, "seed": 1}, {"a": 1.5})
    scripts |= {"own-dying-seed0": gen.script(own_dying), "own-flow-seed1": flow_gen.script(own_flow)}
    scripts |= {name: xor_gen.script(nonlinear.XorConfig(**values)) for name, values in XOR_CONFIGS.items()}
    scripts |= {name: race_gen.script(race_config(values)) for name, values in RACE_CONFIGS.items()}
    scripts |= {name: sn_gen.script(sn_config(values), acts) for name, (values, acts) in SN_CONFIGS.items()}
    paths = []
    for name, code in scripts.items():
        path = tmp_path / f"{name}.py"
        path.write_text(code, encoding="utf-8")
        paths.append(str(path))
    first = config(next(iter(CONFIGS.values())))
    parts = gen.parts(first)
    nb = notebook.build("Dying ReLU", "At small settings.", parts, {name: f"**{name}**" for name, _code in parts})
    assert nb.cells[1].source.startswith("%pip install torch==2.13.0")
    assert [c.source for c in nb.cells if c.cell_type == "code"][1:] == [code for _name, code in parts]
    nb.cells[1].source = "# " + nb.cells[1].source  # the environment has them: no install in CI
    nb.cells.append(nbformat.v4.new_code_cell(f"import runpy\nfor p in {paths!r}:\n    runpy.run_path(p, "
                                              "run_name='__main__')"))
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"]
    from_notebook, from_scripts = figures("".join(outputs[:-1])), figures(outputs[-1])
    assert len(from_notebook) == 1 and len(from_scripts) == len(scripts)
    assert "dead units at the end:" in outputs[-1] and "first layer / last layer" in outputs[-1]
    assert same(from_notebook[0], from_scripts[0])
    expected = ([lab_figures(config(v)) for v in CONFIGS.values()]
                + [flow_figures(flow_config(v)) for v in FLOW_CONFIGS.values()]
                + [clip_figures(clip_config(v)) for v in CLIP_CONFIGS.values()]
                + [lab_figures(own_dying), flow_figures(own_flow)]
                + [xor_figures(nonlinear.XorConfig(**v)) for v in XOR_CONFIGS.values()]
                + [race_figures(race_config(v)) for v in RACE_CONFIGS.values()]
                + [sn_figures(sn_config(v), acts) for v, acts in SN_CONFIGS.values()])
    for name, got, want in zip(scripts, from_scripts, expected, strict=True):
        assert same(got, want), (name, got, want)


def test_the_page_shows_the_code_it_downloads():
    """Dying ReLU's Reproduce in PyTorch: written on request, for the run on the page; the block is the script."""
    from pagekit import open_page

    at = open_page("views/dying_relu.py", {"lr": "0.3", "opt": "adam"})
    assert not at.code or all("torch.manual_seed" not in c.value for c in at.code)  # not written before it is asked
    at.button(key="takehome:dying_relu").click().run()
    assert not at.exception
    block = next(c.value for c in at.code if "torch.manual_seed" in c.value)
    cfg = dying.config({**dying.DATA.defaults(), **dying.TRAIN.defaults(), "lr": 0.3, "optimizer": "adam"},
                       activations.get("relu").defaults)
    assert block == gen.script(cfg, gen.TITLE).rstrip("\n") or block == gen.script(cfg, gen.TITLE)
    assert "opt = torch.optim.Adam(net.parameters(), lr=0.3, foreach=True)" in block
    at.select_slider(key="dying_relu:lr").set_value(0.03).run()  # a rerun of the experiment's fragment only
    block = next(c.value for c in at.code if "torch.manual_seed" in c.value)
    assert "opt = torch.optim.Adam(net.parameters(), lr=0.03, foreach=True)" in block  # written for what is drawn


@pytest.mark.parametrize(("key", "params"), [("elu", {"alpha": 0.5}), ("gelu", {"approximate": "tanh"}),
                                             ("leaky_relu", {"negative_slope": 0.2}), ("relu6", {}),
                                             ("hardshrink", {"lambd": 0.7}), ("prelu", {"init": 0.1})])
def test_the_exported_function_is_the_pages(key, params, monkeypatch):
    """The Explorer's export: f and autograd's f′ on the page's grid equal the core's, as the page draws them."""
    from labs import explore
    from labs.codegen import function

    monkeypatch.setenv("MPLBACKEND", "Agg")
    spec = activations.get(key)
    p = spec.resolve(params)[0]
    scope: dict = {}
    exec(function.script(key, p, -4.0, 3.0), scope)  # noqa: S102 - our own generated text
    x = scope["x"].numpy()
    np.testing.assert_array_equal(x, np.linspace(-4.0, 3.0, explore.GRID_POINTS))
    np.testing.assert_allclose(scope["y"].numpy(), spec.f(x, **p), rtol=1e-11, atol=1e-15)  # float64 round-off
    np.testing.assert_allclose(scope["dy"].numpy(), spec.df(x, **p), rtol=1e-11, atol=1e-15)  # float64 round-off
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize(("formula", "params"), [
    ("x*sigmoid(a*x)", {"a": 1.7}),
    ("where(x > 0, x, a*(exp(x) - 1))", {"a": 0.5}),
    ("abs(x) + max(x, 0, b*x) - min(x, c)", {"b": 0.3, "c": -0.5}),
    ("x*tanh(softplus(x))", {}),
    ("log(1 + x**2) + sign(x)*relu(x - 1)", {}),
    ("2.5", {}),
])
def test_an_own_formula_is_exported_as_torch_code_equal_to_the_page(formula, params, monkeypatch):
    """The learner's formula printed from its checked tree: f and autograd's f′ equal the page's (SymPy's, in
    NumPy) on its grid, kinks (where, abs, max, min, sign, relu) and parameters included; never eval of the text."""
    from labs import own as own_lab
    from labs.codegen import function

    monkeypatch.setenv("MPLBACKEND", "Agg")
    key = activations.own_key(own_lab.normalized(formula)[0])
    spec = own_lab.spec(key, own_lab.default_ranges(formula), own_lab.default_values(formula))
    p = {**spec.defaults, **params}
    code = function.script(key, p, -3.0, 3.0)
    assert formula not in code.split('"""', 2)[2].split("def f", 1)[0]  # the text itself is not in the code
    scope: dict = {}
    exec(code, scope)  # noqa: S102 - our own generated text
    x = scope["x"].numpy()
    np.testing.assert_allclose(scope["y"].numpy(), spec.f(x, **p), rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(scope["dy"].numpy(), spec.df(x, **p), rtol=1e-11, atol=1e-15)
    import matplotlib.pyplot as plt

    plt.close("all")


def test_every_labs_notebook_holds_its_scripts_code_in_cells():
    """Each lab's notebook is its script, part for part, after a Markdown cell in the learner's language: the one
    executed above stands for them all (the same builder)."""
    from labs.codegen import dying as d
    from labs.codegen import gradflow as g
    from labs.codegen import nonlinear as n
    from labs.codegen import realdata as r
    from labs.codegen import selfnorm as s

    i18n.activate("ko")
    cases = [(d.parts(config(CONFIGS["relu-sgd-seed0"])), d.PART_TEXTS),
             (g.parts(flow_config(FLOW_CONFIGS["flow-tanh-xavier-seed2"])), g.PART_TEXTS),
             (g.clip_parts(clip_config(CLIP_CONFIGS["clip-tanh-seed3"])), g.CLIP_TEXTS),
             (n.parts(nonlinear.XorConfig(**XOR_CONFIGS["xor-tanh-seed3"])), n.PART_TEXTS),
             (s.parts(sn_config(SN_CONFIGS["sn-xavier-alpha-seed4"][0]), SN_CONFIGS["sn-xavier-alpha-seed4"][1]),
              s.PART_TEXTS),
             (r.parts(race_config(RACE_CONFIGS["race-cancer-seed5"])), r.PART_TEXTS)]
    for parts, texts in cases:
        nb = notebook.build("t", "i", parts, {k: i18n._(v) for k, v in texts.items()})
        assert [c.source for c in nb.cells if c.cell_type == "code"][1:] == [code for _name, code in parts]
        markdown = [c.source for c in nb.cells if c.cell_type == "markdown"][1:]
        assert len(markdown) == len(parts) and all(re.search("[가-힣]", m) for m in markdown)
    i18n.activate(i18n.DEFAULT)
