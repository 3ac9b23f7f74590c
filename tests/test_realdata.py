"""Real data (issue 13): the teaching facts the page states, asserted from real runs on small settings; the
ranking and the rule-of-thumb sentence from hand-made results; determinism; bounded sizes; the page (AppTest)."""
import numpy as np
import pytest
from pagekit import open_page

import activations
from i18n import render
from labs import realdata as R
from labs.seeding import one_thread

torch = pytest.importorskip("torch")
PAGE = "views/real_data.py"


def race(**kw) -> R.Race:
    return one_thread(lambda: R.race(R.RaceConfig(**kw)))


def means(res: R.Race) -> dict[str, float]:
    return {k: float(m) for k, m in zip(res.keys, res.mean(), strict=True)}


# ---- what the presets' texts say, measured --------------------------------------------------------------------
def test_shallow_with_matched_init_every_activation_of_the_rule_learns_the_digits():
    res = race(seeds=1)  # the defaults: 2 x 64, matched init, SGD + momentum 0.03, 20 epochs
    assert res.keys == R.RULE
    assert min(means(res).values()) > 0.85, means(res)


def test_deep_with_the_default_init_relu_and_sigmoid_stay_at_chance_while_tanh_learns():
    res = race(depth=10, init="default", activations=("tanh", "sigmoid", "relu", "selu"), seeds=1)
    m = means(res)
    assert m["sigmoid"] <= res.chance + 0.05 and m["relu"] <= res.chance + 0.05, m
    assert m["tanh"] > 0.5 and m["selu"] > 0.5, m
    assert any("At chance level" in render(n) for n in res.notes)


def test_a_learning_rate_of_one_blows_up_relu_while_sigmoid_learns():
    res = race(lr=1.0, activations=("relu", "sigmoid"), seeds=1)
    m = means(res)
    assert m["relu"] <= res.chance + 0.05 and m["sigmoid"] > 0.85, m


def test_the_same_seed_gives_bit_identical_numbers_and_another_seed_other_ones():
    cfg, _ = R.RaceConfig(epochs=3).clamped()
    a, b = (one_thread(lambda: R.train_one(cfg, "elu", 7)) for _ in range(2))
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(a.test_accuracy, b.test_accuracy)
    c = one_thread(lambda: R.train_one(cfg, "elu", 8))
    assert not np.array_equal(a.loss, c.loss)
    rr = [one_thread(lambda: R.train_one(cfg, "rrelu", 3)).loss for _ in range(2)]  # random slopes, seeded too
    np.testing.assert_array_equal(*rr)


def test_matched_init_is_each_papers_and_one_init_starts_every_activation_from_the_same_weights():
    assert [R.init_for(k, "matched") for k in R.RULE] == ["lecun_normal", "kaiming_normal", "kaiming_normal",
                                                          "kaiming_normal", "xavier_normal", "xavier_normal"]
    assert R.init_for("tanh", "default") == "default"
    cfg, _ = R.RaceConfig(init="kaiming_normal").clamped()
    with R.seeded(5):
        a = R._build(cfg, "relu", 64, 10)
    with R.seeded(5):
        b = R._build(cfg, "tanh", 64, 10)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
    w = a[0].weight.detach().numpy()
    assert abs(w.std() - np.sqrt(2 / 64)) < 0.02  # He: std sqrt(2 / fan_in)


def test_the_split_is_stratified_standardized_and_from_the_seed():
    Xtr, ytr, Xte, yte = R.split("digits", 0)
    assert (len(Xtr), len(Xte)) == R.sizes("digits") == (1347, 450)
    assert np.allclose(Xtr.mean(axis=0), 0, atol=1e-5)
    assert 43 <= np.bincount(yte).min() and np.bincount(yte).max() <= 46  # ten classes, about 45 each
    assert not np.array_equal(R.split("digits", 1)[3], yte)
    assert R.dataset("breast_cancer")[0].shape == (569, 30) and R.dataset("breast_cancer")[2] == 2


def test_a_formula_races_like_a_builtin():
    own = activations.own_key("relu(x)")
    res = race(activations=("relu", own), seeds=1, epochs=3)
    np.testing.assert_array_equal(res.final[0], res.final[1])


# ---- the ranking and the sentence, from hand-made results -----------------------------------------------------
def hand(**acc) -> dict[str, np.ndarray]:
    return {k: np.asarray(v, dtype=float) for k, v in acc.items()}


def test_ranking_ties_where_the_spreads_overlap():
    groups = R.ranking(hand(relu=[0.95, 0.96, 0.97], elu=[0.955, 0.965, 0.975], sigmoid=[0.80, 0.81, 0.79]))
    assert groups == [["elu", "relu"], ["sigmoid"]]
    assert R.ranking(hand(relu=[0.9], elu=[0.9])) == [["relu", "elu"]]  # one seed: equal means tie
    assert R.ranking(hand(relu=[0.9], elu=[0.91])) == [["elu"], ["relu"]]


@pytest.mark.parametrize(("groups", "verdict", "named"), [
    ([["selu"], ["elu"], ["leaky_relu", "relu"], ["tanh"], ["sigmoid"]], R.HELD, ""),
    ([["selu", "elu", "leaky_relu", "relu", "tanh", "sigmoid"]], R.HELD, ""),
    ([["selu"], ["elu"], ["relu"], ["leaky_relu"], ["tanh"], ["sigmoid"]], R.HELD_EXCEPT, "ReLU > LeakyReLU"),
    ([["sigmoid"], ["tanh"], ["relu"], ["leaky_relu"], ["elu"], ["selu"]], R.NOT_HELD, "Sigmoid > SELU"),
    ([["relu"]], R.TOO_FEW, ""),
    ([["gelu"], ["relu"], ["tanh"]], R.HELD, ""),  # only the rule's own activations are compared
])
def test_the_sentence_follows_the_numbers(groups, verdict, named):
    note = R.verdict(groups, stuck=["gelu"])  # one at chance, and not of the rule: it changes nothing
    assert note.msgid == verdict
    text = render(note)
    assert named in text and ("Géron" in text or verdict == R.TOO_FEW)


def test_a_race_where_the_rule_s_activations_stay_at_chance_is_not_judged():
    note = R.verdict([["selu"], ["elu", "relu", "sigmoid"]], stuck=["relu", "sigmoid"])
    assert note.msgid == R.STUCK and "ReLU, Sigmoid" in render(note)
    assert R.verdict([["selu"], ["elu", "relu", "sigmoid"]], stuck=["sigmoid"]).msgid == R.HELD


# ---- bounded sizes --------------------------------------------------------------------------------------------
def test_a_race_is_checked_and_bounded_server_side():
    cfg, notes = R.RaceConfig(depth=999, width=7, epochs=-3, seeds=10**9, activations=("bogus", "relu"),
                              data="mnist", lr=float("nan")).clamped()
    assert (cfg.depth, cfg.width, cfg.data, cfg.activations) == (20, 16, "digits", ("relu",))
    assert R.estimate_seconds(cfg) <= R.MAX_SECONDS * 1.05
    assert len(notes) >= 6
    big, notes = R.RaceConfig(depth=20, width=256, epochs=100, seeds=10, activations=R.KEYS[:8]).clamped()
    assert R.estimate_seconds(big) <= R.MAX_SECONDS * 1.05 and big.epochs < 100
    assert any("would take about" in render(n) for n in notes)
    assert R.RaceConfig().clamped() == (R.RaceConfig(), [])


def test_the_estimate_is_of_the_right_size():
    """Within a factor of 3 of a measured run (the bound relies on it; the machine's speed varies)."""
    import time

    cfg, _ = R.RaceConfig(depth=6, width=128, epochs=2, seeds=1, activations=("relu",)).clamped()
    one_thread(lambda: R.train_one(cfg, "relu", 0))
    t = time.perf_counter()
    one_thread(lambda: R.train_one(cfg, "relu", 1))
    measured = time.perf_counter() - t
    assert R.estimate_seconds(cfg) / 3 < measured < R.estimate_seconds(cfg) * 3, (measured, R.estimate_seconds(cfg))


# ---- the page -------------------------------------------------------------------------------------------------
SMALL = {"seeds": "1", "epochs": "3"}


def test_the_page_races_states_the_verdict_and_keeps_the_link():
    at = open_page(PAGE, SMALL)
    assert not at.warning
    said = "\n".join(m.value for m in at.markdown)
    assert "rule of thumb" in said and "Measured order" in said
    assert len(at.get("plotly_chart")) == 3
    assert dict(at.query_params) == SMALL


def test_a_preset_runs_and_its_tooltip_says_what_it_sets():
    at = open_page(PAGE, {**SMALL, "acts": "tanh,sigmoid,relu"})
    button = at.button(key="preset:deep-default")
    assert "Hidden layers: 10" in button.help and "chance" in button.help
    button.click().run()
    assert not at.exception
    assert dict(at.query_params) == {"depth": "10", "init": "default"}
    assert "At chance level" in "\n".join(i.value for i in at.info)


def test_hostile_values_are_clamped_with_a_notice_and_a_formula_races():
    at = open_page(PAGE, {"depth": "1e9", "acts": "relu,<script>,own", "formula": "x*tanh(softplus(x))",
                          "seeds": "0", "epochs": "2"})
    warning = at.warning[0].value
    assert "**depth**" in warning and "**acts**" in warning and "**seeds**" in warning
    assert "Your own: x * tanh(softplus(x))" in "\n".join(m.value for m in at.markdown)
