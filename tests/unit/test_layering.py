"""DESIGN rules 1 and 2: the layering contracts of pyproject.toml ([tool.importlinter]) hold,
Qt only in gui/ and app.py, SQL only in storage/."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "alpr_desktop"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = {"layers", "core-is-pure", "qt-only-in-gui", "cli-above-services",
             "gui-above-services", "gui-above-producers", "one-embedded-opener"}

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


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the package under ``root`` with that tree's pyproject.toml."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=root, capture_output=True,
        text=True, timeout=300, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_import_contracts_hold() -> None:
    out = _lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_the_contracts_are_all_there() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
    assert {c["id"] for c in config["contracts"]} >= CONTRACTS


def test_a_broken_layer_fails_the_check(tmp_path: Path) -> None:
    """The check can fail: a copy of the package with one offence against each contract."""
    copy = tmp_path / "tree"
    shutil.copytree(PACKAGE, copy / "alpr_desktop", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    offences = {
        "core/clock.py": "from alpr_desktop.services import audit  # offence\n",
        "storage/errors.py": "from alpr_desktop.ingest import records  # offence\n",
        "reports/pdf_text.py": "import PySide6.QtCore  # offence\n",
        "cli/audit.py": "from alpr_desktop.storage import access_log  # offence\n",
        "cli/purge.py": "from alpr_desktop.ingest import records  # offence\n",
        "gui/palette.py": "from alpr_desktop.ingest import records  # offence\n",
        "services/holds.py": "from alpr_desktop.storage.db import Store  # offence\n",
    }
    for rel, line in offences.items():
        target = copy / "alpr_desktop" / rel
        target.write_text(target.read_text("utf-8") + line, "utf-8")
    out = _lint_imports(copy)
    assert out.returncode != 0
    for contract in ("core imports nothing of the package but core",
                     "nothing but gui/ and app.py imports PySide6",
                     "cli imports no storage, security, ingest, imaging but errors it tells",
                     "gui and app import neither storage, ingest nor imaging",
                     "above storage, only services.stores imports storage.db"):
        assert f"{contract} BROKEN" in out.stdout
    assert "alpr_desktop.core.clock -> alpr_desktop.services.audit" in out.stdout
    assert "alpr_desktop.storage.errors -> alpr_desktop.ingest.records" in out.stdout
    assert "alpr_desktop.reports.pdf_text -> PySide6" in out.stdout
    assert "alpr_desktop.cli.audit -> alpr_desktop.storage.access_log" in out.stdout
    assert "alpr_desktop.cli.purge -> alpr_desktop.ingest.records" in out.stdout
    assert "alpr_desktop.gui.palette -> alpr_desktop.ingest.records" in out.stdout
    assert "alpr_desktop.services.holds -> alpr_desktop.storage.db" in out.stdout


def test_non_gui_packages_import_without_pyside6() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    imported = set(out.stdout.split())
    for pkg in ("core", "storage", "security", "services", "imaging", "ingest", "reports", "demo",
                "cli"):
        assert f"alpr_desktop.{pkg}" in imported
    assert not any(n.startswith("alpr_desktop.gui") for n in imported)


def _py_files(exclude: tuple[str, ...]) -> list[Path]:
    return [
        p for p in PACKAGE.rglob("*.py")
        if not any(part in exclude for part in p.relative_to(PACKAGE).parts)
    ]


def test_sql_only_in_storage() -> None:
    """import-linter sees imports, not calls: SQL outside storage/ stays a text search."""
    pattern = re.compile(r"\.execute(many|script)?\(|sqlcipher3|import sqlite3")
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in _py_files(("storage",))
        if pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == []


def test_nothing_above_storage_holds_a_connection() -> None:
    """The unit of work is the seam: no module above storage/ names the concrete store, its
    openers or its connection (import-linter sees ``storage.db``; this sees the package's
    re-export and attribute access, which it cannot)."""
    names = re.compile(
        r"from alpr_desktop\.storage import [^\n]*\b(Store|open_store|create_store)\b"
        r"|\.conn\.|\._conn\b|\bembedded_store\(")
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in _py_files(("storage",))
        if names.search(p.read_text("utf-8"))
    ]
    assert offenders == []
