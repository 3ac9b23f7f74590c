"""Figure builders produce valid Plotly figures (they skip validation at run time for speed: `Chart.full()`
validates), send the same JSON as a go.Figure would, and name everything in the learner's language."""
import importlib
import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from pseudokit import _chart_texts, leftovers

import activations
import i18n
from activations import analysis
from charts import base, curves

X = np.linspace(-6, 6, 201)
CHART_MODULES = sorted(p.stem for p in (Path(base.__file__).parent).glob("*.py") if p.stem != "__init__")


def validated(chart: base.Chart) -> dict:
    assert isinstance(chart, base.Chart)
    return chart.full().to_dict()  # raises on any invalid property


def curve_chart(key: str, **kw) -> base.Chart:
    spec = activations.get(key)
    f, df = spec.f(X), spec.df(X)
    return curves.curve_figure(X, f, df, analysis.regions(X, df, 0.01), **kw)


def compare_chart(show: str) -> base.Chart:
    lines = [(activations.get(k).name, X, activations.get(k).f(X), activations.get(k).df(X))
             for k in ("relu", "tanh", "gelu")]
    return curves.compare_figure(lines, show)


def gallery_chart() -> tuple[base.Chart, list]:
    specs = activations.families()["ReLU family"]
    tiles = [(f'<a href="explorer?fn={s.key}">{s.name}</a>', X, s.f(X), s.df(X)) for s in specs]
    return curves.gallery_figure(tiles, cols=4), tiles


def cost_chart() -> base.Chart:
    rows = [("ReLU", 1.0, 1.0, 0.3, 0.5, 1), ("Sigmoid", 2.5, 1.5, 0.75, 0.75, 1), ("Identity", 0.1, 0.2, 0.03, 0.1, 0),
            ("Softsign", 4.0, 6.0, 1.2, 3.0, 3)]
    return curves.cost_figure(rows, highlight=["Sigmoid"])


@pytest.mark.parametrize("key", ["relu", "selu", "sigmoid", "rrelu", "identity"])
def test_curve_figure_is_valid_and_names_its_regions(key):
    spec = activations.get(key)
    f, df = spec.f(X), spec.df(X)
    rs = analysis.regions(X, df, 0.01)
    band = (X[X <= 0], 0.1 * X[X <= 0], 0.3 * X[X <= 0]) if key == "rrelu" else None
    fig = validated(curves.curve_figure(X, f, df, rs, autograd=(X, df), band=band, band_label="band", title="t"))
    names = [t["name"] for t in fig["data"]]
    assert "f(x)" in names and "f′(x)" in names and "f′ by torch autograd" in names
    assert ("band" in names) == (key == "rrelu")
    for kind in {r.kind for r in rs}:
        assert any(n.startswith(kind) for n in names)
    assert fig["layout"]["xaxis"]["title"]["text"] == "x (input, pre-activation)"
    assert fig["layout"]["title"]["text"] == "t"


def test_regions_the_learner_should_see():
    names = lambda key: {t["name"].split(":")[0] for t in curve_chart(key).to_dict()["data"]}  # noqa: E731
    assert "dead" in names("relu") and "saturating" in names("sigmoid") and "amplifying" in names("selu")
    assert not {"dead", "saturating", "amplifying"} & names("identity")


@pytest.mark.parametrize("show,n_axes", [("f", 1), ("df", 1), ("both", 2)])
def test_compare_figure_is_valid(show, n_axes):
    fig = validated(compare_chart(show))
    assert len(fig["data"]) == 3 * n_axes
    assert len({t.get("xaxis", "x") for t in fig["data"]}) == n_axes
    assert [t["name"] for t in fig["data"] if t["showlegend"]] == ["ReLU", "Tanh", "GELU"]
    relu_df = next(t for t in compare_chart("df").to_dict()["data"] if t["name"] == "ReLU")
    assert relu_df["hovertemplate"].startswith("ReLU: ")


def test_gallery_figure_is_valid_with_links():
    chart, tiles = gallery_chart()
    fig = validated(chart)
    assert len(fig["data"]) == 2 * len(tiles)
    assert [a["text"] for a in fig["layout"]["annotations"]] == [t[0] for t in tiles]
    assert sum(t["showlegend"] for t in fig["data"]) == 2  # one f and one f′ legend entry for all tiles


def test_cost_figure_is_valid():
    fig = validated(cost_chart())
    assert [len(t["y"]) for t in fig["data"]] == [4, 4] and "<b>Sigmoid</b>" in fig["data"][0]["y"]


def test_y_limits_never_collapse():
    lo, hi = base.y_limits(np.zeros(5))
    assert lo < 0 < hi
    lo, hi = base.y_limits(np.array([1.0, 2.0]), np.array([np.nan, 3.0]))
    assert lo < 1.0 and hi > 3.0
    assert base.y_limits(np.array([np.inf, np.nan])) == base.y_limits(np.zeros(0))  # nothing finite: a default


def test_figures_use_the_locales_number_marks():
    assert curve_chart("relu").to_dict()["layout"]["separators"] == ".,"


def _animated() -> base.Chart:
    """A figure with frames, as the lab animations build them (NumPy arrays in traces and frames)."""
    frames = [{"name": str(i), "data": [{"type": "scatter", "x": X, "y": np.sin(X + i)}]} for i in range(3)]
    return base.figure([{"type": "scatter", "x": X, "y": np.sin(X), "name": "sin"}],
                       {"title": {"text": "t"}, "updatemenus": [{"type": "buttons", "buttons": []}]}, frames)


def numpy_leaves(tree):
    if isinstance(tree, dict):
        tree = list(tree.values())
    if isinstance(tree, list):
        for v in tree:
            yield from numpy_leaves(v)
    elif isinstance(tree, np.ndarray | np.generic):
        yield tree


def _every_kind() -> base.Chart:
    """Every kind of NumPy value a builder may leave in a spec: 64-bit integers (narrowed), a 2-D float32 heatmap
    (with its shape), booleans and strings (no typed array), an empty array, scalars, an array under a key Plotly
    never encodes (range)."""
    z = np.arange(12, dtype=np.float32).reshape(3, 4)
    return base.figure([{"type": "heatmap", "z": z, "x": np.arange(4), "y": np.array([0, 70_000, -5], dtype=np.int64)},
                        {"type": "scatter", "x": np.arange(3, dtype=np.uint64), "y": np.array([2**40, 0, 1]),
                         "customdata": np.array(["a", "b", "c"]), "selectedpoints": np.array([], dtype=np.int64),
                         "visible": np.bool_(True), "opacity": np.float32(0.5), "name": "n"},
                        {"type": "scatter", "x": [1, 2], "y": np.array([True, False])}],
                       {"xaxis": {"range": np.array([-1.0, 1.0])}, "width": np.int64(500)})


BUILDS = {"curve": lambda: curve_chart("elu", title="t"), "compare": lambda: compare_chart("both"),
          "gallery": lambda: gallery_chart()[0], "cost": cost_chart, "frames": _animated, "every kind": _every_kind}


@pytest.mark.parametrize("build", list(BUILDS.values()), ids=list(BUILDS))
def test_chart_to_dict_is_what_go_figure_would_send(build):
    """base.Chart skips building go.Figure; st.plotly_chart must receive the same JSON either way."""
    chart = build()
    assert isinstance(chart, base.Chart) and isinstance(chart, go.Figure)
    ours = json.loads(pio.to_json(chart, validate=False))
    theirs = json.loads(pio.to_json(go.Figure(chart._spec, _validate=False), validate=False))
    assert ours == theirs
    assert "template" in ours["layout"]
    if build is not cost_chart:  # (the cost chart is built from lists)
        assert not list(numpy_leaves(chart.to_dict()))  # nothing left for the JSON encoder's fallbacks
        assert any(isinstance(t.get("x"), dict) for t in ours["data"])  # NumPy arrays went as base64
    chart.full()  # validates
    assert json.loads(pio.to_json(chart, validate=False)) == ours  # to_dict() did not change the spec


def test_a_chart_is_sent_while_another_session_is_still_importing_pandas(monkeypatch):
    """Issue 23: two learners' first charts at once. While one session's thread runs pandas' __init__, the half-built
    module is already in sys.modules; Plotly's own conversion asked it for `pandas.Series` there, and the other
    learner's chart raised AttributeError. The chart's JSON, as st.plotly_chart makes it, must not look at pandas."""
    import sys
    import types

    monkeypatch.setitem(sys.modules, "pandas", types.ModuleType("pandas"))  # half-built: no Series, no NaT yet
    for name, build in BUILDS.items():
        assert json.loads(pio.to_json(build(), validate=False))["data"], name


@pytest.fixture
def pseudo():
    i18n.activate(i18n.PSEUDO)
    yield
    i18n.activate(i18n.DEFAULT)


def test_every_word_in_the_curve_charts_is_translated(pseudo):
    charts = [curve_chart("rrelu", autograd=(X, X), band=(X, X, X), band_label="⟦band⟧"), curve_chart("sigmoid"),
              curve_chart("selu"), compare_chart("both"), gallery_chart()[0], cost_chart()]
    for chart in charts:
        texts = _chart_texts(chart.to_dict())
        assert texts
        bad = [(where, t) for where, t in texts if leftovers(t)]
        assert bad == []
    hover = cost_chart().to_dict()["data"][0]["hovertemplate"]
    assert hover.startswith("⟦%{y}: forward %{customdata[2]:.2f}× ReLU") and "{baseline}" not in hover
    names = {t["name"] for t in curve_chart("relu").to_dict()["data"]}
    assert "⟦dead: f′ = 0⟧" in names  # the region labels are messages, translated where drawn


@pytest.mark.parametrize("module", CHART_MODULES)
def test_every_chart_module_builds_on_the_base(module):
    """One palette, margins and figure type app-wide: no module keeps its own copies of base's helpers."""
    m = importlib.import_module(f"charts.{module}")
    for name in ("_MARGIN", "_LEGEND_TOP", "_finite_or_none", "_positive_or_none", "_figure", "_PALETTE"):
        assert not hasattr(m, name), f"charts.{module}.{name}: use charts.base's"
    if module != "base":
        assert m.figure is base.figure
