"""What the page tests share: app.py opened on one page as a learner's link would open it (AppTest), and what a
link means on a page according to the declarations alone (no Streamlit run)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
WIDGET_KINDS = ("slider", "select_slider", "selectbox", "radio", "multiselect", "number_input", "toggle", "text_input")


def open_page(page: str, query: dict | None = None, timeout: float = 120) -> AppTest:
    """Run app.py on `page` ("views/explorer.py") with `query` as the link's parameters; no exception allowed.
    timeout is AppTest's per-run limit (importing torch alone can take seconds on a loaded machine)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget_values(at: AppTest) -> dict[str, Any]:
    """Every keyed widget's value, by its widget key ("gradient_flow:depth", "explorer:elu.alpha")."""
    return {w.key: w.value for kind in WIDGET_KINDS for w in getattr(at, kind) if w.key}


def picked(control, value) -> list[str]:
    """The activations an activation picker (a Choice or Multi with `params`) has picked: [] for other controls."""
    if getattr(control, "params", None) is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def parse_link(page: str, query: dict[str, str]) -> tuple[dict[str, Any], list]:
    """What a link means on `page` from the declarations alone (labs.catalog): URL key -> value for every control
    of the page (its default when the link does not name it) and for every parameter of the activations its
    pickers picked (before the activation's own constraints, e.g. RReLU's lower <= upper), and the notes."""
    from labs import catalog
    from labs import own as own_lab
    from labs.controls import Schema

    values: dict[str, Any] = {}
    notes: list = []
    schemas = catalog.schemas(page)
    if own_lab.SCHEMA not in schemas:  # the own formula's keys are the app's: every page reads them (ui.own.bind)
        schemas = [*schemas, Schema(own_lab.FORMULA, *own_lab.RANGES.values())]
    for schema in schemas:
        parsed, more = schema.parse_query(query)
        notes += more
        for c in schema:
            values[c.url] = parsed[c.name]
            for key in picked(c, parsed[c.name]):
                for p in catalog.activation_params(c, key):
                    v, note = p.parse(query[p.url]) if p.url in query else (p.default, None)
                    values[p.url] = v
                    notes += [note] if note else []
    return values, notes
