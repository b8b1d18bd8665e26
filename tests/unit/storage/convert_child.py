"""Converts a store to today's format in a process of its own and kills itself (SIGKILL, no
clean-up of any kind) in the middle of the copy, at its TICK-th progress call. Usage:
convert_child.py STORE TICK. The key comes in the environment (ALPR_TEST_KEY, hex)."""

from __future__ import annotations

import os
import signal
import sys

from alpr_desktop.storage import format_convert


def main() -> int:
    path, die_at = sys.argv[1], int(sys.argv[2])
    format_convert.TICK_OPS = 200  # many progress calls on a small store
    calls = [0]

    def report(phase: str, _share: float) -> None:
        if phase == "copy":
            calls[0] += 1
            if calls[0] >= die_at:
                print("killing", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)

    format_convert.convert_file(path, bytes.fromhex(os.environ["ALPR_TEST_KEY"]),
                                report=report)
    print("finished", flush=True)  # never reached when the kill comes first
    return 0


if __name__ == "__main__":
    sys.exit(main())
