"""Issue 16 (risk): a mapping without a time zone read naive times as UTC before the site's
zone became the rule. Importing such a file again now must not store its reads a second time,
shifted by the site's offset: the import finds them in the store as the old rule keyed them,
refuses the file with what to do, and stores nothing; with the zone named UTC, as it was read
then, the re-import says '0 added, N already in the store'."""

from __future__ import annotations

from pathlib import Path

import pytest

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.runner import ImportJob, ImportOptions, config_key, images_beside
from alpr_desktop.services.import_summary import summary_lines
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import ReadRepo

COLUMNS = {"plate": "plate", "datetime": "time", "camera": "camera"}
NO_ZONE = Mapping(name="contractor", columns=COLUMNS, datetime_format="MM/DD/YYYY HH:mm:SS")
AS_UTC = Mapping(name="contractor", columns=COLUMNS, datetime_format="MM/DD/YYYY HH:mm:SS",
                 timezone="UTC")


def _file(path: Path, n: int = 40, offset: str = "") -> Path:
    rows = [f"7ZN{i:04d},07/0{1 + i % 5}/2025 1{i % 10}:{i % 60:02d}:00{offset},Avalon NB"
            for i in range(n)]
    path.write_text("plate,time,camera\n" + "\n".join(rows) + "\n")
    return path


def _old_rule_import(store: Store, clock: FixedClock, path: Path) -> None:
    """The file as the old rule imported it: naive times read as UTC, and the batch record
    kept under the mapping's fingerprint of then (another than today's, as a mapping saved
    before the later format changes has)."""
    summary = ImportJob(store, clock, ImportOptions(mapping=AS_UTC)).run([path])
    assert summary.added == 40
    old_config = "0" * 32
    assert old_config != config_key("delimited", ImportOptions(mapping=NO_ZONE),
                                    images_beside(path))
    with store.transaction() as c:
        c.execute("UPDATE import_files SET config = ?, started_ms = 1 WHERE name = ?",
                  (old_config, path.name))


@pytest.mark.usefixtures("reader_path")
def test_a_file_imported_under_the_old_rule_is_refused_not_duplicated(
        store: Store, clock: FixedClock, tmp_path: Path) -> None:
    path = _file(tmp_path / "export.csv")
    _old_rule_import(store, clock, path)
    summary = ImportJob(store, clock, ImportOptions(mapping=NO_ZONE)).run([path])
    assert summary.added == 0 and ReadRepo(store).count() == 40
    [f] = summary.files
    assert "imported before" in f.refused and "as UTC" in f.refused
    assert "choose the time zone UTC" in f.refused and "nothing was imported" in f.refused
    assert any("REFUSED" in line for line in summary_lines(summary))
    # named as it was read then, the file is found in the store
    again = ImportJob(store, clock, ImportOptions(mapping=AS_UTC)).run([path])
    assert again.added == 0 and again.in_store == 40 and ReadRepo(store).count() == 40
    assert any("0 added, 40 already in the store" in line for line in summary_lines(again))


def test_a_new_file_and_times_with_an_offset_are_not_held_back(
        store: Store, clock: FixedClock, tmp_path: Path) -> None:
    fresh = ImportJob(store, clock, ImportOptions(mapping=NO_ZONE)).run(
        [_file(tmp_path / "new.csv")])
    assert fresh.added == 40 and not fresh.files[0].refused
    offset = Mapping(name="o", columns=COLUMNS, datetime_format="iso8601")
    path = tmp_path / "iso.csv"
    path.write_text("plate,time,camera\n7ISO001,2025-07-01T10:00:00Z,Main SB\n")
    as_utc = Mapping(name="u", columns=COLUMNS, datetime_format="iso8601", timezone="UTC")
    assert ImportJob(store, clock, ImportOptions(mapping=as_utc)).run([path]).added == 1
    again = ImportJob(store, clock, ImportOptions(mapping=offset)).run([path])
    assert again.added == 0 and not again.files[0].refused and again.in_store == 1
