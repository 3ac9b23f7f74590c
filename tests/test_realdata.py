"""Real data (issue 13): the teaching facts the page states, asserted from real runs on small settings; the
ranking and the rule-of-thumb sentence from hand-made results; determinism; bounded sizes; the page (AppTest)."""
import numpy as np
import pytest
from pagekit import open_page

import activations
from i18n import render
from labs import inits
from labs import realdata as R
from labs.seeding import one_thread

torch = pytest.importorskip("torch")
PAGE = "views/real_data.py"


def race(**kw) -> R.Race:
    return one_thread(lambda: R.race(R.RaceConfig(**kw)))


def means(res: R.Race) -> dict[str, float]:
    return {k: float(m) for k, m in zip(res.keys, res.mean(), strict=True)}


# ---- determinism, init, data ----------------------------------------------------------------------------------
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
    assert [inits.scheme("matched", k) for k in R.RULE] == ["lecun_normal", "kaiming_normal", "kaiming_normal",
                                                          "kaiming_normal", "xavier_normal", "xavier_normal"]
    assert inits.scheme("default", "tanh") == "default"
    cfg, _ = R.RaceConfig(init="kaiming_normal").clamped()
    with R.seeded(5):
        a = R._build(cfg, "relu", 64, 10)
    with R.seeded(5):
        b = R._build(cfg, "tanh", 64, 10)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
    w = a[0].weight.detach().numpy()
    assert abs(w.std() - np.sqrt(2 / 64)) < 0.02  # He: std sqrt(2 / fan_in)
    # Xavier is one definition app-wide: gain = calculate_gain of the activation (5/3 for tanh, 1 for sigmoid)
    assert inits.init_gain("tanh")[0] == pytest.approx(5 / 3) and inits.init_gain("sigmoid")[0] == 1.0
    assert inits.init_gain(activations.own_key("x*sigmoid(x)"))[0] == 1.0
    cfg, _ = R.RaceConfig(init="xavier_normal", width=256).clamped()
    for key, gain in (("tanh", 5 / 3), ("sigmoid", 1.0)):
        with R.seeded(5):
            w = R._build(cfg, key, 256, 10)[2].weight.detach().numpy()  # a 256 x 256 hidden layer
        assert w.std() == pytest.approx(gain * np.sqrt(2 / 512), rel=0.02), key


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


def apart(step: float, *keys: str) -> dict[str, np.ndarray]:
    """Results of three seeds each, `step` apart from one key to the next, best first (spread 0.001)."""
    return hand(**{k: [0.99 - i * step - 0.001, 0.99 - i * step, 0.99 - i * step + 0.001] for i, k in enumerate(keys)})


def test_the_interval_is_a_t_interval_over_seeds_with_the_sample_standard_deviation():
    lo, hi = R.interval([0.90, 0.91, 0.92])  # s = 0.01 (ddof 1), t(0.975, 2) = 4.303
    assert (lo, hi) == pytest.approx((0.91 - 4.3027 * 0.01 / np.sqrt(3), 0.91 + 4.3027 * 0.01 / np.sqrt(3)), abs=1e-4)
    assert R.interval([0.9]) == (-np.inf, np.inf)  # one seed measures no spread
    assert R.sample_std([0.9, 0.95, 1.0]) == pytest.approx(0.05)  # ddof 1, not 0.041 (ddof 0)
    assert R.seeds_to_separate([0.90, 0.91, 0.92], [0.93, 0.94, 0.95], 10) == 5  # t(4) 2.776 · 0.02 / √5 < 0.03
    assert R.seeds_to_separate([0.90, 0.91, 0.92], [0.905, 0.915, 0.925], 10) is None  # 10 seeds are not enough
    assert R.seeds_to_separate([0.9], [0.95], 10) is None


def test_ties_are_pairwise_and_do_not_chain():
    # relu ties leaky_relu, leaky_relu ties elu, but relu and elu are told apart
    chain = hand(relu=[0.96, 0.97, 0.98], leaky_relu=[0.93, 0.94, 0.95], elu=[0.90, 0.91, 0.92])
    assert [(s.key, s.ties) for s in R.ranking(chain)] == [("relu", ("leaky_relu",)), ("leaky_relu", ("relu", "elu")),
                                                          ("elu", ("leaky_relu",))]
    top = R.ranking(chain)[0]
    assert top.low < top.mean < top.high


@pytest.mark.parametrize(("results", "verdict", "named"), [
    (apart(0.02, *R.RULE), R.HELD, "15 of its 15 pairs are told apart"),
    # everything ties: no evidence for the order (today's HELD was wrong); the next step is said
    (hand(**{k: [0.90, 0.95, 1.0] for k in R.RULE}), R.NO_DIFFERENCE, "Even 10 seeds"),
    (hand(selu=[0.905, 0.91, 0.915], relu=[0.925, 0.93, 0.935]), R.NO_DIFFERENCE, "4 seeds would tell SELU and ReLU"),
    (hand(**{k: [0.9 + i / 100] for i, k in enumerate(R.RULE)}), R.NO_DIFFERENCE, "One seed measures no spread"),
    # a chained tie: ELU ties LeakyReLU ties ReLU, yet ReLU beats ELU outright, against the rule (the chained
    # ranking of today made them one group and said HELD)
    (hand(elu=[0.90, 0.91, 0.92], leaky_relu=[0.93, 0.94, 0.95], relu=[0.96, 0.97, 0.98]), R.NOT_HELD,
     "ReLU > ELU"),
    (hand(elu=[0.96, 0.97, 0.98], leaky_relu=[0.93, 0.94, 0.95], relu=[0.90, 0.91, 0.92]), R.HELD,
     "1 of its 3 pairs are told apart"),
    (apart(0.02, "selu", "elu", "relu", "leaky_relu", "tanh", "sigmoid"), R.HELD_EXCEPT, "ReLU > LeakyReLU"),
    (apart(0.02, *reversed(R.RULE)), R.NOT_HELD, "Sigmoid > SELU"),
    (hand(relu=[0.9, 0.91]), R.TOO_FEW, ""),
    (apart(0.02, "gelu", "relu", "tanh"), R.HELD, "1 of its 1 pairs"),  # only the rule's activations are judged
])
def test_the_sentence_follows_the_numbers(results, verdict, named):
    note = R.verdict(results, stuck=["gelu"])  # one at chance, and not of the rule: it changes nothing
    assert note.msgid == verdict, render(note)
    text = render(note)
    assert named in text and ("Géron" in text or verdict == R.TOO_FEW), text


def test_a_race_where_the_rule_s_activations_stay_at_chance_is_not_judged():
    results = apart(0.3, "selu", "elu", "relu")
    results["sigmoid"] = results["relu"]
    note = R.verdict(results, stuck=["relu", "sigmoid"])
    assert note.msgid == R.STUCK and "ReLU, Sigmoid" in render(note)
    assert R.verdict(results, stuck=["sigmoid"]).msgid == R.HELD


# ---- bounded sizes --------------------------------------------------------------------------------------------
def test_a_race_is_checked_and_bounded_server_side():
    cfg, notes = R.RaceConfig(depth=999, width=7, epochs=-3, seeds=10**9, activations=("bogus", "relu"),
                              data="mnist", lr=float("nan")).clamped()
    assert (cfg.depth, cfg.width, cfg.data, cfg.activations) == (20, 16, "digits", ("relu",))
    assert R.seconds(cfg) <= R.MAX_SECONDS * 1.05
    assert len(notes) >= 6
    big, notes = R.RaceConfig(depth=20, width=256, epochs=100, seeds=10, activations=R.KEYS[:8]).clamped()
    assert R.seconds(big) <= R.MAX_SECONDS * 1.05 and big.epochs < 100
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
    assert R.seconds(cfg) / 3 < measured < R.seconds(cfg) * 3, (measured, R.seconds(cfg))


# ---- the page -------------------------------------------------------------------------------------------------
SMALL = {"seeds": "1", "epochs": "3"}


def test_the_page_races_states_the_verdict_and_keeps_the_link():
    at = open_page(PAGE, SMALL)
    assert not at.warning
    said = "\n".join(m.value for m in at.markdown)
    assert "rule of thumb" in said and "Measured order" in said
    assert "One seed measures no spread" in said and "(one seed: no interval)" in said  # seeds=1: nothing is judged
    assert "Student-t interval" in "\n".join(c.value for c in at.caption)
    assert "training − test" in said
    assert len(at.get("plotly_chart")) == 3
    assert dict(at.query_params) == SMALL


def test_a_preset_runs_and_its_tooltip_says_what_it_sets():
    at = open_page(PAGE, {**SMALL, "acts": "tanh,sigmoid,relu"})
    button = at.button(key="preset:lr-too-high")  # the cheapest preset that reaches chance: two layers
    assert "Learning rate: 1" in button.help and "chance" in button.help
    button.click().run()
    assert not at.exception
    assert dict(at.query_params) == {"lr": "1.0"}  # every other control back at its default
    said = "\n".join(i.value for i in at.info)
    assert "At chance level" in said and said.index("ReLU 0.") < said.index("Sigmoid 0.0"), said  # stuck ones first


def test_hostile_values_are_clamped_with_a_notice_and_a_formula_races():
    at = open_page(PAGE, {"depth": "1e9", "acts": "relu,<script>,own", "formula": "x*tanh(softplus(x))",
                          "seeds": "0", "epochs": "2"})
    warning = at.warning[0].value
    assert "**depth**" in warning and "**acts**" in warning and "**seeds**" in warning
    assert "Your own: x * tanh(softplus(x))" in "\n".join(m.value for m in at.markdown)
