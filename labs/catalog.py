"""Which declared controls each page binds to its URL: the fuzzer, the tooltip test and the link test read it.

Each page names its lab modules in labs.pages; every lab module declares `SCHEMAS` (section name ->
labs.controls.Schema) beside its config; a Choice or Multi with `params` set also binds the parameters of the
activations it picks.
"""
from __future__ import annotations

import importlib
from types import SimpleNamespace

from . import pages
from .controls import Choice, Control, Multi, Schema, params_controls

# page (its URL path) -> the lab modules whose SCHEMAS it draws, in page order (declared in labs.pages)
PAGES: dict[str, tuple[str, ...]] = {p.key: p.labs for p in pages.PAGES}


def schemas(page: str) -> list[Schema]:
    """The page's schemas, in order ("module:section" names one section of a module's SCHEMAS)."""
    out = []
    for ref in PAGES[page]:
        module, _, section = ref.partition(":")
        found = importlib.import_module(module).SCHEMAS
        out += [found[section]] if section else list(found.values())
    return out


def activation_params(control: Control, key: str) -> tuple[Control, ...]:
    """The parameter controls an activation picker binds for activation `key` (none if it picks none)."""
    import activations

    if not isinstance(control, Choice | Multi) or control.params is None:
        return ()
    if key == activations.OWN:  # the learner's formula: a, b and c, whichever it uses
        from .own import DECLARED_PARAMS

        return params_controls(SimpleNamespace(params=DECLARED_PARAMS), control.params.format(key=key))
    return params_controls(activations.get(key), control.params.format(key=key))



def controls(page: str) -> list[Control]:
    """Every control of the page, the activation parameters of every activation its pickers can pick included."""
    out: list[Control] = []
    for schema in schemas(page):
        for c in schema:
            out.append(c)
            for key in c.options if isinstance(c, Choice | Multi) and c.params is not None else ():
                out += [p for p in activation_params(c, key) if p.url not in {o.url for o in out}]
    return out
