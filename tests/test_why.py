"""The facts the "why" pages show: linear layers collapse, XOR needs a non-linearity, ReLUs draw curves,
positive inputs zig-zag, and the vector activations match PyTorch."""
import warnings

import numpy as np
import pytest
import torch

from activations import nonlinear as NL
from activations import vector as V
from activations import zerocenter as ZC

# ---- stacked linear layers are one linear layer ------------------------------------------------------------------


def test_linear_layers_collapse_to_their_product():
    c = NL.linear_collapse()
    w1, w2, w3 = c.weights
    assert (w1.shape, w2.shape, w3.shape) == ((4, 2), (4, 4), (2, 4))
    assert all(w.dtype == np.float64 for w in c.weights)
    np.testing.assert_array_equal(c.product, w3 @ w2 @ w1)
    np.testing.assert_array_equal(c.out_product, c.x @ c.product.T)
    np.testing.assert_allclose(c.out_stacked, c.x @ c.product.T, rtol=0, atol=1e-12)
    assert c.max_abs_diff < 1e-12
    assert c.max_abs_diff == np.max(np.abs(c.out_stacked - c.out_product))
    big = NL.linear_collapse(seed=3, dims=(5, 16, 32, 3), n=50)
    assert big.out_stacked.shape == (50, 3) and big.max_abs_diff < 1e-12
    assert NL.linear_collapse(seed=3).max_abs_diff < 1e-12


def test_linear_collapse_clamps_with_notes():
    c = NL.linear_collapse(dims=(2, 4), n=-1)
    assert c.out_stacked.shape == (1, 2)
    assert any("dims" in s for s in c.notes) and any("n = -1" in s for s in c.notes)


# ---- XOR ---------------------------------------------------------------------------------------------------------

def test_xor_data():
    x, y = NL.xor_data()
    assert x.shape == (200, 2) and x.dtype == np.float32
    assert y.shape == (200,) and y.dtype == np.int64
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] < 0).astype(np.int64))
    assert y.sum() == 100  # balanced: two clusters per class, 50 points each
    x2, y2 = NL.xor_data()
    np.testing.assert_array_equal(x, x2)


@pytest.fixture(scope="module")
def xor_fits():
    return NL.train_xor("linear"), NL.train_xor("nonlinear"), NL.train_xor("nonlinear")


def test_xor_needs_a_nonlinearity(xor_fits):
    linear, nonlinear, _ = xor_fits
    assert linear.kind == "linear" and nonlinear.kind == "nonlinear"
    assert linear.accuracy <= 0.75  # a line is right on 3 of the 4 clusters at best
    assert nonlinear.accuracy == 1.0
    assert nonlinear.loss[-1] < 0.01 < linear.loss[-1]
    for fit in xor_fits:
        assert fit.loss.shape == (500,) and np.all(np.isfinite(fit.loss))
        assert fit.grid_axis.shape == (60,) and fit.grid_axis[0] == -2.0 and fit.grid_axis[-1] == 2.0
        assert fit.boundary.shape == (60, 60)
        assert np.all((fit.boundary >= 0) & (fit.boundary <= 1))
    # boundary[row = y, column = x]: the nonlinear net says class 1 at (x, y) = (2, -2) and class 0 at (2, 2)
    b = nonlinear.boundary
    assert b[0, -1] > 0.9 and b[-1, 0] > 0.9 and b[-1, -1] < 0.1 and b[0, 0] < 0.1


def test_xor_training_is_deterministic(xor_fits):
    _, a, b = xor_fits
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(a.boundary, b.boundary)
    assert a.accuracy == b.accuracy


def test_deep_linear_net_is_still_linear():
    assert NL.train_xor("linear", depth=6, steps=200).accuracy <= 0.75


def test_train_xor_clamps_with_notes():
    fit = NL.train_xor("quadratic", activation="nope", steps=0, grid=5)
    assert fit.kind == "nonlinear" and fit.loss.shape == (1,) and fit.boundary.shape == (10, 10)
    assert len(fit.notes) == 4


def test_train_xor_does_not_move_the_callers_rng():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    NL.train_xor(steps=5)
    torch.testing.assert_close(torch.rand(3), expected)


# ---- sums of ReLUs -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sin", "square"])
def test_relu_fit_error_shrinks_with_more_knots(name):
    mse = [NL.fit_relus(name, k).mse for k in (2, 4, 8, 16)]
    assert all(a > b for a, b in zip(mse, mse[1:], strict=False)), mse
    assert mse[-1] < 1e-4


def test_abs_is_exact_with_a_knot_at_zero():
    # |x| = -x + 2 relu(x): an odd k on the symmetric (-3, 3) puts a knot exactly at 0
    for k in (1, 3, 7):
        fit = NL.fit_relus("abs", k)
        assert 0.0 in fit.knots
        assert fit.max_err < 1e-12
    even = NL.fit_relus("abs", 8)
    assert 0.0 not in even.knots and even.max_err > 0.1 and any("no knot" in s for s in even.notes)


def test_relu_sum_reproduces_the_least_squares_fit():
    fit = NL.fit_relus("sin", 8)
    assert fit.knots.shape == fit.weights.shape == (8,)
    assert np.all((fit.knots > -3) & (fit.knots < 3)) and np.all(np.diff(fit.knots) > 0)
    np.testing.assert_array_equal(fit.approx, NL.relu_sum(fit.x, fit.knots, fit.weights, fit.bias, fit.slope))
    design = np.column_stack([np.ones_like(fit.x), fit.x, np.maximum(fit.x[:, None] - fit.knots, 0.0)])
    coef, *_ = np.linalg.lstsq(design, fit.y, rcond=None)
    np.testing.assert_allclose(fit.approx, design @ coef, rtol=0, atol=1e-12)
    assert fit.mse == pytest.approx(np.mean((fit.approx - fit.y) ** 2), rel=1e-12)
    assert fit.max_err == np.max(np.abs(fit.approx - fit.y))


def test_relu_sum_and_targets():
    x = np.linspace(-2, 2, 9)
    np.testing.assert_array_equal(NL.relu_sum(x, [0.0], [1.0]), np.maximum(x, 0))
    np.testing.assert_array_equal(NL.relu_sum(x, [], [], bias=1.0, slope=2.0), 1 + 2 * x)
    with pytest.raises(ValueError):
        NL.relu_sum(x, [0.0, 1.0], [1.0])
    np.testing.assert_array_equal(NL.target("step", np.array([-1e-9, 0.0, 2.0])), [0.0, 1.0, 1.0])
    np.testing.assert_array_equal(NL.target("square", x), x * x)
    for name in NL.TARGETS:
        assert NL.target(name, x).shape == x.shape
    with pytest.raises(ValueError):
        NL.target("cube", x)


# ---- zero-centring -----------------------------------------------------------------------------------------------

def test_per_sample_gradients_of_positive_inputs_share_a_sign():
    assert ZC.per_sample_gradient_signs() == 1.0
    assert ZC.per_sample_gradient_signs(seed=5, n=50) == 1.0
    assert 0.4 < ZC.per_sample_gradient_signs(centered=True) < 0.6


@pytest.fixture(scope="module")
def paths():
    return ZC.descent(centered=False), ZC.descent(centered=True)


def test_positive_inputs_need_more_steps(paths):
    pos, cen = paths
    assert pos.steps_to_converge is not None and cen.steps_to_converge is not None
    assert pos.steps_to_converge > 2 * cen.steps_to_converge
    # the same optimum, reached by both
    np.testing.assert_allclose(pos.w_star, cen.w_star, rtol=0, atol=1e-12)
    np.testing.assert_allclose(pos.w_star, ZC.W_TRUE, rtol=0, atol=1e-12)
    for p in paths:
        assert p.w.shape == (p.steps_to_converge + 1, 2) and p.loss.shape == (p.steps_to_converge + 1,)
        np.testing.assert_array_equal(p.w[0], ZC.W0)
        assert np.linalg.norm(p.w[-1] - p.w_star) < 1e-3
        assert np.linalg.norm(p.w[-2] - p.w_star) >= 1e-3
        assert not p.notes
    # the positive path bounces along (1, 1): its full-batch gradients point (+, +) or (-, -)
    assert pos.sign_agreement > 0.9 > 0.1 > cen.sign_agreement


def test_the_cost_is_the_learning_rate_positive_inputs_forbid():
    (lo_p, hi_p), limit_p = ZC.curvature(False)
    (lo_c, hi_c), limit_c = ZC.curvature(True)
    assert hi_p > 4 * lo_p and hi_c < 1.2 * lo_c  # the mean adds a large eigenvalue along (1, 1)
    assert ZC.DEFAULT_LR < limit_p < 1.2 * ZC.DEFAULT_LR and limit_c > 4 * limit_p
    beyond = ZC.descent(False, lr=1.05 * limit_p)
    assert beyond.steps_to_converge is None and "diverged" in beyond.notes[0]
    assert ZC.descent(True, lr=1.05 * limit_p).steps_to_converge is not None
    # at a small lr both crawl at the rate of (nearly) the same smallest eigenvalue
    slow_p, slow_c = ZC.descent(False, lr=0.5, max_steps=2000), ZC.descent(True, lr=0.5, max_steps=2000)
    assert abs(slow_p.steps_to_converge - slow_c.steps_to_converge) <= 0.1 * slow_c.steps_to_converge


# ---- softmax family ----------------------------------------------------------------------------------------------

Z = np.array([[1.0, 2.0, 3.0, -4.0], [0.5, 0.5, 0.5, 0.5], [-30.0, 40.0, 7.0, 0.0]])


def test_softmax_is_a_distribution_and_shift_invariant():
    p = V.softmax(Z)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    assert np.all(p >= 0)
    np.testing.assert_allclose(V.softmax(Z + 123.0), p, rtol=0, atol=1e-12)
    np.testing.assert_allclose(V.softmax(Z.T, axis=0), p.T, rtol=0, atol=1e-15)


def test_softmax_does_not_overflow():
    z = np.array([1000.0, 0.0, -1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = V.softmax(z)
        lp = V.log_softmax(z)
        q = V.softmin(z)
    np.testing.assert_array_equal(p, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(q, [0.0, 0.0, 1.0])
    np.testing.assert_allclose(lp, [0.0, -1000.0, -2000.0], rtol=1e-15, atol=0)


@pytest.mark.parametrize("temperature", [0.3, 1.0, 4.0])
def test_softmax_family_matches_torch(temperature):
    t = torch.tensor(Z, dtype=torch.float64)
    tf = torch.nn.functional
    np.testing.assert_allclose(V.softmax(Z, temperature), torch.softmax(t / temperature, -1).numpy(),
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(V.log_softmax(Z, temperature), torch.log_softmax(t / temperature, -1).numpy(),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(V.softmin(Z, temperature), tf.softmin(t / temperature, -1).numpy(),
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(V.softmax(Z, temperature, axis=0), torch.softmax(t / temperature, 0).numpy(),
                               rtol=1e-12, atol=1e-300)


def test_temperature_limits():
    z = np.array([1.0, 2.0, 3.0, 1.5])  # gaps >= 1: exp(-1/1e-3) underflows to exactly 0
    np.testing.assert_array_equal(V.softmax(z, 1e-3), [0.0, 0.0, 1.0, 0.0])
    np.testing.assert_array_equal(V.softmax(z, 0.0), V.softmax(z, 1e-3))  # clamped, not a division by zero
    np.testing.assert_array_equal(V.softmax(z, -5.0), V.softmax(z, 1e-3))
    np.testing.assert_allclose(V.softmax(z, 1e6), 0.25, rtol=0, atol=1e-6)
    # T spreads the mass monotonically: the entropy grows with T
    ent = [-(p * np.log(p)).sum() for p in (V.softmax(z, t) for t in (0.1, 0.5, 1.0, 2.0, 10.0))]
    assert all(a < b for a, b in zip(ent, ent[1:], strict=False))


@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0])
def test_softmax_jacobian_matches_autograd(temperature):
    z = np.array([0.3, -1.2, 2.0, 0.0, 0.7])
    jac = V.softmax_jacobian(z, temperature)
    ref = torch.autograd.functional.jacobian(lambda v: torch.softmax(v / temperature, -1),
                                             torch.tensor(z, dtype=torch.float64)).numpy()
    assert jac.shape == (5, 5)
    np.testing.assert_allclose(jac, ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(jac, jac.T, rtol=0, atol=1e-15)


# ---- GLU and maxout ----------------------------------------------------------------------------------------------

def test_glu_matches_torch():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 3, (4, 6)), rng.normal(0, 3, (4, 6))
    b[0, :2] = (800.0, -800.0)  # far out in sigmoid's tails: no overflow
    ref = torch.nn.functional.glu(torch.cat([torch.tensor(a), torch.tensor(b)], -1), dim=-1).numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(V.glu(a, b), ref, rtol=1e-14, atol=1e-300)
    A, B, Zs = V.glu_surface(n=21)
    assert A.shape == B.shape == Zs.shape == (21, 21)
    assert np.all(A[0] == np.linspace(-3, 3, 21)) and np.all(B[:, 0] == np.linspace(-6, 6, 21))
    np.testing.assert_array_equal(Zs, V.glu(A, B))


def test_maxout_presets():
    x = np.linspace(-5, 5, 1001)
    relu, idx = V.maxout(x, V.MAXOUT_PRESETS["ReLU"])
    np.testing.assert_array_equal(relu, np.maximum(0.0, x))
    np.testing.assert_array_equal(idx, (x > 0).astype(int))
    np.testing.assert_array_equal(V.maxout(x, V.MAXOUT_PRESETS["|x|"])[0], np.abs(x))
    np.testing.assert_allclose(V.maxout(x, V.MAXOUT_PRESETS["Leaky ReLU 0.1"])[0], np.where(x > 0, x, 0.1 * x),
                               rtol=0, atol=1e-15)
    for name, pieces in V.MAXOUT_PRESETS.items():
        y, idx = V.maxout(x, pieces)
        assert y.shape == idx.shape == x.shape, name
        assert np.all(np.diff(y, 2) >= -1e-12), name  # convex: a max of lines always is
        assert set(np.unique(idx)) <= set(range(len(pieces))), name
    bowl, _ = V.maxout(x, V.MAXOUT_PRESETS["convex bowl"])
    assert np.all(bowl <= x * x / 2 + 1e-12)  # tangents lie under the parabola
    with pytest.raises(ValueError):
        V.maxout(x, [])
