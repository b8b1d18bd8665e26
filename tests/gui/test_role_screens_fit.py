"""Issue 12, window sizes and keyboard for the custodian's, contractor's and administrator's
screens: at 1024 x 700, and at 200 % scaling, no screen asks for more than 1024 pixels of
width and every control a keyboard reaches has an accessible name. The screens are built by
scripts/role_screenshots.py (which also makes docs/screenshots) in a child process, so the
scale factor applies from the start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ("custodian_audit_view", "audit_report_dialog", "contractor_home",
           "import_wizard_files", "import_wizard_mapping", "admin_accounts",
           "admin_reset_password", "admin_security_settings")


@pytest.mark.parametrize("scale", ["1", "2"])
def test_screens_fit_1024_and_name_their_controls(tmp_path: Path, scale: str) -> None:
    report = tmp_path / "facts.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale,
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "role_screenshots.py"),
                           "--report", str(report)], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    facts = json.loads(report.read_text())
    assert set(SCREENS) <= set(facts)
    for name in SCREENS:
        f = facts[name]
        assert f["too_wide"] == [], (name, f["too_wide"])
        assert f["min_width"] <= 1024, (name, f["min_width"])
        assert f["unnamed"] == [], (name, f["unnamed"])
    for window in ("custodian_audit_view", "contractor_home", "admin_accounts",
                   "admin_security_settings"):
        assert facts[window]["width"] == 1024, window  # the window kept the size it was given
