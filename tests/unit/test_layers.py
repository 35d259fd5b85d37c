"""Layering rules: core never imports streamlit; pages stay thin views."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit_or_ui():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py")
                 if _imports(p) & {"streamlit", "ui", "pages"}]
    assert offenders == []


def test_pages_are_thin_and_do_not_touch_the_database_or_autogluon():
    for page in (ROOT / "pages").glob("*.py"):
        lines = page.read_text(encoding="utf-8").splitlines()
        assert len(lines) <= 160, f"{page.name} has {len(lines)} lines"
        assert not _imports(page) & {"sqlalchemy", "autogluon", "shap", "sklearn"}, page.name


def test_core_modules_stay_small():
    big = [(str(p.relative_to(ROOT)), n) for p in (ROOT / "core").rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450]
    assert big == []


def _module_graph() -> dict[str, set[str]]:
    """Every module of core/ and ui/ → the modules of core/ and ui/ it imports (lazy imports included)."""
    modules = {}
    for path in [*(ROOT / "core").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                          for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return sorted(out)


def _packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    def pkg(name: str) -> str:
        return ".".join(name.split(".")[:2])

    out: dict[str, set[str]] = {}
    for name, targets in graph.items():
        out.setdefault(pkg(name), set()).update(pkg(t) for t in targets if pkg(t) != pkg(name))
    return out


# The background workers import the code they run and are imported back to be started (issue 15's
# job system removes these); the test fails once one is gone, so the entry is removed.
KNOWN_CYCLES = [["core.predict.scoring", "core.predict.worker"], ["core.train.fitting", "core.train.worker"]]


def test_no_import_cycles_between_packages_or_modules():
    graph = _module_graph()
    assert _cycles(_packages(graph)) == []
    assert _cycles(graph) == KNOWN_CYCLES
