"""What an attacker holding the store key can do to the log with plain SQL, for the tests."""

from __future__ import annotations

from alpr_desktop.core.audit_log import entry_digest
from alpr_desktop.storage.access_log import expected_triggers
from alpr_desktop.storage.db import Store

INSERT = (
    "INSERT INTO access_log(seq, ts_ms, event, outcome, username, organization, agency, "
    "workstation, purpose, query, result_count, detail, prev_hash, hash) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def drop_protection(s: Store) -> None:
    """Drop every protecting trigger (the key holder may)."""
    for name in expected_triggers():
        s.execute(f"DROP TRIGGER IF EXISTS {name}")


def restore_protection(s: Store) -> None:
    """Put the triggers back exactly as the program ships them, hiding the tampering."""
    for sql in expected_triggers().values():
        s.execute(sql)


def forged_fields(seq: int, prev_hash: str, ts_ms: int, user: str = "mallory") -> tuple:
    return (seq, ts_ms, "search", "ok", user, "", "", "ws", "{}",
            '{"pattern":"1XYZ999"}', 1, "{}", prev_hash)


def insert_forged(s: Store, seq: int, prev_hash: str, ts_ms: int, *,
                  verb: str = "INSERT", user: str = "mallory") -> None:
    """Insert an entry with a correctly computed hash, as a key holder could."""
    fields = forged_fields(seq, prev_hash, ts_ms, user)
    s.execute(INSERT.replace("INSERT", verb, 1), (*fields, entry_digest(*fields)))


def rewrite_consistently(s: Store, from_seq: int, change: dict[str, str], *,
                         replace: bool = False) -> None:
    """Rewrite entries from ``from_seq`` on with new values and recompute every later hash,
    so the chain is internally consistent again; the triggers are restored as shipped.
    ``replace`` overwrites rows in place with INSERT OR REPLACE instead of deleting them."""
    cols = ("seq, ts_ms, event, outcome, username, organization, agency, workstation, "
            "purpose, query, result_count, detail, prev_hash, hash")
    rows = s.query(f"SELECT {cols} FROM access_log WHERE seq >= ? ORDER BY seq", (from_seq,))
    prev = s.query_one("SELECT hash FROM access_log WHERE seq = ?", (from_seq - 1,))
    prev_hash = prev[0] if prev else "0" * 64
    drop_protection(s)
    if not replace:
        s.execute("DELETE FROM access_log WHERE seq >= ?", (from_seq,))
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    names = cols.split(", ")
    for row in rows:
        values = dict(zip(names, row, strict=True))
        if values["seq"] == from_seq:
            values.update(change)
        values["prev_hash"] = prev_hash
        fields = tuple(values[n] for n in names[:13])
        digest = entry_digest(*fields)
        s.execute(INSERT.replace("INSERT", verb, 1), (*fields, digest))
        prev_hash = digest
    restore_protection(s)


def truncate_tail(s: Store, keep: int) -> None:
    drop_protection(s)
    s.execute("DELETE FROM access_log WHERE seq > ?", (keep,))
    restore_protection(s)
