"""Converts a store to incremental vacuum in a process of its own and kills itself (SIGKILL,
no clean-up of any kind) in the middle of the VACUUM, at its TICK-th progress call. Usage:
conversion_child.py STORE TICK. The key comes in the environment (ALPR_TEST_KEY, hex)."""

from __future__ import annotations

import os
import signal
import sys

from alpr_desktop.storage import open_store
from alpr_desktop.storage import retention as retention_storage


def main() -> int:
    path, die_at = sys.argv[1], int(sys.argv[2])
    store = open_store(path, bytes.fromhex(os.environ["ALPR_TEST_KEY"]))
    retention_storage.VACUUM_TICK_OPS = 200  # many progress calls on a small store
    calls = [0]

    def tick(_share: float) -> bool:
        calls[0] += 1
        if calls[0] >= die_at:
            print("killing", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        return False

    store.retention.convert_to_incremental(tick)
    print("finished", flush=True)  # never reached when the kill comes first
    return 0


if __name__ == "__main__":
    sys.exit(main())
