"""The experiment pages (Dying ReLU, Self-normalizing nets, Why non-linear, Softmax/GLU/Maxout) with AppTest."""
import json
import re

from pagekit import open_page
from streamlit.testing.v1 import AppTest


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def metric(at: AppTest, label_part: str) -> str:
    return next(m.value for m in at.metric if label_part in m.label)


def percent(text: str) -> float:
    return float(re.search(r"(-?\d+(?:\.\d+)?)%", text).group(1)) / 100


def test_dying_relu_presets_set_every_control_and_the_animation_counts_dead_units():
    # a link that changed many controls, the activation's parameter too: a preset gives the same view whatever came
    # before (what it names, and every other control of the experiment back at its default)
    at = open_page("views/dying_relu.py", {"steps": "100", "data": "xor", "units": "8", "noise": "0.5",
                                           "act": "leaky_relu", "leaky_relu.negative_slope": "0.2", "bias": "constant"})
    at.button(key="preset:leaky-fix").click().run()
    assert not at.exception
    assert dict(at.query_params) == {"act": "leaky_relu", "opt": "adam", "lr": "0.3"}
    at.button(key="preset:high-lr").click().run()
    assert not at.exception
    assert dict(at.query_params) == {"opt": "adam", "lr": "0.3"}  # ReLU is the default
    assert percent(metric(at, "dead units: ReLU")) >= 0.30
    assert percent(metric(at, "dead units: LeakyReLU")) == 0.0
    # next to dead, the inactive units: LeakyReLU's one in ten or more (the LeakyReLU fix's text), ReLU's its dead
    assert percent(metric(at, "inactive units: LeakyReLU")) >= 0.10
    assert metric(at, "inactive units: ReLU") == metric(at, "dead units: ReLU")
    assert metric(at, "inactive units at the end") == metric(at, "dead units at the end")
    curves = next(s for s in specs(at) if s["layout"].get("yaxis", {}).get("title", {}).get("text")
                  == "dead or inactive units (%)")
    assert [t["name"] for t in curves["data"]][-1] == "LeakyReLU: layer 2, inactive"
    anim = next(s for s in specs(at) if s.get("frames"))
    assert len(anim["frames"]) >= 60  # steps 0, 5, ..., 300
    assert anim["layout"]["updatemenus"] and anim["layout"]["sliders"]
    assert percent(metric(at, "dead units at the end")) >= 0.30
    tips = {b.label: b.help for b in at.button if b.key and b.key.startswith("preset:")}
    assert tips["ReLU, negative bias"].startswith("Sets Activation: ReLU; Optimizer: Adam; Learning rate: 0.01; "
                                                   "Bias init: constant; Bias value: -3; Data set: moons.")


def test_dying_relu_hostile_link():
    at = open_page("views/dying_relu.py", {"lr": "1e999", "act": "<x>", "units": "-1", "data": "mnist"})
    text = "\n".join(w.value for w in at.warning)
    for name in ("lr", "act", "units", "data"):
        assert f"**{name}**" in text


def test_dying_relu_sweep_says_which_settings_it_ran_on(monkeypatch):
    """The sweep is drawn outside the experiment's fragment, which reruns alone: after a change up there it must
    still say what it ran on (not the new settings). In the pseudo-locale, so its words are checked too."""
    from pseudokit import untranslated

    import i18n

    monkeypatch.setenv("ACTIVATION_LAB_PSEUDO", "1")
    # AppTest calls the page's format_func in this thread to find each select box's option again: it must speak the
    # pseudo-locale here too
    i18n.activate(i18n.PSEUDO)
    try:
        small = {"lang": "qps", "n": "100", "units": "4", "layers": "1", "steps": "10"}  # 48 tiny trainings
        at = open_page("views/dying_relu.py", small)
        at.button(key="run_sweep").click().run()
        assert not at.exception
        sweep = next(s for s in specs(at) if s["layout"].get("xaxis", {}).get("type") == "log")
        assert len(sweep["data"]) == 5  # ReLU and LeakyReLU: mean of seeds, each seed; LeakyReLU's inactive units
        ran_on = [c.value for c in at.caption if "This sweep ran on" in c.value]
        assert len(ran_on) == 1 and "10 steps" in ran_on[0] and "1 hidden layer of 4 units" in ran_on[0]
        assert untranslated(at) == []
        at.slider(key="dying_relu:steps").set_value(20).run()
        assert not at.exception
        captions = [c.value for c in at.caption]
        ran_on = [c for c in captions if "This sweep ran on" in c]
        assert len(ran_on) == 1 and "10 steps" in ran_on[0] and "20 steps" not in ran_on[0]
        assert any("The settings above have changed since" in c for c in captions)
        # back to the settings it ran on: no warning; a change the sweep does not depend on keeps it as it is
        at.slider(key="dying_relu:steps").set_value(10).run()
        at.select_slider(key="dying_relu:lr").set_value(1.0).run()
        captions = [c.value for c in at.caption]
        assert any("This sweep ran on" in c for c in captions)
        assert not any("The settings above have changed since" in c for c in captions)
    finally:
        i18n.activate(i18n.DEFAULT)


def test_self_normalizing_selu_stays_in_the_band_and_relu_leaves_it():
    at = open_page("views/self_normalizing.py")
    text = " ".join(m.value for m in at.markdown)
    selu_row = next(line for line in text.split("\n") if line.startswith("| SELU |"))
    relu_row = next(line for line in text.split("\n") if line.startswith("| ReLU |"))
    assert selu_row.endswith("yes |") and relu_row.endswith("no |")
    assert "| α |" in text and "| λ |" in text
    assert "spectral radius **0.783** < 1" in text
    depth, field = specs(at)
    assert [t["name"] for t in depth["data"] if t.get("showlegend", True)] == ["SELU", "ReLU", "Tanh", "ELU",
                                                                               "Sigmoid"]
    assert field["data"][-1]["name"] == "fixed point (0, 1)"
    # the activation chips get the page's width, not the narrow controls column (issue 15)
    assert at.multiselect and not at.columns[0].multiselect
    at.multiselect(key="self_normalizing:acts").set_value([]).run()
    assert not at.exception and "Pick at least one activation." in [i.value for i in at.info]


def test_self_normalizing_round_trip():
    query = {"depth": "30", "init": "kaiming_normal", "residual": "1"}
    at = open_page("views/self_normalizing.py", query)
    assert dict(at.query_params) == query


def test_self_normalizing_hostile_link():
    at = open_page("views/self_normalizing.py", {"depth": "-5", "acts": "selu,<x>", "width": "100", "rate": "nan",
                                                 "dropout": "dropout", "residual": "maybe"})
    text = "\n".join(w.value for w in at.warning)
    for name in ("depth", "acts", "width", "rate", "residual"):
        assert f"**{name}**" in text
    assert dict(at.query_params) == {"depth": "1", "acts": "selu", "width": "128", "dropout": "dropout"}
    assert any(m.value.startswith("**At layer 1**") for m in at.markdown)


def test_why_nonlinear_shows_the_product_of_the_three_matrices():
    import numpy as np

    from labs import nonlinear

    at = open_page("views/why_nonlinear.py", {"c.seed": "3"})
    (eq,) = [m.value for m in at.markdown if "underbrace" in m.value]
    blocks = re.findall(r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", eq)
    shown = [np.array([[float(v) for v in row.split("&")] for row in b.split(r"\\")]) for b in blocks]
    c = nonlinear.linear_collapse(3)
    for got, want in zip(shown, [c.weights[2], c.weights[1], c.weights[0], c.product], strict=True):
        np.testing.assert_allclose(got, want, atol=0.005 + 1e-12)  # two decimals
    assert "W_3 (2×4)" in eq and "W (2×2)" in eq
    assert dict(at.query_params) == {"c.seed": "3"}


def test_why_nonlinear_xor_relu_fit_and_zero_centering():
    at = open_page("views/why_nonlinear.py")
    assert percent(metric(at, "deep linear (3 layers)")) == 0.5
    assert percent(metric(at, "one hidden ReLU layer")) == 1.0
    boundaries = [s["layout"]["title"]["text"] for s in specs(at) if s["data"][0].get("type") == "heatmap"]
    assert boundaries == ["linear: at best ½ everywhere (no colour)", "ReLU: a bent boundary"]
    # zero-centring: the zig-zag takes 43 steps, the centred path 15 (seed 0, lr 3)
    assert metric(at, "all-positive inputs") == "43 steps" and metric(at, "zero-centred inputs") == "15 steps"
    before = metric(at, "mean squared error")
    at.slider(key="why_nonlinear:r.k").set_value(32).run()
    assert float(metric(at, "mean squared error")) < float(before)
    assert dict(at.query_params) == {"r.k": "32"}


def test_why_nonlinear_hand_mode_link():
    at = open_page("views/why_nonlinear.py", {"r.mode": "hand", "r.w2": "-1.5", "r.k3": "9", "x.depth": "1"})
    assert "**r.k3**" in "\n".join(w.value for w in at.warning)
    assert [s.key for s in at.slider if s.key.startswith("why_nonlinear:r.")] == [
        f"why_nonlinear:r.{kw}{i}" for i in (1, 2, 3) for kw in "kw"]  # no fit controls in this mode
    assert metric(at, "deep linear (1 layer)")
    hand = next(s for s in specs(at) if s["layout"].get("shapes") and len(s["layout"]["shapes"]) == 3)
    assert [sh["x0"] for sh in hand["layout"]["shapes"]] == [-1.0, 0.0, 3.0]  # knot 3 clamped to 3
    assert dict(at.query_params) == {"r.mode": "hand", "r.w2": "-1.5", "r.k3": "3.0", "x.depth": "1"}


def test_vector_page_hostile_link():
    at = open_page("views/vector.py", {"T": "nan", "z3": "1e999", "m.preset": "<b>"})
    bars = next(s for s in specs(at) if s["data"][0].get("type") == "bar")
    assert [t["name"] for t in bars["data"]] == ["softmax", "softmin", "log_softmax"]
    warning = "\n".join(w.value for w in at.warning)
    assert all(f"**{k}**" in warning for k in ("T", "z3", "m.preset"))
    assert dict(at.query_params) == {"z3": "10.0"}


def test_vector_maxout_preset_link():
    at = open_page("views/vector.py", {"m.preset": "convex bowl"})
    maxout = next(s for s in specs(at) if s["data"][-1].get("name") == "maxout = max of the pieces")
    assert [t["name"] for t in maxout["data"][:-1]] == [f"piece {i}: {a:g}x + {-a * a / 2:g}" for i, a in
                                                        enumerate((-2.0, -1.0, 0.0, 1.0, 2.0), start=1)]
    assert dict(at.query_params) == {"m.preset": "convex bowl"}  # its 5 pieces are the preset's defaults
    at.slider(key="vector:convex bowl.m.a1").set_value(-1.0).run()
    assert dict(at.query_params) == {"m.preset": "convex bowl", "m.a1": "-1.0"}


def test_dying_relu_starts_the_sections_below_early_and_trains_each_config_once(monkeypatch):
    """The fix and PReLU/RReLU train in the background while the experiment does (ui.cache.prefetch), from the
    pickers' values as their sections will draw them: a link's, then the learner's. A wrong guess would train a
    config nobody shows."""
    import collections
    import random

    from labs import dying

    trained = collections.Counter()
    real = dying.train

    def counting(cfg, progress=None):
        trained.update([cfg.activation])
        return real(cfg, progress)

    # the page sends partial(dying.train, cfg) to a worker (a thread here) by reference: under train's own name
    counting.__module__, counting.__qualname__ = real.__module__, real.__qualname__
    monkeypatch.setattr(dying, "train", counting)
    seed = str(random.randrange(10**6))  # settings no earlier test has trained: nothing comes from the cache
    at = open_page("views/dying_relu.py", {"fix": "elu", "seed": seed, "steps": "50"})
    assert trained == {"relu": 1, "elu": 1, "prelu": 1}
    assert metric(at, "dead units: ELU")
    trained.clear()
    at.slider(key="dying_relu:noise").set_value(0.25).run()  # the learner's picks now, not the link's
    assert not at.exception and trained == {"relu": 1, "elu": 1, "prelu": 1}
    # back later through a link that names other controls: the picker takes its default there, not the ELU the
    # learner left (a link defines the whole view)
    at.switch_page("views/home.py")
    at.run()
    trained.clear()
    at.query_params["seed"], at.query_params["steps"] = seed, "60"
    at.switch_page("views/dying_relu.py")
    at.run()
    assert not at.exception and trained == {"relu": 1, "leaky_relu": 1, "prelu": 1}
    assert metric(at, "dead units: LeakyReLU")
