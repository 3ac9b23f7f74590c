"""Real data's presets say what their races show: every factual clause of every preset's text, measured at the page's
own seeds (seed 0, three seeds: 0, 1, 2) for every activation it names, with the threshold its words imply."""
from functools import cache

import pytest

from labs import realdata as R
from labs.seeding import one_thread

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.long  # 18 trainings per race


@cache
def preset_race(name: str) -> R.Race:
    cfg = R.RaceConfig.of(dict(R.PRESETS[name].values))
    assert (cfg.seed, cfg.seeds) == (R.RACE.seed.default, R.RACE.seeds.default) == (0, 3)
    return one_thread(lambda: R.race(cfg))


def accuracies(name: str) -> dict[str, list[float]]:
    res = preset_race(name)
    assert res.keys == tuple(R.PRESETS[name].values.get("activations", R.RULE))
    return {k: [float(a) for a in acc] for k, acc in zip(res.keys, res.final, strict=True)}


def at_chance(acc: list[float], res: R.Race) -> bool:
    return all(a <= res.chance + 0.05 for a in acc)  # what the page calls "at chance": within 5 points


def test_shallow_all_six_learn_the_digits_above_90_percent_with_every_seed():
    acc = accuracies("shallow")
    assert set(acc) == set(R.RULE)
    assert all(min(a) > 0.90 for a in acc.values()), acc


def test_deep_default_relu_leaky_sigmoid_stay_at_chance_tanh_elu_selu_learn():
    acc, res = accuracies("deep-default"), preset_race("deep-default")
    for key in ("relu", "leaky_relu", "sigmoid"):
        assert at_chance(acc[key], res), (key, acc[key])
    for key in ("tanh", "elu", "selu"):
        assert min(acc[key]) > 0.60, (key, acc[key])
    notes = [str(n) for n in res.notes]
    signal = next(n for n in notes if "varied with the input" in n)
    assert signal.index("Sigmoid") < signal.index("Tanh")  # the ones at chance are listed first
    assert not any("diverged" in n for n in notes)  # stuck, not blown up: the signal sentence is what shows it


def test_deep_matched_tanh_always_sigmoid_never_the_relu_family_sometimes():
    acc, res = accuracies("deep-matched"), preset_race("deep-matched")
    assert min(acc["tanh"]) > 0.90 and at_chance(acc["sigmoid"], res), acc
    family = ("relu", "leaky_relu", "elu", "selu")
    for key in family:
        assert max(acc[key]) > 0.90, (key, acc[key])  # learns with some seed
    assert any(min(acc[key]) <= res.chance + 0.05 for key in family), acc  # and other runs stall or diverge


def test_rate_too_high_the_relu_family_blows_up_or_stalls_while_sigmoid_learns():
    acc, res = accuracies("lr-too-high"), preset_race("lr-too-high")
    for key in ("relu", "leaky_relu", "elu", "selu"):
        assert at_chance(acc[key], res), (key, acc[key])
    assert min(acc["sigmoid"]) > 0.90, acc["sigmoid"]


def test_presets_that_state_no_outcome_set_what_they_say():
    assert R.PRESETS["modern"].values["activations"] == ["relu", "silu", "gelu", "selu", "elu", "leaky_relu"]
    assert R.PRESETS["selu-no-lecun"].values == {"depth": 10, "init": "kaiming_normal",
                                                 "activations": ["selu", "elu", "relu"]}
    assert set(R.PRESETS) == {"shallow", "deep-default", "deep-matched", "lr-too-high", "modern", "selu-no-lecun"}
