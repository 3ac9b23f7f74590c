"""Parameter widgets built from a spec's Params: one place decides how a Param looks on any page."""
from __future__ import annotations

from activations import ActivationSpec

from .urlstate import PageState


def param_label(p) -> str:
    return f"{p.name} (${p.symbol}$)" if p.symbol else p.name


def param_widgets(state: PageState, spec: ActivationSpec, prefix: str = "", where=None) -> dict:
    """One widget per parameter, URL-bound as `{prefix}{name}`; returns the checked parameter dict."""
    import streamlit as st

    where = where or st
    scope = "" if prefix else f"{spec.key}."  # Compare's prefix already names the function
    raw = {}
    for p in spec.params:
        key = f"{prefix}{p.name}"
        if p.is_choice:
            raw[p.name] = state.radio(param_label(p), key, p.choices, p.default, p.help, where=where,
                                      scope=scope)
        else:
            raw[p.name] = state.slider(param_label(p), key, p.low, p.high, p.default, p.step, p.help,
                                       where=where, scope=scope)
    params, notes = spec.resolve(raw)
    for n in notes:
        state.note(f"{spec.name}: {n}")
    return params
