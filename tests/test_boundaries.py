"""The folders are the architecture: each layer imports only what it may (DESIGN.md, "Layout")."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("streamlit", "plotly", "torch")


def loaded_after(*modules: str) -> set[str]:
    """Which of streamlit, plotly, torch a fresh interpreter holds after importing `modules`."""
    code = ("import sys, json; " + "; ".join(f"import {m}" for m in modules)
            + f"; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def modules(package: str) -> list[str]:
    return [package, *sorted(f"{package}.{p.stem}" for p in (ROOT / package).glob("*.py") if p.stem != "__init__")]


# One fresh interpreter per layer, importing every module of it: what the layer as a whole pulls in.
def test_the_core_loads_no_streamlit_plotly_or_torch():
    assert loaded_after(*modules("activations"), *modules("i18n")) == set()


def test_labs_load_no_streamlit_plotly_or_torch():
    # torch on first use: a page that only reads a lab's declarations (or its theory) does not wait for it
    assert loaded_after(*modules("labs")) == set()


def test_charts_load_no_streamlit_or_torch():
    assert loaded_after(*modules("charts")) & {"streamlit", "torch"} == set()


def test_the_check_sees_a_heavy_import():
    assert "plotly" in loaded_after("activations", "charts.base")


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import statement in a file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            out.append((base, [a.name for a in node.names]))
    return out


@pytest.mark.parametrize("view", sorted((ROOT / "views").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_view_imports_torch(view):
    for module, _ in _imports(view):
        assert not module.split(".")[0] == "torch", f"{view.name} imports {module}"


def test_no_private_names_cross_modules():
    """A module's _private names are its own: no other module of the app imports them."""
    offenders = []
    for folder in ("activations", "labs", "charts", "ui", "views", "views/sections", "i18n"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for module, names in _imports(path):
                offenders += [f"{path.relative_to(ROOT)}: from {module} import {n}" for n in names
                              if n.startswith("_") and not n.startswith("__") and n not in ("_", "_f")]
    assert offenders == []
