"""What the Dying-ReLU page tells a learner, checked on the real torch trainings activations.dying runs."""
import math

import numpy as np
import pytest
import torch

from activations import dying as D

ARRAYS = ("X", "y", "steps", "loss", "accuracy", "dead_fraction", "dead_first", "first_w", "first_b", "grid_axis",
          "boundary")


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    # These nets are tiny: intra-op threads only add OpenMP hand-offs, and on a busy 2-core machine (other test
    # runs) two spinning threads per process make a 0.3 s training take seconds. Restored afterwards.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def preset_runs() -> dict:
    """The four presets, plus each with the other activation (same seed, data and settings)."""
    runs = {}
    for name in D.PRESETS:
        for act in ("relu", "leaky_relu"):
            runs[name, act] = D.train(D.preset_config(name, activation=act))
    return runs


# ---- the presets -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["high-lr", "negative-bias"])
def test_preset_kills_relu_but_not_leaky_relu(preset_runs, name):
    relu, leaky = preset_runs[name, "relu"], preset_runs[name, "leaky_relu"]
    assert D.PRESETS[name]["train"]["activation"] == "relu"
    assert relu.final_dead_fraction >= 0.3
    assert relu.final_dead_fraction == pytest.approx(relu.dead_fraction[-1].mean())  # layers have the same width
    # LeakyReLU's f' is 0.01 for z <= 0: no unit has a zero gradient for every point, at any step
    assert leaky.final_dead_fraction == 0.0
    assert np.all(leaky.dead_fraction == 0) and not leaky.dead_first.any()
    assert not any("non-finite" in n for n in relu.notes + leaky.notes)


def test_negative_bias_kills_from_the_start_and_leaky_relu_still_learns(preset_runs):
    relu, leaky = preset_runs["negative-bias", "relu"], preset_runs["negative-bias", "leaky_relu"]
    assert relu.dead_fraction[0].min() >= 0.9  # most units are off the data before any update
    assert relu.accuracy[-1] <= 0.6  # a dead net outputs a constant: chance level on balanced classes
    assert leaky.accuracy[-1] >= 0.9
    assert any("already dead" in n for n in relu.notes)


def test_high_lr_kills_units_during_training(preset_runs):
    relu = preset_runs["high-lr", "relu"]
    assert relu.dead_fraction[0].mean() < 0.1 <= 0.3 <= relu.dead_fraction[-1].mean()


def test_healthy_and_leaky_fix(preset_runs):
    healthy = preset_runs["healthy", "relu"]
    assert healthy.accuracy[-1] >= 0.9 and healthy.final_dead_fraction < 0.2
    high, fix = D.PRESETS["high-lr"]["train"], D.PRESETS["leaky-fix"]["train"]
    assert fix == {**high, "activation": "leaky_relu"}  # the fix changes nothing but the activation
    fixed, leaky_high = preset_runs["leaky-fix", "leaky_relu"], preset_runs["high-lr", "leaky_relu"]
    np.testing.assert_array_equal(fixed.loss, leaky_high.loss)
    for preset in D.PRESETS.values():
        train = preset["train"]
        cfg = D.TrainConfig(**{**train, "data": D.DataConfig(**train["data"])})
        assert preset["label"] and cfg.clamped()[1] == []  # valid as they are: the page applies them raw


def test_dead_first_layer_units_are_frozen_under_sgd():
    # The claim behind the definition: a dead unit gets exactly zero gradient, so plain SGD never moves its
    # incoming weights again (its line stays where it died).
    run = D.train(D.TrainConfig(optimizer="sgd", lr=5.0, steps=150, record_every=10))
    assert run.dead_first[-1].any()
    for i in range(len(run.steps)):
        d = run.dead_first[i]
        np.testing.assert_array_equal(run.first_w[i:, d], np.broadcast_to(run.first_w[i, d], run.first_w[i:, d].shape))
        np.testing.assert_array_equal(run.first_b[i:, d], np.broadcast_to(run.first_b[i, d], run.first_b[i:, d].shape))
        assert np.all(run.dead_first[i:, d])  # and stays dead


# ---- counting dead units -----------------------------------------------------------------------------------------

def test_count_dead_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    W1 = np.array([[1.0, 1.0],  # z = -4, -4, -6, -6: dead only because of its bias (b = 0 would be alive)
                   [1.0, 0.0],  # z = 0.5, -0.5, -1.5, -0.5: alive on a single point
                   [-1.0, -1.0],  # z = -1, -1, 1, 1: alive
                   [1.0, 0.0]])  # z = 0, -1, -2, -1: dead, since PyTorch's relu'(0) = 0
    b1 = np.array([-5.0, -0.5, 0.0, -1.0])
    # layer 1 outputs h = relu(z): unit 0 [0 0 0 0], unit 1 [.5 0 0 0], unit 2 [0 0 1 1], unit 3 [0 0 0 0]
    W2 = np.array([[0.0, -1.0, 0.0, 0.0],  # z = -0.5, 0, 0, 0: never > 0, dead
                   [0.0, 0.0, 1.0, 0.0],  # z = -0.5, -0.5, 0.5, 0.5: alive
                   [1.0, 0.0, 0.0, 1.0]])  # z = 0.1 everywhere (its inputs are dead units): alive through its bias
    b2 = np.array([0.0, -0.5, 0.1])
    layer1, layer2 = D.count_dead([(W1, b1), (W2, b2)], X)
    np.testing.assert_array_equal(layer1, [True, False, False, True])
    np.testing.assert_array_equal(layer2, [True, False, False])
    assert layer1.dtype == bool and layer2.dtype == bool
    # LeakyReLU: f' = 0.01 on the left, so the same weights have no dead unit
    assert not any(m.any() for m in D.count_dead([(W1, b1), (W2, b2)], X, "leaky_relu", {"negative_slope": 0.01}))
    # the definition is the core's f', not "z <= 0": ReLU6 is also dead where z >= 6 (z = 20, 10, 0, 10 here)
    (dead6,) = D.count_dead([(np.array([[10.0, 0.0], [0.0, 1.0]]), np.array([10.0, 0.0]))], X, "relu6")
    np.testing.assert_array_equal(dead6, [True, False])


def test_count_dead_agrees_with_train():
    run = D.train(D.TrainConfig(layers=1, optimizer="adam", lr=0.3, steps=100, record_every=20, grid=10))
    for i in range(len(run.steps)):
        (mask,) = D.count_dead([(run.first_w[i], run.first_b[i])], run.X)
        np.testing.assert_array_equal(mask, run.dead_first[i])
        assert run.dead_fraction[i, 0] == mask.mean()
    assert run.dead_first[-1].any()  # the check above compared some dead units


# ---- replay and frames -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "rrelu"])  # rrelu draws random slopes while it trains
def test_same_config_is_bit_identical(activation):
    cfg = D.TrainConfig(activation=activation, optimizer="adam", lr=0.1, steps=60, record_every=10, grid=20)
    a, b = D.train(cfg), D.train(cfg)
    for name in ARRAYS:
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name
    if activation == "rrelu":
        assert np.array_equal(a.rrelu_train_slopes, b.rrelu_train_slopes)
    assert a.final_dead_fraction == b.final_dead_fraction and a.notes == b.notes


def test_every_activation_starts_from_the_same_weights():
    kw = dict(init="kaiming_normal", bias_init="constant", bias_value=-0.5, steps=5, grid=10, seed=7)
    runs = [D.train(D.TrainConfig(activation=a, **kw)) for a in ("relu", "leaky_relu", "elu", "prelu", "rrelu")]
    for r in runs[1:]:
        np.testing.assert_array_equal(r.first_w[0], runs[0].first_w[0])
        np.testing.assert_array_equal(r.first_b[0], runs[0].first_b[0])
    np.testing.assert_array_equal(runs[0].first_b[0], -0.5)
    assert not np.array_equal(runs[0].first_w[-1], runs[1].first_w[-1])  # ... and then train differently
    other_seed = D.train(D.TrainConfig(**{**kw, "seed": 8}))
    assert not np.array_equal(other_seed.first_w[0], runs[0].first_w[0])


def test_frames_and_shapes():
    run = D.train(D.TrainConfig(steps=300, record_every=5, grid=60))
    k = 61
    np.testing.assert_array_equal(run.steps, np.arange(0, 301, 5))
    assert run.X.shape == (500, 2) and run.X.dtype == np.float32 and run.y.shape == (500,) and run.y.dtype == np.int64
    assert run.loss.shape == run.accuracy.shape == (k,)
    assert run.dead_fraction.shape == (k, 2) and run.dead_first.shape == (k, 64) and run.dead_first.dtype == bool
    assert run.first_w.shape == (k, 64, 2) and run.first_b.shape == (k, 64)
    np.testing.assert_allclose(run.grid_axis, np.linspace(-3, 3, 60))
    assert run.boundary.shape == (k, 60, 60) and run.boundary.dtype == np.float32
    assert np.all((run.boundary >= 0) & (run.boundary <= 1))
    assert np.all((run.dead_fraction >= 0) & (run.dead_fraction <= 1))
    assert run.loss[-1] < run.loss[0] and run.accuracy[-1] > 0.85
    assert run.prelu_slopes is None and run.rrelu_train_slopes is None and run.rrelu_eval_slope is None
    # the last step is always a frame
    np.testing.assert_array_equal(D.train(D.TrainConfig(steps=17, record_every=5, grid=10)).steps, [0, 5, 10, 15, 17])


def test_boundary_rows_are_y_and_columns_are_x():
    # the moons are not symmetric under x <-> y: the trained boundary, looked up at each point's grid cell,
    # agrees with the labels; the transposed lookup does not
    run = D.train(D.TrainConfig(steps=300, record_every=300, grid=60))
    idx = np.clip(np.rint((run.X + 3) / 6 * 59).astype(int), 0, 59)
    right = (run.boundary[-1][idx[:, 1], idx[:, 0]] > 0.5) == (run.y == 1)
    transposed = (run.boundary[-1][idx[:, 0], idx[:, 1]] > 0.5) == (run.y == 1)
    assert right.mean() > 0.9 > 0.75 > transposed.mean()


def test_progress_is_reported():
    calls = []
    D.train(D.TrainConfig(steps=50, grid=10), progress=lambda f, t: calls.append((f, t)))
    assert 3 <= len(calls) <= 12 and calls[-1][0] == 1.0
    assert all(0.0 <= f <= 1.0 for f, _ in calls)


# ---- PReLU and RReLU ---------------------------------------------------------------------------------------------

def test_prelu_learns_its_slope():
    run = D.train(D.TrainConfig(activation="prelu", layers=3, optimizer="adam", lr=0.01, steps=100, grid=10))
    assert run.prelu_slopes.shape == (len(run.steps), 3)
    np.testing.assert_array_equal(run.prelu_slopes[0], 0.25)  # nn.PReLU's default init
    assert np.all(np.abs(run.prelu_slopes[-1] - 0.25) > 1e-3)


def test_rrelu_random_slopes_and_eval_slope():
    run = D.train(D.TrainConfig(activation="rrelu", params=(("lower", 0.1), ("upper", 0.3)), steps=30, grid=10))
    s = run.rrelu_train_slopes
    assert 100 <= s.size <= 2000
    assert np.all((s >= 0.1) & (s <= 0.3)) and np.unique(s).size > 100
    assert s.std() == pytest.approx(0.2 / math.sqrt(12), rel=0.15)  # U(0.1, 0.3)
    assert run.rrelu_eval_slope == pytest.approx(0.2)
    assert run.prelu_slopes is None
    assert any("evaluation mode" in n for n in run.notes)


# ---- data --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", D.DATASETS)
def test_datasets(name):
    X, y = D.make_data(D.DataConfig(name=name, n=301, noise=0.1, seed=3))
    assert X.shape == (301, 2) and X.dtype == np.float32 and y.shape == (301,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1} and abs(int(y.sum()) - (301 - int(y.sum()))) <= 1
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(X.std(axis=0), 1.0, atol=1e-4)
    X2, y2 = D.make_data(D.DataConfig(name=name, n=301, noise=0.1, seed=3))
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, D.make_data(D.DataConfig(name=name, n=301, noise=0.1, seed=4))[0])
    assert np.isfinite(D.make_data(D.DataConfig(name=name, n=50, noise=0.0))[0]).all()


def test_data_differ_between_sets():
    xs = [D.make_data(D.DataConfig(name=n))[0] for n in D.DATASETS]
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            assert not np.allclose(xs[i], xs[j])


# ---- learning-rate sweep -----------------------------------------------------------------------------------------

def test_lr_sweep():
    calls = []
    base = D.TrainConfig(optimizer="adam", steps=150)
    sweep = D.lr_sweep(base, lrs=(0.003, 0.03, 0.3), seeds=(0, 1), progress=lambda f, t: calls.append(f))
    assert sweep.activations == ("relu", "leaky_relu") and sweep.seeds == (0, 1)
    np.testing.assert_allclose(sweep.lrs, [0.003, 0.03, 0.3])
    assert sweep.dead.shape == sweep.accuracy.shape == (2, 3, 2)
    assert np.all((sweep.dead >= 0) & (sweep.dead <= 1))
    assert np.all((sweep.accuracy >= 0) & (sweep.accuracy <= 1))
    assert sweep.dead[0, -1].mean() >= sweep.dead[1, -1].mean()
    assert sweep.dead[0, -1].mean() > sweep.dead[0, 0].mean()  # more ReLU units die at the higher rate
    assert np.all(sweep.dead[1] == 0)
    assert len(calls) == 12 and calls[-1] == 1.0
    # a sweep point is the final state of the full training with that lr and seed
    run = D.train(D.TrainConfig(optimizer="adam", steps=150, lr=0.3, seed=1, record_every=150, grid=10))
    assert sweep.dead[0, 2, 1] == run.final_dead_fraction and sweep.accuracy[0, 2, 1] == run.accuracy[-1]


# ---- bad input ---------------------------------------------------------------------------------------------------

def test_clamped_absurd_values():
    cfg = D.TrainConfig(data=D.DataConfig(n=10**9), layers=0, units=10_000, lr=math.inf, optimizer="bogus",
                        activation="nope", steps=20, grid=10)
    fixed, notes = cfg.clamped()
    assert len(notes) == 6, notes
    for word in ("n ", "layers", "units", "lr", "optimizer", "activation"):
        assert sum(n.startswith(word) for n in notes) == 1, (word, notes)
    assert (fixed.data.n, fixed.layers, fixed.units, fixed.lr) == (2000, 1, 128, 0.1)
    assert (fixed.optimizer, fixed.activation) == ("sgd", "relu")
    assert fixed.clamped() == (fixed, [])  # idempotent
    run = D.train(cfg)
    assert run.X.shape == (2000, 2) and run.first_w.shape[1] == 128 and run.dead_fraction.shape[1] == 1
    assert run.notes[:6] == tuple(notes)


def test_more_bad_values_never_raise():
    cfg = D.TrainConfig(data=D.DataConfig(name="bogus", noise=math.nan, seed=-5), params="junk", grid=10**6,
                        record_every=0, seed=2**40, bias_init="weird", init=None, steps=3)
    fixed, notes = cfg.clamped()
    assert len(notes) == 9, notes
    assert (fixed.data.name, fixed.data.noise, fixed.data.seed, fixed.grid, fixed.record_every) == \
        ("moons", 0.2, 0, 120, 1)
    run = D.train(cfg)
    assert run.boundary.shape == (4, 120, 120)
    # a record_every that would keep thousands of frames is raised, with a note
    many, notes = D.TrainConfig(steps=2000, record_every=1).clamped()
    assert many.record_every == 5 and len(notes) == 1


def test_divergence_is_recorded_not_raised():
    run = D.train(D.TrainConfig(activation="leaky_relu", optimizer="sgd", lr=10.0, steps=100, grid=10))
    (note,) = [n for n in run.notes if "non-finite" in n]
    k = int(note.split("at step ")[1].split()[0])
    assert 0 < k < 100 and "learning rate too high" in note
    later = run.steps >= k
    assert np.isnan(run.loss[later]).all() and np.isfinite(run.loss[~later]).all()
    assert math.isnan(run.final_dead_fraction)
    assert not np.isnan(run.boundary[~later]).any()


def test_animation_payload_is_compact_and_keeps_the_boundary():
    """61 frames are sent to the browser on every retrain: bytes for the shading, float32 for the lines."""
    import json

    from activations import dyingplots

    run = D.train(D.TrainConfig(steps=300, record_every=5, grid=40))
    fig = json.loads(dyingplots.training_animation(run).to_json())
    assert len(fig["frames"]) == 61
    assert sum(len(json.dumps(f)) for f in fig["frames"]) < 600_000  # was 1 MB with float32 shading
    shading = dyingplots.shading(run.boundary[-1])
    assert shading.dtype == np.uint8
    assert np.abs(shading / 255 - run.boundary[-1]).max() <= 0.5 / 255 + 1e-6  # rounding only
    # a diverged run's NaN probabilities show as no tint, not as a class colour
    assert (dyingplots.shading(np.full((2, 2), np.nan)) == 128).all()


def _unit_lines_by_hand(w, b, dead, box=3.0):
    """The plain loop: each unit's line where it crosses the box's edges, first and last crossing kept."""
    out = {True: ([], []), False: ([], [])}
    for (w1, w2), bb, d in zip(w, b, dead, strict=True):
        pts = []
        if abs(w2) > 1e-12:
            pts += [(x, -(w1 * x + bb) / w2) for x in (-box, box)]
        if abs(w1) > 1e-12:
            pts += [(-(w2 * y + bb) / w1, y) for y in (-box, box)]
        pts = [(x, y) for x, y in pts if abs(x) <= box + 1e-9 and abs(y) <= box + 1e-9]
        if len(pts) >= 2:
            out[bool(d)][0].extend([pts[0][0], pts[-1][0], np.nan])
            out[bool(d)][1].extend([pts[0][1], pts[-1][1], np.nan])
    return out[False], out[True]


def test_unit_lines_match_the_plain_loop():
    from activations import dyingplots

    rng = np.random.default_rng(0)
    w = rng.normal(size=(300, 2)) * rng.choice([1e-14, 0.1, 1.0, 10.0], size=(300, 2))  # incl. axis-parallel
    w[:5] = [[0, 1], [1, 0], [0, 0], [1, 1], [1e-13, 1e-13]]
    b = rng.normal(size=300) * 4  # many lines miss the box
    dead = rng.random(300) < 0.4
    got = dyingplots.unit_lines(w, b, dead)
    want = _unit_lines_by_hand(w, b, dead)
    for (gx, gy), (wx, wy) in zip(got, want, strict=True):
        assert gx.dtype == np.float32 and len(gx) == len(wx) > 0
        np.testing.assert_allclose(gx, np.array(wx, dtype=np.float32), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(gy, np.array(wy, dtype=np.float32), rtol=1e-6, atol=1e-6)
