"""Home, Explorer and Compare as a learner meets them (AppTest, one run per concern), their links' parsing in
process (every hostile value against the declarations, labs.explore), and the language in the link (ui.lang)."""
import json
import re
from types import SimpleNamespace

import numpy as np
import pytest
from pagekit import APP, open_page
from streamlit.testing.v1 import AppTest

import activations
import i18n
from activations import validate
from labs import explore
from labs.controls import Schema, params_controls
from ui import lang
from ui.text import ASSETS, activation_note

C, CMP = explore.EXPLORER, explore.COMPARE


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


def outside_code(text: str) -> str:
    """Raw link text may only ever appear inside inline code."""
    return re.sub(r"`[^`]*`", "", text)


def page_links(at: AppTest) -> list:
    return [e.proto for e in at.get("page_link")]


def gallery_links(at: AppTest) -> str:
    return " ".join(a["text"] for c in at.get("plotly_chart")
                    for a in json.loads(c.proto.spec)["layout"].get("annotations", []))


# ---- Home -------------------------------------------------------------------------------------------------------
def every_family(at: AppTest):
    """Home opened on each family's tab in turn (only the open tab draws): yields (family label, at)."""
    for label in [t.label for t in at.tabs]:
        at.session_state["home:family"] = label
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        yield label, at


def test_home_gallery_and_links_open_every_activation_in_the_explorer():
    at = open_page("views/home.py")
    assert not at.warning and url(at) == {}  # a clean link gives no notice
    families = activations.families()
    assert [t.label for t in at.tabs] == list(families)
    assert len(at.get("plotly_chart")) == 1  # only the open family draws
    titles, links = "", {}
    for label, tab in every_family(at):
        assert len(tab.get("plotly_chart")) == 1 and url(tab) == {}  # the tab is not a link parameter
        shown = {p.query_string for p in page_links(tab)}
        assert shown == {f"fn={s.key}" for s in families[label]}, label
        titles += gallery_links(tab)
        links.update({p.query_string: p for p in page_links(tab)})
    for key, spec in activations.REGISTRY.items():
        assert f'explorer?fn={key}"' in titles, key  # the tile's title, in English: no lang in the link
        link = links[f"fn={key}"]
        assert link.label == f"Open {spec.name}" and link.help == activation_note(key)[0] and link.help
    assert len(links) == len(activations.REGISTRY)


def test_home_reports_link_parameters_it_cannot_use():
    at = open_page("views/home.py", {"fn": "relu", "utm_source": "x"})
    note = warnings_text(at)
    assert "`fn`" in note and "`utm_source`" in note and url(at) == {}


# ---- Explorer ---------------------------------------------------------------------------------------------------
def test_explorer_sliders_change_the_chart_the_properties_and_the_url():
    at = open_page("views/explorer.py")
    assert at.selectbox[0].value == "elu" and not at.warning and url(at) == {}
    before = values(trace(at, "f(x)"), "y")
    at.slider(key="explorer:elu.alpha").set_value(2.0).run()
    f = trace(at, "f(x)")
    x, after = values(f, "x"), values(f, "y")
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after[x < 0], 2.0 * np.expm1(x[x < 0]), rtol=1e-12)
    assert url(at) == {"alpha": "2.0"}
    text = " ".join(m.value for m in at.markdown)
    assert "| f′(0) | 2 |" in text and "[-2, ∞)" in text  # the properties follow the slider
    at.slider(key="explorer:x").set_value((-2.0, 3.0)).run()
    x = values(trace(at, "f(x)"), "x")
    assert (x.min(), x.max()) == (-2.0, 3.0) and url(at) == {"alpha": "2.0", "x": "-2.0,3.0"}


def test_explorer_switching_function_builds_its_sliders_and_remembers_the_old_ones():
    at = open_page("views/explorer.py")
    at.slider(key="explorer:elu.alpha").set_value(0.2).run()
    at.selectbox[0].select("selu").run()
    assert at.slider(key="explorer:selu.alpha").value == pytest.approx(1.6732632423543772)
    assert url(at) == {"fn": "selu"}  # SELU at its defaults: nothing but fn in the link
    at.selectbox[0].select("elu").run()
    assert at.slider(key="explorer:elu.alpha").value == 0.2 and url(at) == {"alpha": "0.2"}
    at.selectbox[0].select("softplus").run()
    labels = [s.label for s in at.slider]
    assert any("beta" in label for label in labels) and any("threshold" in label for label in labels)
    assert url(at) == {"fn": "softplus"} and "Softplus" in " ".join(m.value for m in at.latex)
    assert not at.exception


def test_explorer_link_round_trip_with_the_autograd_check():
    query = {"fn": "leaky_relu", "negative_slope": "0.2", "x": "-3.0,3.0", "eps": "0.05", "autograd": "1"}
    at = open_page("views/explorer.py", query)
    assert url(at) == query  # what the page writes back is what it was given
    assert not at.warning
    f = trace(at, "f(x)")
    x, y = values(f, "x"), values(f, "y")
    assert (x.min(), x.max()) == (-3.0, 3.0)
    np.testing.assert_allclose(y[x < 0], 0.2 * x[x < 0], rtol=1e-12)
    ag = trace(at, "f′ by torch autograd")  # the overlay agrees with the analytic derivative
    np.testing.assert_allclose(values(ag, "y"), np.where(values(ag, "x") > 0, 1.0, 0.2), rtol=1e-12)
    assert "max |analytic f′ − autograd f′|" in " ".join(c.value for c in at.caption)


def test_explorer_draws_fewer_points_than_it_measures_and_keeps_the_kinks():
    """The chart gets PLOT_POINTS (+ 0 and the kinks, exactly); the autograd check keeps the measured grid: the
    numbers shown are those of 801 points, whatever the chart draws."""
    at = open_page("views/explorer.py", {"fn": "relu6", "x": "-3.0,7.0", "autograd": "1"})
    x = values(trace(at, "f(x)"), "x")
    kinks = {0.0, 6.0}
    assert kinks <= set(x)
    assert len(x) == explore.PLOT_POINTS + len(kinks - set(np.linspace(-3.0, 7.0, explore.PLOT_POINTS)))
    grid = explore.grid("relu6", {}, -3.0, 7.0)
    assert len(grid) >= explore.GRID_POINTS and f"over {len(grid)} points" in " ".join(c.value for c in at.caption)


def test_explorer_hostile_link_is_clamped_and_says_so():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["fn"] = "elu"
    at.query_params["alpha"] = ["0.5", "1e999"]  # ?alpha=0.5&alpha=1e999: the last one counts
    at.query_params["x"] = "5,-5"
    at.query_params["eps"] = "[x](javascript:alert(1))"
    at.query_params["autograd"] = "maybe"
    at.query_params["utm_source"] = "<script>alert(1)</script>"
    for i in range(10):
        at.query_params[f"u{i}"] = "1"
    at.switch_page("views/explorer.py")
    at.run()
    assert not at.exception
    ss = at.session_state
    assert (ss["explorer:elu.alpha"], ss["explorer:x"], ss["explorer:eps"], ss["explorer:autograd"]) == (
        3.0, (-5.0, 5.0), 0.01, False)
    note = warnings_text(at)
    for name in ("alpha", "x", "eps", "autograd"):
        assert f"**{name}**" in note, name  # the notice names each value it changed
    assert "clamped to 3" in note and "**alpha** was given 2 times" in note
    assert "`utm_source`" in note and "and 3 more" in note  # 11 unknown keys: 8 named
    assert "<script" not in outside_code(note) and "javascript" not in outside_code(note)
    assert len(at.get("plotly_chart")) == 1
    assert url(at) == {"alpha": "3.0", "x": "-5.0,5.0"}  # the link is rewritten to what is shown


def explorer_parse(query: dict) -> tuple[dict, list]:
    """What the Explorer makes of a link: its controls, then the picked function's parameters."""
    page, notes = C.parse_query(query)
    spec = activations.get(page["fn"])
    raw, more = Schema(*params_controls(spec, C.fn.params.format(key=page["fn"]))).parse_query(query)
    params, constrained = spec.resolve(raw)
    return {**page, **params}, notes + more + constrained


HOSTILE = [  # (link, the value's name, what is used, the message)
    ({"fn": "<script>alert(1)</script>"}, "fn", "elu", validate.NOT_A_CHOICE),
    ({"alpha": "nan"}, "alpha", 1.0, validate.NOT_A_NUMBER),
    ({"alpha": "inf"}, "alpha", 3.0, validate.OUT_OF_RANGE),
    ({"alpha": "1e999"}, "alpha", 3.0, validate.OUT_OF_RANGE),
    ({"alpha": "-7"}, "alpha", 0.0, validate.OUT_OF_RANGE),
    ({"alpha": "abc"}, "alpha", 1.0, validate.NOT_A_NUMBER),
    ({"alpha": "[x](javascript:alert(1))"}, "alpha", 1.0, validate.NOT_A_NUMBER),
    ({"x": "5,-5"}, "x", (-5.0, 5.0), validate.SWAPPED),
    ({"x": "1,1"}, "x", (-6.0, 6.0), validate.TOO_NARROW),
    ({"x": "7"}, "x", (-6.0, 6.0), validate.NOT_A_PAIR),
    ({"x": "-1e999,nan"}, "x", (-50.0, 6.0), validate.JOINED),
    ({"eps": "0.03"}, "eps", 0.02, validate.NOT_A_STEP),
    ({"eps": "1"}, "eps", 0.2, validate.OUT_OF_RANGE),
    ({"autograd": "maybe"}, "autograd", False, validate.NOT_A_TOGGLE),
    ({"fn": "gelu", "approximate": "cubic"}, "approximate", "none", validate.NOT_A_CHOICE),
    ({"fn": "hardtanh", "min_val": "-1e308"}, "min_val", -5.0, validate.OUT_OF_RANGE),
]


@pytest.mark.parametrize(("query", "name", "expected", "msgid"), HOSTILE, ids=[str(h[0]) for h in HOSTILE])
def test_explorer_hostile_values_fall_back_and_say_so(query, name, expected, msgid):
    got, notes = explorer_parse(query)
    assert got[name] == expected
    assert [n.msgid for n in notes] == [msgid]
    text = notes[0].render()
    assert f"**{name}**" in text  # names the value it changed
    assert "<script" not in outside_code(text) and "javascript" not in outside_code(text)


def test_explorer_links_that_need_no_change_give_no_note():
    for query in ({}, {"fn": "ReLU"}, {"fn": "elu", "alpha": " 2.5 ", "x": "-3,3", "eps": "0.1", "autograd": "on"}):
        assert explorer_parse(query)[1] == [], query


def test_rrelu_shows_its_band_and_repairs_the_order():
    at = open_page("views/explorer.py", {"fn": "rrelu", "lower": "0.5", "upper": "0.1"})
    names = [t.get("name", "") for t in traces(at)]
    assert any(n.startswith("training: slope ~ U(0.1, 0.5)") for n in names)
    assert "swapped" in " ".join(i.value for i in at.info)
    f = trace(at, "f(x)")
    x, y = values(f, "x"), values(f, "y")
    np.testing.assert_allclose(y[x < 0], 0.3 * x[x < 0], rtol=1e-12)  # eval slope (0.1 + 0.5) / 2


def test_regions_are_named_in_the_legend_and_the_latex_follows_gelus_choice():
    at = open_page("views/explorer.py", {"fn": "sigmoid", "eps": "0.05"})
    legend = lambda: [t.get("name", "") for t in traces(at)]  # noqa: E731
    assert any(n.startswith("saturating") for n in legend())
    assert "saturating" in at.get("plotly_chart")[0].proto.alt  # the alt text names the regions too
    at.selectbox[0].select("relu").run()
    assert any(n.startswith("dead") for n in legend())
    at.selectbox[0].select("selu").run()
    assert any(n.startswith("amplifying") for n in legend())
    at.selectbox[0].select("gelu").run()
    at.radio(key="explorer:gelu.approximate").set_value("tanh").run()
    assert "tanh" in at.latex[0].value and url(at) == {"fn": "gelu", "approximate": "tanh", "eps": "0.05"}
    at.radio(key="explorer:gelu.approximate").set_value("none").run()
    assert r"\Phi" in at.latex[0].value


# ---- Compare ----------------------------------------------------------------------------------------------------
def test_compare_link_round_trip_overlays_the_functions():
    query = {"fns": "relu,elu,gelu", "show": "df", "x": "-2.0,2.0", "elu.alpha": "0.5"}
    at = open_page("views/compare.py", query)
    assert url(at) == query and not at.warning
    data = traces(at)
    assert [t["name"] for t in data] == ["ReLU", "ELU", "GELU"]
    x, y = values(data[1], "x"), values(data[1], "y")
    np.testing.assert_allclose(y[x < 0], 0.5 * np.exp(x[x < 0]), rtol=1e-12)  # ELU' with alpha 0.5
    assert [e.label for e in at.expander][:2] == ["ELU parameters", "GELU parameters"]


def test_compare_controls_change_the_chart_and_the_url():
    at = open_page("views/compare.py")
    assert not at.warning and url(at) == {}
    assert len(traces(at)) == 8  # four functions, f and f′ side by side
    at.slider(key="compare:x").set_value((-2.0, 2.0)).run()
    x = values(traces(at)[0], "x")
    assert (x.min(), x.max()) == (-2.0, 2.0) and url(at) == {"x": "-2.0,2.0"}
    at.radio(key="compare:show").set_value("f").run()
    assert len(traces(at)) == 4 and url(at)["show"] == "f"
    gelu = next(t for t in traces(at) if t["name"] == "GELU")
    before = values(gelu, "y")
    at.radio(key="compare:gelu.approximate").set_value("tanh").run()  # a parameter inside its expander
    gelu = next(t for t in traces(at) if t["name"] == "GELU")
    assert not np.array_equal(before, values(gelu, "y")) and url(at)["gelu.approximate"] == "tanh"
    at.multiselect(key="compare:fns").set_value([]).run()
    assert not at.get("plotly_chart") and "Pick at least one activation" in " ".join(i.value for i in at.info)


def test_compare_hostile_link_is_cleaned_and_says_so():
    at = open_page("views/compare.py", {"fns": "bogus,<b>,,elu,relu", "show": "zz", "elu.alpha": "1e999",
                                        "relu.alpha": "2"})
    ss = at.session_state
    assert ss["compare:fns"] == ["elu", "relu"] and ss["compare:show"] == "both"
    assert ss["compare:elu.alpha"] == 3.0
    note = warnings_text(at)
    assert "**fns**" in note and "**show**" in note and "**elu.alpha**" in note and "clamped" in note
    assert "`relu.alpha`" in note  # ReLU has no alpha: an unknown key
    assert "<b>" not in outside_code(note)
    assert [t["name"] for t in traces(at) if t["showlegend"]] == ["ELU", "ReLU"]


@pytest.mark.parametrize(("raw", "expected", "msgids"), [
    (",,,", ["sigmoid", "tanh", "relu", "gelu"], [validate.NOTHING_VALID]),
    ("bogus,<b>", ["sigmoid", "tanh", "relu", "gelu"], [validate.JOINED]),
    ("RELU, Tanh,relu", ["relu", "tanh"], []),  # case and spaces forgiven, repeats dropped
    (",".join(activations.REGISTRY), list(activations.REGISTRY)[:explore.MAX_CURVES], [validate.TOO_MANY]),
])
def test_compare_lists_are_checked(raw, expected, msgids):
    got, notes = CMP.parse_query({"fns": raw})
    assert got["fns"] == expected and [n.msgid for n in notes] == msgids
    for n in notes:
        assert "**fns**" in n.render()


def test_first_pages_do_not_import_torch_or_sympy():
    """torch loads for autograd and the labs, SymPy for a learner's formula: not for Home, Explorer, Compare (a
    picker's "Your own" option names the formula without SymPy). A big heap also slows every rerun's GC."""
    import subprocess
    import sys

    code = (
        "import sys; from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({APP!r}, default_timeout=60)\n"
        "for p in ['views/home.py', 'views/explorer.py', 'views/compare.py']:\n"
        "    at.switch_page(p); at.run(); assert not at.exception\n"
        "print([m for m in ('torch', 'sympy') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-2000:]


# ---- the language in the link ------------------------------------------------------------------------------------
def test_every_language_has_its_assets():
    assert i18n.languages()[0] == i18n.DEFAULT
    for code in i18n.languages():
        for kind in ("pages", "activations"):
            assert (ASSETS / code / kind).is_dir(), f"assets/{code}/{kind} is missing"


class _Query(dict):
    def get_all(self, key):
        return [self[key]] if key in self else []


@pytest.mark.parametrize("raw", ["xx", "<script>alert(1)</script>", "", "  "])
def test_a_bad_lang_falls_back_to_english_with_a_notice(monkeypatch, raw):
    fake = SimpleNamespace(session_state={}, query_params=_Query(lang=raw), context=SimpleNamespace(locale="ko-KR"))
    monkeypatch.setattr(lang, "st", fake)
    try:
        assert lang.choose() == i18n.DEFAULT and i18n.current() == i18n.DEFAULT
        (note,) = lang.pop_notes()
        assert note.msgid == lang.UNKNOWN_LANG and lang.pop_notes() == []  # said once
        text = note.render()
        assert "**lang**" in text and "English" in text and "<script" not in outside_code(text)
        assert lang.url_value() is None  # English: no lang in the links
    finally:
        i18n.activate(i18n.DEFAULT)


def test_the_browser_language_is_the_default_and_a_known_lang_is_quiet(monkeypatch):
    for query, locale in (({}, "en-GB"), ({}, "xx-YY"), ({"lang": " EN "}, "xx")):
        fake = SimpleNamespace(session_state={}, query_params=_Query(query), context=SimpleNamespace(locale=locale))
        monkeypatch.setattr(lang, "st", fake)
        assert lang.choose() == i18n.DEFAULT and lang.pop_notes() == [], (query, locale)


def test_a_bad_lang_on_a_page_is_reported_once_and_leaves_the_link():
    at = open_page("views/explorer.py", {"lang": "<script>alert(1)</script>", "fn": "relu"})
    note = warnings_text(at)
    assert "**lang**" in note and "used English" in note and "<script" not in outside_code(note)
    assert url(at) == {"fn": "relu"} and at.title[0].value == "Explorer"
    at.selectbox[0].select("tanh").run()
    assert url(at) == {"fn": "tanh"}


def test_the_language_stays_in_every_link(monkeypatch):
    """A non-English language is kept in the address, the gallery's links and the page links (the pseudo-locale
    stands in until a second catalog exists)."""
    monkeypatch.setenv("ACTIVATION_LAB_PSEUDO", "1")
    at = open_page("views/home.py", {"lang": i18n.PSEUDO})
    assert url(at) == {"lang": "qps"} and at.title[0].value == "⟦Activation Lab⟧"
    assert 'explorer?fn=sigmoid&lang=qps"' in gallery_links(at)  # the first family's tab
    shown = {p.query_string for _, tab in every_family(at) for p in page_links(tab)}
    assert shown == {f"fn={k}&lang=qps" for k in activations.REGISTRY}
    at.switch_page("views/explorer.py")
    at.run()
    assert url(at) == {"lang": "qps"}
    i18n.activate(i18n.PSEUDO)  # AppTest formats widget values in the test's thread: the same language there
    try:
        at.slider(key="explorer:elu.alpha").set_value(2.0).run()
    finally:
        i18n.activate(i18n.DEFAULT)
    assert url(at) == {"alpha": "2.0", "lang": "qps"} and not at.exception
