"""Run the program's command line in this process, as a terminal would."""

from __future__ import annotations

import io

import pytest

from alpr_desktop.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        stdin: str = "") -> tuple[int, str, str]:
    """(exit code, standard output, standard error) of ``alpr-desktop ARGV``."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err
