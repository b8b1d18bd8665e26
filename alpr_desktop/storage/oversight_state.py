"""The oversight checks' counters kept between passes (migration 0017): one row, the blob
core.oversight_state writes and what makes it valid."""

from __future__ import annotations

from alpr_desktop.core.oversight_state import KeptState
from alpr_desktop.storage.db import Store


class OversightStateRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def load(self) -> KeptState | None:
        row = self.store.query_one(
            "SELECT state_key, first_seq, first_hash, last_seq, last_hash, state "
            "FROM oversight_state WHERE id = 1"
        )
        if row is None:
            return None
        key, first_seq, first_hash, last_seq, last_hash, blob = row
        return KeptState(str(key), int(first_seq), str(first_hash), int(last_seq),
                         str(last_hash), bytes(blob))

    def keep(self, state: KeptState) -> None:
        """Replace the kept counters (inside the caller's transaction)."""
        self.store.execute(
            "INSERT OR REPLACE INTO oversight_state(id, state_key, first_seq, first_hash, "
            "last_seq, last_hash, state) VALUES (1, ?, ?, ?, ?, ?, ?)",
            (state.key, state.first_seq, state.first_hash, state.last_seq, state.last_hash,
             state.blob),
        )

    def clear(self) -> None:
        self.store.execute("DELETE FROM oversight_state")
