"""The access log's own retention (issue 14, docs/retention.md): entries older than five years
go to a signed, encrypted archive file and the chain restarts from an anchor naming the
segment's last hash. The chain verifies end to end with the archive and from the anchor
without it (and says which); a tampered archive or a forged anchor is found; a killed run
leaves the log whole; no entry is lost or duplicated."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from access_helpers import PASSWORDS, World, log_entries

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.log_archive import LogArchiveError
from alpr_desktop.core.retention import add_months
from alpr_desktop.security.log_archive_crypto import ArchiveReader
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.log_archive import LogArchiveService
from alpr_desktop.storage import Store, open_store
from alpr_desktop.storage.access_log import _COLUMNS, AccessLogRepo

CHILD = Path(__file__).with_name("archive_child.py")
DAY_MS = 86_400_000


def _all_rows(store: Store) -> list[tuple]:
    return store.query(f"SELECT {_COLUMNS} FROM access_log ORDER BY seq")


def _age_the_log(world: World) -> int:
    """Some entries, then five years and a day later some more; the last old seq."""
    for i in range(12):
        log_event(world.store, LogEvent("test.old", Outcome.OK, "someone",
                                        detail={"i": i}), world.clock)
    last_old = AccessLogRepo(world.store).head()[0]
    world.clock.ms = add_months(world.clock.ms // 1000, 60) * 1000 + DAY_MS
    for i in range(3):
        log_event(world.store, LogEvent("test.new", Outcome.OK, "someone",
                                        detail={"i": i}), world.clock)
    return last_old


def _archive(world: World, folder: Path):  # type: ignore[no-untyped-def]
    return LogArchiveService(world.store, world.clock).archive(
        world.ctx("keeper"), PASSWORDS["keeper"], folder)


def test_archive_then_verify_with_and_without_the_file(world: World, tmp_path: Path,
                                                      store_key: bytes) -> None:
    last_old = _age_the_log(world)
    before = _all_rows(world.store)
    done = _archive(world, tmp_path)
    assert done.anchor is not None
    assert (done.anchor.first_seq, done.anchor.last_seq) == (1, last_old)
    path = Path(done.path)
    assert path.name == f"log-archive-{world.store.store_id}-1-{last_old}.alprlog"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert b"test.old" not in path.read_bytes()  # encrypted
    # No entry lost or duplicated: the archive and the store hold each entry exactly once,
    # exactly as it was stored.
    archived = [r for chunk in ArchiveReader(path, store_key).chunks() for r in chunk]
    kept = [r for r in _all_rows(world.store) if r[0] <= before[-1][0]]
    assert [r[0] for r in archived] == list(range(1, last_old + 1))
    assert [tuple(r) for r in archived] + kept == before
    [entry] = log_entries(world.store, "log.archived")
    assert entry.detail["last_seq"] == last_old and entry.username == "keeper"
    # Without the archive: intact from the anchor, and it says so.
    plain = AuditService(world.store, world.clock).verify(world.ctx("keeper"))
    assert plain.intact and plain.archived_to == last_old
    assert f"entries 1–{last_old} archived in {path.name}, not checked" in plain.summary()
    service = LogArchiveService(world.store, world.clock)
    alone = service.verify(world.ctx("keeper"))
    assert alone.intact and not alone.end_to_end
    assert "Intact from the archive anchor" in alone.summary()
    assert path.name in alone.summary() and "not checked" in alone.summary()
    # With it: end to end.
    whole = service.verify(world.ctx("keeper"), [path])
    assert whole.intact and whole.end_to_end
    assert whole.summary().startswith(f"Intact end to end: entries 1–{last_old:,}")
    # Archiving again has nothing to do until more entries are five years old.
    assert _archive(world, tmp_path).anchor is None


def test_a_second_segment_chains_onto_the_first(world: World, tmp_path: Path) -> None:
    _age_the_log(world)
    first = _archive(world, tmp_path).anchor
    world.clock.ms = add_months(world.clock.ms // 1000, 60) * 1000 + DAY_MS
    log_event(world.store, LogEvent("test.later", Outcome.OK, "someone"), world.clock)
    second = _archive(world, tmp_path)
    assert second.anchor is not None and first is not None
    assert second.anchor.first_seq == first.last_seq + 1
    service = LogArchiveService(world.store, world.clock)
    files = sorted(tmp_path.glob("*.alprlog"))
    assert service.verify(world.ctx("keeper"), files).end_to_end
    partial = service.verify(world.ctx("keeper"), files[:1])
    assert partial.intact and not partial.end_to_end


def _tamper(path: Path, where: str) -> None:
    """Change one part of a (version 2) archive file the way an attacker with the file would."""
    lines = path.read_bytes().splitlines(keepends=True)
    head, chunks, trailer = lines[0], lines[1:-1], lines[-1]
    if where == "ciphertext":
        d = json.loads(chunks[1])
        c = d["ciphertext"]
        d["ciphertext"] = c[:40] + ("A" if c[40] != "A" else "B") + c[41:]
        chunks[1] = (json.dumps(d, sort_keys=True) + "\n").encode()
    elif where == "header":
        d = json.loads(head)
        d["header"]["archived_by"] = "somebody else"
        head = (json.dumps(d, sort_keys=True) + "\n").encode()
    elif where == "signature":
        d = json.loads(trailer)
        s = d["signature"]
        d["signature"] = ("A" if s[0] != "A" else "B") + s[1:]
        trailer = (json.dumps(d, sort_keys=True) + "\n").encode()
    elif where == "chunk dropped":
        del chunks[1]
    elif where == "chunks swapped":
        chunks[0], chunks[1] = chunks[1], chunks[0]
    elif where == "chunk repeated":
        chunks.insert(1, chunks[0])
    elif where == "cut short":
        trailer = b""
    path.write_bytes(head + b"".join(chunks) + trailer)


@pytest.mark.parametrize("where", ["ciphertext", "header", "signature", "chunk dropped",
                                   "chunks swapped", "chunk repeated", "cut short"])
def test_a_tampered_archive_is_found(world: World, tmp_path: Path, where: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("alpr_desktop.services.log_archive.CHUNK_ROWS", 4)  # 12 entries: 3
    _age_the_log(world)
    path = Path(_archive(world, tmp_path).path)
    assert len(path.read_bytes().splitlines()) == 1 + 3 + 1
    _tamper(path, where)
    result = LogArchiveService(world.store, world.clock).verify(world.ctx("keeper"), [path])
    assert not result.intact and not result.end_to_end
    assert result.summary().startswith("NOT INTACT") and path.name in result.summary()


def test_an_archive_written_by_version_1_still_verifies(world: World, tmp_path: Path,
                                                        store_key: bytes) -> None:
    """Archives written before the streaming format (main at c667684) are read and verified
    end to end, and a new segment (version 2) chains onto them."""
    from v1_archive import archive_v1

    last_old = _age_the_log(world)
    before = _all_rows(world.store)
    old = archive_v1(world.store, world.clock, world.ctx("keeper"), PASSWORDS["keeper"],
                     tmp_path)
    assert old.read_bytes().startswith(b'{"ciphertext": "')
    reader = ArchiveReader(old, store_key)
    assert reader.version == 1
    assert [r for c in reader.chunks() for r in c] == before[:last_old]
    service = LogArchiveService(world.store, world.clock)
    assert service.verify(world.ctx("keeper"), [old]).end_to_end
    world.clock.ms = add_months(world.clock.ms // 1000, 60) * 1000 + DAY_MS
    log_event(world.store, LogEvent("test.later", Outcome.OK, "someone"), world.clock)
    new = Path(_archive(world, tmp_path).path)
    assert ArchiveReader(new, store_key).version == 2
    assert service.verify(world.ctx("keeper"), [old, new]).end_to_end
    d = json.loads(old.read_text("utf-8"))  # and a tampered version-1 file is still found
    d["header"]["archived_by"] = "somebody else"
    old.write_text(json.dumps(d, sort_keys=True), "utf-8")
    assert not service.verify(world.ctx("keeper"), [old, new]).intact


def test_archiving_streams_in_chunks(world: World, tmp_path: Path, store_key: bytes,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The segment is read from the store and written a chunk at a time: no call sees more
    than CHUNK_ROWS entries, and the whole-segment read is not used."""
    monkeypatch.setattr("alpr_desktop.services.log_archive.CHUNK_ROWS", 5)
    monkeypatch.setattr("alpr_desktop.storage.log_archive.DELETE_CHUNK", 5)  # removal too
    seen: list[int] = []
    real = world.store.log_archive.iter_rows

    def spy(first: int, last: int, size: int):  # type: ignore[no-untyped-def]
        for chunk in real(first, last, size):
            seen.append(len(chunk))
            yield chunk

    def whole(*_a: object) -> list[tuple]:
        raise AssertionError("the whole segment was read at once")

    monkeypatch.setattr(world.store.log_archive, "iter_rows", spy)
    monkeypatch.setattr(world.store.log_archive, "rows", whole)
    last_old = _age_the_log(world)
    path = Path(_archive(world, tmp_path).path)
    assert seen == [5, 5, 2] and sum(seen) == last_old
    sizes = [len(c) for c in ArchiveReader(path, store_key).chunks()]
    assert sizes == [5, 5, 2]
    assert list(tmp_path.glob("*.partial")) == []  # no temp file left beside it
    assert world.store.log_archive.archived_to() == last_old
    assert int(world.store.scalar("SELECT min(seq) FROM access_log")) == last_old + 1
    assert LogArchiveService(world.store, world.clock).verify(world.ctx("keeper"),
                                                              [path]).end_to_end


def test_a_forged_anchor_is_found(world: World, tmp_path: Path) -> None:
    """Someone with the key and SQL adds an anchor to delete old entries unseen: the anchor's
    signature does not hold."""
    _age_the_log(world)
    _archive(world, tmp_path)  # pins the key and makes one genuine anchor
    last = world.store.log_archive.archived_to()
    world.store.execute(
        "INSERT INTO log_anchors(first_seq, last_seq, last_hash, archive_name, archive_sha256, "
        "archived_ms, archived_by, key_id, body, signature) SELECT ?, ?, hash, 'x', 'x', 0, "
        "'x', 1, '{}', 'AAAA' FROM access_log WHERE seq = ?", (last + 1, last + 2, last + 2))
    world.store.execute("DELETE FROM access_log WHERE seq <= ?", (last + 2,))
    result = LogArchiveService(world.store, world.clock).verify(world.ctx("keeper"))
    assert not result.intact and "not validly signed" in result.summary()
    plain = AuditService(world.store, world.clock).verify(world.ctx("keeper"))
    assert not plain.intact and "not validly signed" in plain.reason


def test_the_log_stays_append_only_beyond_the_anchor(world: World, tmp_path: Path) -> None:
    _age_the_log(world)
    _archive(world, tmp_path)
    last = world.store.log_archive.archived_to()
    with pytest.raises(Exception, match="cannot be changed or deleted"):
        world.store.execute("DELETE FROM access_log WHERE seq = ?", (last + 1,))
    assert AccessLogRepo(world.store).protection_problems() == []


def test_only_a_custodian_archives_and_a_wrong_password_archives_nothing(
        world: World, tmp_path: Path) -> None:
    _age_the_log(world)
    service = LogArchiveService(world.store, world.clock)
    with pytest.raises(NotAuthorized):
        service.archive(world.ctx("root"), PASSWORDS["root"], tmp_path)
    with pytest.raises(LogArchiveError, match="password"):
        service.archive(world.ctx("keeper"), "not the password", tmp_path)
    assert world.store.log_archive.archived_to() == 0
    assert list(tmp_path.glob("*.alprlog")) == []


@pytest.mark.parametrize("when", ["commit", "writing"])
def test_a_killed_archive_run_leaves_the_log_whole(world: World, tmp_path: Path,
                                                  store_path: Path, store_key: bytes,
                                                  when: str) -> None:
    """Killed before the commit (file in place, no anchor) or while the file is being
    written (only a temp file, never a half archive under the archive's name): the log is
    whole and a new run archives it, removing the dead run's temp file."""
    last_old = _age_the_log(world)
    world.ctx("keeper")  # the account has signed in before (no first-sign-in steps)
    before = _all_rows(world.store)
    now_ms = world.clock.ms
    world.store.close()
    folder = tmp_path / "archives"
    folder.mkdir()
    env = {**os.environ, "ALPR_TEST_KEY": store_key.hex(),
           "ALPR_TEST_PASSWORD": PASSWORDS["keeper"],
           "PYTHONPATH": os.pathsep.join([str(Path.cwd()), *sys.path])}
    child = subprocess.run([sys.executable, str(CHILD), str(store_path), str(now_ms),
                            str(folder), when], env=env, capture_output=True, text=True,
                           timeout=300)
    assert child.returncode == -9, child.stderr
    assert "killing" in child.stdout and "finished" not in child.stdout
    store = open_store(store_path, store_key)
    try:
        after = _all_rows(store)
        assert after[:len(before)] == before  # every entry still there, unchanged
        assert store.log_archive.archived_to() == 0
        result = AccessLogRepo(store).verify()
        assert result.intact and result.archived_to == 0
        if when == "writing":
            assert list(folder.glob("*.alprlog")) == []  # no half archive under its name
            [partial] = folder.glob("*.partial")
            assert partial.stat().st_mode & 0o777 == 0o600
        else:
            assert len(list(folder.glob("*.alprlog"))) == 1  # complete, named by no anchor
        auth = AuthService(store, world.clock)
        ctx = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
        done = LogArchiveService(store, world.clock).archive(ctx, PASSWORDS["keeper"], folder)
        assert done.anchor is not None and done.anchor.last_seq == last_old
        assert list(folder.glob("*.partial")) == []
        assert LogArchiveService(store, world.clock).verify(ctx, [done.path]).end_to_end
    finally:
        store.close()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_audit_report_says_it_verified_from_the_anchor(world: World, tmp_path: Path) -> None:
    from alpr_desktop.core.audit_filters import AuditFilter

    last_old = _age_the_log(world)
    name = Path(_archive(world, tmp_path).path).name
    out = tmp_path / "audit.pdf"
    res = AuditService(world.store, world.clock).build_report(world.ctx("keeper"), out,
                                                              AuditFilter())
    assert res.verify.intact
    text = " ".join(subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True,
                                   text=True, check=True, timeout=120).stdout.split())
    assert f"from entry #{last_old + 1:,}: the archive anchor" in text
    assert f"entries 1–{last_old:,} archived in {name}" in text.replace("- ", "-")
