"""What each page reads from its address, as the generator and the oracle see it: its declared controls
(labs.catalog), flattened to KeySpecs; nothing restated here."""
from __future__ import annotations

from dataclasses import dataclass

from labs import catalog, pages
from labs.controls import Choice, Multi, Number, Range, Steps, Text, Toggle

PAGES = pages.KEYS  # the app's pages, by URL path


@dataclass(frozen=True)
class KeySpec:
    """One URL key of a page as the generator and the oracle see it: a declared control, flattened."""

    key: str
    kind: str  # float | int | select | choice | choices | range | bool | text (max_count: its length limit)
    low: float = 0.0
    high: float = 1.0
    step: float = 0.0
    options: tuple = ()
    max_count: int = 1
    min_width: float = 0.0
    needs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (key, raw values of which any makes this key read)
    cost: bool = False  # the run time grows with it: its values are kept low (see _cheap)
    weight: float = 1.0  # how often it is drawn, relative to a page's other keys


def keyspec(control, needs=None, weight: float = 1.0) -> KeySpec:
    """The KeySpec of a labs.controls.Control (its own `needs`, or the ones given)."""
    needs = control.needs if needs is None else needs
    common = {"needs": tuple(needs), "cost": control.cost, "weight": weight}
    c = control
    if isinstance(c, Number):
        return KeySpec(c.url, "int" if c.integer else "float", c.low, c.high, c.step, **common)
    if isinstance(c, Steps):
        return KeySpec(c.url, "select", min(c.options), max(c.options), options=tuple(c.options), **common)
    if isinstance(c, Choice):
        return KeySpec(c.url, "choice", options=tuple(c.options), **common)
    if isinstance(c, Multi):
        return KeySpec(c.url, "choices", options=tuple(c.options), max_count=c.max_count, **common)
    if isinstance(c, Range):
        return KeySpec(c.url, "range", c.low, c.high, c.step, min_width=c.min_width, **common)
    if isinstance(c, Toggle):
        return KeySpec(c.url, "bool", **common)
    if isinstance(c, Text):
        return KeySpec(c.url, "text", max_count=c.max_chars, **common)
    raise TypeError(f"no KeySpec for {type(c).__name__}")


def _url_text(control, value: str) -> str:
    """A `needs` value (str() of a widget value, as PageState.shown compares it) as URL text."""
    if isinstance(control, Toggle):
        return "1" if value == "True" else "0"
    return value


def page_specs(page: str) -> list[KeySpec]:
    """Every URL key of `page`: its declared controls, and the parameters of every activation its pickers can
    pick, each read only while its activation is picked (together drawn about as often as 3 other keys)."""
    out: list[KeySpec] = []
    controls = [c for s in catalog.schemas(page) for c in s]
    by_url = {c.url: c for c in controls}
    for c in controls:
        needs = tuple((k, tuple(_url_text(by_url[k], v) if k in by_url else v for v in vals)) for k, vals in c.needs)
        out.append(keyspec(c, needs))
    for c in controls:
        picks = [(key, catalog.activation_params(c, key)) for key in getattr(c, "options", ())]
        n_params = sum(len(ps) for _, ps in picks)
        for key, params in picks:
            picked = (key, f"{key},relu", f"tanh,{key}") if isinstance(c, Multi) else (key,)
            out += [keyspec(p, ((c.url, picked),), 3.0 / n_params) for p in params]
    return out


_SCHEMAS: dict[str, list[KeySpec]] | None = None


def lab_pages() -> tuple[str, ...]:
    """The pages with a `cost` control: they train small torch nets on every new setting."""
    return tuple(p for p in PAGES if any(spec.cost for spec in schemas()[p]))


def schemas() -> dict[str, list[KeySpec]]:
    """Page -> the URL keys its controls are bound to (from labs.catalog)."""
    global _SCHEMAS
    if _SCHEMAS is None:
        _SCHEMAS = {p: page_specs(p) for p in PAGES}
    return _SCHEMAS
