"""The curve follows the finger (issue 26), on the server's side: the figures the browser swaps in while a slider is
dragged are, stop by stop, the core's f and f′ and the page's own regions; every slider has few enough stops to send
them all; a page sends its tracks only for sliders the learner can move. The browser's side (the drawn data during a
real drag, frames per second) is tests/test_browser.py's and bench/bench_follow.py's."""
from __future__ import annotations

import json

import numpy as np
import pytest

import activations
from charts.base import specs_only
from labs import explore
from labs import own as own_lab
from labs.controls import Number, params_controls
from tests.pagekit import open_page
from ui.live import frames

EPS = explore.EXPLORER.eps
BUDGET = 300_000  # bytes of one slider's frames at ~101 stops (issue 26's target for a page open)


def _track_figures(key: str, name: str, lo=-6.0, hi=6.0, eps=0.01, params=None):
    """What ui.curve_panel builds for a slider of the Explorer: (stops, figures as the page would draw them, the
    encoded track)."""
    from ui import curve_panel, live

    spec = activations.get(key)
    raw = {p.name: p.default for p in spec.params if not p.is_choice} | (params or {})
    c = next(c for c in params_controls(spec) if c.name == name)
    values = live.stops(c, raw[name])[0]
    fixed = {k: v for k, v in raw.items() if k != name}
    grid = np.unique(np.concatenate([explore.grid(key, spec.resolve({**fixed, name: v})[0], lo, hi,
                                                  explore.FOLLOW_POINTS) for v in values]))
    figs = []
    with specs_only():
        for v in values:
            p = spec.resolve({**fixed, name: v})[0]
            figs.append(curve_panel.figure(key, p, lo, hi, curve_panel.measured(key, p, lo, hi, eps)[3], x=grid)._spec)
    return values, figs, frames.encode(figs), [spec.resolve({**fixed, name: v})[0] for v in values]


@pytest.mark.parametrize(("key", "name"), [("elu", "alpha"), ("swish", "beta"), ("rrelu", "lower"),
                                           ("hardtanh", "max_val"), ("softplus", "beta")])
def test_every_stop_draws_the_cores_f_and_f_prime_and_the_pages_regions(key, name):
    spec = activations.get(key)
    values, figs, encoded, resolved = _track_figures(key, name)
    decoded = frames.decode(encoded)
    assert len(decoded) == len(values)
    for fig, got, p in zip(figs, decoded, resolved, strict=True):
        by_name = {t.get("legendgroup") or t["name"]: t for t in got["data"]}
        x = np.asarray(by_name["f(x)"]["x"], dtype=np.float64)
        # the drawn values are the core's at this stop, to a FINER-th of the chart's height (16-bit steps of what
        # changes; float32 where that would be coarser)
        lo, hi = encoded["hold"].get("yaxis", got["ranges"]["yaxis"])
        fine = (hi - lo) / frames.FINER
        for name, fn, trace in (("f(x)", spec.f, fig["data"][-2]), ("f′(x)", spec.df, fig["data"][-1])):
            want = fn(trace["x"], **p)
            np.testing.assert_allclose(by_name[name]["y"], want, rtol=1e-6, atol=fine, err_msg=name)
        np.testing.assert_allclose(x, fig["data"][-2]["x"], rtol=1e-7)
        for want, have in zip(fig["data"], got["data"], strict=True):  # the regions: the page's own, shape by shape
            assert {k: v for k, v in want.items() if k not in ("x", "y")} == json.loads(json.dumps(
                {k: v for k, v in have.items() if k not in ("x", "y")}))
            if len(want["x"]) <= frames.SHORT:
                assert have["x"] == [None if v is None else float(v) for v in want["x"]]
        assert got["ranges"]["yaxis"] == list(fig["layout"]["yaxis"]["range"])


def test_every_slider_has_at_most_about_a_hundred_stops_and_their_frames_fit_the_budget():
    """Each stop of each parameter is drawn while dragging: the registry's steps keep them ≤ 101 (a link's value off
    the grid adds one), and one slider's frames at the defaults fit in 3 KB a stop: BUDGET at 101 stops."""
    from ui import live

    sizes = {}
    for key in activations.REGISTRY:
        for c in params_controls(activations.get(key)):
            if isinstance(c, Number):
                values = live.stops(c, c.default)[0]
                assert len(values) <= 102, (key, c.name, len(values))
                sizes[key, c.name] = frames.size(_track_figures(key, c.name)[2])
                assert sizes[key, c.name] <= 3_000 * len(values), (key, c.name, sizes[key, c.name])
    assert sizes["elu", "alpha"] <= BUDGET and sizes["swish", "beta"] <= BUDGET
    for lo, hi in [(-5.0, 5.0), (0.1, 30.0), (0.0, 3.0), (-1000.0, 1000.0), (0.0, 0.001)]:
        step = own_lab.step_for(lo, hi)
        assert 10 <= (hi - lo) / step <= 100 + 1e-6 or step in (1e-4, 10.0), (lo, hi, step)


def test_a_value_off_the_grid_is_a_stop_and_a_select_slider_sends_its_index():
    from ui import live

    alpha = next(c for c in params_controls(activations.get("selu")) if c.name == "alpha")
    values, tolerance, index = live.stops(alpha, activations.get("selu").param("alpha").default)
    assert activations.get("selu").param("alpha").default in values and not index and tolerance < alpha.step / 100
    assert live.stops(EPS, 0.01) == (list(EPS.options), 0.0, True)
    assert live.css_key("explorer:elu.alpha") == "explorer-elu-alpha"


def _tracks(at) -> dict:
    found = [e for e in at.get("bidi_component") if e.proto.component_name == "activation_lab.live"]
    if not found:
        return {}
    data = json.loads(found[0].proto.mixed.json or found[0].proto.json)
    return {t["slider"]: t for t in data["tracks"]}


def test_pages_send_a_track_for_each_slider_a_learner_can_move():
    at = open_page("views/explorer.py", {"fn": "elu", "alpha": "2", "x": "-4,3"})
    tracks = _tracks(at)
    assert set(tracks) == {"explorer-elu-alpha", "explorer-eps", "explorer-x"}
    # the x-range: the whole span's figure, the core's f and f′ at its x; each thumb's stops with the page's y-range
    window = tracks.pop("explorer-x")
    assert window["at"] == [-4.0, 3.0] and window["values"]["lo"][-1] == 2.5 and window["values"]["hi"][0] == -3.5
    (whole,) = frames.decode(window)
    f = next(t for t in whole["data"] if t.get("name") == "f(x)")
    assert f["x"][0] == -50.0 and f["x"][-1] == 50.0 and len(f["x"]) >= 2001
    elu = activations.get("elu")
    np.testing.assert_allclose(f["y"], elu.f(np.asarray(f["x"], dtype=np.float64), alpha=2.0), rtol=1e-6, atol=1e-6)
    from charts.base import y_limits
    lo_stop = window["values"]["lo"].index(-10.0)
    x = np.linspace(-10.0, 3.0, 2001)
    want = y_limits(elu.f(x, alpha=2.0), elu.df(x, alpha=2.0))
    np.testing.assert_allclose(window["ylims"]["lo"][lo_stop]["yaxis"], want, rtol=1e-3)
    assert tracks["explorer-elu-alpha"]["values"][tracks["explorer-elu-alpha"]["at"]] == 2.0
    # the page's own chart at rest is the one the track's stop holds (the same builder, the same regions)
    assert sum(frames.size(t) for t in tracks.values()) <= BUDGET
    # a focus link's hidden or locked sliders do not move: no track for them
    assert set(_tracks(open_page("views/explorer.py", {"fn": "elu", "hide": "alpha,x", "lock": "eps"}))) == set()
    at = open_page("views/compare.py", {"fns": "relu,elu,swish"})
    tracks = _tracks(at)
    assert set(tracks) == {"compare-elu-alpha", "compare-swish-beta", "compare-x"}
    assert tracks["compare-x"]["xaxes"] == ["xaxis", "xaxis2"]  # f and f′ side by side: both panels follow
    assert set(tracks["compare-x"]["ylims"]["hi"][0]) == {"yaxis", "yaxis2"}
    # released where the thumb stopped, each panel keeps the y-range it had while the thumb moved (to the whole
    # span's grid, 0.1 apart, against the window's own)
    rest = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    window = tracks["compare-x"]
    at_rest = window["ylims"]["hi"][window["values"]["hi"].index(window["at"][1])]
    for axis in ("yaxis", "yaxis2"):
        np.testing.assert_allclose(rest[axis]["range"], at_rest[axis], rtol=1e-3, atol=1e-3)
    assert sum(t["bytes"] for t in tracks.values()) <= 600_000
    at = open_page("views/own.py", {"formula": "x*sigmoid(a*x)"})
    assert set(_tracks(at)) == {"own-own-a", "own-eps", "own-x"}


def test_a_formula_whose_range_explodes_keeps_each_stops_axes_and_its_gaps():
    """1/(x − a): as a comes into the x-range the values reach 1e31. The axes do not hold a joint range that would
    flatten every other stop, and the values with no number stay gaps (NaN), never a wrong number."""
    from activations import own_key
    from ui import curve_panel, live

    key = own_key(own_lab.normalized("1/(x - a)")[0])
    spec = own_lab.spec(key, {"a": (-5.0, 5.0)})
    c = next(c for c in params_controls(spec) if c.name == "a")
    values = live.stops(c, 1.0)[0]
    with specs_only():
        figs = [curve_panel.figure(key, {"a": v}, -6.0, 6.0,
                                   curve_panel.measured(key, {"a": v}, -6.0, 6.0, 0.01)[3])._spec for v in values]
    encoded = frames.encode(figs)
    assert "yaxis" not in encoded["hold"]
    for fig, got in zip(figs, frames.decode(encoded), strict=True):
        want = np.asarray(fig["data"][-2]["y"], dtype=np.float64)
        have = np.asarray(next(t for t in got["data"] if t.get("name") == "f(x)")["y"], dtype=np.float64)
        with np.errstate(over="ignore"):
            finite = np.isfinite(want) & np.isfinite(want.astype(np.float32))
        assert (np.isnan(have) | np.isinf(have))[~finite].all()
        np.testing.assert_allclose(have[finite], want[finite], rtol=1e-6, atol=np.ptp(got["ranges"]["yaxis"]) / 1e4)


def test_while_learners_wait_for_experiments_only_built_tracks_are_sent(monkeypatch):
    """Building a track costs the web process 10-100 ms: while a learner waits for an experiment on this server the
    CPU is theirs, so a release sends the tracks already built (the slider just moved keeps its own: its figures do
    not depend on its value) and the others update on release until the server is free again."""
    from ui import cache

    at = open_page("views/explorer.py", {"fn": "elu", "alpha": "1.5"})
    assert set(_tracks(at)) == {"explorer-elu-alpha", "explorer-eps", "explorer-x"}
    monkeypatch.setattr(cache, "computing", lambda: 1)
    at.slider(key="explorer:elu.alpha").set_value(2.85).run()  # ε's and the x-range's figures depend on α: not built
    assert set(_tracks(at)) == {"explorer-elu-alpha"}
    monkeypatch.setattr(cache, "computing", lambda: 0)
    at.slider(key="explorer:elu.alpha").set_value(2.9).run()
    assert set(_tracks(at)) == {"explorer-elu-alpha", "explorer-eps", "explorer-x"}
