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
