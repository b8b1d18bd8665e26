"""Sharing requests and the store's evidence-package signing key (migration 0011)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from alpr_desktop.core.agencies_requests import RequestInput, RequestStatus, SharingRequest
from alpr_desktop.storage.db import Store

_COLS = (
    "r.id, r.agency_id, a.name, r.requester_name, r.requester_badge, r.requester_contact, "
    "r.case_number, r.offense, r.purpose, r.asked_for, r.received_by, r.received_ms, "
    "r.recorded_ms, r.status, r.read_ids, r.prepared_by, r.prepared_ms, r.response_note, "
    "r.decided_by, r.decided_ms, r.decision_note, r.disclosed_by, r.disclosed_ms, "
    "r.manifest_sha256"
)
_FROM = "FROM sharing_requests r JOIN agencies a ON a.id = r.agency_id"


def _request(row: tuple) -> SharingRequest:
    v = list(row)
    v[13] = RequestStatus(v[13])
    v[14] = tuple(int(i) for i in json.loads(v[14]))
    return SharingRequest(*v)


@dataclass(frozen=True)
class RequestRelease:
    """One kind of release (package or extract) made for a request."""

    request_id: int
    kind: str
    released_by: str
    released_ms: int
    digest: str


@dataclass(frozen=True)
class StoredSigningKey:
    id: int
    public_key: bytes
    fingerprint: str
    wrapped: str
    created_ms: int


class SharingRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- requests ------------------------------------------------------------------------------
    def add(self, entry: RequestInput, *, requester_name: str, case_number: str, offense: str,
            purpose: str, received_by: str, now_ms: int) -> SharingRequest:
        cur = self.store.execute(
            "INSERT INTO sharing_requests(agency_id, requester_name, requester_badge, "
            "requester_contact, case_number, offense, purpose, asked_for, received_by, "
            "received_ms, recorded_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (int(entry.agency_id), requester_name, " ".join(entry.requester_badge.split()),
             " ".join(entry.requester_contact.split()), case_number, offense, purpose,
             " ".join(entry.asked_for.split()), received_by, int(entry.received_ms), now_ms))
        got = self.get(int(cur.lastrowid))
        assert got is not None
        return got

    def get(self, request_id: int) -> SharingRequest | None:
        row = self.store.query_one(f"SELECT {_COLS} {_FROM} WHERE r.id = ?", (int(request_id),))
        return _request(row) if row else None

    def all(self, statuses: Sequence[RequestStatus] = (), limit: int = 2000
            ) -> list[SharingRequest]:
        where, params = "", [json.dumps([s.value for s in statuses])]
        if statuses:
            where = "WHERE r.status IN (SELECT value FROM json_each(?))"
        rows = self.store.query(
            f"SELECT {_COLS} {_FROM} {where} ORDER BY r.received_ms DESC, r.id DESC LIMIT ?",
            (*(params if statuses else []), limit))
        return [_request(r) for r in rows]

    def request_purposes(self, case_number: str) -> list[tuple[str, str]]:
        """(agency name, purpose text) of every request recorded for ``case_number``."""
        rows = self.store.query(
            f"SELECT a.name, r.purpose {_FROM} WHERE upper(trim(r.case_number)) = ?",
            (case_number.strip().upper(),))
        return [(str(r[0]), str(r[1])) for r in rows]

    def existing_reads(self, read_ids: Sequence[int]) -> list[int]:
        rows = self.store.query(
            "SELECT id FROM reads WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps([int(i) for i in read_ids]),))
        return [int(r[0]) for r in rows]

    def set_prepared(self, request_id: int, read_ids: Sequence[int], by: str, now_ms: int,
                     note: str) -> bool:
        """Record the response; False when the request is no longer open for one."""
        cur = self.store.execute(
            "UPDATE sharing_requests SET status = 'prepared', read_ids = ?, prepared_by = ?, "
            "prepared_ms = ?, response_note = ?, decided_by = '', decided_ms = NULL, "
            "decision_note = '' WHERE id = ? AND status IN ('received', 'prepared', 'refused')",
            (json.dumps(sorted({int(i) for i in read_ids})), by, now_ms, note, request_id))
        return int(cur.rowcount) == 1

    def decide(self, request_id: int, status: RequestStatus, by: str, now_ms: int,
               note: str) -> bool:
        cur = self.store.execute(
            "UPDATE sharing_requests SET status = ?, decided_by = ?, decided_ms = ?, "
            "decision_note = ? WHERE id = ? AND status = 'prepared'",
            (status.value, by, now_ms, note, request_id))
        return int(cur.rowcount) == 1

    def set_disclosed(self, request_id: int, by: str, now_ms: int, manifest_sha256: str) -> bool:
        """Mark the request disclosed; the first release's person, time and digest are kept
        when a second kind of release follows. False unless approved or disclosed."""
        cur = self.store.execute(
            "UPDATE sharing_requests SET status = 'disclosed', "
            "disclosed_by = CASE WHEN status = 'approved' THEN ? ELSE disclosed_by END, "
            "disclosed_ms = CASE WHEN status = 'approved' THEN ? ELSE disclosed_ms END, "
            "manifest_sha256 = CASE WHEN status = 'approved' THEN ? ELSE manifest_sha256 END "
            "WHERE id = ? AND status IN ('approved', 'disclosed')",
            (by, now_ms, manifest_sha256, request_id))
        return int(cur.rowcount) == 1

    # -- releases by kind (migration 0015) -----------------------------------------------------
    def record_release(self, request_id: int, kind: str, by: str, now_ms: int,
                       digest: str) -> bool:
        """One release of ``kind`` for the request; False when one was already recorded (the
        primary key decides, so two writers at once cannot both succeed)."""
        cur = self.store.execute(
            "INSERT OR IGNORE INTO sharing_releases(request_id, kind, released_by, "
            "released_ms, digest) VALUES (?,?,?,?,?)",
            (int(request_id), kind, by, now_ms, digest))
        return int(cur.rowcount) == 1

    def releases(self, request_id: int) -> list[RequestRelease]:
        rows = self.store.query(
            "SELECT request_id, kind, released_by, released_ms, digest FROM sharing_releases "
            "WHERE request_id = ? ORDER BY released_ms, kind", (int(request_id),))
        return [RequestRelease(int(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4]))
                for r in rows]

    # -- the package signing key ---------------------------------------------------------------
    def signing_key(self) -> StoredSigningKey | None:
        row = self.store.query_one(
            "SELECT id, public_key, fingerprint, wrapped, created_ms FROM package_signing_keys "
            "ORDER BY id DESC LIMIT 1")
        if row is None:
            return None
        return StoredSigningKey(row[0], bytes.fromhex(row[1]), row[2], row[3], row[4])

    def add_signing_key(self, public_key: bytes, fingerprint: str, wrapped: str,
                        now_ms: int) -> StoredSigningKey:
        cur = self.store.execute(
            "INSERT INTO package_signing_keys(public_key, fingerprint, wrapped, created_ms) "
            "VALUES (?,?,?,?)", (public_key.hex(), fingerprint, wrapped, now_ms))
        return StoredSigningKey(int(cur.lastrowid), public_key, fingerprint, wrapped, now_ms)
