"""The registry's contract: names, defaults, lookups, and what every entry must bring (generated from the
registry: a new entry is checked here with no new test code). Parameter checking: tests/test_validate.py."""
import re
from pathlib import Path

import numpy as np
import pytest

import activations
from activations import registry
from activations.functions import SELU_ALPHA, SELU_SCALE
from ui.text import activation_note, sections

ROOT = Path(__file__).resolve().parent.parent
SPECS = list(activations.REGISTRY.values())

CATALOGUE = {"identity", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu", "elu",
             "selu", "celu", "gelu", "silu", "swish", "mish", "softplus", "softsign", "hardtanh", "relu6",
             "hardsigmoid", "hardswish", "logsigmoid", "hardshrink", "softshrink", "tanhshrink", "threshold"}


def test_catalogue_is_complete():
    assert CATALOGUE <= set(activations.REGISTRY)


def test_unknown_key_names_the_valid_ones():
    with pytest.raises(KeyError) as e:
        activations.get("relu7")
    assert "leaky_relu" in str(e.value) and "relu7" in str(e.value)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.torch_name.startswith("nn.")], ids=lambda s: s.key)
def test_parameter_names_and_defaults_are_pytorchs(spec):
    """Each slider is named and starts as in the nn class the caption names (where that class has defaults)."""
    import torch.nn as nn

    try:
        module = getattr(nn, spec.torch_name.removeprefix("nn."))()
    except TypeError:  # nn.Threshold has no defaults: PyTorch asks for both values
        assert spec.key == "threshold"
        return
    for p in spec.params:
        if p.name == "init":  # nn.PReLU(init=...) keeps it as its learned weight
            assert module.weight.item() == p.default
        elif p.name in ("alpha", "scale") and spec.key == "selu":  # fixed constants, no attributes
            continue
        else:
            assert getattr(module, p.name) == p.default, (spec.key, p.name)


def test_choices_and_beyond_pytorch_defaults():
    assert activations.get("gelu").param("approximate").choices == ("none", "tanh")
    assert activations.get("swish").defaults == {"beta": 1.0}  # beta = 1 is SiLU


def test_selu_constants_are_torchs():
    import torch

    # selu(1) = scale and selu(-1) = scale * alpha * (e^-1 - 1): both constants come from torch itself
    pos, neg = torch.nn.functional.selu(torch.tensor([1.0, -1.0], dtype=torch.float64)).tolist()
    assert pos == pytest.approx(SELU_SCALE, rel=1e-15)
    assert neg == pytest.approx(SELU_SCALE * SELU_ALPHA * np.expm1(-1.0), rel=1e-15)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_every_param_has_help_and_a_sane_range(spec):
    for p in spec.params:
        assert p.help, (spec.key, p.name)
        if p.is_choice:
            assert p.default in p.choices, (spec.key, p.name)
        else:
            assert p.low < p.high and 0 < p.step <= p.high - p.low, (spec.key, p.name)
            assert p.low <= p.default <= p.high, (spec.key, p.name)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_every_activation_has_its_note(spec):
    """The Explorer shows a one-line summary under the picker and the notes below the chart."""
    assert (ROOT / "assets" / "en" / "activations" / f"{spec.key}.md").exists(), spec.key
    assert {"summary", "notes"} <= set(sections("activations", spec.key)), spec.key
    summary, notes = activation_note(spec.key)
    assert summary.strip() and "\n\n" not in summary.strip(), spec.key  # one paragraph: it is a caption
    assert notes.strip(), spec.key


def mentions(tex: str, symbol: str) -> bool:
    """Whether LaTeX `tex` uses `symbol` as a symbol (not as letters of a command or of \text{...} words)."""
    body = re.sub(r"\\(?:text|mathrm|operatorname|mathcal)\s*\{[^}]*\}", " ", tex)
    before = "" if symbol.startswith("\\") else r"(?<![\\A-Za-z])"
    return re.search(before + re.escape(symbol) + r"(?![A-Za-z])", body) is not None


def test_mentions_sees_symbols_not_letters():
    assert mentions(r"a\,x", "a") and mentions(r"\alpha\,e^{x}", r"\alpha") and mentions(r"\beta x \le t", "t")
    assert not mentions(r"\begin{cases} x \end{cases}", "a")  # the a of "cases" is not a symbol
    assert not mentions(r"\alphabet", r"\alpha") and not mentions(r"\text{train: slope } x", "t")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_every_parameter_symbol_appears_in_its_latex(spec):
    """A slider is labelled `name ($symbol$)`: the learner finds that symbol in the formula of f or f'."""
    numeric = [p for p in spec.params if not p.is_choice]
    symbols = [p.symbol for p in numeric]
    assert all(symbols) and len(set(symbols)) == len(symbols), (spec.key, symbols)  # one symbol per slider
    f_tex, df_tex = spec.tex(spec.defaults)
    assert f_tex != df_tex
    for p in numeric:
        assert mentions(f_tex, p.symbol) or mentions(df_tex, p.symbol), (spec.key, p.name, p.symbol)


def test_gelu_latex_follows_approximate():
    g = activations.get("gelu")
    assert "tanh" in g.tex({"approximate": "tanh"})[0]
    assert r"\Phi" in g.tex({"approximate": "none"})[0]


def test_every_text_of_the_registry_reaches_the_translators():
    """Family names, slider help, PyTorch notes and the constraint notes are N_-marked: Babel extracts them
    from registry.py into the template, so a translator sees each one."""
    from babel.messages.extract import extract_from_file

    found = {msg for _, msg, _, _ in extract_from_file("python", registry.__file__, keywords={"N_": None})}
    shown = {*activations.FAMILIES, registry.RRELU_SWAPPED}
    for spec in SPECS:
        shown |= {p.help for p in spec.params} | ({spec.torch_note} if spec.torch_note else set())
    assert shown - found == set()


def test_the_picker_lists_every_activation_once_family_by_family():
    keys = activations.keys_grouped()
    assert sorted(keys) == sorted(activations.REGISTRY)
    fams = [activations.get(k).family for k in keys]
    runs = [f for i, f in enumerate(fams) if i == 0 or f != fams[i - 1]]
    assert len(runs) == len(set(runs)), runs  # no family is split in two in the picker
