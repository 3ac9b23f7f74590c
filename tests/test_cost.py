"""Measured cost (Compare page): the measurement's structure, never its timings (those are figures, not tests)."""
import json
import math

import plotly.graph_objects as go
import pytest
import torch
from pagekit import open_page

import activations
from activations import cost, plots


@pytest.fixture(scope="module")
def small():
    return cost.measure(n=20_000, rounds=3, repeat=1)


def test_every_activation_is_timed_forward_and_backward(small):
    assert [r.key for r in small.rows] == list(activations.REGISTRY)
    for r in small.rows:
        assert math.isfinite(r.forward_ns) and r.forward_ns >= 0, r
        assert math.isfinite(r.backward_ns) and r.backward_ns > 0, r
    assert small.relative(cost.BASELINE) == (1.0, 1.0)
    assert small.linear_ns > 0 and small.n == 20_000 and small.rounds == 3 and small.notes == ()


def test_operation_counts_tell_fused_kernels_from_composites(small):
    ops = {r.key: r.ops for r in small.rows}
    assert ops["identity"] == 0  # returns its input: nothing recorded
    assert all(ops[k] == 1 for k in ("relu", "sigmoid", "tanh", "gelu", "silu", "mish", "elu", "prelu", "rrelu"))
    assert ops["softsign"] == 3  # PyTorch's own F.softsign: x / (x.abs() + 1)
    assert ops["tanhshrink"] == 2  # x - x.tanh()
    assert ops["swish"] == 3  # this app's x * sigmoid(beta * x)
    assert small.row("swish").composite and not small.row("relu").composite


def test_graph_ops_counts_what_autograd_recorded():
    x = torch.ones(3, requires_grad=True)
    assert cost.graph_ops(torch.relu(x)) == 1
    assert cost.graph_ops(torch.relu(x) * 2 + torch.sigmoid(x)) == 4  # relu, mul, sigmoid, add
    assert cost.graph_ops(x) == 0


def test_bad_sizes_are_clamped_with_a_note():
    c = cost.measure(["gelu", "no_such_fn"], n=10**12, rounds=0, repeat="x")
    assert [r.key for r in c.rows] == ["gelu", "relu"]  # the baseline is always added
    assert c.n == cost.LIMITS["n"][1] and c.rounds == cost.LIMITS["rounds"][0]
    text = " ".join(c.notes)
    assert "n " in text and "rounds" in text and "repeat" in text and "no_such_fn" in text


def test_cost_figure_grows_bars_from_the_baseline(small):
    rows = [(activations.get(r.key).name, *small.relative(r.key), r.forward_ns, r.backward_ns, r.ops)
            for r in small.rows]
    fig = plots.cost_figure(rows, highlight=["GELU", "Tanh"])
    go.Figure(fig.to_dict())  # validates
    forward, backward = fig.to_dict()["data"]
    assert forward["base"] == 1 and len(forward["y"]) == len(activations.REGISTRY)
    ratios = {y: c[2] for y, c in zip(forward["y"], forward["customdata"], strict=True)}
    for length, c in zip(forward["x"], forward["customdata"], strict=True):
        assert length == pytest.approx(c[2] - 1)  # bar from 1 to the ratio
    assert "<b>GELU</b>" in ratios and "<b>Tanh</b>" in ratios and "ReLU" in ratios
    sums = [f[2] + b[2] for f, b in zip(forward["customdata"], backward["customdata"], strict=True)]
    assert sums == sorted(sums, reverse=True)  # costliest at the bottom, cheapest on top
    assert fig.to_dict()["layout"]["xaxis"]["type"] == "log"


def test_compare_page_measures_on_request_and_shares_a_recent_measurement():
    at = open_page("views/compare.py", {"fns": "sigmoid,relu"})
    assert len(at.get("plotly_chart")) == 1  # nothing is timed until asked
    at.button(key="measure_cost").click().run()
    assert not at.exception, [e.value for e in at.exception]
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 2
    labels = charts[1]["data"][0]["y"]
    assert "<b>Sigmoid</b>" in labels and "<b>ReLU</b>" in labels and "Tanh" in labels
    assert any("Linear(1024, 1024)" in c.value for c in at.caption)
    from ui import compute

    first, _ = compute.measure_costs()
    again, age = compute.measure_costs()
    assert again is first and 0 <= age < compute.COST_REUSE_S
