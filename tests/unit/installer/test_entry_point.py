"""The entry point of `python -m alpr_desktop` and of the bundle (alpr_desktop/__main__.py).

A spawned helper process (log verification, import reader, demo renderers) imports the parent's
main module under the name ``__mp_main__``; the program must not start again in it. (The
bundle's own case, a child started as the executable with --multiprocessing-fork, is handled by
freeze_support() and proved by installer/smoke_test.sh.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_module_imported_by_a_spawned_child_does_not_run_the_program() -> None:
    code = ("import runpy, sys; sys.argv = ['alpr-desktop', '--version']; "
            "runpy.run_module('alpr_desktop.__main__', run_name='__mp_main__'); "
            "print('child went on')")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "child went on"  # no "alpr-desktop 0.1.0": main never ran


def test_run_as_main_it_is_the_program() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "alpr_desktop", "--version"],
                          capture_output=True, text=True, timeout=120, env=env, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith("alpr-desktop ")
