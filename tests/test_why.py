"""The facts the "why" pages show: linear layers collapse, XOR needs a non-linearity, ReLUs draw curves,
positive inputs zig-zag, and the vector activations match PyTorch; the pages' declared controls hold hostile links."""
import warnings

import numpy as np
import pytest
import torch

from activations import validate
from activations import vector as V
from charts import vector as vector_charts
from charts import why as why_charts
from labs import catalog
from labs import nonlinear as NL
from labs import vector as LV
from labs import zerocenter as ZC
from labs.controls import SEED_HIGH

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
    assert not np.array_equal(NL.linear_collapse(seed=3).product, c.product)  # the seed draws other matrices


def test_linear_collapse_clamps_with_notes():
    c = NL.linear_collapse(seed=-4, dims=(2, 4), n=-1)
    assert c.out_stacked.shape == (1, 2)
    assert [n.msgid for n in c.notes] == [validate.OUT_OF_RANGE, NL.NOT_FOUR_SIZES, validate.OUT_OF_RANGE]
    assert "**dims**" in c.notes[1].render() and "**n**" in c.notes[2].render()
    np.testing.assert_array_equal(c.product, NL.linear_collapse(seed=0).product)  # seed -4 -> 0


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
    # what the page shows: the deep linear net at 50 % (it says ½ everywhere), one ReLU layer at 100 %
    assert linear.accuracy == 0.5 and nonlinear.accuracy == 1.0
    assert nonlinear.loss[-1] < 0.01 < linear.loss[-1]
    for fit in xor_fits:
        assert fit.loss.shape == (500,) and np.all(np.isfinite(fit.loss))
        assert fit.grid_axis.shape == (60,) and fit.grid_axis[0] == -2.0 and fit.grid_axis[-1] == 2.0
        assert fit.boundary.shape == (60, 60)
        assert np.all((fit.boundary >= 0) & (fit.boundary <= 1))
        x, y = NL.xor_data()  # the points drawn on the chart are the ones it trained on
        np.testing.assert_array_equal(fit.x, x)
        np.testing.assert_array_equal(fit.y, y)
    # boundary[row = y, column = x]: the nonlinear net says class 1 at (x, y) = (2, -2) and class 0 at (2, 2)
    b = nonlinear.boundary
    assert b[0, -1] > 0.9 and b[-1, 0] > 0.9 and b[-1, -1] < 0.1 and b[0, 0] < 0.1
    assert np.all(np.abs(linear.boundary - 0.5) < 0.05)  # no colour: ½ everywhere


def test_xor_training_is_deterministic(xor_fits):
    _, a, b = xor_fits
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(a.boundary, b.boundary)
    assert a.accuracy == b.accuracy


def test_deep_linear_net_is_still_linear():
    assert NL.train_xor("linear", NL.XorConfig(depth=6, steps=200)).accuracy <= 0.75


def test_train_xor_clamps_with_notes():
    fit = NL.train_xor("quadratic", NL.XorConfig(activation="nope", steps=0, grid=5))
    assert fit.kind == "nonlinear" and fit.loss.shape == (1,) and fit.boundary.shape == (10, 10)
    assert fit.config.activation == "relu"
    assert [n.msgid for n in fit.notes] == [validate.NOT_A_CHOICE] * 2 + [validate.OUT_OF_RANGE] * 2
    assert NL.train_xor("nonlinear", NL.XorConfig(activation="identity", steps=1)).notes[-1].msgid == \
        NL.IDENTITY_IS_LINEAR


def test_each_net_is_keyed_by_the_settings_it_uses():
    a, b = NL.XorConfig(depth=2, activation="gelu"), NL.XorConfig(depth=5, activation="gelu")
    assert a.for_kind("linear") == NL.XorConfig(depth=2).for_kind("linear")  # the activation is not its own
    assert a.for_kind("nonlinear") == b.for_kind("nonlinear")  # nor the depth the non-linear net's
    assert a.for_kind("linear") != b.for_kind("linear")


def test_train_xor_does_not_move_the_callers_rng():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    NL.train_xor(config=NL.XorConfig(steps=5))
    torch.testing.assert_close(torch.rand(3), expected)


# ---- sums of ReLUs -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sin", "square"])
def test_relu_fit_error_shrinks_with_more_knots(name):
    mse = [NL.fit_relus(name, k).mse for k in (2, 4, 8, 16)]
    assert all(a > b for a, b in zip(mse, mse[1:], strict=False)), mse
    assert mse[-1] < 1e-4
    ks, curve = NL.error_curve(name)
    assert ks == NL.ERROR_KS and all(a > b for a, b in zip(curve, curve[1:], strict=False))


def test_abs_is_exact_with_a_knot_at_zero():
    # |x| = -x + 2 relu(x): an odd k on the symmetric (-3, 3) puts a knot exactly at 0
    for k in (1, 3, 7):
        fit = NL.fit_relus("abs", k)
        assert 0.0 in fit.knots
        assert fit.max_err < 1e-12
        assert not fit.notes
    even = NL.fit_relus("abs", 8)
    assert 0.0 not in even.knots and even.max_err > 0.1
    assert [n.msgid for n in even.notes] == [NL.NO_KNOT_AT_ZERO] and "|x|" in even.notes[0].render()
    assert [n.msgid for n in NL.fit_relus("step", 7).notes] == [NL.STEP_JUMPS]


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
    # the chart's thin lines are the terms the sum adds up
    assert fit.terms.shape == (8, fit.x.size)
    np.testing.assert_allclose(fit.bias + fit.slope * fit.x + fit.terms.sum(axis=0), fit.approx, rtol=0, atol=1e-12)


def test_fit_relus_clamps_with_notes():
    fit = NL.fit_relus("cube", 999, x_range=(5.0, -5.0), n=3)
    assert fit.knots.shape == (NL.MAX_KNOTS,) and fit.x[0] == -5.0 and fit.x[-1] == 5.0
    assert fit.x.size == NL.MAX_KNOTS + 3  # more points than unknowns
    assert [n.msgid for n in fit.notes] == [validate.NOT_A_CHOICE, validate.OUT_OF_RANGE, validate.SWAPPED,
                                            validate.OUT_OF_RANGE]


def test_the_hand_built_default_is_a_hat():
    """Weights (1, -2, 1) at knots (-1, 0, 1): the slope goes 0 -> +1 -> -1 -> 0, so the curve comes down as
    steeply as it went up (the slope *changes* by -2 at 0, twice as much as at -1 and 1)."""
    s = NL.hand_sum()
    np.testing.assert_array_equal(s.knots, [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(s.weights, [1.0, -2.0, 1.0])
    slope = np.diff(s.y) / np.diff(s.x)
    mid = (s.x[1:] + s.x[:-1]) / 2
    for lo, hi, want in ((-3, -1, 0.0), (-1, 0, 1.0), (0, 1, -1.0), (1, 3, 0.0)):
        inside = (mid > lo) & (mid < hi)
        np.testing.assert_allclose(slope[inside], want, rtol=0, atol=1e-9)
    assert s.y.max() == pytest.approx(1.0) and s.y[0] == s.y[-1] == 0.0
    moved = NL.hand_sum({"knot2": 0.5, "weight2": 9.0})
    assert moved.knots[1] == 0.5 and moved.weights[1] == 3.0 and moved.notes[0].msgid == validate.OUT_OF_RANGE
    np.testing.assert_allclose(moved.terms.sum(axis=0), moved.y, rtol=0, atol=1e-12)


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
    assert (pos.steps_to_converge, cen.steps_to_converge) == (43, 15)  # the page's default view
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
    assert (pos.label, cen.label) == (ZC.POSITIVE, ZC.CENTRED)


def test_the_cost_is_the_learning_rate_positive_inputs_forbid():
    (lo_p, hi_p), limit_p = ZC.curvature(False)
    (lo_c, hi_c), limit_c = ZC.curvature(True)
    assert hi_p > 4 * lo_p and hi_c < 1.2 * lo_c  # the mean adds a large eigenvalue along (1, 1)
    assert ZC.DEFAULT_LR < limit_p < 1.2 * ZC.DEFAULT_LR and limit_c > 4 * limit_p
    # the page's next step beyond the positive path's limit: it diverges, the centred one does not
    beyond = min(lr for lr in ZC.LRS if lr > limit_p)
    diverged = ZC.descent(False, lr=beyond)
    assert diverged.steps_to_converge is None and [n.msgid for n in diverged.notes] == [ZC.DIVERGED]
    assert ZC.descent(True, lr=beyond).steps_to_converge is not None
    # at a small lr both crawl at the rate of (nearly) the same smallest eigenvalue
    slow_p, slow_c = ZC.descent(False, lr=0.5, max_steps=2000), ZC.descent(True, lr=0.5, max_steps=2000)
    assert abs(slow_p.steps_to_converge - slow_c.steps_to_converge) <= 0.1 * slow_c.steps_to_converge
    stuck = ZC.descent(False, lr=0.1, max_steps=5)
    assert stuck.steps_to_converge is None and stuck.notes[0].render().endswith("after 5 steps.")


def test_descent_takes_only_the_pages_learning_rates():
    p = ZC.descent(False, lr=3.1)  # between the steps 3.0 and 3.2: the nearest
    assert p.notes[0].msgid == validate.NOT_A_STEP
    assert p.steps_to_converge == ZC.descent(False, lr=3.0).steps_to_converge


def test_compare_is_what_the_page_shows():
    z = ZC.compare()
    assert (z.positive.steps_to_converge, z.centred.steps_to_converge) == (43, 15)
    assert z.share_same_sign == 1.0
    assert z.limit_positive == pytest.approx(3.24, abs=0.005) and z.limit_centred > 4 * z.limit_positive
    cfg, notes = ZC.ZeroConfig(lr=float("nan"), seed=SEED_HIGH + 1).clamped()
    assert cfg == ZC.ZeroConfig(lr=ZC.DEFAULT_LR, seed=SEED_HIGH) and len(notes) == 2


def test_bias_shift_as_the_page_tells_it():
    # why_nonlinear.md, "Bias shift", at the section's seed (0) and three more: sigmoid's outputs average 0.5 and
    # shift the next layer's unit means by more than their spread (measured 2.2-2.6x); ReLU's average 1/√(2π);
    # ELU's about 0.16; tanh and SELU leave only chance (std/√n). The shift is μ·Σᵢ wⱼᵢ, as the text derives.
    n = ZC.SHIFT_ROWS
    for seed in range(4):
        rows = {r.key: r for r in ZC.bias_shift(seed)}
        assert list(rows) == list(ZC.SHIFT_KEYS)
        assert abs(rows["sigmoid"].out_mean - 0.5) < 0.01 and rows["sigmoid"].ratio > 1, seed
        assert abs(rows["relu"].out_mean - 1 / np.sqrt(2 * np.pi)) < 0.01, seed
        assert abs(rows["elu"].out_mean - 0.16) < 0.01, seed
        assert rows["relu"].ratio > rows["elu"].ratio > 0.1, seed  # ELU's negative values shrink the shift
        for key in ("tanh", "selu"):
            assert rows[key].shift < 2 * rows[key].spread / np.sqrt(n), (seed, key)
        for key in ("sigmoid", "relu", "elu"):
            assert rows[key].shift == pytest.approx(rows[key].predicted, rel=0.05), (seed, key)
    assert ZC.bias_shift(0) == ZC.bias_shift(0)  # the same seed, the same table


# ---- the pages' declared controls: every URL key kept, hostile values clamped --------------------------------------

def _keys(page: str) -> list[str]:
    return [c.url for s in catalog.schemas(page) for c in s]


def test_why_nonlinear_declares_every_url_key_once():
    knots = [f"r.{kw}{i}" for i in (1, 2, 3) for kw in "kw"]
    assert _keys("why_nonlinear") == ["c.seed", "x.depth", "x.act", "x.hidden", "x.seed", "r.mode", "r.target",
                                      "r.k", *knots, "z.lr", "z.seed"]
    assert all(NL.RELUS.by_url[k].needs == NL.HAND for k in knots)
    assert NL.XOR.depth.high == 8 and NL.XOR.hidden.high == 32 and NL.RELUS.k.high == 64
    assert ZC.ZERO.lr.options == ZC.LRS and ZC.ZERO.lr.default == 3.0
    assert all(s.high == SEED_HIGH for s in (NL.COLLAPSE.seed, NL.XOR.seed, ZC.ZERO.seed))


def test_vector_declares_every_url_key_once():
    pieces = [f"m.{ac}{i}" for i in range(1, 7) for ac in "ac"]
    assert _keys("vector") == ["z1", "z2", "z3", "z4", "z5", "T", "glu.b", "m.preset", "m.k", *pieces]
    assert [LV.SOFTMAX[z].default for z in LV.LOGITS] == list(LV.DEFAULT_LOGITS)
    assert LV.SOFTMAX.temperature.options == LV.TEMPS
    # piece i is shown while m.k >= i
    assert LV.MAXOUT.by_url["m.a1"].needs == ()
    assert LV.MAXOUT.by_url["m.c3"].needs == (("m.k", ("3", "4", "5", "6")),)


@pytest.mark.parametrize("raw", ["nan", "1e999", "-inf", "", "<script>", "9" * 400])
def test_hostile_values_are_clamped_with_a_note(raw):
    for page in ("why_nonlinear", "vector"):
        for schema in catalog.schemas(page):
            query = {c.url: raw for c in schema}
            values, notes = schema.parse_query(query)
            assert len(notes) == len(schema.controls), (page, raw)
            assert values.keys() == schema.defaults().keys()
            for c in schema:  # a value the control itself accepts back without a note
                again, note = c.parse(values[c.name])
                assert note is None and again == values[c.name], (c.url, raw)


def test_a_link_round_trips_through_the_declarations():
    values = {**NL.RELUS.defaults(), "mode": "hand", "weight2": -1.5}
    assert NL.RELUS.encode(values) == {"r.mode": "hand", "r.w2": "-1.5"}
    assert NL.RELUS.parse_query(NL.RELUS.encode(values)) == (values, [])
    bowl = LV.maxout_controls("convex bowl")
    assert bowl.k.default == 5 and bowl.a1.default == -2.0 and bowl.c1.default == -2.0
    edited = {**bowl.defaults(), "preset": "convex bowl", "a1": -1.0}
    assert bowl.encode(edited) == {"m.preset": "convex bowl", "m.a1": "-1.0"}
    assert LV.maxout_controls("no such preset") is LV.MAXOUT


# ---- the vector page's computations --------------------------------------------------------------------------------

def test_softmax_family_of_the_pages_logits():
    s = LV.softmax_family()
    np.testing.assert_array_equal(s.z, LV.DEFAULT_LOGITS)
    np.testing.assert_array_equal(s.softmax, V.softmax(s.z))
    np.testing.assert_array_equal(s.log_softmax, V.log_softmax(s.z))
    np.testing.assert_array_equal(s.jacobian, V.softmax_jacobian(s.z))
    assert s.total == pytest.approx(1.0, abs=1e-12) and s.top_class == "1" and s.top == pytest.approx(0.559, abs=5e-4)
    cold = LV.softmax_family({"temperature": 0.05, "z2": 10.0})
    assert cold.top_class == "2" and cold.top > 0.999999
    hostile = LV.softmax_family({"temperature": float("nan"), "z3": 1e999})
    assert hostile.temperature == 1.0 and hostile.z[2] == 10.0 and len(hostile.notes) == 2


def test_glu_surface_follows_its_range():
    g = LV.glu_surface({"b_max": 2.5})
    assert g.b[0, 0] == -2.5 and g.b[-1, 0] == 2.5 and g.a[0, 0] == -3.0
    np.testing.assert_array_equal(g.z, V.glu(g.a, g.b))


def test_maxout_unit_takes_the_first_k_pieces():
    relu = LV.maxout_unit()
    assert relu.pieces == ((0.0, 0.0), (1.0, 0.0))
    np.testing.assert_array_equal(relu.y, np.maximum(relu.x, 0.0))
    bowl = LV.maxout_unit({"preset": "convex bowl"})
    assert len(bowl.pieces) == 5 and bowl.pieces == tuple(V.MAXOUT_PRESETS["convex bowl"])
    three = LV.maxout_unit({"preset": "|x|", "k": 3, "a3": 0.0, "c3": 2.0})  # a third, flat piece at 2
    np.testing.assert_allclose(three.y, np.maximum(np.abs(three.x), 2.0), rtol=0, atol=1e-15)
    bad = LV.maxout_unit({"preset": "<b>", "k": 99})
    assert len(bad.pieces) == 6 and [n.msgid for n in bad.notes] == [validate.NOT_A_CHOICE, validate.OUT_OF_RANGE]


# ---- the charts are valid figures ------------------------------------------------------------------------------

def test_the_charts_are_valid_plotly(xor_fits, paths):
    fit, s, m, g = NL.fit_relus("sin", 4), LV.softmax_family(), LV.maxout_unit(), LV.glu_surface()
    figures = [why_charts.boundary_figure(xor_fits[0]), why_charts.boundary_figure(xor_fits[1], "ReLU"),
               why_charts.relu_fit_figure(fit.x, fit.y, fit.approx, fit.terms, fit.knots),
               why_charts.error_curve_figure(*NL.error_curve("sin")), why_charts.descent_figure(list(paths)),
               vector_charts.bars_figure(LV.CLASSES, [("softmax", s.softmax)]),
               vector_charts.jacobian_figure(s.jacobian, LV.CLASSES), vector_charts.glu_figure(g.a, g.b, g.z),
               vector_charts.maxout_figure(m.x, m.y, m.pieces)]
    for f in figures:
        f.full()  # validates every property: raises on an invalid one
    assert len(figures[2].full().data) == 2 + 4  # target, sum, one line per term
    assert [t.name for t in figures[-1].full().data] == ["piece 1: 0x + 0", "piece 2: 1x + 0",
                                                        "maxout = max of the pieces"]


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
