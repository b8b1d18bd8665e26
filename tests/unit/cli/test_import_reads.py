"""Issue 20: ``alpr-desktop import`` prepares the new reads for broad searches once the import
has committed (services/search_index.py), says so on stderr, and Ctrl+C stops that part
cleanly: the import is kept, and the next run finishes the postings."""

from __future__ import annotations

import csv
import io
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from alpr_desktop.cli import build_parser
from alpr_desktop.cli.import_reads import PREPARING, run_import_command
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import Role
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.security import passwords
from alpr_desktop.services.keyslots import write_account_slot
from alpr_desktop.services.stores import create_new_store
from alpr_desktop.storage import Store
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.read_grams import ReadGrams

PASSWORD = "Pw-for-vendor-123"
MAPPING = Mapping(name="g", columns={"plate": "plate", "datetime": "datetime",
                                     "camera": "camera"})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store with the vendor's account, left open here to look at what the command did."""
    s = create_new_store(tmp_path / "cli.alprdb", "recovery passphrase of the upkeep test")
    vendor = AccountRepo(s).add(
        Account(None, "vendor", "V", "Org", roles=frozenset({Role.CONTRACTOR})),
        passwords.hash_password(PASSWORD), 0)
    write_account_slot(s, vendor, PASSWORD, reason="test")
    yield s
    s.close()


def export(tmp_path: Path, n: int, start: int = 0) -> Path:
    path = tmp_path / f"reads-{start}.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["plate", "datetime", "camera"])
        for i in range(start, start + n):
            w.writerow([f"7A{i:05d}", f"2025-01-{1 + i // 24 % 28:02d}T{i % 24:02d}:00:00Z",
                        "Cam 1"])
    return path


def run(store: Store, tmp_path: Path, data: Path, *extra: str) -> int:
    mapping = tmp_path / "m.json"
    mapping.write_text(MAPPING.to_json())
    args = build_parser().parse_args(
        ["import", str(data), "--store", str(store.path), "--user", "vendor",
         "--password-stdin", "--mapping-file", str(mapping), *extra])
    return run_import_command(args, stdin=io.StringIO(PASSWORD + "\n"))


def test_after_an_import_the_postings_cover_the_new_reads(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert store.read_grams.ready() is None
    assert run(store, tmp_path, export(tmp_path, 30)) == 0
    out = capsys.readouterr()
    assert "30 added" in out.out  # the import's summary, on standard output as before
    assert PREPARING in out.err and f"{PREPARING} done." in out.err
    assert store.read_grams.ready() is not None
    posted = store.scalar("SELECT count(DISTINCT read_id) FROM read_grams")
    assert posted == store.reads.count() == 30

    # the same file again adds nothing and has nothing to say about search
    assert run(store, tmp_path, export(tmp_path, 30)) == 0
    assert PREPARING not in capsys.readouterr().err
    # new reads: posted too, quietly with --quiet
    assert run(store, tmp_path, export(tmp_path, 5, start=30), "--quiet") == 0
    assert PREPARING not in capsys.readouterr().err
    assert store.read_grams.ready() is not None
    assert store.scalar("SELECT count(DISTINCT read_id) FROM read_grams") == 35


def test_the_window_is_counted_once(
    store: Store, tmp_path: Path, pending_counts: list[int],
) -> None:
    """Before the first build, counting what is left walks the window (about a second at
    100M reads): the command counts once, to decide whether to say anything, and the run
    uses that count."""
    assert run(store, tmp_path, export(tmp_path, 20)) == 0
    assert store.read_grams.ready() is not None
    assert len(pending_counts) == 1


def test_ctrl_c_stops_the_preparation_and_keeps_the_import(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    step = ReadGrams.step
    steps = [0]

    def small(self: ReadGrams, now: float | None = None, batch: int = 4) -> int:
        steps[0] += 1
        if steps[0] == 2:  # Ctrl+C while the second step runs
            os.kill(os.getpid(), signal.SIGINT)
        return step(self, now, batch)

    monkeypatch.setattr(ReadGrams, "step", small)
    before = signal.getsignal(signal.SIGINT)

    assert run(store, tmp_path, export(tmp_path, 30)) == 0

    err = capsys.readouterr().err
    assert "Stopped preparing the new reads for search; the import is kept" in err
    assert signal.getsignal(signal.SIGINT) is before  # the terminal's Ctrl+C is back
    assert store.reads.count() == 30 and store.read_grams.ready() is None
    assert store.scalar("SELECT count(DISTINCT read_id) FROM read_grams") == 8  # two steps
    # the next import (of nothing new) finishes the postings
    assert run(store, tmp_path, export(tmp_path, 30)) == 0
    assert f"{PREPARING} done." in capsys.readouterr().err
    assert store.read_grams.ready() is not None
    assert store.scalar("SELECT count(DISTINCT read_id) FROM read_grams") == 30


def test_a_damaged_store_is_one_line_after_the_summary(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from alpr_desktop.storage import StoreCorrupt

    def damaged(*_a: object, **_k: object) -> int:
        raise StoreCorrupt("The store file is damaged and cannot be read.")

    monkeypatch.setattr(ReadGrams, "run", damaged)
    assert run(store, tmp_path, export(tmp_path, 3)) == 1
    out = capsys.readouterr()
    assert "3 added" in out.out
    *_progress, last = out.err.rstrip("\n").split("\n")  # the progress line, then one line
    assert last.startswith("alpr-desktop import: The imported reads are kept")
    assert "damaged" in last and StoreCorrupt.advice in last and "Traceback" not in out.err
