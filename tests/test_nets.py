"""The labs' shared pieces (issue 22): one MLP builder, one table of inits, the activation facts on the spec, toy data
and the progress protocol. The labs' own tests pin their numbers; these check what every lab relies on."""
import math

import numpy as np
import pytest
import torch

import activations
from labs import inits, nets, seeding, toydata
from labs.progress import LONG_SECONDS, is_long


def build(seed: int = 0, **kw) -> tuple[nets.MLP, torch.nn.Sequential]:
    spec = nets.MLP(**{"inputs": 3, "depth": 4, "width": 8, **kw})
    with seeding.seeded(seed):
        return spec, nets.build(spec)


# ---- the builder ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [{}, {"dropout": "dropout", "dropout_rate": 0.3},
                                {"inputs": 8, "residual": True, "dropout": "alpha_dropout", "dropout_rate": 0.2},
                                {"activation": None, "outputs": None}, {"activation": "prelu", "outputs": 5}])
def test_trace_is_the_nets_own_forward_pass(kw):
    spec, net = build(**kw)
    x = torch.randn(16, spec.inputs, generator=seeding.generator(1))
    with seeding.seeded(2):  # dropout draws its masks from the global generator: the same ones both times
        expected = net(x)
    with seeding.seeded(2):
        *_, (z, a, h) = nets.trace(spec, net, x)
        head = nets.head(spec, net)
        out = head(h) if head is not None else h
    assert torch.equal(out, expected)
    assert len(nets.hidden_layers(spec, net)) == spec.depth and z.shape == a.shape == (16, spec.width)
    assert (head is None) == (spec.outputs is None)


def test_a_plain_net_is_what_one_would_write_in_pytorch():
    spec, net = build(activation="tanh", outputs=2)
    with seeding.seeded(0):
        by_hand = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), *(m for _ in range(3) for m in (
            torch.nn.Linear(8, 8), torch.nn.Tanh())), torch.nn.Linear(8, 2))
    assert [type(m) for m in net] == [type(m) for m in by_hand]
    for p, q in zip(net.parameters(), by_hand.parameters(), strict=True):
        assert torch.equal(p, q)


def test_the_weights_do_not_depend_on_the_activation_when_drawn_for_a_relu():
    for order in (False, True):
        nets_ = [build(activation=key, init=init, init_for="relu", defaults_first=order)[1]
                 for key in ("relu", "leaky_relu", "rrelu", "tanh") for init in ("kaiming_normal",)]
        for net in nets_[1:]:
            for p, q in zip(nets_[0].parameters(), net.parameters(), strict=True):
                assert torch.equal(p, q)


def test_the_order_of_the_draws_is_the_specs():
    # drawn layer by layer vs. every Linear first: other weights (a lab's seed keeps its own order), the same
    # with PyTorch's default init (nothing is drawn again)
    _, a = build(init="xavier_normal")
    _, b = build(init="xavier_normal", defaults_first=True)
    assert not torch.equal(a[0].weight, b[0].weight)
    _, c = build()
    _, d = build(defaults_first=True)
    assert all(torch.equal(p, q) for p, q in zip(c.parameters(), d.parameters(), strict=True))
    with pytest.raises(ValueError):
        nets.linears(nets.MLP(inputs=2, depth=1, width=2, skip_default=True))


def test_biases():
    for bias_init, check in (("zeros", lambda b: torch.all(b == 0)), ("constant", lambda b: torch.all(b == -2.0)),
                             ("default", lambda b: 0 < b.abs().max() <= 1 / math.sqrt(3))):
        spec, net = build(bias_init=bias_init, bias_value=-2.0)
        assert all(check(lin.bias.detach()) for lin, _, _ in nets.hidden_layers(spec, net)), bias_init
    spec, net = build(bias=False, outputs=None, init="lecun_normal", skip_default=True)
    assert all(lin.bias is None for lin, _, _ in nets.hidden_layers(spec, net))


# ---- the table of inits ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("init", list(inits.SCHEMES))
@pytest.mark.parametrize("activation,params", [("relu", None), ("tanh", None), ("leaky_relu", {"negative_slope": 0.2}),
                                               ("rrelu", None), (activations.own_key("x*tanh(x)"), None)])
def test_each_schemes_pytorch_call_draws_what_the_labs_draw(init, activation, params):
    with seeding.seeded(4):
        w = torch.nn.Linear(64, 32).weight
        inits.init_weight_(w, init, activation, params, sigma=0.3)
    line = inits.code(init, activation, params, sigma=0.3)
    with seeding.seeded(4), torch.no_grad():
        # "default" keeps what nn.Linear drew when it was built: its call is the one reset_parameters runs
        ours = torch.empty(32, 64) if init == "default" else torch.nn.Linear(64, 32).weight
        exec(line, {"nn": torch.nn, "math": math, "w": ours})
    assert torch.equal(w, ours), line
    assert w.detach().std().item() == pytest.approx(
        inits.expected_std(init, 64, 32, activation, params, 0.3, inits.init_gain(activation, params)[0]), rel=0.2,
        abs=1e-9)


def test_every_scheme_has_a_label_and_matched_is_the_specs():
    assert all(inits.labels([k])[k] for k in inits.SCHEMES)
    assert inits.labels(["kaiming_normal", "xavier_normal"], relu=["kaiming_normal"]) == {
        "kaiming_normal": "He / Kaiming normal (gain √2)",
        "xavier_normal": "Xavier / Glorot normal (gain = calculate_gain of the activation)"}
    for key, spec in activations.REGISTRY.items():
        assert inits.scheme(inits.MATCHED, key) == spec.recommended_init in inits.SCHEMES
    assert inits.scheme(inits.MATCHED, activations.own_key("x*tanh(x)")) == "kaiming_normal"
    assert inits.scheme("zeros", "selu") == "zeros"


# ---- the activation facts on the spec ----------------------------------------------------------------------------

def test_the_facts_on_the_spec():
    calc = torch.nn.init.calculate_gain
    for key, spec in activations.REGISTRY.items():
        gain, _ = inits.init_gain(key)
        slope = inits.negative_slope(key)
        if slope is not None:
            assert spec.negative_slope_is and gain == calc("leaky_relu", slope)
            # the slope is f' on the negative side, as the core computes it
            assert spec.df(np.array([-1.0]), **spec.defaults)[0] == pytest.approx(slope)
        else:
            assert gain == (calc(spec.gain_nonlinearity) if spec.gain_nonlinearity else 1.0), key
    assert [k for k, s in activations.REGISTRY.items() if s.stochastic] == ["rrelu"]
    assert inits.negative_slope("rrelu", {"lower": 0.1, "upper": 0.3}) == pytest.approx(0.2)


# ---- toy data, progress ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", toydata.DATASETS)
def test_toy_data(name):
    X, y = toydata.two_classes(name, 101, 0.2, 3)
    assert X.shape == (101, 2) and X.dtype == np.float32 and y.dtype == np.int64 and y.sum() == 51
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-6)
    np.testing.assert_array_equal(X, toydata.two_classes(name, 101, 0.2, 3)[0])
    assert set(toydata.DATASET_LABELS) == set(toydata.DATASETS)


def test_xor_clusters_label_the_sign_of_the_product():
    x, y = toydata.xor_clusters(40, 0.1, 0)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] < 0).astype(np.int64))


def test_a_bar_from_half_a_second():
    assert not is_long(LONG_SECONDS) and is_long(LONG_SECONDS * 1.01) and not is_long(0.0)
