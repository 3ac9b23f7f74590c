"""Links that work today keep working: the README's example links and a sample of every page's links, each
opening the same view.

Each link is parsed from the declarations alone (no Streamlit) and must give exactly the values written here,
without a note; a handful are also opened as pages, whose widgets must show those values, with no warning, and
whose address bar must keep what the link said.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from pagekit import open_page, parse_link, widget_values

from labs import catalog

ROOT = Path(__file__).resolve().parent.parent

# (page, the link's query, URL key -> the value it must give); a key not listed keeps its default
README_LINKS = [
    ("explorer", "fn=leaky_relu&negative_slope=0.2&x=-3.0,3.0",
     {"fn": "leaky_relu", "negative_slope": 0.2, "x": (-3.0, 3.0), "eps": 0.01, "autograd": False}),
    ("explorer", "fn=sigmoid&eps=0.05&autograd=1", {"fn": "sigmoid", "eps": 0.05, "autograd": True, "x": (-6.0, 6.0)}),
    ("compare", "fns=sigmoid,tanh,relu&show=df", {"fns": ["sigmoid", "tanh", "relu"], "show": "df", "x": (-5.0, 5.0)}),
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
OPENED = [0, 1, 2, 6, 7, 12, 14, 15]
assert [LINKS[i][0] for i in OPENED] == ["explorer", "explorer", "compare", "compare", "gradient_flow",
                                         "self_normalizing", "why_nonlinear", "vector"]


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
    values, notes = parse_link(page, query(link))
    assert not notes, [str(n) for n in notes]
    for key, want in expected.items():
        assert key in values, f"{page} no longer reads ?{key}="
        assert same(values[key], want), (key, values[key], want)
    assert set(query(link)) <= set(values), set(query(link)) - set(values)


def test_no_page_reads_one_key_for_two_controls():
    for page in catalog.PAGES:
        urls = [c.url for s in catalog.schemas(page) for c in s]
        assert len(urls) == len(set(urls)), (page, sorted(u for u in urls if urls.count(u) > 1))


def widget_value(values: dict, page: str, key: str):
    """The value of the widget bound to URL key `key`: its widget key is "page:key", or "page:<scope>key" when
    the page scopes it (the Explorer by function, "explorer:elu.alpha"; the Maxout pieces by preset)."""
    if f"{page}:{key}" in values:
        return values[f"{page}:{key}"]
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
