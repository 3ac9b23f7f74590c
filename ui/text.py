"""Prose from assets/: page texts and per-activation notes (Markdown files, editable and translatable)."""
from __future__ import annotations

from functools import cache
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"


@cache
def page_text(name: str) -> str:
    """assets/pages/{name}.md, or an empty string if it does not exist."""
    path = ASSETS / "pages" / f"{name}.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@cache
def activation_note(key: str) -> tuple[str, str]:
    """(one-line summary, the rest) of assets/activations/{key}.md."""
    path = ASSETS / "activations" / f"{key}.md"
    if not path.exists():
        return "", ""
    text = path.read_text(encoding="utf-8").strip()
    summary, _, body = text.partition("\n")
    return summary.strip(), body.strip()


@cache
def source_of(key: str) -> str:
    """The NumPy source of f and f' for the "show the code" expander (read once per process)."""
    import inspect

    import activations

    spec = activations.get(key)
    return inspect.getsource(spec.f) + "\n\n" + inspect.getsource(spec.df)


@cache
def picker_label(key: str) -> str:
    import activations

    spec = activations.get(key)
    return f"{spec.family}  ›  {spec.name}"


def preset_help(settings: list[tuple[str, object]], rest: str) -> str:
    """A preset button's tooltip: what it sets (label: value, in the page's own words), then `rest`."""
    return "Sets " + "; ".join(f"{label}: {value}" for label, value in settings) + ". " + rest
