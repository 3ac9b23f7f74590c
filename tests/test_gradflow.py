"""What the Gradient-flow page tells a learner, checked on the real torch networks activations.gradflow builds."""
import math

import numpy as np
import pytest
import torch

from activations import gradflow as G

ARRAYS = ("layers", "act_mean", "act_std", "pre_std", "hist_edges", "hist", "weight_grad_norm", "act_grad_norm",
          "weight_std_measured", "weight_std_expected", "bound")


def preset_net(name: str, **over) -> G.NetConfig:
    return G.NetConfig(**{**G.PRESETS[name]["net"], **over})


def preset_train(name: str, **over) -> G.TrainConfig:
    p = G.PRESETS[name]
    return G.TrainConfig(net=G.NetConfig(**p["net"]), **{**p.get("train", {}), **over})


# ---- vanishing and exploding -------------------------------------------------------------------------------------

def test_sigmoid_default_init_vanishes():
    # The default init, not N(0, 1): at width 128, N(0, 1) weights (row norm ≈ 11) saturate the sigmoids, and the
    # large weights make up for the small f' -- the first and last layers' gradients then differ by less than 2x.
    res = G.gradient_flow(preset_net("sigmoid-default"))
    assert res.weight_grad_norm[0] * 1e3 < res.weight_grad_norm[-1]
    assert np.all(res.weight_grad_norm > 0)  # vanished, not dead: every layer still gets some gradient


def test_relu_he_keeps_the_variance():
    # pre_std is the honest quantity: He's derivation keeps Var(z_l) = Var(z_{l-1}) for the pre-activations (ReLU's
    # output has a non-zero mean and std ≈ 0.58·std z). It holds in expectation over the weights: one finite-width
    # net is a random walk in log-variance (about 5/(2·width) per layer) and drifts 2-6x over 50 layers at width
    # 128, so the claim is checked on the variance averaged over 16 independent nets.
    var = np.mean([G.gradient_flow(preset_net("relu-he", seed=s)).pre_std ** 2 for s in range(16)], axis=0)
    assert len(var) == 50
    assert var[0] == pytest.approx(2.0, rel=0.05)  # layer 1: fan_in · (2 / fan_in) · E[x²] with x ~ N(0, 1)
    assert math.sqrt(var.max() / var.min()) < 2.0
    # ... while a σ only 1.5x or 0.5x He's √(2/width) makes the same net explode or vanish by orders of magnitude
    he = math.sqrt(2 / 128)
    big = G.gradient_flow(preset_net("relu-he", init="normal", sigma=1.5 * he)).pre_std
    small = G.gradient_flow(preset_net("relu-he", init="normal", sigma=0.5 * he)).pre_std
    assert big[-1] / big[0] > 1e3
    assert small[-1] / small[0] < 1e-3


def test_bound_is_the_activations_chain_rule_factor():
    res = G.gradient_flow(G.NetConfig(activation="sigmoid", depth=12, width=32, batch=64))
    assert res.max_abs_df == pytest.approx(0.25, rel=1e-12)  # measured by the core from f', not typed in
    expected = res.act_grad_norm[-1] * 0.25 ** (12 - res.layers)
    np.testing.assert_allclose(res.bound, expected, rtol=1e-12)
    assert res.bound[-1] == res.act_grad_norm[-1]


def test_input_distribution():
    # identity activation + LeCun (Var w = 1/fan_in): the first pre-activation has the input's variance
    res = G.gradient_flow(G.NetConfig(activation="identity", init="lecun_normal", depth=1, width=256, batch=512,
                                      input_scale=3.0))
    assert res.pre_std[0] == pytest.approx(3.0, rel=0.05)


def test_result_shapes_and_histograms():
    res = G.gradient_flow(G.NetConfig(activation="tanh", depth=7, width=16, batch=32))
    np.testing.assert_array_equal(res.layers, np.arange(1, 8))
    for name in ARRAYS:
        if name not in ("hist", "hist_edges"):
            assert getattr(res, name).shape == (7,), name
    assert res.hist_edges.shape == (G.BINS + 1,) and np.all(np.diff(res.hist_edges) > 0)
    assert res.hist.shape == (7, G.BINS)
    # every value is finite here, so it lands in exactly one bin (outliers in the end bins)
    np.testing.assert_allclose(res.hist.sum(axis=1), 1.0, rtol=1e-6)
    assert math.isfinite(res.loss) and res.loss > 0


# ---- initialization ----------------------------------------------------------------------------------------------

def test_gain_table_is_calculate_gain():
    calc = torch.nn.init.calculate_gain
    expected = [calc("linear"), calc("conv2d"), calc("sigmoid"), calc("tanh"), calc("relu"), calc("leaky_relu"),
                calc("leaky_relu", 0.2), calc("selu")]
    rows = G.gain_table()
    assert [r[0] for r in rows] == ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu", "selu"]
    assert [r[2] for r in rows] == expected
    assert rows[3][2] == pytest.approx(5 / 3) and rows[4][2] == pytest.approx(math.sqrt(2))


def test_init_gain():
    calc = torch.nn.init.calculate_gain
    assert G.init_gain("leaky_relu", {"negative_slope": 0.2})[0] == calc("leaky_relu", 0.2)
    assert G.init_gain("prelu", {"init": 0.25})[0] == calc("leaky_relu", 0.25)
    assert G.init_gain("rrelu", {"lower": 0.1, "upper": 0.3})[0] == pytest.approx(calc("leaky_relu", 0.2))
    for key, name in (("identity", "linear"), ("sigmoid", "sigmoid"), ("tanh", "tanh"), ("relu", "relu"),
                      ("selu", "selu")):
        assert G.init_gain(key)[0] == calc(name), key
    gain, note = G.init_gain("gelu")
    assert gain == 1.0 and note == "calculate_gain has no entry for GELU; 1 is used."


@pytest.mark.parametrize("activation,init,gain", [
    ("tanh", "xavier_normal", 5 / 3), ("relu", "kaiming_normal", math.sqrt(2)),
    ("tanh", "kaiming_uniform", math.sqrt(2)),  # He ignores tanh's 5/3: it assumes a ReLU-like unit
    ("leaky_relu", "kaiming_normal", math.sqrt(2 / (1 + 0.01**2))), ("gelu", "default", math.sqrt(1 / 3)),
    ("relu", "lecun_normal", 1.0), ("relu", "normal", 0.2 * 8), ("sigmoid", "zeros", 0.0),
])
def test_gain_reported_is_the_gain_used(activation, init, gain):
    res = G.gradient_flow(G.NetConfig(activation=activation, init=init, sigma=0.2, depth=2, width=64, batch=8))
    assert res.gain == pytest.approx(gain)
    # std = gain / √fan_in (Xavier's gain·√(2 / (fan_in + fan_out)) is the same on a square layer)
    assert res.weight_std_expected[0] == pytest.approx(gain / 8)
    assert "calculate_gain" in res.gain_note


def test_default_linear_check():
    chk = G.default_linear_check(512, 512, seed=3)
    assert chk.bound == 1 / math.sqrt(512) and chk.bias_bound == chk.bound
    assert 0.95 * chk.bound < chk.max_abs_weight <= chk.bound
    assert chk.max_abs_bias <= chk.bias_bound
    assert chk.expected_var == pytest.approx(chk.bound**2 / 3)
    assert abs(chk.weight_var / chk.expected_var - 1) < 0.05


@pytest.mark.parametrize("init", G.INIT_SCHEMES)
@pytest.mark.parametrize("activation,params", [("relu", ()), ("tanh", ()), ("leaky_relu", (("negative_slope", 0.2),))])
def test_expected_weight_std_matches_measured(init, activation, params):
    cfg = G.NetConfig(activation=activation, params=params, init=init, sigma=0.3, depth=2, width=256, batch=8)
    res = G.gradient_flow(cfg)
    if init == "zeros":
        assert np.all(res.weight_std_measured == 0) and np.all(res.weight_std_expected == 0)
    else:
        np.testing.assert_allclose(res.weight_std_measured, res.weight_std_expected, rtol=0.05)
    # spot-check the formulas themselves, not only their agreement with torch
    std = G.expected_weight_std(cfg, 256, 256, res.gain)
    formula = {"default": 1 / math.sqrt(3 * 256), "xavier_normal": res.gain * math.sqrt(2 / 512),
               "xavier_uniform": res.gain * math.sqrt(2 / 512), "lecun_normal": 1 / 16, "normal": 0.3, "zeros": 0.0}
    slope = 0.2 if activation == "leaky_relu" else 0.0  # He treats every non-leaky activation as a ReLU
    he = math.sqrt(2 / (1 + slope**2)) / 16
    assert std == pytest.approx(formula.get(init, he))


def test_bias_inits():
    for bias_init, check in (("zeros", lambda b: torch.all(b == 0)), ("constant", lambda b: torch.all(b == -0.5)),
                             ("default", lambda b: b.abs().max() <= 1 / math.sqrt(64) and b.abs().max() > 0)):
        net = G.build_mlp(G.NetConfig(depth=3, width=64, init="xavier_normal", bias_init=bias_init, bias_value=-0.5))
        for lin in [m for m in net if isinstance(m, torch.nn.Linear)][:-1]:
            assert check(lin.bias.detach()), bias_init


# ---- clipping ----------------------------------------------------------------------------------------------------

def test_exploding_preset_explodes_and_clip_grad_norm_saves_it():
    plain = G.train(preset_train("exploding", clip="none"))
    assert plain.diverged_at is not None or np.nanmax(plain.grad_norm) > 100 * plain.grad_norm[0]
    if plain.diverged_at is not None:  # it does at seed 0; the page then says where, and plots nothing after it
        k = plain.diverged_at
        assert np.all(np.isfinite(plain.loss[: k - 1])) and np.all(np.isnan(plain.loss[k - 1:]))
        assert np.all(np.isnan(plain.grad_norm[k - 1:]))
        assert any(f"step {k}" in n for n in plain.notes)
    clipped = G.train(preset_train("exploding", clip="norm", max_norm=1.0))
    assert clipped.diverged_at is None and np.all(np.isfinite(clipped.loss))
    assert len(clipped.loss) == G.PRESETS["exploding"]["train"]["steps"]
    # same seed, same initial weights: the first gradient is the same whatever the clipping
    assert plain.grad_norm[0] == clipped.grad_norm[0]


def test_clip_grad_norm_caps_the_global_norm():
    cfg = preset_train("exploding", clip="norm", max_norm=1.0, steps=40)
    res = G.train(cfg)
    assert np.all(res.grad_norm_after <= cfg.max_norm * (1 + 1e-5))
    big = res.grad_norm > cfg.max_norm
    assert big.any()  # else the cap was never tested
    # below the cap nothing changes; above it, the norm is brought down to max_norm
    np.testing.assert_allclose(res.grad_norm_after[~big], res.grad_norm[~big], rtol=1e-5)
    np.testing.assert_allclose(res.grad_norm_after[big], cfg.max_norm, rtol=1e-5)


def test_clip_grad_value_caps_every_entry():
    cfg = preset_train("exploding", clip="value", clip_value=0.05, steps=40)
    res = G.train(cfg)
    w, d = cfg.net.width, cfg.net.depth
    n_params = (w + w) + (d - 1) * (w * w + w) + (w + 1)  # Linear(1, w), (d-1) x Linear(w, w), Linear(w, 1)
    # the clamp happens in float32, where 0.05 is 0.0500000007
    cap = float(np.float32(cfg.clip_value))
    assert np.all(res.grad_max_abs_after <= cap)
    assert np.isclose(res.grad_max_abs_after, cap, rtol=1e-6).any()  # the clamp was active
    assert np.all(res.grad_norm_after <= cfg.clip_value * math.sqrt(n_params))
    assert np.all(res.grad_norm_after <= res.grad_norm * (1 + 1e-6))


# ---- determinism, clamping, extremes -----------------------------------------------------------------------------

def test_gradient_flow_is_deterministic():
    cfg = G.NetConfig(activation="rrelu", depth=15, width=64, batch=128, init="kaiming_uniform", seed=7)
    a, b = G.gradient_flow(cfg), G.gradient_flow(cfg)
    other = G.gradient_flow(G.NetConfig(activation="rrelu", depth=15, width=64, batch=128, init="kaiming_uniform",
                                        seed=8))
    for name in ARRAYS:
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name
    assert a.loss == b.loss
    for name in ("act_std", "weight_grad_norm", "hist"):
        assert not np.array_equal(getattr(a, name), getattr(other, name)), name


def test_the_global_rng_is_left_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    G.gradient_flow(G.NetConfig(depth=2, width=8, batch=4))
    G.default_linear_check(8, 8)
    assert torch.equal(torch.rand(3), expected)


def test_clamping():
    cfg, notes = G.NetConfig(depth=10_000, width=-3, init="bogus", activation="nope").clamped()
    assert (cfg.depth, cfg.width, cfg.init, cfg.activation) == (100, 8, "default", "relu")
    assert len(notes) == 4
    for word in ("depth", "width", "init", "activation"):
        assert sum(n.startswith(word) for n in notes) == 1, (word, notes)
    ok = G.NetConfig(activation="leaky_relu", params=(("negative_slope", 0.2),))
    assert ok.clamped() == (ok, [])
    cfg, notes = G.NetConfig(sigma=float("nan"), batch=0, seed=-1, params=(("bogus", 1),)).clamped()
    assert (cfg.sigma, cfg.batch, cfg.seed, cfg.params) == (1.0, 1, 0, ()) and len(notes) == 4
    tcfg, tnotes = G.TrainConfig(net=G.NetConfig(depth=0), steps=10**6, lr=-1, clip="both", optimizer="adam").clamped()
    assert (tcfg.net.depth, tcfg.steps, tcfg.lr, tcfg.clip, tcfg.optimizer) == (1, 500, 1e-5, "none", "sgd")
    assert len(tnotes) == 5


def test_gradient_flow_never_raises_on_bad_input():
    res = G.gradient_flow(G.NetConfig(depth=10_000, width=-3, init="bogus", activation="nope", batch=4))
    assert len(res.layers) == 100 and res.act_std.shape == (100,)
    assert len(res.notes) == 4


def test_extreme_config_overflows_gracefully():
    res = G.gradient_flow(G.NetConfig(init="normal", sigma=10.0, depth=100, width=8))
    for name in ARRAYS:
        assert not np.any(np.isinf(getattr(res, name))), name
    assert np.isnan(res.act_std[-1])  # the overflow is recorded as nan, not hidden
    assert any("overflowed float32" in n for n in res.notes)
    assert np.all(res.hist.sum(axis=1) <= 1 + 1e-9)


def test_progress_is_reported():
    seen = []
    G.gradient_flow(G.NetConfig(depth=3, width=8), lambda f, t: seen.append(f))
    G.train(G.TrainConfig(net=G.NetConfig(depth=2, width=8), steps=20), lambda f, t: seen.append(f))
    assert len(seen) >= 6 and all(0 <= f <= 1 for f in seen) and seen[-1] == 1.0


def test_presets_are_valid_configs():
    for name, p in G.PRESETS.items():
        net = G.NetConfig(**p["net"])
        assert net.clamped() == (net, []), name
        tr = G.TrainConfig(net=net, **p.get("train", {}))
        assert tr.clamped()[1] == [], name
        assert p["label"]
    assert {"sigmoid-default", "relu-he", "tanh-xavier", "exploding"} <= set(G.PRESETS)
