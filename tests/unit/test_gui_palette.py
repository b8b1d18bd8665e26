"""Colours come from gui/palette.py (issue 11): no other module of gui/ writes a colour as a
literal (hex in a style sheet, QColor(r, g, b), a named colour in a style)."""

from __future__ import annotations

import re
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "alpr_desktop" / "gui"
LITERAL = re.compile(
    r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b(?![\w-])|QColor\(\s*\d|QColor\(\s*\"|"
    r"color:\s*(white|black|red|green|blue|orange|gray|grey)\b")


def test_no_colour_literals_outside_the_palette() -> None:
    offenders = []
    for path in sorted(GUI.rglob("*.py")):
        if path.name == "palette.py" or "forms" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("  #", 1)[0]
            if LITERAL.search(code):
                offenders.append(f"{path.relative_to(GUI)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_check_sees_a_literal() -> None:
    assert LITERAL.search('label.setStyleSheet("color: #b00020;")')
    assert LITERAL.search("QColor(40, 40, 40)")
    assert not LITERAL.search("QColor(palette.ERROR_TEXT)")
