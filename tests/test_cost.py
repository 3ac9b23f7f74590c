"""Measured cost (Compare page): the measurement's structure, never its timings (those are figures, not tests)."""
import json
import math
import re
import time

import pytest
import torch
from pagekit import open_page
from pseudokit import untranslated

import activations
import i18n
from activations import validate
from charts import curves
from labs import cost


@pytest.fixture(scope="module")
def small():
    return cost.measure(n=20_000, rounds=3, repeat=1)


def test_every_activation_is_timed_forward_and_backward(small):
    assert [r.key for r in small.rows] == list(activations.REGISTRY)
    for r in small.rows:
        assert math.isfinite(r.forward_ns) and r.forward_ns >= 0, r
        assert math.isfinite(r.backward_ns) and r.backward_ns > 0, r
    assert small.relative(cost.BASELINE) == (1.0, 1.0)
    assert small.linear_ns > 0 and small.linear_ratio == small.linear_ns / small.row("relu").forward_ns
    assert small.n == 20_000 and small.rounds == 3 and small.threads >= 1 and small.notes == ()
    rows = small.chart_rows()
    assert [r[0] for r in rows] == list(activations.REGISTRY)
    assert all(r[1:3] == small.relative(r[0]) and r[5] == small.row(r[0]).ops for r in rows)


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


def test_requests_are_checked_against_the_declaration():
    """Server-side: sizes that would take minutes (or nothing) are clamped, unknown keys left out, each said."""
    got, notes = cost.MEASURE.check({"n": 10**12, "rounds": 0, "repeat": "x", "seed": -1,
                                     "keys": ["gelu", "no_such_fn", "gelu"]})
    assert (got["n"], got["rounds"], got["repeat"], got["seed"]) == (4_000_000, 3, 3, 0)
    assert got["keys"] == ["gelu"]
    assert [n.msgid for n in notes] == [validate.OUT_OF_RANGE, validate.OUT_OF_RANGE, validate.NOT_A_NUMBER,
                                        validate.OUT_OF_RANGE, validate.UNKNOWN_ITEMS]
    text = " ".join(n.render() for n in notes)
    for name in ("n", "rounds", "repeat", "seed", "keys"):
        assert f"**{name}**" in text, name
    assert "no_such_fn" in text
    assert cost.MEASURE.check({"n": 2.5e5, "rounds": "5"}) == ({**cost.MEASURE.defaults(), "n": 250_000,
                                                                "rounds": 5}, [])


def test_measure_passes_its_notes_on_and_always_times_the_baseline():
    c = cost.measure(["gelu", "no_such_fn"], n=20_000, rounds=0, repeat=1)
    assert [r.key for r in c.rows] == ["gelu", "relu"]  # the baseline is always added
    assert c.rounds == 3 and c.n == 20_000
    assert [n.msgid for n in c.notes] == [validate.OUT_OF_RANGE, validate.UNKNOWN_ITEMS]


def test_cost_figure_grows_bars_from_the_baseline(small):
    rows = [(activations.get(k).name, *rest) for k, *rest in small.chart_rows()]
    chart = curves.cost_figure(rows, highlight=["GELU", "Tanh"])
    chart.full()  # validates
    fig = chart.to_dict()
    forward, backward = fig["data"]
    assert forward["base"] == 1 and len(forward["y"]) == len(activations.REGISTRY)
    ratios = {y: c[2] for y, c in zip(forward["y"], forward["customdata"], strict=True)}
    for length, c in zip(forward["x"], forward["customdata"], strict=True):
        assert length == pytest.approx(c[2] - 1)  # bar from 1 to the ratio
    assert "<b>GELU</b>" in ratios and "<b>Tanh</b>" in ratios and "ReLU" in ratios
    sums = [f[2] + b[2] for f, b in zip(forward["customdata"], backward["customdata"], strict=True)]
    assert sums == sorted(sums, reverse=True)  # costliest at the bottom, cheapest on top
    ops = {re.sub("</?b>", "", y): c[1] for y, c in zip(forward["y"], forward["customdata"], strict=True)}
    assert (ops["Identity"], ops["ReLU"], ops["Softsign"]) == ("returns its input", "1 operation", "3 operations")
    assert fig["layout"]["xaxis"]["type"] == "log" and "relative to ReLU" in fig["layout"]["xaxis"]["title"]["text"]
    assert forward["hovertemplate"] == ("%{y}: forward %{customdata[2]:.2f}× ReLU (%{customdata[0]:.2f} ns per "
                                        "element; %{customdata[1]})<extra></extra>")
    assert backward["hovertemplate"].startswith("%{y}: backward ") and "{baseline}" not in backward["hovertemplate"]
    assert [t["name"] for t in fig["data"]] == ["forward (no autograd)", "backward (its own gradient)"]


def test_compare_page_measures_on_request_shares_a_recent_measurement_and_translates_it(monkeypatch, small):
    from ui import cache

    monkeypatch.setenv("ACTIVATION_LAB_PSEUDO", "1")
    # A measurement someone made a moment ago: the button shows it without timing anything again.
    monkeypatch.setattr(cache, "_cost_last", (time.monotonic(), small))
    at = open_page("views/compare.py", {"fns": "sigmoid,relu", "lang": i18n.PSEUDO})
    assert len(at.get("plotly_chart")) == 1  # nothing is timed until asked
    i18n.activate(i18n.PSEUDO)  # AppTest formats widget values in the test's thread: the same language there
    try:
        at.button(key="measure_cost").click().run()
    finally:
        i18n.activate(i18n.DEFAULT)
    assert not at.exception, [e.value for e in at.exception]
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 2
    labels = charts[1]["data"][0]["y"]
    assert "<b>Sigmoid</b>" in labels and "<b>ReLU</b>" in labels and "Tanh" in labels
    caption = " ".join(c.value for c in at.caption)
    assert "`Linear(1024, 1024)`" in caption and "20,000 float32 numbers" in caption  # numbers formatted
    assert untranslated(at) == []  # every word of the cost section went through gettext
    again, age = cache.measure_costs()
    assert again is small and 0 <= age < cache.COST_REUSE_S
