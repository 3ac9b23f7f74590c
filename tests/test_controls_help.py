"""Every control has a tooltip (issue 6: "every slider keyboard-operable with a help tooltip"), and every preset
button's tooltip says what it sets.

From the declarations (labs.catalog): every control of every page, the parameters of every activation a picker
can pick included, has a label and a help message; every preset of a lab sets only declared controls, to values
they accept, and its tooltip names each of them and what the learner will see. On the pages themselves (in every
state the pseudo-locale test opens, which reveal the conditional controls) every widget drawn carries help text and
the preset buttons' tooltips name what they set: `page_tooltip_problems`, called by test_pseudo_locale.py, whose
page runs serve both checks. Keyboard operation is the browser tests' part: they move sliders with the keys.
"""
from __future__ import annotations

import importlib

import pytest

import i18n
from i18n import _
from labs import catalog
from labs.controls import Preset
from ui.urlstate import preset_help

KINDS = ["slider", "select_slider", "selectbox", "radio", "multiselect", "number_input", "toggle", "checkbox",
         "text_input", "button", "color_picker", "date_input", "text_area"]



def every_control(page: str):
    """The page's controls and the parameter controls of every activation each picker can pick."""
    for schema in catalog.schemas(page):
        for c in schema:
            yield c
            for key in getattr(c, "options", ()) if getattr(c, "params", None) is not None else ():
                yield from catalog.activation_params(c, key)


def lab_presets() -> list[tuple[str, str, Preset, list]]:
    """(module, name, preset, the module's controls: first of each name, as the page's preset row gets them)."""
    out = []
    for module in sorted({ref.partition(":")[0] for refs in catalog.PAGES.values() for ref in refs}):
        mod = importlib.import_module(module)
        controls, seen = [], set()
        for schema in mod.SCHEMAS.values():
            for c in schema:
                if c.name not in seen:
                    seen.add(c.name)
                    controls.append(c)
        out += [(module, name, p, controls) for name, p in getattr(mod, "PRESETS", {}).items()]
    return out


def test_every_declared_control_has_a_label_and_help():
    missing = [(page, c.url) for page in catalog.PAGES for c in every_control(page)
               if not (c.help or "").strip() or not (c.label or "").strip()]
    assert not missing


@pytest.mark.parametrize(("module", "name", "preset", "controls"), lab_presets(),
                         ids=[f"{m.split('.')[-1]}-{n}" for m, n, _, _ in lab_presets()])
def test_a_preset_sets_declared_values_and_its_tooltip_says_which(module, name, preset, controls):
    by_name = {c.name: c for c in controls}
    assert preset.label.strip() and preset.why.strip() and preset.values
    for field, value in preset.values.items():
        assert field in by_name, f"{name} sets {field}, which {module} does not declare"
        assert by_name[field].parse(value) == (value, None), (field, value)
    i18n.activate(i18n.DEFAULT)
    tip = preset_help(preset, controls)
    assert _(preset.why) in tip
    for field in preset.values:
        assert _(by_name[field].label) in tip, (field, tip)


def widgets(at):
    for kind in KINDS:
        for w in getattr(at, kind, []):
            yield kind, w


def page_tooltip_problems(at, page: str, gettext) -> list[str]:
    """On a page run (AppTest) of `page` (a key of catalog.PAGES) in the language whose gettext is given: every widget
    drawn has a tooltip, and each preset of the page's labs has its button, whose tooltip names every control it
    sets and says what the learner will see."""
    found = list(widgets(at))
    out = [f"{kind} {w.label!r} has no tooltip" for kind, w in found if not (getattr(w, "help", "") or "").strip()]
    # Home's and the glossary's one control, the language, is not drawn in the pseudo-locale
    if page not in ("home", "glossary") and len(found) < 3:
        out.append(f"{len(found)} controls found: the page did not draw")
    buttons = {b.key: b for b in at.button if b.key}
    for module, name, preset, controls in lab_presets():
        if module not in {ref.partition(":")[0] for ref in catalog.PAGES[page]}:
            continue
        button = buttons.get(f"preset:{name}")
        if button is None:
            out.append(f"no button for the preset {name}")
            continue
        labels = {c.name: gettext(c.label) for c in controls}
        if not (all(labels[f] in button.help for f in preset.values) and gettext(preset.why) in button.help):
            out.append(f"the preset {name}'s tooltip does not name what it sets: {button.help!r}")
    return out
