"""DESIGN rule 2 for the GUI: gui/ and app.py import neither storage nor security; they call
services/ (and core/ dataclasses). The contract lives in pyproject.toml; on the code before
issue 11 it was broken eleven times (the shell, errors, the session controller, ...)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("contract", ["gui-above-services", "gui-feedback-one-way"])
def test_gui_contract_is_kept(contract: str) -> None:
    """gui-feedback-one-way: gui/errors imported gui/access_feedback and back (a cycle)."""
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed")
    done = subprocess.run([exe, "--contract", contract], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "KEPT" in done.stdout
