"""A store as an earlier version made it (16 KiB pages, HMAC-SHA512) holding a bit of
everything the conversion must carry: reads with candidates, plates and their trigram index
(with deletions in it), images in segment files and inline, a correction, purged reads
(so sqlite_sequence runs ahead of the highest id), and a hash-chained access log. Shared by
the storage, service and command tests of the format conversion."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.corrections import CorrectionInput
from alpr_desktop.core.models import Camera, ImageBlob, NewRead
from alpr_desktop.core.patterns import parse
from alpr_desktop.core.roles import Role
from alpr_desktop.core.search import Filters, SortColumn
from alpr_desktop.security import passwords
from alpr_desktop.storage import Store, create_store, db
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.db import EARLIER_FORMATS
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo

OLD = EARLIER_FORMATS[0]
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z
# (pattern, mode) searches whose answers must not change: exact, wildcard, substring, fuzzy.
SEARCHES = (("7ABC123", "exact"), ("7AB*", "wildcard"), ("7?BC12?", "wildcard"),
            ("BC12", "substring"), ("XYZ9", "substring"), ("7A8C123", "fuzzy"),
            ("8XYZ99", "fuzzy"))


def create_old(path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch) -> Store:
    """An empty store made in the earlier format (what an earlier version created)."""
    with monkeypatch.context() as m:
        m.setattr(db, "STORE_FORMAT", OLD)
        store = create_store(path, key)
    assert store.cipher_format == OLD
    return store


def fill(store: Store, *, officer_id: int | None = None) -> list[int]:
    """Put the data described above into ``store``; returns the ids of the reads kept."""
    if officer_id is None:
        officer = AccountRepo(store).add(
            Account(None, "old.officer", "Olive Officer", "LASD Carson Station",
                    badge_number="12", sworn=True, roles=frozenset({Role.ANALYST})),
            passwords.hash_password("Old-Officer-Pass-4Z"), T0 * 1000)
        officer_id = officer.id or 0
    cam = CameraRepo(store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
    plates = ["7ABC123", "7ABC128", "7ABD123", "8XYZ999", "8XYZ990", "6GHJ321"]
    plates += [f"{i % 9 + 1}QRS{i:03d}" for i in range(120)]
    new = [NewRead(p, T0 - 3600 * i, cam, state="CA", make="Honda", speed=31.5,
                   confidence=0.9,
                   candidates=((p.replace("8", "B"), 0.4),) if p.startswith("8") else ())
           for i, p in enumerate(plates * 3)]
    ids = ReadRepo(store).insert_many(new)
    blobs = []
    for rid in ids[:12]:
        for kind in ("crop", "overview"):
            data = hashlib.sha256(f"{kind}-{rid}".encode()).digest() * 40
            blobs.append(ImageBlob(rid, kind, "jpeg", data, hashlib.sha256(data).hexdigest()))
    ImageRepo(store).put_many(blobs[:12])  # segment files beside the store
    with store.transaction() as c:  # inline, as before segment files (migration 0023)
        c.executemany(
            "INSERT INTO images(read_id, kind, format, data, sha256, size) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(b.read_id, b.kind, b.format, b.data, b.sha256, len(b.data)) for b in blobs[12:]])
    store.corrections.add(CorrectionInput(ids[1], "The crop shows an 8, not a 3.", "crop",
                                          plate="7ABC128"), "0" * 64, officer_id, T0 * 1000)
    gone = ids[-7:]  # the newest ids: sqlite_sequence now runs ahead of max(id)
    with store.transaction():
        store.retention.delete_reads(gone)
    # The program sets neither, but a conversion must carry the header's values whatever
    # they are.
    store.execute("PRAGMA user_version = 7")
    store.execute("PRAGMA application_id = 1095520338")
    log = AccessLogRepo(store)
    for i in range(6):
        log.append(LogEvent(f"test.event{i}", Outcome.OK, "old.officer",
                            organization="LASD Carson Station", query={"plate": "7ABC123"},
                            detail={"n": i}), T0 * 1000 + i)
    return [i for i in ids if i not in gone]


def dump(store: Store) -> dict[str, object]:
    """Everything a conversion must keep: the schema, the header values, and every row of
    every table (the FTS5 shadow tables and sqlite_sequence among them)."""
    out: dict[str, object] = {
        "schema": store.query("SELECT type, name, tbl_name, sql FROM sqlite_master "
                              "ORDER BY type, name"),
        "user_version": store.query("PRAGMA user_version"),
        "application_id": store.query("PRAGMA application_id"),
    }
    for (name,) in store.query("SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND rootpage > 0 ORDER BY name"):
        out[name] = sorted(repr(r) for r in store.query(f'SELECT * FROM "{name}"'))
    return out


def searches(store: Store) -> dict[tuple[str, str], tuple[int | None, list[str]]]:
    """The answers of SEARCHES through the store's plate search (trigram index, plates
    table, OCR keys, candidates)."""
    out = {}
    for text, mode in SEARCHES:
        found = store.search.find(parse(text, mode), Filters(), None, None, after=None,
                                  size=500, column=SortColumn.BEST, descending=False)
        out[(text, mode)] = (found.total, [repr(r) for r in found.rows])
    return out


def store_files(path: Path) -> dict[str, bytes]:
    """The bytes of every file beside the store whose name starts with the store's."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir())
            if p.name.startswith(path.name) and p.is_file()}
