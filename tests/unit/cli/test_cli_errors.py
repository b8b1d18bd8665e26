"""The command line reports failures in one line with a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alpr_desktop import __version__
from alpr_desktop.cli import build_parser


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alpr_desktop", *args],
        capture_output=True, text=True, timeout=120,
        env={
            "ALPR_DESKTOP_HOME": str(home), "PATH": "/usr/bin:/bin",
            "QT_QPA_PLATFORM": "offscreen",
        },
    )


def test_version(tmp_path: Path) -> None:
    out = _run("--version", home=tmp_path)
    assert out.returncode == 0
    assert __version__ in out.stdout


def test_parser_knows_the_subcommands() -> None:
    args = build_parser().parse_args(["demo", "--store", "x.alprdb", "--reads", "5", "--seed", "3"])
    assert (args.command, args.reads, args.seed) == ("demo", 5, 3)


def test_demo_refuses_to_overwrite_with_one_line(tmp_path: Path) -> None:
    target = tmp_path / "exists.alprdb"
    target.write_bytes(b"something precious")
    out = _run("demo", "--store", str(target), "--reads", "5", "--quiet", home=tmp_path)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == b"something precious"
