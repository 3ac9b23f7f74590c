"""The core's modules import each other in one direction (issue 22): activations/ has no import loop, and each
import of one of its own modules stands at the top of a file, where a loop cannot hide. Read with `ast`, not run."""
import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "activations"


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module and package of activations/ (a package is its __init__.py)."""
    out = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


MODULES = _modules()


def _imports(path: Path) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement of a file, and whether it runs only when a function is called (deferred)."""
    def visit(node: ast.AST, deferred: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, deferred
            yield from visit(child, deferred or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))
    yield from visit(ast.parse(path.read_text(encoding="utf-8")), False)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The modules of activations/ an import statement loads (`from . import x` loads the module x if there is one,
    else the package)."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names} & MODULES.keys()
    if node.level:
        here = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
        base = ".".join(here[:len(here) - node.level + 1] + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    return {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names} & MODULES.keys()


def graph() -> dict[str, set[str]]:
    """Module -> the modules of activations/ it imports when it is imported (deferred imports left out)."""
    return {m: set().union(*(_targets(m, node) for node, deferred in _imports(path) if not deferred)) - {m}
            for m, path in MODULES.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle as a path [a, b, ..., a], or [] if the graph has none."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = "done"
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_core_has_no_import_loop():
    assert find_cycle(graph()) == []


def test_the_core_imports_its_own_modules_at_the_top():
    """An import inside a function is how a loop hides (torch and SymPy stay lazy there: they are not ours)."""
    deferred = [f"{MODULES[m].relative_to(ROOT)}:{node.lineno} imports {', '.join(sorted(_targets(m, node)))}"
                for m, path in MODULES.items() for node, late in _imports(path) if late and _targets(m, node)]
    assert deferred == []


def test_the_check_reads_relative_imports_and_sees_a_loop():
    edges = graph()
    assert {"activations.registry", "activations.formula"} <= edges["activations.lookup"]
    assert "activations.formula.limits" in edges["activations.formula.syntax"]
    assert "activations.spec" in edges["activations.formula.examples"]  # from ..spec
    assert "activations.validate" in edges["activations.spec"]  # from . import validate
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
