"""Your own activation (issue 12), the pages: its own page (the box, examples, ranges, gaps, autograd check), a
hostile-formula suite through the link and through the box, and every lab run with a formula (AppTest)."""
import json
import re

import numpy as np
import pytest
from pagekit import open_page
from streamlit.testing.v1 import AppTest

import activations
from labs import dying, gradflow, selfnorm

OWN = "views/own.py"
BOX = "_own:text"  # the formula's text box (ui.own.TEXT)

# The list, each given through the link and typed into the box: a clear message, no exception, no hang,
# and the rest of the page still drawn.
HOSTILE = {
    "import": "__import__('os')",
    "class": "().__class__",
    "attribute": "x.__class__",
    "open": "open('/etc/passwd')",
    "lambda": "lambda: 0",
    "comprehension": "[x for x in x]",
    "tower": "9**9**9**9",
    "parentheses": "(" * 10_000 + "x" + ")" * 10_000,
    "100kB": "x+" * 50_000 + "x",
    "nul": "x\x00+1",
    "unicode": "x\u202e+\U0001f9ea",
    "unknown": "foo(x) + bar",
    "empty": "",
}


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "warning", "error", "info", "latex")
                     for e in getattr(at, kind))


def metric(at: AppTest, label_part: str):
    return next(m for m in at.metric if label_part in m.label)


def test_the_page_plots_f_and_its_derivative_with_latex_properties_and_autograd():
    at = open_page(OWN)
    assert dict(at.query_params) == {"formula": "x*sigmoid(a*x)"}
    latex = [e.value for e in at.latex]
    assert "f(x) = " in latex[0] and "\\sigma" in latex[0] and "f'(x) = " in latex[1]
    fig = specs(at)[0]
    names = [t.get("name") for t in fig["data"]]
    assert "f(x)" in names and "f′(x)" in names and "f′ by torch autograd" in names  # the check is on by default
    err = float(re.search(r"autograd f′\| over \d+ points: \*\*([0-9.e+-]+)\*\*", texts(at)).group(1))
    assert err < 1e-12
    assert "Output range" in texts(at) and at.download_button  # properties and the CSV


def test_typing_a_formula_redraws_and_puts_it_in_the_link():
    at = open_page(OWN)
    at.text_input(key=BOX).input("x*tanh(softplus(x))").run()
    assert not at.exception
    assert dict(at.query_params)["formula"] == "x*tanh(softplus(x))"  # as typed
    assert "\\tanh" in at.latex[0].value
    at.text_input(key=BOX).input("x*(").run()  # a typo: the message, and the last formula that worked stays
    assert not at.exception
    assert "never closed" in at.error[0].value and "Column 3" in at.error[0].value
    assert "x*tanh(softplus(x))" in texts(at) and dict(at.query_params)["formula"] == "x*tanh(softplus(x))"
    assert specs(at), "the chart of the last good formula is still drawn"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_formula_in_the_link_is_refused_and_the_page_draws(name):
    at = open_page(OWN, {"formula": HOSTILE[name]})
    warning = "\n".join(w.value for w in at.warning)
    assert "**formula**" in warning, warning[:300]
    assert HOSTILE[name][:50] not in warning.replace("`", "") or len(HOSTILE[name]) < 300  # long text is not echoed
    assert dict(at.query_params)["formula"] == "x*sigmoid(a*x)"  # the default, said so in the notice
    assert specs(at) and len(at.button) >= 9  # chart and examples: nothing else broke


def test_a_hostile_formula_typed_in_the_box_is_refused_and_the_page_draws():
    """Every hostile formula typed in turn into one page, as one learner would: each refused with its reason, the
    last good formula still drawn (one page run for them all)."""
    at = open_page(OWN)
    for name, formula in HOSTILE.items():
        at.text_input(key=BOX).input(formula).run()
        assert not at.exception, name
        assert at.error, f"{name}: the box says what is wrong"
        message = at.error[0].value
        assert ("Column" in message or "characters long" in message or "Type a formula" in message
                or "parts" in message or "nests" in message), (name, message[:200])
        assert "Still using `x*sigmoid(a*x)`" in texts(at), name
        assert specs(at) and dict(at.query_params)["formula"] == "x*sigmoid(a*x)", name


def test_a_formula_that_overflows_or_is_undefined_is_drawn_with_named_gaps():
    at = open_page(OWN, {"formula": "log(x) + exp(exp(x))", "x": "-3.0,8.0"})
    assert not at.warning
    said = texts(at)
    assert "f is undefined for x from -3 to 0" in said
    assert re.search(r"f overflows for x from 6\.5\d* to 8", said), said
    legend = {t.get("name") for t in specs(at)[0]["data"]}
    assert {"undefined: no value", "overflow: beyond the largest float"} <= legend
    assert "Defined everywhere" in said and "no: see the gaps" in said
    at = open_page(OWN, {"formula": "exp(exp(exp(exp(x))))"})  # the tower: accepted, and where it overflows
    assert not at.warning and re.search(r"f overflows for x from 0\.\d+ to 6", texts(at)), texts(at)[:500]


def test_an_example_loads_its_formula_range_and_value_and_says_where_it_comes_from():
    at = open_page(OWN)
    at.button(key="own-example:snake").click().run()
    assert not at.exception
    assert at.text_input(key=BOX).value == "x + sin(a*x)**2/a"
    a = at.slider(key="own:own.a")
    assert (a.min, a.max, a.value) == (0.1, 10.0, 1.0)
    assert "Ziyin" in texts(at)
    assert dict(at.query_params) == {"formula": "x + sin(a*x)**2/a"}  # its own range is not repeated


def test_a_link_sets_a_parameter_range_and_a_value_beyond_it_is_clamped_with_a_notice():
    at = open_page(OWN, {"formula": "x*sigmoid(b*x)", "range.b": "0,3", "b": "2.5"})
    b = at.slider(key="own:own.b")
    assert (b.min, b.max, b.value) == (0.0, 3.0, 2.5) and not at.warning
    assert dict(at.query_params) == {"formula": "x*sigmoid(b*x)", "range.b": "0.0,3.0", "b": "2.5"}
    at = open_page(OWN, {"formula": "x*sigmoid(b*x)", "range.b": "0,3", "b": "50"})
    assert at.slider(key="own:own.b").value == 3.0
    assert "**b** = `50` is outside [0, 3]: clamped to 3." in at.warning[0].value


def test_the_formula_goes_with_the_learner_to_every_picker():
    at = open_page(OWN)
    at.text_input(key=BOX).input("x*tanh(softplus(x))").run()
    at.switch_page("views/gradient_flow.py").run()
    picker = at.selectbox(key="gradient_flow:act")
    assert picker.options[-1] == "Your own: x * tanh(softplus(x))"
    picker.select_index(len(picker.options) - 1).run()
    assert not at.exception
    assert metric(at, "max |f′| of x * tanh(softplus(x))")
    q = dict(at.query_params)
    assert q["act"] == "own" and q["formula"] == "x*tanh(softplus(x))"


# ---- every lab with a formula ----------------------------------------------------------------------------------
LABS = [
    ("views/explorer.py", {"fn": "own", "formula": "x*tanh(softplus(x))"}),
    ("views/compare.py", {"fns": "relu,own", "formula": "sqrt(x)"}),
    ("views/gradient_flow.py", {"act": "own", "formula": "x*tanh(softplus(a*x))", "own.a": "2", "t.act": "own"}),
    ("views/dying_relu.py", {"act": "own", "formula": "where(x > 0, x, 0)", "fix": "own", "steps": "50"}),
    ("views/self_normalizing.py", {"acts": "selu,own", "formula": "log(x)"}),
    ("views/why_nonlinear.py", {"x.act": "own", "formula": "x**2"}),
]


@pytest.mark.parametrize(("page", "query"), LABS, ids=[p.split("/")[-1][:-3] for p, _ in LABS])
def test_every_lab_runs_with_a_formula_and_keeps_it_in_the_link(page, query):
    at = open_page(page, query)
    assert not [w.value for w in at.warning if "**" in w.value], "a valid link was changed"
    assert specs(at)
    q = dict(at.query_params)
    assert q["formula"] == query["formula"]  # as typed
    assert {k: v for k, v in query.items() if k not in ("formula", "own.a")}.items() <= q.items()
    assert float(q.get("own.a", 2)) == 2.0
    if page.endswith(("explorer.py", "gradient_flow.py", "dying_relu.py")):  # a picker with parameters
        assert [b.proto.label for b in at.get("page_link")] == ["Edit your formula"]


def test_a_formula_of_a_builtin_trains_exactly_like_the_builtin():
    """ReLU typed as relu(x): the same network, gradients and dead units as the registry's ReLU (same torch ops)."""
    own = activations.own_key("relu(x)")
    a = gradflow.gradient_flow(gradflow.NetConfig(activation="relu", depth=10, width=32))
    b = gradflow.gradient_flow(gradflow.NetConfig(activation=own, depth=10, width=32))
    np.testing.assert_array_equal(a.weight_grad_norm, b.weight_grad_norm)
    np.testing.assert_array_equal(a.act_std, b.act_std)
    run_a = dying.train(dying.variant(dying.TrainConfig(steps=60), "relu"))
    run_b = dying.train(dying.variant(dying.TrainConfig(steps=60), own))
    assert run_a.final_dead_fraction == run_b.final_dead_fraction and run_a.final_loss == run_b.final_loss
    stats = selfnorm.depth_stats(selfnorm.SNConfig(depth=8, width=64, batch=100), ["relu", own])
    np.testing.assert_array_equal(stats.std["relu"], stats.std[own])


def test_a_formula_undefined_for_half_the_inputs_is_said_so_in_the_labs():
    at = open_page("views/gradient_flow.py", {"act": "own", "formula": "log(x)"})
    assert "your formula is undefined there" in "\n".join(i.value for i in at.info)
    at = open_page("views/self_normalizing.py", {"acts": "own", "formula": "sqrt(x)"})
    assert "the formula is undefined there" in "\n".join(i.value for i in at.info)
