"""The City's side of review extracts (migration 0012): release records, the rows an extract
is made from, and the reviewer logs imported back. Rows in, dataclasses out."""

from __future__ import annotations

from collections.abc import Sequence

from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.extract import ExtractManifest
from alpr_desktop.core.reviewer_log import ReviewerLogImport
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.extract_store import ReleasedRows, released_rows

_ENTRY_COLS = (
    "seq, ts_ms, event, outcome, username, organization, agency, workstation, purpose, "
    "query, result_count, detail, prev_hash, hash"
)


class ExtractReleaseRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def released_rows(self, read_ids: Sequence[int]) -> ReleasedRows:
        return released_rows(self.store, read_ids)

    def record_release(self, m: ExtractManifest, now_ms: int) -> None:
        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO extract_releases(extract_id, released_ms, released_by, "
                "recipient_name, organization, purpose, case_number, request_ref, expires_on, "
                "read_count, manifest, public_key, key_fingerprint) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (m.extract_id, now_ms, m.released_by, m.recipient_name, m.organization,
                 m.purpose, m.case_number, m.request_ref, m.expires_on.isoformat(),
                 len(m.read_ids), m.to_json(), m.public_key_hex, m.key_fingerprint))

    def release(self, extract_id: str) -> ExtractManifest | None:
        row = self.store.query_one(
            "SELECT manifest FROM extract_releases WHERE extract_id = ?", (extract_id,))
        return ExtractManifest.from_json(row[0]) if row else None

    def releases(self, since_ms: int | None = None, until_ms: int | None = None,
                 ) -> list[tuple[str, str, str, str, int, str]]:
        rows = self.store.query(
            "SELECT extract_id, recipient_name, organization, case_number, read_count, "
            "expires_on FROM extract_releases WHERE released_ms >= ? AND released_ms < ? "
            "ORDER BY released_ms",
            (since_ms if since_ms is not None else 0,
             until_ms if until_ms is not None else 2**62))
        return [(r[0], r[1], r[2], r[3], int(r[4]), r[5]) for r in rows]

    def imported_hashes(self, extract_id: str) -> dict[int, str]:
        rows = self.store.query(
            "SELECT seq, hash FROM reviewer_log_entries WHERE extract_id = ?", (extract_id,))
        return {int(r[0]): str(r[1]) for r in rows}

    def record_import(self, imp: ReviewerLogImport, imported_by: str, file_sha256: str,
                      entries: Sequence[LogEntry]) -> int:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO reviewer_log_imports(extract_id, imported_ms, imported_by, "
                "file_name, file_sha256, head_seq, head_hash, new_entries) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (imp.extract_id, imp.imported_ms, imported_by, imp.file_name, file_sha256,
                 imp.head_seq, imp.head_hash, imp.new_entries))
            import_id = int(cur.lastrowid)
            c.executemany(
                f"INSERT INTO reviewer_log_entries(extract_id, {_ENTRY_COLS}, import_id) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(imp.extract_id, e.seq, e.ts_ms, e.event, e.outcome, e.username,
                  e.organization, e.agency, e.workstation, e.purpose_json, e.query_json,
                  e.result_count, e.detail_json, e.prev_hash, e.hash, import_id)
                 for e in entries])
        return import_id

    def imports(self, since_ms: int | None = None, until_ms: int | None = None,
                ) -> list[ReviewerLogImport]:
        rows = self.store.query(
            "SELECT i.extract_id, r.recipient_name, r.organization, i.file_name, "
            "i.head_seq, i.new_entries, i.head_seq, i.head_hash, i.imported_ms "
            "FROM reviewer_log_imports i JOIN extract_releases r USING (extract_id) "
            "WHERE i.imported_ms >= ? AND i.imported_ms < ? ORDER BY i.id",
            (since_ms if since_ms is not None else 0,
             until_ms if until_ms is not None else 2**62))
        return [ReviewerLogImport(*r) for r in rows]

    def entries(self, extract_id: str | None = None, limit: int = 5000,
                ) -> list[tuple[str, LogEntry]]:
        """Imported entries (extract id, entry), oldest first."""
        where, params = ("WHERE extract_id = ?", (extract_id, limit)) if extract_id \
            else ("", (limit,))
        rows = self.store.query(
            f"SELECT extract_id, {_ENTRY_COLS} FROM reviewer_log_entries {where} "
            "ORDER BY ts_ms, extract_id, seq LIMIT ?", params)
        return [(r[0], LogEntry(*r[1:])) for r in rows]
