"""Id blocks from named sequences (table ``id_sequences``, migration 0004).

An insert takes a block of ``n`` ids in one statement and owns it, whatever other writers do:
ids never come from max(id) + 1, which is only right while a single writer holds the lock.
A server backend implements the same call with its own sequence (``nextval`` over a block).
"""

from __future__ import annotations

from alpr_desktop.storage.db import Connection

READS = "reads"
PLATES = "plates"


def allocate(c: Connection, name: str, n: int) -> int:
    """The first of ``n`` fresh ids of sequence ``name`` (the block is first .. first + n - 1).
    Run inside the inserting transaction: a rollback returns the block to nobody, which only
    leaves a gap."""
    if n < 1:
        raise ValueError("allocate at least one id")
    row = c.execute(
        "UPDATE id_sequences SET next = next + ? WHERE name = ? RETURNING next - ?",
        (n, name, n),
    ).fetchone()
    if row is None:
        raise KeyError(f"no id sequence {name!r}")
    return int(row[0])
