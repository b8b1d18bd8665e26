"""Files the program hands to the user (saved images, reports, reject lists, checkpoints) are
created readable by their owner only, and appear complete or not at all.

DESIGN rule 5 allows one kind of plaintext outside the store: a deliberate, logged, owner-only
export. Every such file is written here: into a staging folder made for it beside the target,
restricted to the owner before the file is created in it, then into a file restricted again
before its first byte, flushed to disk, and renamed over the target. The rename replaces the
target's inode, so an existing file's wider permissions are not inherited, and a failure
part-way leaves the old file (or none) and no partial one. Folders this module creates are
owner-only too.

What "owner-only" takes on each system:

- Linux: mode 0600 (folders 0700). A default ACL on the folder cannot widen it: ACL entries are
  masked by the group bits, which are 0.
- macOS: mode 0600, and no ACL (``chmod -N``): macOS ACLs are not masked by the mode, and a
  folder's inheritable entry ("everyone allow read") would otherwise reach the new file.
- Windows: the mode bits limit nobody. The DACL is replaced by one entry granting the current
  user (by SID, from ``whoami``) full control, inheritance removed (``icacls /inheritance:r
  /grant:r``), first on the staging folder, so that the file is born under that DACL and
  nobody can open it in the instant before its own DACL is set, then on the file itself.

A restriction that fails is an error (OwnerOnlyFailed): the export is not written rather than
written readable by others.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

OWNER_ONLY = 0o600
OWNER_ONLY_DIR = 0o700
_TIMEOUT_S = 30

Runner = Callable[[list[str]], "subprocess.CompletedProcess[str]"]


class OwnerOnlyFailed(OSError):
    """The file could not be made readable by its owner only; ``str()`` is a sentence."""


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flashing up on Windows
    return subprocess.run(argv, capture_output=True, text=True, check=False,  # noqa: S603
                          timeout=_TIMEOUT_S, creationflags=flags)


# Seams for the tests (a monkeypatched platform and a fake runner play Windows and macOS).
RUN: Runner = _run


def platform() -> str:
    return sys.platform


def _system32(program: str) -> str:
    """A Windows tool by its full path, never looked up on PATH."""
    root = os.environ.get("SYSTEMROOT") or r"C:\Windows"
    return str(Path(root) / "System32" / program)


@functools.cache
def _windows_user_sid() -> str:
    """The current user's SID, from ``whoami /user`` ("DOMAIN\\user","S-1-5-21-…")."""
    done = RUN([_system32("whoami.exe"), "/user", "/fo", "csv", "/nh"])
    try:
        row = next(csv.reader(io.StringIO(done.stdout.strip())))
        sid = row[-1].strip()
    except (StopIteration, IndexError, csv.Error):
        sid = ""
    if done.returncode != 0 or not sid.startswith("S-1-"):
        raise OwnerOnlyFailed("Windows did not say which account this is (whoami), so the "
                              "file could not be made readable by you only; nothing was "
                              "written.")
    return sid


def _restrict_windows(path: Path, directory: bool) -> None:
    sid = _windows_user_sid()
    grant = f"*{sid}:(OI)(CI)F" if directory else f"*{sid}:F"
    done = RUN([_system32("icacls.exe"), str(path), "/inheritance:r", "/grant:r", grant])
    if done.returncode != 0:
        raise OwnerOnlyFailed(
            f"Windows refused to make {path.name} readable by you only "
            f"({(done.stderr or done.stdout).strip() or 'icacls failed'}); nothing was "
            "written.")


def _restrict_macos(path: Path, directory: bool) -> None:
    os.chmod(path, OWNER_ONLY_DIR if directory else OWNER_ONLY)
    done = RUN(["/bin/chmod", "-N", str(path)])  # remove every ACL entry, inherited ones too
    if done.returncode != 0:
        raise OwnerOnlyFailed(
            f"macOS refused to remove the access list of {path.name} "
            f"({done.stderr.strip() or 'chmod -N failed'}); nothing was written.")


def restrict_to_owner(path: Path | str, *, directory: bool = False) -> None:
    """Make ``path`` accessible to its owner only, as this system needs (see the module)."""
    path = Path(path)
    system = platform()
    if system == "win32":
        _restrict_windows(path, directory)
    elif system == "darwin":
        _restrict_macos(path, directory)
    else:
        os.chmod(path, OWNER_ONLY_DIR if directory else OWNER_ONLY)


def make_private_dir(path: Path | str) -> Path:
    """Create ``path`` and missing parents; folders created here are owner-only (existing ones
    are left as they are: they may be the user's own Documents)."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir(mode=OWNER_ONLY_DIR)
        restrict_to_owner(d, directory=True)  # mkdir's mode is filtered by the umask
    return path


class PrivateFile:
    """A new owner-only file that takes ``path``'s place on ``commit`` (``discard`` drops it).
    ``fh`` is open for writing from the start; nothing is visible under ``path`` before the
    commit. With ``overwrite=False`` an existing file is never replaced (FileExistsError)."""

    def __init__(self, path: Path | str, mode: str = "wb", *, overwrite: bool = True,
                 **open_args: Any) -> None:
        if mode not in ("wb", "w"):
            raise ValueError("private files are written new ('w' or 'wb')")
        self.path = Path(path)
        self.overwrite = overwrite
        make_private_dir(self.path.parent)
        self._staging = Path(tempfile.mkdtemp(dir=self.path.parent,
                                              prefix=f".{self.path.name}.", suffix=".partial"))
        self.tmp = self._staging / self.path.name
        self.fh: IO[Any] | None = None
        try:
            restrict_to_owner(self._staging, directory=True)  # the file is born inside it
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0),
                         OWNER_ONLY)
            try:
                restrict_to_owner(self.tmp)  # before its first byte
            except BaseException:
                os.close(fd)
                raise
            self.fh = os.fdopen(fd, mode, **open_args)
        except BaseException:
            self._clean()
            raise

    def commit(self) -> Path:
        """Flush to disk and put the file in place."""
        try:
            assert self.fh is not None, "already committed or discarded"
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            self.fh = None
            if self.overwrite:
                os.replace(self.tmp, self.path)
            else:
                _place_new(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise
        self._clean()
        return self.path

    def discard(self) -> None:
        if self.fh is not None:
            with contextlib.suppress(OSError):
                self.fh.close()
            self.fh = None
        self._clean()

    def _clean(self) -> None:
        with contextlib.suppress(OSError):
            self.tmp.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self._staging.rmdir()


def _place_new(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target`` unless ``target`` exists (then FileExistsError)."""
    if platform() == "win32":
        os.rename(tmp, target)  # Windows: fails when the target exists
        return
    try:
        os.link(tmp, target)  # atomic: fails when the target exists
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (exFAT, some shares)
        if target.exists():
            raise FileExistsError(17, "File exists", str(target)) from None
        os.replace(tmp, target)
    else:
        tmp.unlink()


@contextlib.contextmanager
def private_file(path: Path | str, mode: str = "wb", *, overwrite: bool = True,
                 **open_args: Any) -> Iterator[IO[Any]]:
    """Open a new owner-only file that replaces ``path`` when the block ends without error.

    ``mode`` is "wb" or "w" (text; ``open_args`` such as encoding and newline apply)."""
    pf = PrivateFile(path, mode, overwrite=overwrite, **open_args)
    try:
        assert pf.fh is not None
        yield pf.fh
    except BaseException:
        pf.discard()
        raise
    pf.commit()


def write_private(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` as an owner-only file (see ``private_file``)."""
    with private_file(path) as fh:
        fh.write(data)
    return Path(path)


def sync_folder(folder: Path | str) -> None:
    """Make a file's creation, rename or removal in ``folder`` durable (an fsync of the
    folder). POSIX only: Windows cannot open a folder, and its metadata changes are journaled."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
