"""The audit report's CSV appendix: the read ids that log entries name (an image view, a set
of thumbnails, a disclosure), one row per read, written beside the PDF.

The PDF's rows say how many reads an entry touched; a reviewer who must follow one entry to
its reads uses this file. It holds entry numbers, times, users and read ids, never plate data
beyond what the log already holds. The file is created owner-only (core.owner_only) and
appears under its final name only when complete; the service logs its writing with the
report's entry.
Cells that a spreadsheet would run as a formula are written as text (core.safe_csv); the
lead may route this through the project's shared CSV helper.
"""

from __future__ import annotations

import csv
from pathlib import Path

from alpr_desktop.core.owner_only import PrivateFile
from alpr_desktop.core.safe_csv import neutralize

HEADER = ("entry", "date and time (local)", "event", "username", "organization", "read id")


def appendix_path(pdf: Path) -> Path:
    """``access-log-audit_2026-01.pdf`` → ``access-log-audit_2026-01-read-ids.csv``."""
    return pdf.with_name(f"{pdf.stem}-read-ids.csv")


class AppendixWriter:
    """Rows go to a new owner-only file (core.owner_only) that ``finish`` puts in place and
    ``discard`` removes. Use as a context manager: an exception discards."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._file = PrivateFile(path, "w", newline="", encoding="utf-8")
        assert self._file.fh is not None
        self._csv = csv.writer(self._file.fh)
        self._csv.writerow(HEADER)

    def add(self, seq: int, local_time: str, event: str, username: str, organization: str,
            read_ids: list[int]) -> None:
        for rid in read_ids:
            self._csv.writerow((seq, local_time, neutralize(event), neutralize(username),
                                neutralize(organization), rid))
        self.rows += len(read_ids)

    def finish(self) -> Path:
        return self._file.commit()

    def discard(self) -> None:
        self._file.discard()

    def __enter__(self) -> AppendixWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is not None:
            self.discard()
