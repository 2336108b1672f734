"""The architecture holds: layers and independence (import-linter's contracts in pyproject.toml),
no private names taken across modules, readable file sizes, and every package saying what it
owns. docs/architecture.md describes what these checks keep true."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DESKTOP = ROOT / "desktop"
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(DESKTOP.rglob("*.py"))


def _lint_imports() -> str:
    found = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(found).exists():
        pytest.fail("lint-imports is missing: install the test extras (pip install -e '.[test]')")
    return found


def test_import_contracts_are_kept():
    """`lint-imports` exits 0: the core is Qt-free and layered, views are independent, and no
    package has an import circle (the contracts are listed in pyproject.toml)."""
    out = subprocess.run([_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout
    assert "Contracts: 7 kept" in out.stdout  # no contract was dropped on the way


def test_the_linter_catches_a_circle(tmp_path):
    """The same check fails on a copy of the code with one circle added (so the test above
    could fail): meta importing aggregate, which imports meta."""
    copy = tmp_path / "repo"
    shutil.copytree(DESKTOP, copy / "desktop", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    meta = copy / "desktop" / "core" / "stats" / "meta.py"
    meta.write_text(meta.read_text() + "\nfrom desktop.core.stats import aggregate  # noqa\n")
    env = {"PYTHONPATH": str(copy), "PATH": str(Path(sys.executable).parent)}
    out = subprocess.run([_lint_imports(), "--no-cache"], cwd=copy, capture_output=True,
                         text=True, env=env)
    assert out.returncode != 0
    assert "No import circles anywhere in desktop BROKEN" in out.stdout


def test_no_module_imports_a_private_name_from_another():
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and (
                    node.module.startswith("desktop")):
                private = [a.name for a in node.names
                           if a.name.startswith("_") and not a.name.startswith("__")]
                if private or any(part.startswith("_") and not part.startswith("__")
                                  for part in node.module.split(".")):
                    offenders.append(f"{path.relative_to(ROOT)}: {node.module} {private}")
    assert offenders == []


def test_modules_stay_readable():
    long = {str(p.relative_to(ROOT)): n for p in _modules()
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_every_package_says_what_it_owns():
    packages = [p.parent for p in DESKTOP.rglob("__init__.py")]
    assert len(packages) >= 12  # desktop, core and its eight parts, gui, views, dialogs, cli
    missing = [str(p.relative_to(ROOT)) for p in packages
               if len((ast.get_docstring(ast.parse((p / "__init__.py").read_text())) or "")
                      .split()) < 25]
    assert missing == []
