"""Pinned checkpoint signing keys and issued checkpoints (migration 0006). Both tables are
append-only by trigger; rows in, dataclasses out."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from alpr_desktop.core.log_anchors import Checkpoint
from alpr_desktop.storage.db import Store


@dataclass(frozen=True)
class PinnedKey:
    id: int
    user_id: int
    username: str
    public_key: bytes
    fingerprint: str
    wrapped: str
    pinned_ms: int


@dataclass(frozen=True)
class IssuedCheckpoint:
    id: int
    checkpoint: Checkpoint
    key_id: int
    signature: bytes


_KEY_COLS = "id, user_id, username, public_key, fingerprint, wrapped, pinned_ms"


def _key(row: tuple) -> PinnedKey:
    return PinnedKey(row[0], row[1], row[2], bytes.fromhex(row[3]), row[4], row[5], row[6])


class CheckpointRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- keys ----------------------------------------------------------------------------------
    def pin_key(self, user_id: int, username: str, public_key: bytes, fingerprint: str,
                wrapped: str, now_ms: int) -> PinnedKey:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO checkpoint_keys(user_id, username, public_key, fingerprint, "
                "wrapped, pinned_ms) VALUES (?,?,?,?,?,?)",
                (user_id, username, public_key.hex(), fingerprint, wrapped, now_ms))
            key_id = int(cur.lastrowid)
        return PinnedKey(key_id, user_id, username, public_key, fingerprint, wrapped, now_ms)

    def current_key(self, user_id: int) -> PinnedKey | None:
        """The user's newest key (older ones stay pinned for their checkpoints)."""
        row = self.store.query_one(
            f"SELECT {_KEY_COLS} FROM checkpoint_keys WHERE user_id = ? ORDER BY id DESC "
            "LIMIT 1", (user_id,))
        return _key(row) if row else None

    def key_by_public(self, public_key: bytes) -> PinnedKey | None:
        row = self.store.query_one(
            f"SELECT {_KEY_COLS} FROM checkpoint_keys WHERE public_key = ?", (public_key.hex(),))
        return _key(row) if row else None

    def pinned_keys(self) -> list[PinnedKey]:
        return [_key(r) for r in self.store.query(
            f"SELECT {_KEY_COLS} FROM checkpoint_keys ORDER BY id")]

    # -- checkpoints ---------------------------------------------------------------------------
    def record(self, cp: Checkpoint, key_id: int, signature: bytes) -> int:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO checkpoints(key_id, entry_count, head_hash, issued_ms, issuer, "
                "body, signature) VALUES (?,?,?,?,?,?,?)",
                (key_id, cp.entry_count, cp.head_hash, cp.issued_ms, cp.issuer,
                 cp.body().decode("utf-8"), base64.b64encode(signature).decode("ascii")))
            return int(cur.lastrowid)

    def newest(self) -> IssuedCheckpoint | None:
        row = self.store.query_one(
            "SELECT c.id, c.entry_count, c.head_hash, c.issued_ms, c.issuer, k.fingerprint, "
            "c.key_id, c.signature FROM checkpoints c JOIN checkpoint_keys k ON k.id = c.key_id "
            "ORDER BY c.id DESC LIMIT 1")
        if row is None:
            return None
        cp = Checkpoint(self.store.store_id, row[1], row[2], row[3], row[4], row[5])
        return IssuedCheckpoint(row[0], cp, row[6], base64.b64decode(row[7]))
