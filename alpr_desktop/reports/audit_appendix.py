"""The audit report's CSV appendix: the read ids that log entries name (an image view, a set
of thumbnails, a disclosure), one row per read, written beside the PDF.

The PDF's rows say how many reads an entry touched; a reviewer who must follow one entry to
its reads uses this file. It holds entry numbers, times, users and read ids, never plate data
beyond what the log already holds. The file is created owner-only (0600) and appears under its
final name only when complete; the service logs its writing with the report's entry.
Cells that a spreadsheet would run as a formula are written as text (core.safe_csv); the
lead may route this through the project's shared CSV helper.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import IO

from alpr_desktop.core.safe_csv import neutralize

HEADER = ("entry", "date and time (local)", "event", "username", "organization", "read id")


def appendix_path(pdf: Path) -> Path:
    """``access-log-audit_2026-01.pdf`` → ``access-log-audit_2026-01-read-ids.csv``."""
    return pdf.with_name(f"{pdf.stem}-read-ids.csv")


def open_owner_only(path: Path) -> IO[str]:
    """A new text file only its owner may read or write (an existing file is replaced)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
    except (AttributeError, OSError):  # Windows: the folder's ACL applies
        pass
    return os.fdopen(fd, "w", newline="", encoding="utf-8")


class AppendixWriter:
    """Rows go to a temporary file beside the target; ``finish`` renames it into place,
    ``discard`` removes it. Use as a context manager: an exception discards."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
        self.rows = 0
        self._fh: IO[str] | None = open_owner_only(self.tmp)
        self._csv = csv.writer(self._fh)
        self._csv.writerow(HEADER)

    def add(self, seq: int, local_time: str, event: str, username: str, organization: str,
            read_ids: list[int]) -> None:
        for rid in read_ids:
            self._csv.writerow((seq, local_time, neutralize(event), neutralize(username),
                                neutralize(organization), rid))
        self.rows += len(read_ids)

    def finish(self) -> Path:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        os.replace(self.tmp, self.path)
        return self.path

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> AppendixWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is not None:
            self.discard()
