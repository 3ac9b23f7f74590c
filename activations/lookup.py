"""Any activation key to its spec: a registry key, or "own:<formula>" (a learner's formula, built here: the registry
below knows no formulas); and a lab config's activation with its parameters, checked."""
from __future__ import annotations

from functools import lru_cache

from i18n import Note, Raw

from .formula import as_spec, parse
from .registry import REGISTRY, is_own, own_formula
from .spec import ActivationSpec
from .validate import NOT_AN_ACTIVATION, NOT_PAIRS, PARAMS_DROPPED, as_text


def known(key: object) -> bool:
    """A registry key, or the key of a formula that parses."""
    return (isinstance(key, str) and key in REGISTRY) or (is_own(key) and _own(own_formula(key)) is not None)


@lru_cache(maxsize=64)  # the formula's parse is cached too; this keeps the spec object (and its caches) stable
def _own(text: str) -> ActivationSpec | None:
    formula, _ = parse(text)
    return None if formula is None else as_spec(formula)


def get(key: str) -> ActivationSpec:
    """The spec for `key`; an unknown key raises KeyError naming the valid ones."""
    if is_own(key):
        spec = _own(own_formula(key))
        if spec is not None:
            return spec
    try:
        return REGISTRY[key]
    except (KeyError, TypeError):
        raise KeyError(f"unknown activation {key!r}; valid keys: {', '.join(REGISTRY)}") from None


def activation_and_params(name: str, activation: object, params: object, default: str,
                          prefix: str = "") -> tuple[str, dict, list[Note]]:
    """A registry key and its checked parameters (PyTorch names, clamped to the slider ranges), for a lab's
    config: (key, params, notes). `name` is the control's URL key; `prefix` the parameters' URL prefix."""
    notes: list[Note] = []
    act = activation if known(activation) else None
    if act is None:
        notes.append(Note.of(NOT_AN_ACTIVATION, name=name, raw=Raw(as_text(activation)), default=default))
        act = default
    try:
        raw = dict(params) if params else {}
    except (TypeError, ValueError):
        notes.append(Note.of(NOT_PAIRS, name=prefix or name, raw=Raw(as_text(params))))
        raw = {}
    if act != activation and raw:  # the parameters belonged to an activation we are not using
        notes.append(Note.of(PARAMS_DROPPED, raw=Raw(as_text(activation))))
        raw = {}
    resolved, more = get(act).resolve(raw)
    return act, resolved, notes + more
