"""Small formatting helpers for widgets: how an activation is named in a picker."""
from __future__ import annotations

import activations
from i18n import _


def picker_label(key: str) -> str:
    spec = activations.get(key)
    return f"{_(spec.family)}  ›  {spec.name}"


def activation_name(key: str) -> str:
    return activations.get(key).name
