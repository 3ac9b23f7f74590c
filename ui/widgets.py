"""Small formatting helpers for widgets: how an activation is named in a picker."""
from __future__ import annotations

import activations
from activations import OWN, is_own
from i18n import N_, _, _f

YOUR_OWN = N_("Your own")


def picker_label(key: str) -> str:
    if key == OWN:
        from . import own

        return f"{_(YOUR_OWN)}  ›  {own.name()}"
    spec = activations.get(key)
    return f"{_(spec.family)}  ›  {spec.name}"


def activation_name(key: str) -> str:
    """A picker's option or a lab's key, named: "own" and a formula's key as "Your own: <formula>"."""
    if key == OWN:
        from . import own

        return _f("Your own: {formula}", formula=own.name())
    if is_own(key):
        return _f("Your own: {formula}", formula=activations.get(key).name)
    return activations.get(key).name
