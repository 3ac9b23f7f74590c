"""Regions and properties on cases whose answer a learner can check by eye."""
import numpy as np
import pytest

import activations
from activations.analysis import AMPLIFYING, DEAD, SATURATING, properties, regions

X = np.union1d(np.linspace(-6, 6, 1201), [0.0])


def _regions(key, eps=0.01, **params):
    spec = activations.get(key)
    p = {**spec.defaults, **params}
    return regions(X, spec.df(X, **p), eps)


def test_sigmoid_saturates_on_both_sides():
    rs = _regions("sigmoid", eps=0.01)
    assert [r.kind for r in rs] == [SATURATING, SATURATING]
    # sigma'(x) = 0.01 at |x| = 4.5951...: the regions start there
    assert rs[0].start == -6 and rs[0].end == pytest.approx(-4.6, abs=0.011)
    assert rs[1].start == pytest.approx(4.6, abs=0.011) and rs[1].end == 6


def test_relu_is_dead_on_the_left_including_zero():
    rs = _regions("relu")
    assert len(rs) == 1 and rs[0].kind == DEAD and (rs[0].start, rs[0].end) == (-6.0, 0.0)


def test_leaky_relu_is_never_dead_and_saturates_only_when_eps_exceeds_its_slope():
    assert _regions("leaky_relu", eps=0.01) == []  # |f'| = 0.01 is not < 0.01
    rs = _regions("leaky_relu", eps=0.05)
    assert [r.kind for r in rs] == [SATURATING] and rs[0].end == 0.0


def test_selu_amplifies_on_the_right():
    rs = _regions("selu")
    amp = [r for r in rs if r.kind == AMPLIFYING]
    assert len(amp) == 1 and amp[0].end == 6.0
    # and a little left of 0, where lambda * alpha * e^x > 1, i.e. x > -ln(lambda * alpha) = -0.5644
    assert amp[0].start == pytest.approx(-0.56, abs=0.011)


def test_hardtanh_is_dead_outside_its_clip():
    rs = _regions("hardtanh")
    assert [(r.kind, r.start, r.end) for r in rs] == [(DEAD, -6.0, -1.0), (DEAD, 1.0, 6.0)]


def test_identity_has_no_region():
    assert _regions("identity") == []


@pytest.mark.parametrize("key,centered", [("tanh", True), ("sigmoid", False), ("relu", False),
                                          ("selu", True), ("softsign", True), ("elu", False)])
def test_zero_centering(key, centered):
    assert properties(activations.get(key)).zero_centered is centered


def test_sigmoid_properties():
    p = properties(activations.get("sigmoid"))
    assert p.f0 == 0.5 and p.df0 == 0.25 and p.max_abs_df == 0.25  # its *derivative* peaks at 1/4
    assert p.gaussian_mean == pytest.approx(0.5, abs=1e-12)  # its *output* is centred on 1/2
    assert p.bounded_below and p.bounded_above and p.monotonic and p.smooth
    assert (p.range_low, p.range_high) == pytest.approx((0.0, 1.0), abs=1e-12)


def test_relu_properties():
    p = properties(activations.get("relu"))
    assert p.bounded_below and not p.bounded_above
    assert p.continuous and not p.smooth and p.monotonic
    assert p.df0 == 0.0


def test_gelu_and_silu_are_not_monotonic_and_dip_below_zero():
    g = properties(activations.get("gelu"))
    s = properties(activations.get("silu"))
    assert not g.monotonic and not s.monotonic
    assert g.range_low == pytest.approx(-0.16997, abs=1e-4)
    assert s.range_low == pytest.approx(-0.27846, abs=1e-4)


@pytest.mark.parametrize("alpha,smooth", [(1.0, True), (0.5, False), (2.0, False)])
def test_elu_is_c1_only_for_alpha_one(alpha, smooth):
    assert properties(activations.get("elu"), {"alpha": alpha}).smooth is smooth


def test_celu_is_c1_for_any_alpha():
    assert properties(activations.get("celu"), {"alpha": 0.3}).smooth


@pytest.mark.parametrize("key", ["binary_step", "hardshrink", "threshold"])
def test_jumps_are_found(key):
    assert not properties(activations.get(key)).continuous


def test_properties_follow_the_parameters():
    a = properties(activations.get("elu"), {"alpha": 2.0})
    assert a.range_low == pytest.approx(-2.0, abs=1e-9) and a.df0 == 2.0
    assert properties(activations.get("hardtanh"), {"max_val": 3.0}).range_high == 3.0


def test_hardswish_amplifies_just_left_of_3():
    """f' = x/3 + 1/2 exceeds 1 for 1.5 < x < 3 (the pink band), approaching 1.5; at x = 3 it is 1, as in
    PyTorch's backward, so the measured max |f'| stays just under 1.5."""
    amp = [(r.start, r.end) for r in _regions("hardswish") if r.kind == AMPLIFYING]
    assert amp == [pytest.approx((1.51, 2.99), abs=1e-9)]
    p = properties(activations.get("hardswish"))
    assert 1.499 < p.max_abs_df < 1.5
