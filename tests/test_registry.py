"""The registry's contract: names, defaults, lookups, parameter checking."""
import numpy as np
import pytest

import activations
from activations.functions import SELU_ALPHA, SELU_SCALE

CATALOGUE = {"identity", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu", "elu",
             "selu", "celu", "gelu", "silu", "swish", "mish", "softplus", "softsign", "hardtanh", "relu6",
             "hardsigmoid", "hardswish", "logsigmoid", "hardshrink", "softshrink", "tanhshrink", "threshold"}


def test_catalogue_is_complete():
    assert CATALOGUE <= set(activations.REGISTRY)


def test_unknown_key_names_the_valid_ones():
    with pytest.raises(KeyError) as e:
        activations.get("relu7")
    assert "leaky_relu" in str(e.value) and "relu7" in str(e.value)


def test_pytorch_names_and_defaults():
    import torch.nn as nn

    assert activations.get("leaky_relu").defaults == {"negative_slope": nn.LeakyReLU().negative_slope}
    assert activations.get("elu").defaults == {"alpha": nn.ELU().alpha}
    assert activations.get("celu").defaults == {"alpha": nn.CELU().alpha}
    assert activations.get("prelu").defaults == {"init": 0.25}
    rr = nn.RReLU()
    assert activations.get("rrelu").defaults == {"lower": rr.lower, "upper": rr.upper}
    sp = nn.Softplus()
    assert activations.get("softplus").defaults == {"beta": sp.beta, "threshold": sp.threshold}
    ht = nn.Hardtanh()
    assert activations.get("hardtanh").defaults == {"min_val": ht.min_val, "max_val": ht.max_val}
    assert activations.get("hardshrink").defaults == {"lambd": nn.Hardshrink().lambd}
    assert activations.get("softshrink").defaults == {"lambd": nn.Softshrink().lambd}
    assert activations.get("gelu").defaults == {"approximate": nn.GELU().approximate}
    assert activations.get("gelu").param("approximate").choices == ("none", "tanh")
    assert activations.get("swish").defaults == {"beta": 1.0}


def test_selu_constants_are_torchs():
    import torch

    # selu(1) = scale and selu(-1) = scale * alpha * (e^-1 - 1): both constants come from torch itself
    pos, neg = torch.nn.functional.selu(torch.tensor([1.0, -1.0], dtype=torch.float64)).tolist()
    assert pos == pytest.approx(SELU_SCALE, rel=1e-15)
    assert neg == pytest.approx(SELU_SCALE * SELU_ALPHA * np.expm1(-1.0), rel=1e-15)


def test_every_param_has_help_and_a_sane_range():
    for spec in activations.REGISTRY.values():
        for p in spec.params:
            assert p.help, (spec.key, p.name)
            if not p.is_choice:
                assert p.low < p.high and 0 < p.step <= p.high - p.low, (spec.key, p.name)
                assert p.low <= p.default <= p.high, (spec.key, p.name)


def test_every_spec_has_latex_for_f_and_df():
    for spec in activations.REGISTRY.values():
        f_tex, df_tex = spec.tex(spec.defaults)
        assert f_tex and df_tex and f_tex != df_tex


def test_gelu_latex_follows_approximate():
    g = activations.get("gelu")
    assert "tanh" in g.tex({"approximate": "tanh"})[0]
    assert r"\Phi" in g.tex({"approximate": "none"})[0]


@pytest.mark.parametrize("value,expected,word", [
    ("abc", 1.0, "number"), (float("nan"), 1.0, "finite"), (float("inf"), 1.0, "finite"),
    (99.0, 3.0, "clamped"), (-1.0, 0.0, "clamped"), (2.5, 2.5, None),
])
def test_resolve_checks_and_says_what_it_changed(value, expected, word):
    params, notes = activations.get("elu").resolve({"alpha": value})
    assert params["alpha"] == expected
    if word:
        assert len(notes) == 1 and word in notes[0]
    else:
        assert notes == []


def test_resolve_repairs_rrelu_order_and_unknown_names():
    params, notes = activations.get("rrelu").resolve({"lower": 0.9, "upper": 0.1, "alpha": 3})
    assert (params["lower"], params["upper"]) == (0.1, 0.9)
    assert any("swapped" in n for n in notes) and any("no parameter" in n for n in notes)


def test_families_cover_every_spec_once():
    keys = activations.keys_grouped()
    assert sorted(keys) == sorted(activations.REGISTRY)
    assert list(activations.families()) == [f for f in activations.FAMILIES if activations.families().get(f)]
