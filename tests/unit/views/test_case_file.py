"""Issue 13: the analyst's case file. pdftotext finds every plate, every image hash and the
purpose; both files are owner-only; the CSV cannot start a formula; the export is confirmed,
gated and logged with the read ids and the files' hashes."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from access_helpers import World, log_entries
from views_helpers import Seeded, seed

from alpr_desktop.core.access_errors import NotAuthorized, PurposeRequired
from alpr_desktop.core.case_file import CaseFileError, CaseFileRequest
from alpr_desktop.services.case_file import CaseFileService
from alpr_desktop.storage.reads import ImageRepo

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture
def seeded(world: World) -> Seeded:
    return seed(world.store)


def _request(ids: list[int], path: Path, **kw: object) -> CaseFileRequest:
    base: dict[str, object] = {"read_ids": tuple(ids), "pdf_path": path, "source": "profile",
                               "query_words": "All sightings of 7ABC123", "confirmed": True,
                               "match_kinds": {}}
    base.update(kw)
    return CaseFileRequest(**base)  # type: ignore[arg-type]


@needs_pdftotext
def test_case_file_pdf_holds_every_plate_hash_and_the_purpose(
    world: World, seeded: Seeded, tmp_path: Path
) -> None:
    ctx = world.with_purpose("officer")
    ids = [*seeded.plate_ids, seeded.lookalike_id, *seeded.other_ids]
    receipt = CaseFileService(world.store, world.clock).export(
        ctx, _request(ids, tmp_path / "case.pdf",
                      match_kinds={seeded.lookalike_id: "look-alike"}))
    text = subprocess.run(["pdftotext", "-layout", str(receipt.pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for plate in ("7ABC123", "7A8C123", "4TRK001", "4TRK002", "5OLD000"):
        assert plate in text
    for rid in ids:
        for blob in ImageRepo(world.store).for_read(rid):
            assert hashlib.sha256(blob.data).hexdigest() in flat
    assert "123-45678-2026-001" in text and "Vehicle theft" in text
    assert "Olivia Officer" in text and "All sightings of 7ABC123" in text
    assert "look-alike" in text
    pages = int(subprocess.run(["pdfinfo", str(receipt.pdf_path)], capture_output=True,
                               text=True, check=True).stdout.split("Pages:")[1].split()[0])
    assert f"Page {pages} of {pages}" in text and f"Page 1 of {pages}" in text


def test_case_file_is_owner_only_logged_with_ids_and_hashes(
    world: World, seeded: Seeded, tmp_path: Path
) -> None:
    ctx = world.with_purpose("officer")
    out = tmp_path / "files" / "case.pdf"
    receipt = CaseFileService(world.store, world.clock).export(
        ctx, _request(seeded.other_ids, out))
    for path in (receipt.pdf_path, receipt.csv_path):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert receipt.pdf_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    [e] = log_entries(world.store, "export.case_file")
    assert e.query["read_ids"] == seeded.other_ids and e.result_count == 3
    assert e.detail["pdf_sha256"] == receipt.pdf_sha256
    assert e.detail["csv_sha256"] == hashlib.sha256(receipt.csv_path.read_bytes()).hexdigest()
    assert e.purpose["case_number"] == "123-45678-2026-001"
    rows = list(csv.reader(io.StringIO(receipt.csv_path.read_text("utf-8"))))
    assert rows[0][:2] == ["read_id", "plate"]
    makes = {r[1]: r[11] for r in rows[1:]}
    assert makes["4TRK002"] == "'=HYPERLINK(1)"  # a formula cell is text
    places = {r[1]: (r[7], r[8]) for r in rows[1:]}
    assert places["4TRK001"] == ("33.8317", "-118.262")  # where the map puts it


def test_unconfirmed_or_without_purpose_writes_nothing(
    world: World, seeded: Seeded, tmp_path: Path
) -> None:
    svc = CaseFileService(world.store, world.clock)
    out = tmp_path / "out" / "case.pdf"
    with pytest.raises(PurposeRequired):
        svc.export(world.ctx("officer"), _request(seeded.plate_ids, out))
    ctx = world.with_purpose("officer")
    with pytest.raises(CaseFileError, match="Confirm"):
        svc.export(ctx, _request(seeded.plate_ids, out, confirmed=False))
    with pytest.raises(NotAuthorized):
        svc.export(world.ctx("keeper"), _request(seeded.plate_ids, out))
    assert not out.parent.exists()
    assert not log_entries(world.store, "export.case_file")


def test_a_failed_write_leaves_no_file_and_no_entry(
    world: World, seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alpr_desktop.services import case_file as mod

    calls: list[Path] = []

    def flaky(path: Path, data: bytes) -> Path:
        if calls:
            raise OSError(28, "No space left on device")
        calls.append(Path(path))
        Path(path).write_bytes(data)
        return Path(path)

    monkeypatch.setattr(mod, "write_private", flaky)
    ctx = world.with_purpose("officer")
    with pytest.raises(OSError):
        CaseFileService(world.store, world.clock).export(
            ctx, _request(seeded.plate_ids, tmp_path / "case.pdf"))
    assert not (tmp_path / "case.pdf").exists()
    assert not log_entries(world.store, "export.case_file")


def test_the_case_file_reads_its_rows_in_a_fixed_number_of_queries(
    world: World, seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13's figure (a 200-read file in <= 10 s): the reads, their images and their
    places come in one query each, not two queries per read."""
    from alpr_desktop.storage.db import Store

    counted: list[str] = []
    for name in ("query", "query_one"):
        real = getattr(Store, name)

        def spy(self: Store, sql: str, *a: object, _real=real, **kw: object) -> object:
            counted.append(sql)
            return _real(self, sql, *a, **kw)

        monkeypatch.setattr(Store, name, spy)
    ctx = world.with_purpose("officer")
    svc = CaseFileService(world.store, world.clock)
    queries = []
    for n, ids in enumerate((seeded.plate_ids[:1], [*seeded.plate_ids, *seeded.other_ids])):
        counted.clear()
        svc.export(ctx, _request(ids, tmp_path / f"case{n}.pdf"))
        queries.append(len(counted))
    assert queries[0] == queries[1], queries  # 1 read or 8: the same queries


def test_thumbnails_are_embedded_as_jpeg_without_decoding_them_again(
    world: World, seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each thumbnail is made once (OpenCV) and embedded as a DCTDecode stream; reportlab
    used to open every one with PIL and decode all its pixels only to name it."""
    from PIL import Image as PilImage

    def no_decode(self: object, *a: object, **kw: object) -> None:
        raise AssertionError("an embedded thumbnail was decoded again with PIL")

    monkeypatch.setattr(PilImage.Image, "load", no_decode)
    ctx = world.with_purpose("officer")
    ids = [*seeded.plate_ids, *seeded.other_ids]
    receipt = CaseFileService(world.store, world.clock).export(
        ctx, _request(ids, tmp_path / "case.pdf"))
    pdf = receipt.pdf_path.read_bytes()
    assert pdf.count(b"/DCTDecode") == 2 * len(ids)  # a crop and an overview per read


@needs_pdftotext
def test_a_changed_image_and_a_long_place_stay_readable_on_the_page(
    world: World, seeded: Seeded, tmp_path: Path
) -> None:
    """An image whose bytes differ from the hash stored at import says so on its own line,
    and a long place wraps within the page instead of running off it."""
    long_place = "Avalon Blvd between Carson St and the southbound I-405 on-ramp " * 3
    world.store.execute("UPDATE cameras SET location = ? WHERE id = ?",
                        (long_place.strip(), seeded.cams[0]))
    rid = seeded.plate_ids[0]
    world.store.execute("UPDATE images SET sha256 = ? WHERE read_id = ? AND kind = 'crop'",
                        ("0" * 64, rid))
    ctx = world.with_purpose("officer")
    receipt = CaseFileService(world.store, world.clock).export(
        ctx, _request([rid], tmp_path / "case.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(receipt.pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "DIFFERS from the hash stored at import" in text
    assert "on-ramp" in "".join(text.split())
    assert max(len(line) for line in text.splitlines()) < 140  # nothing ran off the page
