"""Child process for test_read_grams_processes.py: post the store's recent reads in small
steps, as the GUI's upkeep and a command-line import do on the same store at once. Says
"ready" once the store is open, starts on a line of standard input, and prints the reads this
process posted."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from alpr_desktop.storage.db import open_store
from alpr_desktop.storage.read_grams import ReadGrams


def main() -> int:
    path, now, batch = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    store = open_store(path, bytes.fromhex(os.environ["ALPR_TEST_KEY"]))
    try:
        grams = ReadGrams(store)
        print("ready", flush=True)
        sys.stdin.readline()  # the test starts both children at once
        posted = 0
        while (n := grams.step(now=now, batch=batch)) > 0:
            posted += n
        print(posted)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
