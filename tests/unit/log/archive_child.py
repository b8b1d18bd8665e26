"""Archives the access log in a process of its own and kills itself (SIGKILL) after the
archive file is written and the anchor and deletion are done, before the commit. Usage:
archive_child.py STORE NOW_MS FOLDER [writing]. With "writing" it kills itself while the
archive is being written instead (after its second chunk, CHUNK_ROWS set to 4). The key
comes in the environment (ALPR_TEST_KEY, hex), the custodian's password in
ALPR_TEST_PASSWORD."""

from __future__ import annotations

import os
import signal
import sys

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.security import secret_wrap
from alpr_desktop.services import log_archive
from alpr_desktop.services.auth import AuthService
from alpr_desktop.storage import open_store


def main() -> int:
    path, now_ms, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    secret_wrap.DEFAULT_COST = secret_wrap.ScryptCost(n=2**12)
    store = open_store(path, bytes.fromhex(os.environ["ALPR_TEST_KEY"]))
    clock = FixedClock(now_ms)
    auth = AuthService(store, clock)
    password = os.environ["ALPR_TEST_PASSWORD"]
    ctx = auth.context(auth.sign_in("keeper", password))

    def die() -> None:
        print("killing", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    if sys.argv[4:] == ["writing"]:
        from alpr_desktop.security.log_archive_crypto import ArchiveWriter

        log_archive.CHUNK_ROWS = 4  # type: ignore[misc]
        real_add = ArchiveWriter.add

        def add(self: ArchiveWriter, rows: list[tuple]) -> None:
            real_add(self, rows)
            if self.chunks == 2:
                die()

        ArchiveWriter.add = add  # type: ignore[method-assign]
    else:
        log_archive._before_commit = die
    log_archive.LogArchiveService(store, clock).archive(ctx, password, folder)
    print("finished", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
