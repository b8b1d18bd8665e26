"""DESIGN rule 1 and 2: Qt only in gui/ and app.py; SQL only in storage/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "alpr_desktop"

_PROBE = r"""
import importlib, pkgutil, sys
sys.modules["PySide6"] = None  # any 'import PySide6...' now raises ImportError
import alpr_desktop
names = []
for info in pkgutil.walk_packages(alpr_desktop.__path__, "alpr_desktop."):
    if info.name.startswith(("alpr_desktop.gui", "alpr_desktop.app")):
        continue
    if info.name == "alpr_desktop.__main__":
        continue
    importlib.import_module(info.name)
    names.append(info.name)
print("\n".join(names))
"""


def test_non_gui_packages_import_without_pyside6() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    imported = set(out.stdout.split())
    for pkg in ("core", "storage", "security", "services", "imaging", "ingest", "reports", "demo"):
        assert f"alpr_desktop.{pkg}" in imported
    assert "alpr_desktop.cli" in imported
    assert not any(n.startswith("alpr_desktop.gui") for n in imported)


def _py_files(exclude: tuple[str, ...]) -> list[Path]:
    return [
        p for p in PACKAGE.rglob("*.py")
        if not any(part in exclude for part in p.relative_to(PACKAGE).parts)
    ]


def test_pyside6_imported_only_in_gui_and_app() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+PySide6", re.M)
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in _py_files(("gui",))
        if p.name != "app.py" and pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == []


def test_sql_only_in_storage() -> None:
    pattern = re.compile(r"\.execute(many|script)?\(|sqlcipher3|import sqlite3")
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in _py_files(("storage",))
        if pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == []
