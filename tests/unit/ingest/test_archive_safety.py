"""Hostile archives and paths: escapes, absolute paths, links, bombs, oversize entries."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest
from ingest_helpers import jpeg

from alpr_desktop.ingest.archive import (
    ArchiveLimits,
    FolderSource,
    NoImages,
    ZipSource,
    _check_entries,
    open_image_source,
    safe_relpath,
)
from alpr_desktop.ingest.records import FileRefused, Reason, RejectError


@pytest.mark.parametrize(
    "name",
    ["/etc/passwd", "\\\\server\\share\\x.jpg", "C:\\x.jpg", "c:x.jpg", "../x.jpg",
     "a/../../x.jpg", "a\\..\\..\\x.jpg", "", "a/\x00.jpg", "./.."],
)
def test_unsafe_relative_paths(name: str) -> None:
    with pytest.raises(RejectError) as err:
        safe_relpath(name)
    assert err.value.reason == Reason.IMAGE_UNSAFE_PATH


@pytest.mark.parametrize(("name", "clean"), [("a/b.jpg", "a/b.jpg"), ("a\\b.jpg", "a/b.jpg"),
                                             ("./a//b.jpg", "a/b.jpg")])
def test_safe_relative_paths(name: str, clean: str) -> None:
    assert safe_relpath(name) == clean


def _zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


def test_good_zip_serves_images(tmp_path: Path) -> None:
    img = jpeg()
    src = ZipSource(_zip(tmp_path / "i.zip", [("crops/a.jpg", img)]))
    assert src.read("crops/a.jpg") == img
    assert src.read("CROPS\\A.JPG") == img  # Windows exports: backslashes, other case
    with pytest.raises(RejectError) as err:
        src.read("crops/missing.jpg")
    assert err.value.reason == Reason.IMAGE_MISSING
    src.close()


@pytest.mark.parametrize("name", ["../evil.jpg", "/abs/evil.jpg", "a/../../evil.jpg",
                                  "C:/evil.jpg"])
def test_zip_with_escaping_entry_is_refused(tmp_path: Path, name: str) -> None:
    info = zipfile.ZipInfo("ok.jpg")
    p = _zip(tmp_path / "z.zip", [(info, jpeg())])
    # zipfile cleans names on write; patch the central directory name afterwards
    raw = p.read_bytes().replace(b"ok.jpg", b"XX.jpg")
    p.write_bytes(raw)
    with zipfile.ZipFile(p, "a") as zf:
        evil = zipfile.ZipInfo("placeholder")
        evil.filename = name
        zf.writestr(evil, b"x")
    with pytest.raises(FileRefused, match="escapes"):
        ZipSource(p)


def test_zip_with_symlink_entry_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("images/link.jpg")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    p = _zip(tmp_path / "z.zip", [("a.jpg", jpeg()), (link, b"/etc/passwd")])
    with pytest.raises(FileRefused, match="link"):
        ZipSource(p)


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    p = _zip(tmp_path / "bomb.zip", [("a.jpg", b"\0" * 5_000_000)])
    with pytest.raises(FileRefused, match="decompression bomb"):
        ZipSource(p)


def test_total_size_cap(tmp_path: Path) -> None:
    p = _zip(tmp_path / "z.zip", [(f"{i}.jpg", os.urandom(1000)) for i in range(5)])
    with pytest.raises(FileRefused, match="expands"):
        ZipSource(p, ArchiveLimits(max_total_bytes=3000))


def test_duplicate_names_and_encryption_are_refused(tmp_path: Path) -> None:
    import warnings

    p = tmp_path / "dup.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        _zip(p, [("a.jpg", b"1"), ("a.jpg", b"2")])
    with pytest.raises(FileRefused, match="two entries"):
        ZipSource(p)
    enc = zipfile.ZipInfo("e.jpg")
    enc.flag_bits |= 0x1  # zipfile cannot write encrypted entries: check the directory entry
    with pytest.raises(FileRefused, match="encrypted"):
        _check_entries([enc], ArchiveLimits())


def test_entry_lying_about_its_size_is_cut_at_the_cap(tmp_path: Path) -> None:
    data = os.urandom(5000)
    p = _zip(tmp_path / "z.zip", [("a.jpg", data)])
    src = ZipSource(p, ArchiveLimits(max_entry_bytes=10_000))
    info = src._index["a.jpg"]
    info.file_size = 10  # the directory says 10 bytes; the stream holds 5000
    src.limits = ArchiveLimits(max_entry_bytes=100)
    with pytest.raises(RejectError) as err:
        src.read("a.jpg")
    assert err.value.reason in (Reason.IMAGE_TOO_LARGE, Reason.IMAGE_UNDECODABLE)


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "z.zip"
    p.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(FileRefused, match="not a readable ZIP"):
        open_image_source(p)


def test_folder_refuses_symlinks_and_escapes(tmp_path: Path) -> None:
    root = tmp_path / "imgs"
    (root / "sub").mkdir(parents=True)
    (root / "a.jpg").write_bytes(jpeg())
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(b"secret")
    (root / "link.jpg").symlink_to(outside)
    (root / "sublink").symlink_to(tmp_path)
    src = FolderSource(root)
    assert src.read("a.jpg") == jpeg()
    for name, reason in [("link.jpg", Reason.IMAGE_UNSAFE_PATH),
                         ("sublink/secret.jpg", Reason.IMAGE_UNSAFE_PATH),
                         ("../secret.jpg", Reason.IMAGE_UNSAFE_PATH),
                         (str(outside), Reason.IMAGE_UNSAFE_PATH),
                         ("sub", Reason.IMAGE_MISSING),
                         ("nope.jpg", Reason.IMAGE_MISSING)]:
        with pytest.raises(RejectError) as err:
            src.read(name)
        assert err.value.reason == reason, name


def test_folder_refuses_oversize_files(tmp_path: Path) -> None:
    (tmp_path / "big.jpg").write_bytes(b"\xff\xd8" + b"0" * 5000)
    with pytest.raises(RejectError) as err:
        FolderSource(tmp_path, ArchiveLimits(max_entry_bytes=1000)).read("big.jpg")
    assert err.value.reason == Reason.IMAGE_TOO_LARGE


def test_source_given_as_a_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "ln").symlink_to(tmp_path / "real")
    with pytest.raises(FileRefused, match="link"):
        open_image_source(tmp_path / "ln")
    with pytest.raises(RejectError):
        NoImages().read("a.jpg")
