"""Activation Lab's core: every activation with its derivative, regions and properties. No Streamlit here."""
from .registry import FAMILIES, REGISTRY, families, get, keys_grouped
from .spec import ActivationSpec, Param

__all__ = ["FAMILIES", "REGISTRY", "ActivationSpec", "Param", "families", "get", "keys_grouped"]
