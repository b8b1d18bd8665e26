"""Smoke-test fixture (run by the build's Python, not the bundle): append chained entries to a
demo store's access log, so that the bundle's `verify-log` is long enough to split the walk
with helper processes (storage/log_verify.py: from SPLIT_FROM entries on) and the smoke test
can see a frozen helper start and answer.

    python installer/smoke_fill_log.py STORE ENTRIES

Opens the store with the demo's published recovery passphrase (the key file is not changed)
and inserts through the append-only trigger, as verify_bench.py does."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from alpr_desktop.core.audit_log import canonical_json, entry_digest
from alpr_desktop.security import keyslots
from alpr_desktop.services.demo_store import DEMO_PASSPHRASE
from alpr_desktop.storage import open_store
from alpr_desktop.storage.access_log import AccessLogRepo

INSERT = (
    "INSERT INTO access_log(seq, ts_ms, event, outcome, username, organization, agency, "
    "workstation, purpose, query, result_count, detail, prev_hash, hash) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
BATCH = 50_000


def fill(path: Path, n: int) -> int:
    kf = keyslots.read_any(path)
    key = kf.unwrap_recovery(DEMO_PASSPHRASE)  # type: ignore[union-attr]
    store = open_store(path, key)
    try:
        seq, prev = AccessLogRepo(store).head()
        ts = int(time.time() * 1000) - n
        purpose = canonical_json({"category": "smoke test", "case": "SMOKE-1"})
        for start in range(0, n, BATCH):
            rows = []
            for _ in range(min(BATCH, n - start)):
                seq += 1
                ts += 1
                query = canonical_json({"pattern": f"7AB{seq % 1000:03d}", "mode": "exact"})
                fields = (seq, ts, "search", "ok", "analyst", "LASD", "LASD", "smoke",
                          purpose, query, 1, canonical_json({}), prev)
                prev = entry_digest(*fields)
                rows.append((*fields, prev))
            with store.transaction() as c:
                c.executemany(INSERT, rows)
        return seq
    finally:
        store.close()


if __name__ == "__main__":
    print(fill(Path(sys.argv[1]), int(sys.argv[2])))
