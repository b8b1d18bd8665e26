"""A purge in a process of its own, for the tests of a purge killed midway and of two purges at
once. Usage: purge_child.py STORE NOW_S BATCH [die-after-batches]. The key comes in the
environment (ALPR_TEST_KEY, hex), never on the command line."""

from __future__ import annotations

import os
import sys

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.storage import open_store
from alpr_desktop.storage.retention import RetentionRepo


def main() -> int:
    path, now_s, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    die_after = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    store = open_store(path, bytes.fromhex(os.environ["ALPR_TEST_KEY"]), busy_timeout_ms=60_000)
    if die_after:
        calls = [0]
        real = RetentionRepo.add_to_record

        def add_then_die(self: RetentionRepo, record_id: int, d: object) -> None:
            calls[0] += 1
            if calls[0] > die_after:  # inside the batch's transaction, before its commit
                os._exit(9)
            real(self, record_id, d)  # type: ignore[arg-type]

        RetentionRepo.add_to_record = add_then_die  # type: ignore[method-assign]
    result = RetentionService(store, FixedClock(now_s * 1000)).purge("child", batch=batch)
    print(result.reads_deleted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
