"""The layout's rules, checked: what each package may import, and nothing at import time.

ARCHITECTURE.md states these; a change that breaks one fails here, not in review.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "studyplan"
UI_AND_DATABASE = ("textual", "sqlmodel", "sqlalchemy")


def modules(package: str) -> list[str]:
    """Every module under ``studyplan.<package>``, dotted."""
    root = SRC / package.replace(".", "/")
    return sorted(
        ".".join(("studyplan", *path.relative_to(SRC).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for path in root.rglob("*.py")
    )


def imported_names(module: str) -> set[str]:
    """Every module an ``import`` statement in ``module`` names, at any depth (lazy ones too)."""
    path = SRC.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = SRC.parent / module.replace(".", "/") / "__init__.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def forbidden(names: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)}


@pytest.mark.parametrize("module", modules("core"))
def test_the_core_imports_no_ui_no_database_and_nothing_above_it(module: str) -> None:
    bad = forbidden(
        imported_names(module),
        (
            *UI_AND_DATABASE,
            "sqlite3",
            "studyplan.store",
            "studyplan.ui",
            "studyplan.cli",
            "studyplan.interop",
            "studyplan.service",
            "studyplan.settings",
            "studyplan.paths",
        ),
    )
    assert not bad, f"{module} imports {sorted(bad)}"


@pytest.mark.parametrize("module", modules("interop"))
def test_formats_for_other_tools_import_no_ui(module: str) -> None:
    bad = forbidden(imported_names(module), ("textual", "studyplan.ui", "studyplan.cli"))
    assert not bad, f"{module} imports {sorted(bad)}"


@pytest.mark.parametrize("module", modules("store"))
def test_the_store_imports_no_ui_and_no_command_line(module: str) -> None:
    bad = forbidden(
        imported_names(module), ("textual", "studyplan.ui", "studyplan.cli", "studyplan.service")
    )
    assert not bad, f"{module} imports {sorted(bad)}"


def test_importing_the_core_and_formats_in_a_fresh_interpreter_loads_no_ui_or_database() -> None:
    every = modules("core") + modules("interop")
    code = (
        "import importlib, sys\n"
        f"for name in {every!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in {UI_AND_DATABASE!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_every_module_touches_no_file_and_opens_no_database(tmp_path: Path) -> None:
    every = [m for p in ("core", "store", "interop", "ui", "cli") for m in modules(p)] + [
        "studyplan.service",
        "studyplan.settings",
        "studyplan.paths",
        "studyplan.review",
        "studyplan.planning",
        "studyplan.progress",
        "studyplan.lint",
    ]
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    code = (
        "import importlib, sqlite3\n"
        "opened = []\n"
        "real = sqlite3.connect\n"
        "sqlite3.connect = lambda *a, **k: opened.append(a) or real(*a, **k)\n"
        f"for name in {every!r}: importlib.import_module(name)\n"
        "print(opened)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"
    assert list(home.iterdir()) == [], "importing made files or folders"
