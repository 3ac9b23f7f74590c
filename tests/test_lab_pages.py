"""The experiment pages (Dying ReLU, Self-normalizing nets, Why non-linear, Softmax/GLU/Maxout) with AppTest."""
import json
import re

import pytest
from pagekit import open_page
from streamlit.testing.v1 import AppTest


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def metric(at: AppTest, label_part: str) -> str:
    return next(m.value for m in at.metric if label_part in m.label)


def percent(text: str) -> float:
    return float(re.search(r"(-?\d+(?:\.\d+)?)%", text).group(1)) / 100


def test_dying_relu_page_animates_and_counts_dead_units():
    at = open_page("views/dying_relu.py")
    anim = next(s for s in specs(at) if s.get("frames"))
    assert len(anim["frames"]) >= 60  # steps 0, 5, ..., 300
    assert anim["layout"]["updatemenus"] and anim["layout"]["sliders"]
    assert 0.0 <= percent(metric(at, "dead hidden units")) <= 1.0


def test_dying_relu_high_lr_preset_kills_relu_but_not_leaky():
    at = open_page("views/dying_relu.py")
    at.button(key="preset:high-lr").click().run()
    assert not at.exception
    assert percent(metric(at, "dead units: ReLU")) >= 0.30
    assert percent(metric(at, "dead units: LeakyReLU")) == 0.0
    assert dict(at.query_params)["opt"] == "adam" and "act" not in dict(at.query_params)  # ReLU is the default


def test_dying_relu_preset_sets_every_control_whatever_came_before():
    at = open_page("views/dying_relu.py", {"steps": "100", "data": "xor", "units": "8", "noise": "0.5"})
    at.button(key="preset:negative-bias").click().run()
    assert not at.exception
    q = dict(at.query_params)
    assert q["bias"] == "constant" and float(q["bias_value"]) == -3.0 and q["opt"] == "adam"
    assert not {"steps", "data", "units", "noise"} & q.keys(), q  # back at their defaults


def test_dying_relu_hostile_link():
    at = open_page("views/dying_relu.py", {"lr": "1e999", "act": "<x>", "units": "-1", "data": "mnist"})
    text = "\n".join(w.value for w in at.warning)
    for name in ("lr", "act", "units", "data"):
        assert f"**{name}**" in text


def test_self_normalizing_selu_stays_in_the_band_and_relu_leaves_it():
    at = open_page("views/self_normalizing.py")
    text = " ".join(m.value for m in at.markdown)
    selu_row = next(line for line in text.split("\n") if line.startswith("| SELU |"))
    relu_row = next(line for line in text.split("\n") if line.startswith("| ReLU |"))
    assert selu_row.endswith("yes |") and relu_row.endswith("no |")
    assert "| α |" in text and "| λ |" in text


def test_self_normalizing_round_trip():
    query = {"depth": "30", "init": "kaiming_normal", "residual": "1"}
    at = open_page("views/self_normalizing.py", query)
    assert dict(at.query_params) == query


def test_why_nonlinear_shows_the_product_of_the_three_matrices():
    import numpy as np

    from activations import nonlinear

    at = open_page("views/why_nonlinear.py", {"c.seed": "3"})
    (eq,) = [m.value for m in at.markdown if "underbrace" in m.value]
    blocks = re.findall(r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", eq)
    shown = [np.array([[float(v) for v in row.split("&")] for row in b.split(r"\\")]) for b in blocks]
    c = nonlinear.linear_collapse(3)
    for got, want in zip(shown, [c.weights[2], c.weights[1], c.weights[0], c.product], strict=True):
        np.testing.assert_allclose(got, want, atol=0.005 + 1e-12)  # two decimals
    assert "W_3 (2×4)" in eq and "W (2×2)" in eq


def test_why_nonlinear_xor_and_relu_fit():
    at = open_page("views/why_nonlinear.py")
    assert percent(metric(at, "deep linear")) <= 0.75
    assert percent(metric(at, "one hidden")) == 1.0
    before = metric(at, "mean squared error")
    at.slider(key="why_nonlinear:r.k").set_value(32).run()
    assert float(metric(at, "mean squared error")) < float(before)


def test_why_nonlinear_zero_centering_takes_fewer_steps():
    at = open_page("views/why_nonlinear.py")
    steps = {m.label: m.value for m in at.metric if "steps" in m.value}
    assert len(steps) == 2
    positive, centred = (int(v.split()[0]) for v in steps.values())
    assert positive > centred


@pytest.mark.parametrize("query", [{}, {"T": "0.05", "z1": "10"}, {"T": "nan", "z3": "1e999", "m.preset": "<b>"}])
def test_vector_page(query):
    at = open_page("views/vector.py", query)
    bars = next(s for s in specs(at) if s["data"][0].get("type") == "bar")
    assert [t["name"] for t in bars["data"]] == ["softmax", "softmin", "log_softmax"]
    if "nan" in query.values():
        assert "**T**" in "\n".join(w.value for w in at.warning)
