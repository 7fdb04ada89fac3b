"""The layers point one way (docs/architecture.md): every import of every module is checked.

A module's imports are read from its source (import statements anywhere in it, including
inside functions), so a lazy import cannot slip past. The one allowed exception is written
here with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What each layer must never import (first component of the imported module's name).
NEVER: dict[str, set[str]] = {
    "domain": {"streamlit", "sqlalchemy", "pandas", "plotly", "data_access", "importing",
               "exports", "charts", "ui", "views", "pages", "cli", "bench", "demo"},
    "importing": {"streamlit", "sqlalchemy", "data_access", "ui", "views", "pages", "cli"},
    "exports": {"streamlit", "sqlalchemy", "data_access", "ui", "views", "pages", "cli"},
    "charts": {"streamlit", "sqlalchemy", "data_access", "importing", "ui", "views", "pages",
               "cli"},
    "data_access": {"streamlit", "ui", "views", "pages", "cli"},
    "cli": {"streamlit", "ui", "views", "pages"},
    "ui": {"views", "pages", "cli"},
    "views": {"pages", "cli"},
    "pages": {"sqlalchemy", "cli"},
}  # fmt: skip

# `python -m data_access.X` keeps working for the commands users already type: each such
# module imports its command line from cli/ inside `if __name__ == "__main__":` only.
ENTRY_POINT_EXCEPTION = ("data_access", "cli")


def _modules(layer: str) -> list[Path]:
    folder = ROOT / layer
    return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def _imports(tree: ast.AST, skip_main_block: bool) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if skip_main_block and _is_main_block(node):
            for inner in ast.walk(node):
                inner._in_main = True  # type: ignore[attr-defined]
    for node in ast.walk(tree):
        if getattr(node, "_in_main", False):
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _is_main_block(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
    )


@pytest.mark.parametrize("layer", sorted(NEVER))
def test_no_layer_imports_what_it_must_not(layer: str) -> None:
    modules = _modules(layer)
    assert modules, f"{layer}/ has no modules: the table above is out of date"
    found = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip_main = (layer, "cli") == ENTRY_POINT_EXCEPTION
        for name in sorted(_imports(tree, skip_main) & NEVER[layer]):
            found.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not found, "\n".join(found)


def test_the_checker_sees_an_import_inside_a_function() -> None:
    tree = ast.parse("def f():\n    import streamlit as st\n")
    assert "streamlit" in _imports(tree, skip_main_block=False)


def test_only_the_main_block_may_reach_the_command_line() -> None:
    tree = ast.parse("from cli import x\nif __name__ == '__main__':\n    from cli.y import main\n")
    assert _imports(tree, skip_main_block=True) == {"cli"}
    inside_only = ast.parse("if __name__ == '__main__':\n    from cli.y import main\n")
    assert _imports(inside_only, skip_main_block=True) == set()
