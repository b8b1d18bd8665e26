"""CSV the program writes (reject reports, any later export) cannot start a formula.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (and a leading tab or carriage return can hide one); a plate, camera name, reason or
file name taken from a vendor export could be ``=HYPERLINK(...)`` or ``@SUM(...)``. Every text
cell that starts with one of those characters is written with a leading apostrophe, the
convention spreadsheets show as "text, not a formula" (OWASP "CSV injection"). The change is
reversible: text that already starts with apostrophes before such a character gets one more,
and ``restore`` takes exactly one off. Python numbers are written as
they are: a number cannot hold a formula.

Every file goes through ``core.owner_only``: owner-only, complete or absent.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from alpr_desktop.core.owner_only import private_file

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def neutralize(value: object) -> object:
    """The cell as it is safe to write: numbers unchanged, None as empty, text that would start
    a formula prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return GUARD + text if _guarded_shape(text) else text


def _guarded_shape(text: str) -> bool:
    """Apostrophes (none or more), then a formula start: the shapes that get one more
    apostrophe, so that text which already looked guarded still reads back as itself."""
    return text.lstrip(GUARD).startswith(FORMULA_STARTS)


def restore(cell: str) -> str:
    """Undo ``neutralize`` on a cell read back from a file this module wrote."""
    if cell.startswith(GUARD) and _guarded_shape(cell):
        return cell[1:]
    return cell


def write_csv(path: Path | str, header: Sequence[str],
              rows: Iterable[Sequence[object]]) -> Path:
    """Write ``header`` and ``rows`` as an owner-only UTF-8 CSV with every cell neutralized."""
    with private_file(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([neutralize(c) for c in header])
        for row in rows:
            w.writerow([neutralize(c) for c in row])
    return Path(path)
