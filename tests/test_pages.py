"""Server-side page tests with Streamlit's AppTest: what a learner sees on each page."""
import json
import re

import numpy as np
import pytest
from pagekit import APP, open_page
from streamlit.testing.v1 import AppTest

PAGES = ["views/home.py", "views/explorer.py", "views/compare.py"]


def traces(at: AppTest, chart: int = 0) -> list[dict]:
    return json.loads(at.get("plotly_chart")[chart].proto.spec)["data"]


def trace(at: AppTest, name: str) -> dict:
    return next(t for t in traces(at) if t.get("name") == name)


def values(t: dict, axis: str) -> np.ndarray:
    """Plotly may ship arrays as lists or as typed-array dicts ({dtype, bdata})."""
    v = t[axis]
    if isinstance(v, dict):
        import base64

        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
    return np.array([np.nan if a is None else a for a in v], dtype=float)


def warnings_text(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def url(at: AppTest) -> dict:
    return dict(at.query_params)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception_and_draws_a_chart(page):
    at = open_page(page)
    assert len(at.get("plotly_chart")) >= 1
    assert not at.warning  # a clean link gives no notice


def test_home_gallery_links_every_activation_to_the_explorer():
    import activations

    at = open_page("views/home.py")
    assert len(at.get("plotly_chart")) == len(activations.families())
    titles = " ".join(json.dumps(json.loads(c.proto.spec)["layout"].get("annotations", []))
                      for c in at.get("plotly_chart"))
    for key in activations.REGISTRY:
        assert f"explorer?fn={key}" in titles, key


def test_explorer_slider_changes_the_chart_and_the_url():
    at = open_page("views/explorer.py")
    assert at.selectbox[0].value == "elu"
    before = values(trace(at, "f(x)"), "y")
    at.slider(key="explorer:elu.alpha").set_value(2.0).run()
    after = values(trace(at, "f(x)"), "y")
    x = values(trace(at, "f(x)"), "x")
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after[x < 0], 2.0 * np.expm1(x[x < 0]), rtol=1e-12)
    assert url(at)["alpha"] == "2.0"


def test_explorer_function_switch_builds_its_sliders():
    at = open_page("views/explorer.py")
    at.selectbox[0].select("softplus").run()
    labels = [s.label for s in at.slider]
    assert any("beta" in label for label in labels) and any("threshold" in label for label in labels)
    assert url(at)["fn"] == "softplus"
    assert "Softplus" in " ".join(m.value for m in at.latex)


def test_explorer_link_round_trip():
    query = {"fn": "leaky_relu", "negative_slope": "0.2", "x": "-3.0,3.0", "eps": "0.05", "autograd": "1"}
    at = open_page("views/explorer.py", query)
    assert url(at) == query  # what the page writes back is what it was given
    f = trace(at, "f(x)")
    x, y = values(f, "x"), values(f, "y")
    assert (x.min(), x.max()) == (-3.0, 3.0)
    np.testing.assert_allclose(y[x < 0], 0.2 * x[x < 0], rtol=1e-12)
    assert not at.warning
    # the autograd overlay is there and agrees with the analytic derivative
    ag = trace(at, "f′ by torch autograd")
    np.testing.assert_allclose(values(ag, "y"), np.where(values(ag, "x") > 0, 1.0, 0.2), rtol=1e-12)


def test_switching_function_uses_its_own_defaults_and_remembers_the_old_ones():
    at = open_page("views/explorer.py")
    at.slider(key="explorer:elu.alpha").set_value(0.2).run()
    at.selectbox[0].select("selu").run()
    assert not at.exception
    assert at.slider(key="explorer:selu.alpha").value == pytest.approx(1.6732632423543772)
    assert "alpha" not in url(at)  # SELU at its defaults: nothing but fn in the link
    at.selectbox[0].select("elu").run()
    assert at.slider(key="explorer:elu.alpha").value == 0.2 and url(at)["alpha"] == "0.2"


def test_explorer_defaults_stay_out_of_the_url():
    at = open_page("views/explorer.py", {"fn": "selu"})
    assert url(at) == {"fn": "selu"}


HOSTILE = [
    ({"fn": "<script>alert(1)</script>"}, "fn", "elu"),
    ({"fn": "elu", "alpha": "nan"}, "alpha", 1.0),
    ({"fn": "elu", "alpha": "inf"}, "alpha", 3.0),
    ({"fn": "elu", "alpha": "1e999"}, "alpha", 3.0),
    ({"fn": "elu", "alpha": "-7"}, "alpha", 0.0),
    ({"fn": "elu", "alpha": "abc"}, "alpha", 1.0),
    ({"fn": "elu", "alpha": "[x](javascript:alert(1))"}, "alpha", 1.0),
    ({"fn": "elu", "x": "5,-5"}, "x", (-5.0, 5.0)),
    ({"fn": "elu", "x": "1,1"}, "x", (-6.0, 6.0)),
    ({"fn": "elu", "x": "7"}, "x", (-6.0, 6.0)),
    ({"fn": "elu", "eps": "0.03"}, "eps", 0.02),
    ({"fn": "elu", "autograd": "maybe"}, "autograd", False),
    ({"fn": "gelu", "approximate": "cubic"}, "approximate", "none"),
]


@pytest.mark.parametrize("query,name,expected", HOSTILE, ids=[str(h[0]) for h in HOSTILE])
def test_explorer_hostile_links_fall_back_and_say_so(query, name, expected):
    at = open_page("views/explorer.py", query)
    page_controls = ("fn", "x", "eps", "autograd")
    key = name if name in page_controls else f"{query['fn']}.{name}"  # parameters are scoped by function
    widget = at.session_state[f"explorer:{key}"]
    assert widget == expected
    note = warnings_text(at)
    assert f"**{name}**" in note  # the notice names the value it changed
    outside_code = re.sub(r"`[^`]*`", "", note)  # raw text only ever appears inside inline code
    assert "<script" not in outside_code and "javascript" not in outside_code
    assert len(at.get("plotly_chart")) == 1


def test_unknown_parameters_are_reported():
    at = open_page("views/explorer.py", {"fn": "relu", "alpha": "2", "utm_source": "x"})
    note = warnings_text(at)
    assert "alpha" in note and "utm_source" in note


def test_rrelu_shows_band_and_repairs_order():
    at = open_page("views/explorer.py", {"fn": "rrelu", "lower": "0.5", "upper": "0.1"})
    names = [t.get("name", "") for t in traces(at)]
    assert any(n.startswith("training: slope ~ U(0.1, 0.5)") for n in names)
    assert "swapped" in " ".join(i.value for i in at.info)
    f = trace(at, "f(x)")
    x, y = values(f, "x"), values(f, "y")
    np.testing.assert_allclose(y[x < 0], 0.3 * x[x < 0], rtol=1e-12)  # eval slope (0.1 + 0.5) / 2


def test_regions_are_named_in_the_legend():
    at = open_page("views/explorer.py", {"fn": "sigmoid", "eps": "0.05"})
    names = [t.get("name", "") for t in traces(at)]
    assert any(n.startswith("saturating") for n in names)
    at = open_page("views/explorer.py", {"fn": "relu"})
    assert any(t.get("name", "").startswith("dead") for t in traces(at))
    at = open_page("views/explorer.py", {"fn": "selu"})
    assert any(t.get("name", "").startswith("amplifying") for t in traces(at))


def test_gelu_latex_follows_the_approximate_choice():
    at = open_page("views/explorer.py", {"fn": "gelu", "approximate": "tanh"})
    assert "tanh" in at.latex[0].value
    at.radio(key="explorer:gelu.approximate").set_value("none").run()
    assert r"\Phi" in at.latex[0].value


def test_properties_are_shown_and_follow_the_sliders():
    at = open_page("views/explorer.py", {"fn": "elu", "alpha": "2.0"})
    text = " ".join(m.value for m in at.markdown)
    assert "| f′(0) | 2 |" in text and "[-2, ∞)" in text


def test_compare_overlays_and_round_trips():
    query = {"fns": "relu,elu,gelu", "show": "df", "x": "-2.0,2.0", "elu.alpha": "0.5"}
    at = open_page("views/compare.py", query)
    assert url(at) == query
    data = traces(at)
    assert [t["name"] for t in data] == ["ReLU", "ELU", "GELU"]
    x, y = values(data[1], "x"), values(data[1], "y")
    np.testing.assert_allclose(y[x < 0], 0.5 * np.exp(x[x < 0]), rtol=1e-12)  # ELU' with alpha 0.5


def test_compare_slider_changes_the_chart():
    at = open_page("views/compare.py")
    before = values(traces(at)[0], "x")
    at.slider(key="compare:x").set_value((-2.0, 2.0)).run()
    after = values(traces(at)[0], "x")
    assert (after.min(), after.max()) == (-2.0, 2.0) and before.max() != after.max()


def test_compare_both_has_two_panels():
    at = open_page("views/compare.py", {"fns": "tanh", "show": "both"})
    assert len(traces(at)) == 2


def test_compare_hostile_list():
    at = open_page("views/compare.py", {"fns": "bogus,<b>,,", "show": "zz"})
    assert at.session_state["compare:fns"] == ["sigmoid", "tanh", "relu", "gelu"]
    assert at.session_state["compare:show"] == "both"
    assert "**fns**" in warnings_text(at) and "**show**" in warnings_text(at)


def test_compare_hostile_parameter():
    at = open_page("views/compare.py", {"fns": "elu,relu", "elu.alpha": "1e999", "relu.alpha": "2"})
    assert at.session_state["compare:elu.alpha"] == 3.0
    note = warnings_text(at)
    assert "**elu.alpha**" in note and "clamped" in note and "relu.alpha" in note


def test_first_pages_do_not_import_torch():
    import subprocess
    import sys

    code = (
        "import sys; from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({APP!r}, default_timeout=60)\n"
        "for p in ['views/home.py', 'views/explorer.py', 'views/compare.py']:\n"
        "    at.switch_page(p); at.run(); assert not at.exception\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr[-2000:]


def test_repeated_keys_and_many_unknown_keys_are_reported():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["alpha"] = ["0.5", "2"]  # ?alpha=0.5&alpha=2
    at.query_params["fn"] = "elu"
    for i in range(10):
        at.query_params[f"u{i}"] = "1"
    at.switch_page("views/explorer.py")
    at.run()
    note = warnings_text(at)
    assert at.session_state["explorer:elu.alpha"] == 2.0
    assert "**alpha** was given 2 times" in note
    assert "and 2 more" in note


@pytest.mark.parametrize(("page", "key", "raw"), [("views/compare.py", "fns", ",,,"),
                                                 ("views/self_normalizing.py", "acts", "")])
def test_a_list_that_names_nothing_is_reported(page, key, raw):
    at = open_page(page, {key: raw})
    note = warnings_text(at)
    assert f"**{key}**" in note and "names nothing valid" in note
    assert at.multiselect[0].value  # the defaults, not an empty chart


def test_home_reports_link_parameters_it_cannot_use():
    at = open_page("views/home.py", {"fn": "relu", "utm_source": "x"})
    assert "utm_source" in warnings_text(at) and dict(at.query_params) == {}
