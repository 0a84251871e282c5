"""The layers of the code, checked by reading its imports (ast, no import of the code itself):
ingest -> answer -> core -> surfaces, each layer talking only to its neighbour, and no cycles.

A function-level import of a project module is allowed only where it is listed in
LAZY_PROJECT_IMPORTS with the reason (start-up time); anywhere else it would hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "ingest", "bench")
SURFACES = ("assistant.cli", "assistant.web")
# What a surface may import from the project: the library's front door and its data types.
SURFACE_MAY_IMPORT = (
    "assistant.core",
    "assistant.filters",
    "assistant.compare",
    "assistant.evaluation",
    "assistant.types",
    "assistant.settings",
)
# (importing module, imported module): why it is allowed.
ALLOWED_EDGES = {
    ("assistant.cli.serve", "assistant.web"): "the serve command is how the web surface is started",
    ("assistant.cli.bench", "bench"): "the bench command runs the benchmark package",
}
LAZY_PROJECT_IMPORTS = {
    ("assistant.cli.serve", "assistant.web"): "gradio takes seconds to import; only `serve` needs it",
}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    return {module_name(p, root): p for package in PACKAGES for p in (root / package).rglob("*.py")}


def imports(module: str, path: Path) -> list[tuple[str, bool]]:
    """(imported project module, imported inside a function) for every import in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, nested) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):  # the project writes absolute imports only
                found.extend((f"{child.module}.{alias.name}", nested) for alias in child.names)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                continue  # imports for annotations only: no runtime edge
            visit(child, nested)

    visit(tree, False)
    return [(name, nested) for name, nested in found if name.split(".")[0] in PACKAGES]


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def owner(name: str, modules: dict[str, Path]) -> str:
    """The project module that `name` (a module or a name imported from one) lives in."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def import_graph(root: Path = ROOT) -> dict[str, list[tuple[str, bool]]]:
    """Project module -> (project module it imports, whether inside a function)."""
    modules = project_modules(root)
    return {
        m: [(owner(name, modules), nested) for name, nested in imports(m, p) if owner(name, modules)]
        for m, p in modules.items()
    }


def find_cycles(graph: dict[str, list[tuple[str, bool]]]) -> list[list[str]]:
    edges = {m: {t for t, _ in e if t != m} for m, e in graph.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            walk(node)
    return cycles


def lazy_project_imports(graph: dict[str, list[tuple[str, bool]]]) -> list[tuple[str, str]]:
    return [
        (m, t)
        for m, edges in graph.items()
        for t, nested in edges
        if nested and not any(_in(m, a) and _in(t, b) for a, b in LAZY_PROJECT_IMPORTS)
    ]


def outside(
    graph: dict[str, list[tuple[str, bool]]], package: str, may_import: tuple[str, ...]
) -> list[tuple[str, str]]:
    """Imports from modules of `package` of project modules outside `may_import`."""
    return [
        (m, t)
        for m, edges in graph.items()
        if _in(m, package)
        for t, _ in edges
        if not any(_in(t, ok) for ok in may_import)
    ]


@pytest.fixture(scope="module")
def graph() -> dict[str, list[tuple[str, bool]]]:
    return import_graph()


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_ingest_never_imports_the_app(graph):
    assert outside(graph, "ingest", ("ingest",)) == []


def test_answering_knows_no_surface_nor_the_core_above_it(graph):
    below = ("assistant.answer", "assistant.types", "assistant.settings", "ingest")
    assert outside(graph, "assistant.answer", below) == []


def test_surfaces_import_only_the_front_door_and_never_each_other(graph):
    wrong = []
    for surface in SURFACES:
        for m, t in outside(graph, surface, (surface, *SURFACE_MAY_IMPORT)):
            if not any(_in(m, a) and _in(t, b) for a, b in ALLOWED_EDGES):
                wrong.append((m, t))
    assert wrong == []


def test_no_function_level_import_of_project_code_except_the_listed_lazy_ones(graph):
    assert lazy_project_imports(graph) == []


def test_there_are_no_import_cycles(graph):
    assert find_cycles(graph) == []


def test_the_checks_find_a_cycle_a_layer_breach_and_a_hidden_import(tmp_path):
    """The rules can fail: a small tree where ingest imports the app inside a function and
    the two modules import each other."""
    for name, text in {
        "ingest/__init__.py": "",
        "ingest/a.py": "from assistant.b import x\n",
        "assistant/__init__.py": "",
        "assistant/b.py": "def f():\n    from ingest.a import y\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    small = import_graph(tmp_path)
    assert outside(small, "ingest", ("ingest",)) == [("ingest.a", "assistant.b")]
    assert lazy_project_imports(small) == [("assistant.b", "ingest.a")]
    assert find_cycles(small) == [["assistant.b", "ingest.a", "assistant.b"]]
