"""Setup shared by the benchmark scripts: an in-memory keyring, so that benchmark stores never
reach the user's real keyring and a figure is the program's own cost, not a keyring daemon's."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


def use_memory_keyring() -> None:
    """Keep benchmark stores out of the user's real keyring."""
    keyring.set_keyring(MemoryKeyring())


def accept_benchmark_formats() -> None:
    """Let this process open the benchmark stores built on 2026-12-06 with 4 KiB pages and
    HMAC-SHA512 (the 50M and 100M builds, before new stores took HMAC-SHA256): no store of
    the program's has that format, so the program does not try it; ALPR_BENCH_4K_SHA512=1."""
    import os

    from alpr_desktop.storage import db

    extra = db.CipherFormat(4096, "HMAC_SHA512")
    if os.environ.get("ALPR_BENCH_4K_SHA512") == "1" and extra not in db.EARLIER_FORMATS:
        db.EARLIER_FORMATS = (*db.EARLIER_FORMATS, extra)
