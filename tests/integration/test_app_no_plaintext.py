"""REQUIREMENTS §4 / DESIGN rule 5, the app's part: after a whole investigator's session in the
real program, no file it wrote holds a plate of the demo data in plaintext.

The session runs in a child process (app_session_driver.py beside this file) whose HOME, XDG
directories, TMPDIR and ALPR_DESKTOP_HOME all point into the test's folder, so its QSettings,
caches, temp files and the demo store land there and are flushed when it exits. Then every file
under that folder (settings INI, the store and its -wal/-shm, key file, caches, temp files,
whatever else appeared; plus a copy of the store's files taken mid-session, WAL included), every
file name, and the child's stdout and stderr are scanned for
every plate of the demo (as read, normalized, and the reader's alternates, taken from the store
itself) in ASCII and UTF-16 of either byte order, in any letter case.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from alpr_desktop.demo.plan import plan_reads
from alpr_desktop.services.demo_store import DEMO_PASSPHRASE
from alpr_desktop.services.stores import recover_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.reads import ImageRepo, ReadRepo

READS = 150
SEED = 7
STEP_TIMEOUT_S = 20
DRIVER = Path(__file__).with_name("app_session_driver.py")
REPO = Path(__file__).resolve().parents[2]
# A plate can only hide in a run of plate characters, in one of these encodings.
_RUNS = {
    "ascii": re.compile(rb"[A-Za-z0-9]{4,}"),
    "utf-16-le": re.compile(rb"(?:[A-Za-z0-9]\x00){4,}"),
    "utf-16-be": re.compile(rb"(?:\x00[A-Za-z0-9]){4,}"),
}


def plates_in(data: bytes, plates: set[str]) -> set[tuple[str, str]]:
    """(plate, encoding) for each plate found in ``data``."""
    found = set()
    for encoding, rx in _RUNS.items():
        for m in rx.finditer(data):
            run = m.group().replace(b"\x00", b"").decode("ascii").upper()
            found |= {(p, encoding) for p in plates if p in run}
    return found


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` (relative) with its bytes; None for a directory."""
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*")) if not p.is_symlink()}


def scan(files: dict[str, bytes | None], plates: set[str]) -> list[tuple[str, str, str]]:
    """(path, plate, where) for every plate in a file's bytes or in a path's name."""
    hits = []
    for rel, data in files.items():
        hits += [(rel, p, "name") for p, _ in plates_in(rel.encode(), plates)]
        if data is not None:
            hits += [(rel, p, enc) for p, enc in plates_in(data, plates)]
    return sorted(hits)


def demo_plates(store_file: Path) -> tuple[set[str], set[str]]:
    """Every plate string in the store (as read, normalized, alternates) and the log's events."""
    store = recover_store(store_file, DEMO_PASSPHRASE)
    try:
        repo = ReadRepo(store)
        assert repo.count() == READS and ImageRepo(store).count() == 2 * READS
        plates: set[str] = set()
        for read_id in range(1, READS + 1):
            read = repo.get(read_id)
            assert read is not None
            plates |= {read.plate, read.plate_norm, *(p for p, _ in read.candidates)}
        events = {e.event for e in AccessLogRepo(store).entries(limit=100_000)}
    finally:
        store.close()
    return {p.upper() for p in plates if p}, events


def run_session(root: Path) -> subprocess.CompletedProcess[str]:
    dirs = {name: root / sub for name, sub in (
        ("ALPR_DESKTOP_HOME", "alpr-home"), ("HOME", "home"), ("TMPDIR", "tmp"),
        ("XDG_CONFIG_HOME", "xdg/config"), ("XDG_CACHE_HOME", "xdg/cache"),
        ("XDG_DATA_HOME", "xdg/data"), ("XDG_STATE_HOME", "xdg/state"),
        ("XDG_RUNTIME_DIR", "xdg/runtime"))}
    for d in dirs.values():
        d.mkdir(parents=True, mode=0o700)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "ALPR_", "QT_", "DBUS_")) and k not in
           ("DISPLAY", "WAYLAND_DISPLAY", "PYTHON_KEYRING_BACKEND")}
    env.update({k: str(v) for k, v in dirs.items()})
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        # No keyring at all: the user's is never touched, and the demo opens with its
        # published passphrase, as on a machine without one.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(REPO),
    })
    try:
        return subprocess.run(
            [sys.executable, str(DRIVER), str(READS), str(SEED), str(root / "while-open"),
             str(STEP_TIMEOUT_S)],
            env=env, cwd=root, capture_output=True, text=True, timeout=120, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the session driver hung:\n{exc.stdout}\n{exc.stderr}")


def test_scanner_finds_a_planted_plate(tmp_path: Path) -> None:
    plates = {"7ABC123", "8ZXT073"}
    root = tmp_path / "planted"
    (root / "cache").mkdir(parents=True)
    (root / "clean.bin").write_bytes(os.urandom(4096) + b"7ABC12 3 8ZXT07")
    assert scan(snapshot(root), plates) == []
    for encoded, encoding in ((b"\x01v=7abc123;", "ascii"),
                              ("x7ABC123".encode("utf-16-le"), "utf-16-le"),
                              ("\ufeff7Abc123".encode("utf-16-be"), "utf-16-be")):
        (root / "cache" / "blob").write_bytes(os.urandom(256) + encoded + os.urandom(256))
        hits = scan(snapshot(root), plates)
        assert {(f, p) for f, p, _ in hits} == {("cache/blob", "7ABC123")}
        assert encoding in {e for _, _, e in hits}  # (UTF-16 also matches shifted by a byte)
    (root / "cache" / "blob").unlink()
    (root / "8zxt073").mkdir()
    (root / "8zxt073" / "x.png").write_bytes(b"\x89PNG")
    assert scan(snapshot(root), plates) == [("8zxt073", "8ZXT073", "name"),
                                            ("8zxt073/x.png", "8ZXT073", "name")]


@pytest.mark.integration
@pytest.mark.slow
def test_no_plate_in_any_file_the_app_writes(tmp_path: Path) -> None:
    root = tmp_path / "session"
    proc = run_session(root)
    assert proc.returncode == 0 and "DRIVER DONE" in proc.stdout, (
        f"the session did not complete (exit {proc.returncode}):\n"
        f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
    # Read every file before anything here opens the store (that would touch its -wal/-shm).
    files = snapshot(root)
    store_file = root / "alpr-home" / "demo" / "demo.alprdb"
    assert {"alpr-home/demo/demo.alprdb", "alpr-home/demo/demo.alprdb.key",
            "alpr-home/settings.ini", "while-open/ALPR_DESKTOP_HOME/demo/demo.alprdb",
            "while-open/ALPR_DESKTOP_HOME/demo/demo.alprdb-wal",
            "while-open/ALPR_DESKTOP_HOME/demo/demo.alprdb-shm"} <= set(files), sorted(files)
    assert len(files["while-open/ALPR_DESKTOP_HOME/demo/demo.alprdb-wal"] or b"") > 0
    assert sum(len(d) for d in files.values() if d) > READS * 20_000  # the images are in there

    # The plates to look for: from the store itself, and from the demo's plan.
    plates, events = demo_plates(store_file)
    plates |= {p for r in plan_reads(READS, SEED)
               for p in (r.plate, r.true_plate, *(c for c, _ in r.candidates))}
    assert len(plates) > READS // 10
    # The session really happened: each step left its entry in the access log.
    assert {"purpose.declared", "search", "search.page", "image.view", "disclosure",
            "session.locked", "session.unlocked", "signout"} <= events, sorted(events)

    assert scan(files, plates) == [], "plates in plaintext on disk (path, plate, where)"
    for name, stream in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        found = plates_in(stream.encode("utf-8", "replace"), plates)
        assert not found, f"plates in the program's {name}: {sorted(found)}\n{stream}"
