"""Activation Lab's core: every activation with its derivative, regions and properties. No Streamlit here."""
from .lookup import get, known
from .registry import FAMILIES, OWN, REGISTRY, families, is_own, keys_grouped, own_key
from .spec import ActivationSpec, Param

__all__ = ["FAMILIES", "OWN", "REGISTRY", "ActivationSpec", "Param", "families", "get", "is_own", "keys_grouped",
           "known", "own_key"]
