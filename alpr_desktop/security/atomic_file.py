"""One way to write a small secret-bearing file (key file, sign-in record, log witness):
owner-only from its first byte, complete or absent (temp file, fsync, rename).

Unlike core.owner_only.private_file it leaves the folder's permissions alone: a store may
live in a folder the user chose and shares."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def atomic_write(target: Path, text: str) -> None:
    """Replace ``target`` with ``text``; the temp name is unique per process and thread, so
    two writers racing never share one temp file."""
    tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
