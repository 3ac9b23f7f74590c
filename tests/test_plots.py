"""Figure builders produce valid Plotly figures (they skip validation at run time for speed)."""
import numpy as np
import plotly.graph_objects as go
import pytest

import activations
from activations import analysis, plots

X = np.linspace(-6, 6, 201)


def validated(fig: go.Figure) -> dict:
    return go.Figure(fig.to_dict()).to_dict()  # raises on any invalid property


@pytest.mark.parametrize("key", ["relu", "selu", "sigmoid", "rrelu", "identity"])
def test_curve_figure_is_valid_and_names_its_regions(key):
    spec = activations.get(key)
    f, df = spec.f(X), spec.df(X)
    rs = analysis.regions(X, df, 0.01)
    band = (X[X <= 0], 0.1 * X[X <= 0], 0.3 * X[X <= 0]) if key == "rrelu" else None
    fig = validated(plots.curve_figure(X, f, df, rs, autograd=df, band=band, band_label="band", title="t"))
    names = [t["name"] for t in fig["data"]]
    assert "f(x)" in names and "f′(x)" in names and "f′ by torch autograd" in names
    for kind in {r.kind for r in rs}:
        assert any(n.startswith(kind) for n in names)


@pytest.mark.parametrize("show,n_axes", [("f", 1), ("df", 1), ("both", 2)])
def test_compare_figure_is_valid(show, n_axes):
    curves = [(activations.get(k).name, X, activations.get(k).f(X), activations.get(k).df(X))
              for k in ("relu", "tanh", "gelu")]
    fig = validated(plots.compare_figure(curves, show))
    assert len(fig["data"]) == 3 * n_axes
    assert len({t.get("xaxis", "x") for t in fig["data"]}) == n_axes


def test_gallery_figure_is_valid_with_links():
    specs = activations.families()["ReLU family"]
    tiles = [(f'<a href="explorer?fn={s.key}">{s.name}</a>', X, s.f(X), s.df(X)) for s in specs]
    fig = validated(plots.gallery_figure(tiles, cols=4))
    assert len(fig["data"]) == 2 * len(specs)
    assert [a["text"] for a in fig["layout"]["annotations"]] == [t[0] for t in tiles]


def test_y_limits_never_collapse():
    assert plots.y_limits(np.zeros(5)) [0] < 0 < plots.y_limits(np.zeros(5))[1]
    lo, hi = plots.y_limits(np.array([1.0, 2.0]), np.array([np.nan, 3.0]))
    assert lo < 1.0 and hi > 3.0


def test_chart_to_dict_is_what_go_figure_would_send():
    """plots.Chart skips building go.Figure; st.plotly_chart must receive the same JSON either way."""
    import json

    import plotly.io as pio

    from activations import dying, dyingplots

    spec = activations.get("elu")
    run = dying.train(dying.TrainConfig(steps=20, record_every=5, grid=10))
    charts = [
        plots.curve_figure(X, spec.f(X), spec.df(X), analysis.regions(X, spec.df(X), 0.01), title="t"),
        plots.compare_figure([("ELU", X, spec.f(X), spec.df(X))], "both"),
        dyingplots.training_animation(run),
    ]
    for chart in charts:
        assert isinstance(chart, plots.Chart) and isinstance(chart, go.Figure)
        ours = json.loads(pio.to_json(chart, validate=False))
        theirs = json.loads(pio.to_json(go.Figure(chart._spec, _validate=False), validate=False))
        assert ours == theirs
        assert "template" in ours["layout"]
        assert any(isinstance(t.get("x"), dict) for t in ours["data"])  # NumPy arrays went as base64
        chart.full()  # validates
        assert json.loads(pio.to_json(chart, validate=False)) == ours  # to_dict() did not change the spec
