"""Images referenced by relative path, from a folder or a ZIP beside the data.

Exports come from another organization's system, so paths and archives are treated as
hostile: a path may not leave its folder (absolute, drive letter, '..', links), and a ZIP is
refused as a whole if any entry could (escaping names, symlinks, encryption, duplicate names,
decompression-bomb sizes or ratios). Sizes in the ZIP directory are not trusted either: every
read stops one byte past the cap.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from alpr_desktop.imaging.limits import DEFAULT_LIMITS
from alpr_desktop.ingest.records import FileRefused, Reason, RejectError


@dataclass(frozen=True)
class ArchiveLimits:
    max_entry_bytes: int = DEFAULT_LIMITS.max_bytes
    max_total_bytes: int = 16 * 1024**3
    max_entries: int = 2_000_000
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 64 * 1024  # tiny entries may compress well without being bombs


DEFAULT_ARCHIVE_LIMITS = ArchiveLimits()


def safe_relpath(name: str) -> str:
    """``name`` as a clean relative POSIX path, or RejectError(IMAGE_UNSAFE_PATH)."""
    if not name or "\x00" in name:
        raise RejectError(Reason.IMAGE_UNSAFE_PATH)
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":") or text.startswith("//"):
        raise RejectError(Reason.IMAGE_UNSAFE_PATH)
    parts = [p for p in PurePosixPath(text).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        raise RejectError(Reason.IMAGE_UNSAFE_PATH)
    return "/".join(parts)


class ImageSource(Protocol):
    def read(self, relpath: str) -> bytes:
        """The file's bytes, or RejectError (missing, unsafe path, too large)."""
        ...

    def close(self) -> None: ...


class NoImages:
    """No folder or archive given: every referenced image is missing."""

    def read(self, relpath: str) -> bytes:
        safe_relpath(relpath)
        raise RejectError(Reason.IMAGE_MISSING)

    def close(self) -> None:
        pass


class FolderSource:
    """Images under ``root``; symlinks anywhere below the root are refused."""

    def __init__(self, root: Path, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) -> None:
        self.root = Path(root).resolve()
        self.limits = limits

    def read(self, relpath: str) -> bytes:
        rel = safe_relpath(relpath)
        path = self.root
        for part in rel.split("/"):
            path = path / part
            try:
                st = os.lstat(path)
            except OSError:
                raise RejectError(Reason.IMAGE_MISSING) from None
            if stat.S_ISLNK(st.st_mode):
                raise RejectError(Reason.IMAGE_UNSAFE_PATH)
        if not stat.S_ISREG(st.st_mode):
            raise RejectError(Reason.IMAGE_MISSING)
        if not path.resolve().is_relative_to(self.root):
            raise RejectError(Reason.IMAGE_UNSAFE_PATH)
        if st.st_size > self.limits.max_entry_bytes:
            raise RejectError(Reason.IMAGE_TOO_LARGE)
        with path.open("rb") as fh:
            data = fh.read(self.limits.max_entry_bytes + 1)
        if len(data) > self.limits.max_entry_bytes:
            raise RejectError(Reason.IMAGE_TOO_LARGE)
        return data

    def close(self) -> None:
        pass


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_entries(
    infos: list[zipfile.ZipInfo], limits: ArchiveLimits
) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by clean name; FileRefused for the first hostile entry."""
    if len(infos) > limits.max_entries:
        raise FileRefused(f"The archive has more than {limits.max_entries} entries.")
    index: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        try:
            clean = safe_relpath(info.filename)
        except RejectError:
            raise FileRefused(
                f"The archive has an entry that escapes its folder ({info.filename[:80]!r})."
            ) from None
        if _is_symlink(info):
            raise FileRefused(f"The archive has a link entry ({clean[:80]!r}).")
        if info.flag_bits & 0x1:
            raise FileRefused("The archive has encrypted entries.")
        if info.is_dir():
            continue
        if clean in index:
            raise FileRefused(f"The archive has two entries named {clean[:80]!r}.")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise FileRefused("The archive expands to more than the import allows.")
        if info.file_size > limits.ratio_floor_bytes and (
            info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
        ):
            raise FileRefused(
                f"The archive entry {clean[:80]!r} expands more than {limits.max_ratio:g} "
                "times (a decompression bomb)."
            )
        index[clean] = info
    return index


class ZipSource:
    """Images inside a ZIP, checked entry by entry when opened."""

    def __init__(self, path: Path, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) -> None:
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise FileRefused(f"{Path(path).name} is not a readable ZIP archive.") from exc
        try:
            self._index = _check_entries(self._zip.infolist(), limits)
        except BaseException:
            self._zip.close()
            raise
        self._folded = {k.lower(): v for k, v in self._index.items()}

    def read(self, relpath: str) -> bytes:
        rel = safe_relpath(relpath)
        info = self._index.get(rel) or self._folded.get(rel.lower())
        if info is None:
            raise RejectError(Reason.IMAGE_MISSING)
        if info.file_size > self.limits.max_entry_bytes:
            raise RejectError(Reason.IMAGE_TOO_LARGE)
        try:
            with self._zip.open(info) as fh:
                data = fh.read(self.limits.max_entry_bytes + 1)
        except (OSError, zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError):
            raise RejectError(Reason.IMAGE_UNDECODABLE) from None
        if len(data) > self.limits.max_entry_bytes:
            raise RejectError(Reason.IMAGE_TOO_LARGE)
        return data

    def close(self) -> None:
        self._zip.close()


def open_image_source(
    path: Path | None, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS
) -> ImageSource:
    """A folder, a ZIP, or nothing. A link given as the source itself is refused."""
    if path is None:
        return NoImages()
    path = Path(path)
    if path.is_symlink():
        raise FileRefused(f"{path.name} is a link; give the image folder or archive itself.")
    if path.is_dir():
        return FolderSource(path, limits)
    if path.is_file():
        return ZipSource(path, limits)
    raise FileRefused(f"There is no image folder or archive at {path}.")
