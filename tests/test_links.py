"""Links that work today keep working: the README's example links and a sample of every page's links, each
opening the same view.

Each link is parsed from the declarations alone (no Streamlit) and must give exactly the values written here,
without a note; a handful are also opened as pages, whose widgets must show those values, with no warning, and
whose address bar must keep what the link said. And every URL key the pages read before the restructuring
(issue 10) is still read, with the same range or at least the same options.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from pagekit import open_page, parse_link, widget_values

from labs import catalog, pages, realdata

ROOT = Path(__file__).resolve().parent.parent

# (page, the link's query, URL key -> the value it must give); a key not listed keeps its default
README_LINKS = [
    ("explorer", "fn=leaky_relu&negative_slope=0.2&x=-3.0,3.0",
     {"fn": "leaky_relu", "negative_slope": 0.2, "x": (-3.0, 3.0), "eps": 0.01, "autograd": False}),
    ("explorer", "fn=sigmoid&eps=0.05&autograd=1", {"fn": "sigmoid", "eps": 0.05, "autograd": True, "x": (-6.0, 6.0)}),
    ("compare", "fns=sigmoid,tanh,relu&show=df", {"fns": ["sigmoid", "tanh", "relu"], "show": "df", "x": (-5.0, 5.0)}),
    # the Korean section's: lang is the app's (ui.lang), the rest the page's
    ("explorer", "lang=ko&fn=leaky_relu&negative_slope=0.2", {"fn": "leaky_relu", "negative_slope": 0.2}),
    ("gradient_flow", "lang=ko", {"act": "sigmoid", "depth": 20}),
    ("dying_relu", "lang=ko&opt=adam&lr=0.3", {"opt": "adam", "lr": 0.3}),
    ("own", "lang=ko&formula=x*erf(softplus(x))", {"formula": "x*erf(softplus(x))", "autograd": True}),
    ("gradient_flow", "lang=ko&act=own&formula=x*tanh(softplus(x))", {"act": "own", "formula": "x*tanh(softplus(x))"}),
    # the teachers' section: a formula of one's own
    ("own", "formula=x*tanh(exp(x))", {"formula": "x*tanh(exp(x))", "x": (-6.0, 6.0)}),
    ("gradient_flow", "act=own&formula=x*tanh(softplus(x))", {"act": "own", "depth": 20}),
    ("real_data", "lang=ko&depth=10&init=default", {"depth": 10, "init": "default", "seeds": 3}),
    ("real_data", "depth=10&init=default", {"depth": 10, "init": "default", "acts": list(realdata.RULE)}),
]
LINKS = README_LINKS + [
    ("explorer", "fn=elu&alpha=2&x=-10.5,4", {"fn": "elu", "alpha": 2.0, "x": (-10.5, 4.0)}),
    ("explorer", "fn=gelu&approximate=tanh&eps=0.0001", {"fn": "gelu", "approximate": "tanh", "eps": 0.0001}),
    ("explorer", "fn=rrelu&lower=0.1&upper=0.3&autograd=0", {"lower": 0.1, "upper": 0.3, "autograd": False}),
    ("compare", "fns=elu,leaky_relu,gelu&elu.alpha=2&leaky_relu.negative_slope=0.3&gelu.approximate=tanh&x=-2,2&show=f",
     {"fns": ["elu", "leaky_relu", "gelu"], "elu.alpha": 2.0, "leaky_relu.negative_slope": 0.3,
      "gelu.approximate": "tanh", "x": (-2.0, 2.0), "show": "f"}),
    ("gradient_flow", "act=elu&elu.alpha=2&depth=50&width=64&init=normal&sigma=0.05&bias=constant&bias_value=0.5"
                      "&in_mean=1&in_scale=2&batch=128&seed=7",
     {"act": "elu", "elu.alpha": 2.0, "depth": 50, "width": 64, "init": "normal", "sigma": 0.05, "bias": "constant",
      "bias_value": 0.5, "in_mean": 1.0, "in_scale": 2.0, "batch": 128, "seed": 7}),
    ("gradient_flow", "t.act=relu&t.depth=10&t.width=32&t.init=normal&t.sigma=0.1&t.lr=0.1&t.steps=200&t.max_norm=1"
                      "&t.clip=0.1&t.seed=3",
     {"t.act": "relu", "t.depth": 10, "t.width": 32, "t.init": "normal", "t.sigma": 0.1, "t.lr": 0.1, "t.steps": 200,
      "t.max_norm": 1.0, "t.clip": 0.1, "t.seed": 3}),
    ("gradient_flow", "act=selu&init=lecun_normal&bias=zeros&width=512&batch=16",
     {"act": "selu", "init": "lecun_normal", "bias": "zeros", "width": 512, "batch": 16}),
    ("dying_relu", "data=spiral&n=500&noise=0.2&data_seed=4&act=leaky_relu&leaky_relu.negative_slope=0.1&layers=2"
                   "&units=64&opt=adam&lr=0.01&init=kaiming_normal&bias=constant&bias_value=-1.5&steps=300&seed=1"
                   "&fix=elu&learned=rrelu",
     {"data": "spiral", "n": 500, "noise": 0.2, "data_seed": 4, "act": "leaky_relu", "leaky_relu.negative_slope": 0.1,
      "layers": 2, "units": 64, "opt": "adam", "lr": 0.01, "init": "kaiming_normal", "bias": "constant",
      "bias_value": -1.5, "steps": 300, "seed": 1, "fix": "elu", "learned": "rrelu"}),
    ("dying_relu", "act=prelu&prelu.init=0.1&opt=momentum&lr=3&data=xor", {"act": "prelu", "prelu.init": 0.1,
                                                                          "opt": "momentum", "lr": 3.0, "data": "xor"}),
    ("self_normalizing", "acts=selu,relu&init=kaiming_normal&in_mean=0.5&in_scale=2&dropout=alpha_dropout&rate=0.1"
                         "&residual=1&depth=50&width=64&batch=100&seed=5",
     {"acts": ["selu", "relu"], "init": "kaiming_normal", "in_mean": 0.5, "in_scale": 2.0, "dropout": "alpha_dropout",
      "rate": 0.1, "residual": True, "depth": 50, "width": 64, "batch": 100, "seed": 5}),
    ("why_nonlinear", "c.seed=3&x.depth=4&x.act=tanh&x.hidden=16&x.seed=2&r.target=abs&r.k=12&z.lr=1.5&z.seed=2",
     {"c.seed": 3, "x.depth": 4, "x.act": "tanh", "x.hidden": 16, "x.seed": 2, "r.mode": "fit", "r.target": "abs",
      "r.k": 12, "z.lr": 1.5, "z.seed": 2}),
    ("why_nonlinear", "r.mode=hand&r.k1=-0.5&r.w1=2&r.w3=-3", {"r.mode": "hand", "r.k1": -0.5, "r.w1": 2.0,
                                                              "r.w3": -3.0, "r.k2": 0.0}),
    ("vector", "z1=2.5&z5=-1&T=0.5&glu.b=4&m.preset=%7Cx%7C&m.k=3&m.a3=1.5&m.c3=-2",
     {"z1": 2.5, "z5": -1.0, "T": 0.5, "glu.b": 4.0, "m.preset": "|x|", "m.k": 3, "m.a3": 1.5, "m.c3": -2.0}),
]
# Opened as pages too: the README's, and one link of most pages (the slow lab pages' first link only)
OPENED = [0, 1, 2, 3, 8, 15, 16, 21, 23, 24]
assert [LINKS[i][0] for i in OPENED] == ["explorer", "explorer", "compare", "explorer", "own", "compare",
                                         "gradient_flow", "self_normalizing", "why_nonlinear", "vector"]


def query(text: str) -> dict[str, str]:
    return dict(parse_qsl(text, keep_blank_values=True))


def same(a, b) -> bool:
    """Equal values of the same kind (an int step stays an int, a float slider a float)."""
    if isinstance(b, tuple | list):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def test_the_readme_links_are_the_ones_tested():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"`…/(\w+)\?([^`\s]+)`", text)
    assert found, "no example links in README.md"
    assert sorted(found) == sorted((p, q) for p, q, _ in README_LINKS)


@pytest.mark.parametrize(("page", "link", "expected"), LINKS, ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(LINKS)])
def test_a_link_gives_the_same_values(page, link, expected):
    import i18n

    q = query(link)
    assert q.pop("lang", "ko") in i18n.languages()
    values, notes = parse_link(page, q)
    assert not notes, [str(n) for n in notes]
    for key, want in expected.items():
        assert key in values, f"{page} no longer reads ?{key}="
        assert same(values[key], want), (key, values[key], want)
    assert set(q) <= set(values), set(q) - set(values)


def test_every_page_is_declared_once_with_its_view_and_its_prose():
    """labs.pages: app.py's navigation, the own page's links, the fuzzer, the tooltip test and this one read it."""
    import i18n

    views = sorted(str(f.relative_to(ROOT)) for f in (ROOT / "views").glob("*.py"))
    assert sorted(p.view for p in pages.PAGES) == views
    assert len(set(pages.KEYS)) == len(pages.KEYS) and pages.KEYS[0] == pages.HOME
    assert list(catalog.PAGES) == list(pages.KEYS)
    assert pages.get("own").path == "/own" and pages.get(pages.HOME).path == "/"
    for p in pages.PAGES:
        assert p.title.strip() and p.icon.startswith(":material/"), p
        assert all((ROOT / "assets" / code / "pages" / f"{p.key}.md").is_file() for code in i18n.languages()), p.key
        assert "page.start" in (ROOT / p.view).read_text(encoding="utf-8"), p.view
    assert "views/" not in (ROOT / "app.py").read_text(encoding="utf-8")  # no second list of the pages


def test_the_own_page_links_to_every_picker_with_the_formula_picked():
    """The own page's "Train it" links: each names its page's activation picker, which reads the formula there."""
    from labs.controls import Choice, Multi

    linked = [p for p in pages.PAGES if p.own_pick]
    assert [p.key for p in linked] == ["compare", "gradient_flow", "dying_relu", "self_normalizing"]
    for p in linked:
        picker = {c.url: c for s in catalog.schemas(p.key) for c in s}[p.picker]
        assert isinstance(picker, Choice | Multi) and "own" in picker.options, p.key
        value, note = picker.parse(p.own_pick)
        assert note is None and "own" in ([value] if isinstance(value, str) else value), (p.key, value)


def test_no_page_reads_one_key_for_two_controls():
    for page in catalog.PAGES:
        urls = [c.url for s in catalog.schemas(page) for c in s]
        assert len(urls) == len(set(urls)), (page, sorted(u for u in urls if urls.count(u) > 1))


def widget_value(values: dict, page: str, key: str):
    """The value of the widget bound to URL key `key`: its widget key is "page:key", or "page:<scope>key" when
    the page scopes it (the Explorer by function, "explorer:elu.alpha"; the Maxout pieces by preset)."""
    if f"{page}:{key}" in values:
        return values[f"{page}:{key}"]
    if key == "formula":  # the own formula's box is the app's, not the page's (ui.own.TEXT)
        return values["_own:text"]
    own = {f"{page}:{c.url}" for s in catalog.schemas(page) for c in s}
    found = [v for k, v in values.items() if k.startswith(f"{page}:") and k.endswith(f".{key}") and k not in own]
    assert len(found) == 1, (key, sorted(values))
    return found[0]


@pytest.mark.parametrize("index", OPENED, ids=[f"{LINKS[i][0]}-{i}" for i in OPENED])
def test_a_link_opens_the_same_view(index):
    page, link, expected = LINKS[index]
    at = open_page(f"views/{page}.py", {**query(link), **({"lang": "en"} if index == 0 else {})})
    assert not at.warning, [w.value for w in at.warning]
    shown = widget_values(at)
    for key, want in expected.items():
        got = widget_value(shown, page, key)
        assert same(got, want) or (isinstance(want, tuple) and same(tuple(got), want)), (key, got, want)
    # the address bar keeps the view: what the page wrote back reads as the same values
    written = {k: v if isinstance(v, str) else v[-1] for k, v in at.query_params.items()}
    assert parse_link(page, written)[0] == parse_link(page, query(link))[0], written


# Every URL key of every page as of issue 9, with its options (each still accepted) or its range [low, high]
# (still the range): a link written then names the same controls and values now.
INITS = ("default", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform", "lecun_normal", "normal",
         "zeros")
SIGMAS = (0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
SEED = (0, 1_000_000)
TODAY = {
    "explorer": {"fn": None, "x": (-50.0, 50.0), "eps": (1e-4, 1e-3, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2),
                 "autograd": None},
    "compare": {"fns": None, "show": ("f", "df", "both"), "x": (-50.0, 50.0)},
    "gradient_flow": {
        "act": None, "depth": (1, 100), "width": (8, 16, 32, 64, 128, 256, 512), "init": INITS, "sigma": SIGMAS,
        "bias": ("zeros", "default", "constant"), "bias_value": (-5.0, 5.0), "in_mean": (-5.0, 5.0),
        "in_scale": (0.01, 0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0), "batch": (16, 32, 64, 128, 256, 512, 1024),
        "seed": SEED, "t.act": None, "t.depth": (1, 30), "t.width": (8, 16, 32, 64, 128), "t.init": INITS,
        "t.sigma": SIGMAS, "t.lr": (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0), "t.steps": (10, 500),
        "t.max_norm": (0.1, 0.5, 1.0, 2.0, 5.0, 10.0), "t.clip": (0.01, 0.05, 0.1, 0.5, 1.0), "t.seed": SEED},
    "dying_relu": {
        "data": ("moons", "circles", "spiral", "xor", "blobs"), "n": (100, 200, 500, 1000, 2000), "noise": (0.0, 1.0),
        "data_seed": SEED, "act": None, "layers": (1, 4), "units": (4, 8, 16, 32, 64, 128),
        "opt": ("sgd", "momentum", "adam"), "lr": (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0),
        "init": ("default", "kaiming_normal", "xavier_normal"), "bias": ("default", "constant"),
        "bias_value": (-10.0, 10.0), "steps": (10, 1000), "seed": SEED, "fix": None, "learned": ("prelu", "rrelu")},
    "self_normalizing": {
        "acts": ("selu", "relu", "tanh", "elu", "sigmoid"), "init": ("lecun_normal", "kaiming_normal", "xavier_normal"),
        "in_mean": (-3.0, 3.0), "in_scale": (0.1, 5.0), "dropout": ("none", "dropout", "alpha_dropout"),
        "rate": (0.0, 0.5), "residual": None, "depth": (1, 100), "width": (8, 16, 32, 64, 128, 256),
        "batch": (10, 50, 100, 250, 500, 1000), "seed": SEED},
    "why_nonlinear": {
        "c.seed": SEED, "x.depth": (1, 8), "x.act": None, "x.hidden": (2, 32), "x.seed": SEED,
        "r.mode": ("fit", "hand"),
        "r.target": ("sin", "abs", "square", "step"), "r.k": (1, 64),
        **{f"r.{kw}{i}": (-3.0, 3.0) for i in range(1, 4) for kw in "kw"},
        "z.lr": (0.1, 0.3, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.2, 4.0, 6.0, 10.0), "z.seed": SEED},
    "vector": {
        **{f"z{i}": (-10.0, 10.0) for i in range(1, 6)}, "T": (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0),
        "glu.b": (1.0, 10.0), "m.preset": ("ReLU", "|x|", "Leaky ReLU 0.1", "convex bowl"), "m.k": (1, 6),
        **{f"m.a{i}": (-3.0, 3.0) for i in range(1, 7)}, **{f"m.c{i}": (-5.0, 5.0) for i in range(1, 7)}},
}
# the activation pickers, and how they name the picked activation's parameters (fn=elu&alpha=2, act=elu&elu.alpha=2)
PICKERS = {"explorer": ("fn", ""), "compare": ("fns", "{key}."), "gradient_flow": ("act", "{key}."),
           "dying_relu": ("act", "{key}.")}


def test_every_key_of_today_keeps_its_values():
    import activations

    for page, keys in TODAY.items():
        declared = {c.url: c for s in catalog.schemas(page) for c in s}
        for key, was in keys.items():
            assert key in declared, f"{page} no longer reads ?{key}="
            c = declared[key]
            if was is None:
                continue
            if hasattr(c, "low") and len(was) == 2 and not hasattr(c, "options"):
                assert (c.low, c.high) == was, (page, key, (c.low, c.high), was)
            else:
                assert set(was) <= set(c.options), (page, key, set(was) - set(c.options))
    for page, (key, prefix) in PICKERS.items():
        c = {c.url: c for s in catalog.schemas(page) for c in s}[key]
        assert set(activations.REGISTRY) <= set(c.options) and c.params == prefix, (page, key)
        for spec in activations.REGISTRY.values():
            assert {p.url for p in catalog.activation_params(c, spec.key)} == {
                prefix.format(key=spec.key) + p.name for p in spec.params}
