"""Sign-in time with the production password KDF (PBKDF2-HMAC-SHA256, 600,000 iterations).

Figure (Access issue): a sign-in with the correct password takes under 1 s on this machine.
The script creates a fresh encrypted store, adds one account, and times AuthService.sign_in
(look-up, KDF, lockout reset, access-log entry, session start) several times; it also times a
sign-in with an unknown username, which must cost about the same (no username oracle).

    .venv/bin/python benchmarks/signin_bench.py            # 5 runs each
    .venv/bin/python benchmarks/signin_bench.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    from alpr_desktop.core.access_errors import BadCredentials
    from alpr_desktop.core.accounts import Account
    from alpr_desktop.core.roles import Role
    from alpr_desktop.security import passwords
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.storage import create_store
    from alpr_desktop.storage.accounts import AccountRepo

    password = "Bench-" + secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory() as tmp:
        store = create_store(Path(tmp) / "bench.alprdb", os.urandom(32))
        try:
            AccountRepo(store).add(
                Account(None, "officer", "Olivia Officer", "LASD", badge_number="1",
                        sworn=True, roles=frozenset({Role.ANALYST})),
                passwords.hash_password(password), 0,
            )
            auth = AuthService(store)
            ok, unknown = [], []
            for i in range(args.runs):
                t0 = time.perf_counter()
                auth.sign_in("officer", password)
                ok.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                try:
                    auth.sign_in(f"nobody{i}", password)
                except BadCredentials:
                    pass
                unknown.append(time.perf_counter() - t0)
        finally:
            store.close()
    med = statistics.median(ok)
    print(f"PBKDF2-HMAC-SHA256 iterations: {passwords.ITERATIONS:,}")
    print(f"sign-in, correct password: median {med * 1000:.0f} ms over {args.runs} "
          f"(min {min(ok) * 1000:.0f}, max {max(ok) * 1000:.0f})")
    print(f"sign-in, unknown username: median {statistics.median(unknown) * 1000:.0f} ms")
    verdict = "OK" if med < TARGET_S else "TOO SLOW"
    print(f"target < {TARGET_S:.0f} s: {verdict}")
    return 0 if med < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
