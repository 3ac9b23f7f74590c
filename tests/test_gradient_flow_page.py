"""The Gradient flow page as a learner meets it (AppTest)."""
import json

import numpy as np
import pagekit
from streamlit.testing.v1 import AppTest

PAGE = "views/gradient_flow.py"


def open_page(query: dict | None = None) -> AppTest:
    return pagekit.open_page(PAGE, query)


def chart(at: AppTest, contains: str) -> list[dict]:
    """The traces of the first chart whose traces' names contain `contains`."""
    for c in at.get("plotly_chart"):
        data = json.loads(c.proto.spec)["data"]
        if any(contains in (t.get("name") or "") for t in data):
            return data
    raise AssertionError(f"no chart with a trace named like {contains!r}")


def ys(trace: dict) -> np.ndarray:
    v = trace["y"]
    if isinstance(v, dict):
        import base64

        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).astype(float)
    return np.array([np.nan if a is None else a for a in v], dtype=float)


def test_default_view_shows_sigmoid_vanishing():
    at = open_page()
    grads = chart(at, "‖∂L/∂W‖")
    w = ys(grads[0])
    assert len(w) == 20 and w[0] < w[-1] / 1e3  # sigmoid, depth 20: the first layer gets far less
    metric = next(m for m in at.metric if "first layer" in m.label)
    assert float(metric.value) < 1e-3
    assert len(at.get("plotly_chart")) >= 5  # norms, mean/std, heatmap, weight std, training


def test_relu_he_preset_keeps_gradients_level_and_sets_the_url():
    at = open_page()
    at.button(key="preset:relu-he").click().run()
    assert not at.exception
    w = ys(chart(at, "‖∂L/∂W‖")[0])
    assert len(w) == 50 and 0.05 < w[0] / w[-1] < 20
    q = dict(at.query_params)
    assert q["act"] == "relu" and q["init"] == "kaiming_normal" and q["depth"] == "50"


def test_a_preset_sets_every_network_control_whatever_came_before():
    at = open_page({"batch": "64", "in_mean": "2.0", "bias": "constant", "bias_value": "-1.0", "seed": "7"})
    at.button(key="preset:tanh-xavier").click().run()
    assert not at.exception
    q = dict(at.query_params)
    assert q["act"] == "tanh" and q["init"] == "xavier_normal" and q["depth"] == "50"
    # batch, input mean, bias and seed are back at their defaults, so they leave the link
    assert not {"batch", "in_mean", "bias", "bias_value", "seed"} & q.keys(), q
    assert "tanh" in next(b.help for b in at.button if b.key == "preset:tanh-xavier").lower()


def test_link_round_trip_reproduces_numbers():
    query = {"act": "tanh", "depth": "12", "width": "64", "init": "xavier_normal", "seed": "7"}
    a = open_page(query)
    b = open_page(query)
    assert dict(a.query_params) == query
    np.testing.assert_array_equal(ys(chart(a, "‖∂L/∂W‖")[0]), ys(chart(b, "‖∂L/∂W‖")[0]))


def test_slider_change_changes_the_chart():
    at = open_page()
    before = ys(chart(at, "‖∂L/∂W‖")[0])
    at.slider(key="gradient_flow:depth").set_value(10).run()
    after = ys(chart(at, "‖∂L/∂W‖")[0])
    assert len(before) == 20 and len(after) == 10


def test_hostile_link_is_clamped_with_a_notice():
    at = open_page({"depth": "1e999", "width": "-5", "init": "<b>x</b>", "act": "nope", "seed": "nan",
                    "t.lr": "inf"})
    text = "\n".join(w.value for w in at.warning)
    for name in ("depth", "width", "init", "act", "seed", "t.lr"):
        assert f"**{name}**" in text, name
    assert at.session_state["gradient_flow:depth"] == 100


def test_training_shows_clipping_keeps_the_norm_bounded():
    at = open_page()
    data = chart(at, "no clipping")
    names = [t.get("name") for t in data]
    assert "no clipping" in names and any(n and n.startswith("clip_grad_norm_") for n in names)
    assert any(m.label == "no clipping" for m in at.metric)
