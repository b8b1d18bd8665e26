"""Files the program hands to the user (saved images, reports, reject lists) are created
readable by their owner only, and appear complete or not at all.

DESIGN rule 5 allows one kind of plaintext outside the store: a deliberate, logged, owner-only
export. Every such file is written here: into a temporary file in the target's folder, created
with mode 0600 and O_EXCL (``tempfile.mkstemp``), flushed to disk, then renamed over the
target. The rename replaces the target's inode, so an existing file's wider mode is not
inherited, and a failure part-way leaves the old file (or none) and no partial one. Folders
this module creates are 0700.

On Windows the mode bits do not limit readers: the file takes the ACL of its folder, which under
the user's profile (Documents, the program's data folder) grants the user, SYSTEM and the
Administrators group only. Saving into a shared folder there shares the file; the dialogs
suggest folders under the profile.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

OWNER_ONLY = 0o600
OWNER_ONLY_DIR = 0o700


def make_private_dir(path: Path | str) -> Path:
    """Create ``path`` and missing parents; folders created here are 0700 (existing ones are
    left as they are: they may be the user's own Documents)."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir(mode=OWNER_ONLY_DIR)
        with contextlib.suppress(OSError):
            os.chmod(d, OWNER_ONLY_DIR)  # mkdir's mode is filtered by the umask
    return path


@contextlib.contextmanager
def private_file(path: Path | str, mode: str = "wb", **open_args: object) -> Iterator[IO]:
    """Open a new owner-only file that replaces ``path`` when the block ends without error.

    ``mode`` is "wb" or "w" (text; ``open_args`` such as encoding and newline apply)."""
    if mode not in ("wb", "w"):
        raise ValueError("private_file writes new files only ('w' or 'wb')")
    target = Path(path)
    make_private_dir(target.parent)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=".partial")
    tmp = Path(tmp_name)
    try:
        with contextlib.suppress(OSError):
            os.chmod(tmp, OWNER_ONLY)  # mkstemp already uses 0600; say it where it matters
        with os.fdopen(fd, mode, **open_args) as fh:  # type: ignore[call-overload]
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` as an owner-only file (see ``private_file``)."""
    with private_file(path) as fh:
        fh.write(data)
    return Path(path)
