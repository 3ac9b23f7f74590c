"""Real data's presets ask what to look at and name what they set; what a race shows is the caption under it,
filled from the run (tests/test_lessons.py), and the choosing lesson's claims about the same settings are asserted
on its runs there."""
from labs import realdata as R


def test_presets_set_what_they_say_and_ask_rather_than_tell():
    assert R.PRESETS["modern"].values["activations"] == ["relu", "silu", "gelu", "selu", "elu", "leaky_relu"]
    assert R.PRESETS["selu-no-lecun"].values == {"depth": 10, "init": "kaiming_normal",
                                                 "activations": ["selu", "elu", "relu"]}
    assert set(R.PRESETS) == {"shallow", "deep-default", "deep-matched", "lr-too-high", "modern", "selu-no-lecun"}
    for name in ("shallow", "deep-default", "deep-matched", "lr-too-high"):
        assert "?" in R.PRESETS[name].why, name
    assert all(p.shows == R.RACED for p in R.PRESETS.values())
