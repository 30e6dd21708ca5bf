"""The import graph, read from the code: imports flow downward only (graph -> nodes -> library, rag, validation,
deploy, llm -> core), nothing below imports graph/, the floors of one storey never import each other, and no two
modules import each other, even through a chain or an import inside a function or a TYPE_CHECKING block.

An AST walk, so the rule holds for every import the code can run, not only for those one test run happens to reach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PREFIX = "biopipelines."
# Each top-level folder and the folders it may import. A folder not listed here fails the first test.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "llm": {"core"},
    "library": {"core"},
    "rag": {"core", "llm"},
    "validation": {"core"},
    "deploy": {"core"},
    "nodes": {"core", "llm", "library", "rag", "validation"},
    "graph": {"core", "llm", "library", "rag", "validation", "deploy", "nodes"},
}
SIZE_LIMITS = {"file_lines": 400, "function_lines": 60}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    parts = parts[:-1] if parts[-1] == "__init__" else parts
    return PREFIX + ".".join(parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for top in ALLOWED for p in sorted((REPO / top).rglob("*.py"))}


SOURCES = _sources()


def _imports(path: Path) -> set[str]:
    """Every project module that `path` imports, at any depth of its code."""
    found = set()
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names} & SOURCES.keys()
            # `from pkg import module` is an edge to the module; the package's __init__ re-exports are its own
            found.update(submodules or {base})
    return {name for name in found if name in SOURCES}


IMPORTS = {name: _imports(path) for name, path in SOURCES.items()}


def _top(module: str) -> str:
    return module[len(PREFIX):].split(".")[0]


def test_every_code_folder_has_a_place_in_the_layers():
    folders = {p.parent.name for p in REPO.glob("*/__init__.py")} - {"tests", "bench", "config"}
    assert folders <= set(ALLOWED), f"folders without a layer: {sorted(folders - set(ALLOWED))}"


def test_imports_flow_downward_only():
    upward = sorted(f"{module} imports {target}" for module, targets in IMPORTS.items() for target in targets
                    if _top(target) != _top(module) and _top(target) not in ALLOWED[_top(module)])
    assert upward == []


def find_loops(imports: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components over module imports: any component of two or more is a loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(imports.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return loops


def test_no_import_loops():
    assert find_loops(IMPORTS) == []


def test_the_loop_finder_finds_a_loop_through_a_chain():
    chain = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_loops(chain) == [["a", "b", "c"]]
    assert find_loops({**IMPORTS, "biopipelines.library.planning": IMPORTS["biopipelines.library.planning"]
                       | {"biopipelines.library.catalogue"}}) != []


@pytest.mark.parametrize("path", sorted(SOURCES.values()), ids=lambda p: str(p.relative_to(REPO)))
def test_files_and_functions_stay_small(path):
    text = path.read_text(encoding="utf-8")
    too_long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(ast.parse(text))
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.end_lineno - node.lineno + 1 > SIZE_LIMITS["function_lines"]]
    assert text.count("\n") <= SIZE_LIMITS["file_lines"] and too_long == []


def test_the_walk_sees_a_known_downward_import():
    """The walk is not vacuous: the builder imports the nodes, and the nodes import the floor."""
    assert "biopipelines.nodes.intent" in IMPORTS["biopipelines.graph.builder"]
    assert any(_top(t) == "core" for t in IMPORTS["biopipelines.nodes.intent"])
