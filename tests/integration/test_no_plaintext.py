"""REQUIREMENTS §4 / DESIGN rule 5: no plaintext copy of a read anywhere on disk.

Builds the demo the two ways a user does (`alpr-desktop demo --store` and the `--demo` store in
the data directory), opens it the way the app does, then scans every file under the data
directory, the store folder and the temp directory for every plate string of the demo data,
as ASCII and as UTF-16 (either byte order), in upper and lower case.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from alpr_desktop import cli
from alpr_desktop.demo.plan import plan_reads
from alpr_desktop.security import keys, passwords
from alpr_desktop.services.demo_store import DEMO_PASSPHRASE, ensure_demo_store
from alpr_desktop.services.stores import recover_store
from alpr_desktop.storage.reads import ImageRepo, ReadRepo

READS = 400
SEED = 3
# Runs of plate characters in each encoding; a plate can only hide inside such a run.
_RUNS = (
    re.compile(rb"[A-Za-z0-9]{5,}"),
    re.compile(rb"(?:[A-Za-z0-9]\x00){5,}"),
    re.compile(rb"(?:\x00[A-Za-z0-9]){5,}"),
)


def plate_strings(reads: int, seed: int) -> set[str]:
    out: set[str] = set()
    for r in plan_reads(reads, seed):
        out |= {r.plate, r.true_plate, *(p for p, _ in r.candidates)}
    return out


def find_plates(files: Iterable[Path], plates: set[str]) -> list[tuple[Path, str]]:
    hits = []
    for f in files:
        data = f.read_bytes()
        for rx in _RUNS:
            for m in rx.finditer(data):
                text = m.group().replace(b"\x00", b"").decode("ascii").upper()
                hits += [(f, p) for p in plates if p in text]
    return hits


def all_files(*roots: Path) -> list[Path]:
    return sorted({p for r in roots for p in r.rglob("*") if p.is_file()})


@pytest.fixture
def scan_dirs(tmp_path: Path, app_home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**14))
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))  # also seen by the render worker processes
    monkeypatch.setattr(tempfile, "tempdir", None)
    stores = tmp_path / "stores"
    return app_home, stores, tmp


def test_scanner_finds_planted_plates(tmp_path: Path) -> None:
    f = tmp_path / "leak.bin"
    for encoded in (b"xx7ABC123yy", "7abc123".encode("utf-16-le"),
                    "\ufeff7ABC123".encode("utf-16-be")):
        f.write_bytes(b"\x01\x02" + encoded + b"\x03")
        assert find_plates([f], {"7ABC123"}) == [(f, "7ABC123")]
    f.write_bytes(b"7ABC12 3")
    assert find_plates([f], {"7ABC123"}) == []


def test_no_plate_of_the_demo_in_any_file(scan_dirs, capsys: pytest.CaptureFixture[str]) -> None:
    home, stores, tmp = scan_dirs
    store_path = stores / "demo.alprdb"
    assert cli.main(["demo", "--store", str(store_path), "--reads", str(READS),
                     "--seed", str(SEED)]) == 0
    printed = capsys.readouterr()
    default = ensure_demo_store(reads=READS, seed=SEED)
    for path in (store_path, default):  # open and read it as the app does
        store = recover_store(path, DEMO_PASSPHRASE)
        try:
            assert ReadRepo(store).count() == READS
            assert ImageRepo(store).count() == 2 * READS
            plates = {ReadRepo(store).get(i).plate for i in range(1, READS + 1)}
        finally:
            store.close()

    demo_plates = plate_strings(READS, SEED)
    assert plates <= demo_plates and len(demo_plates) > READS // 3
    files = all_files(home, stores, tmp)
    names = {f.name for f in files}
    assert {"demo.alprdb", "demo.alprdb.key"} <= names
    assert sum(f.stat().st_size for f in files) > READS * 20_000  # the images are in there
    assert find_plates(files, demo_plates) == []
    assert not [f for f in files for p in demo_plates if p in f.name.upper()]
    for stream in (printed.out, printed.err):
        assert not [p for p in demo_plates if p in stream.upper()]
