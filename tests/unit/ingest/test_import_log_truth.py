"""Issue 10 §4 "the log tells the truth" for imports: a re-import that adds nothing is logged
with 0 added; an import stopped by a full disk reports and logs exactly what was committed;
a log that cannot be written stops the import rather than letting batches in unlogged."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import_runner import GENERIC, write_csv

from alpr_desktop.core.accounts import AccessContext, Account
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.ingest.runner import ImportOptions
from alpr_desktop.security import passwords
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.imports import ImportService, ImportStopped
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.errors import DiskFull, LogUnavailable
from alpr_desktop.storage.reads import PreparedReads, ReadRepo

pytestmark = pytest.mark.usefixtures("reader_path")
PASSWORD = "Pw-for-vendor-123"


@pytest.fixture
def vendor(store: Store, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> AccessContext:
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    AccountRepo(store).add(Account(None, "vendor", "Vendor", "Acme",
                                   roles=frozenset({Role.CONTRACTOR})),
                           passwords.hash_password(PASSWORD), clock.now_ms())
    auth = AuthService(store, clock)
    return auth.context(auth.sign_in("vendor", PASSWORD))


def _entries(store: Store, after: int = 0) -> list:
    return [e for e in AccessLogRepo(store).entries(after_seq=after, limit=10_000)
            if e.event.startswith("import")]


def _opts(tmp_path: Path, batch: int = 10) -> ImportOptions:
    return ImportOptions(mapping=GENERIC, batch_size=batch, report_path=tmp_path / "r.csv")


def test_a_reimport_that_adds_nothing_is_logged_with_zero_added(
    store: Store, clock: FixedClock, vendor: AccessContext, tmp_path: Path
) -> None:
    p = write_csv(tmp_path / "a.csv", 30, bad_every=10)
    svc = ImportService(store, clock)
    first = svc.run(vendor, [p], _opts(tmp_path))
    assert first.added == 27
    mark = AccessLogRepo(store).head()[0]
    again = svc.run(vendor, [p], _opts(tmp_path))
    assert again.files[0].already_imported and again.added == 0
    assert ReadRepo(store).count() == 27
    events = _entries(store, mark)
    assert [e.event for e in events] == ["import.started", "import"]  # no batch: none stored
    done = events[-1]
    assert done.result_count == 0 and done.detail["added"] == 0
    assert done.detail["files"][0]["added"] == 0


def test_each_stored_batch_is_logged_in_its_own_transaction(
    store: Store, clock: FixedClock, vendor: AccessContext, tmp_path: Path
) -> None:
    p = write_csv(tmp_path / "a.csv", 35, bad_every=7)
    summary = ImportService(store, clock).run(vendor, [p], _opts(tmp_path))
    batches = [e for e in _entries(store) if e.event == "import.batch"]
    assert len(batches) == 4  # 10 + 10 + 10 + 5 records
    assert sum(e.result_count for e in batches) == summary.added == ReadRepo(store).count()
    assert [e.detail["records_done"] for e in batches] == [10, 20, 30, 35]
    assert "7A000001" not in "".join(e.query_json + e.detail_json for e in batches)


def test_an_import_stopped_by_a_full_disk_reports_and_logs_what_was_committed(
    store: Store, clock: FixedClock, vendor: AccessContext, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The third batch finds the disk full: the two before it are stored, said and logged,
    and nothing of the third is, in the store or in the counts."""
    real = ReadRepo.insert_prepared
    calls: list[int] = []

    def insert(self: ReadRepo, batch: PreparedReads) -> object:
        if batch.count:  # the closing batch of a file may be empty
            calls.append(1)
        if len(calls) == 3:
            raise DiskFull("The disk is full; the store could not be written.")
        return real(self, batch)

    monkeypatch.setattr(ReadRepo, "insert_prepared", insert)
    first = write_csv(tmp_path / "first.csv", 10)
    second = write_csv(tmp_path / "second.csv", 50, start=100, bad_every=9)
    with pytest.raises(ImportStopped) as caught:
        ImportService(store, clock).run(vendor, [first, second], _opts(tmp_path))
    stored = ReadRepo(store).count()
    stopped = caught.value
    assert stored == 10 + 9  # all of the first file, the second's first batch (one bad row)
    assert stopped.summary.added == stored
    assert [f.added for f in stopped.summary.files] == [10, 9]
    assert "19 reads were stored before it stopped" in str(stopped)
    assert isinstance(stopped.cause, DiskFull) and "Free disk space" in stopped.advice
    events = _entries(store)
    assert sum(e.result_count for e in events if e.event == "import.batch") == stored
    closing = events[-1]
    assert (closing.event, closing.outcome) == ("import", "failed")
    assert closing.result_count == stored and closing.detail["added"] == stored
    assert [f["added"] for f in closing.detail["files"]] == [10, 9]


def test_a_log_that_cannot_be_written_stops_the_import_before_anything_is_stored(
    store: Store, clock: FixedClock, vendor: AccessContext, tmp_path: Path
) -> None:
    p = write_csv(tmp_path / "a.csv", 30)
    store.execute("CREATE TEMP TRIGGER no_batch_entries BEFORE INSERT ON access_log "
                  "WHEN NEW.event = 'import.batch' BEGIN SELECT RAISE(ABORT, 'log full'); END")
    with pytest.raises(ImportStopped) as caught:
        ImportService(store, clock).run(vendor, [p], _opts(tmp_path))
    assert isinstance(caught.value.cause, LogUnavailable)
    assert ReadRepo(store).count() == 0 and caught.value.summary.added == 0
    assert [e.event for e in _entries(store)] == ["import.started", "import"]


def test_the_command_line_says_what_was_stored_when_the_disk_fills(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Even when the disk is still full at sign-out, the one line printed is the import's:
    how many reads were stored, and what to do."""
    import io
    import os

    from alpr_desktop import cli
    from alpr_desktop.storage import create_store, open_store

    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    key = os.urandom(32)
    path = tmp_path / "cli.alprdb"
    with create_store(path, key) as s:
        AccountRepo(s).add(Account(None, "vendor", "V", "Org",
                                   roles=frozenset({Role.CONTRACTOR})),
                           passwords.hash_password(PASSWORD), 0)

    from alpr_desktop.services import signin
    from alpr_desktop.services.auth import AuthService

    def opened(_path: object, user: str, password: str, *_: object, **__: object):
        """The store signed in as ``user``, with a disk that fills at sign-out."""
        s = open_store(path, key)
        s.execute("CREATE TEMP TRIGGER full BEFORE INSERT ON access_log WHEN NEW.event = "
                  "'signout' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        return signin.SignedIn(s, AuthService(s).sign_in(user, password))

    real = ReadRepo.insert_prepared

    def insert(self: ReadRepo, batch: PreparedReads) -> object:
        if ReadRepo(self.store).count() >= 10:
            raise DiskFull("The disk is full; the store could not be written.")
        return real(self, batch)

    monkeypatch.setattr(ReadRepo, "insert_prepared", insert)
    monkeypatch.setattr(signin, "inspect", lambda _path: None)
    monkeypatch.setattr(signin, "sign_in_or_recover", opened)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    data = write_csv(tmp_path / "a.csv", 30)
    mapping_file = tmp_path / "m.json"
    mapping_file.write_text(GENERIC.to_json())
    code = cli.main(["import", str(data), "--user", "vendor", "--password-stdin", "--quiet",
                     "--mapping-file", str(mapping_file), "--batch-size", "10"])
    err = capsys.readouterr().err
    assert code == 1
    assert "10 reads were stored before it stopped" in err and "Free disk space" in err
    assert "nothing was written" not in err
