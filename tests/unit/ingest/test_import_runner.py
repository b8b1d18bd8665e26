"""Import end to end: each format into a real store, re-import, resume, new cameras, images,
the reject report (places and reasons only), hostile archives, the service's role check and
log entries, and the command line."""

from __future__ import annotations

import argparse
import csv
import io
import os
import zipfile
from pathlib import Path

import pytest
from test_delimited_reader import EXPORT_MAPPING

from alpr_desktop.cli.import_reads import add_import_parser, run_import_command
from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.ingest import reader_process, runner
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.runner import ImportJob, ImportOptions, Progress, detect_format
from alpr_desktop.security import passwords
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.imports import ImportService
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo

# Every test here runs twice: delimited files read in-thread, and in the reader process.
pytestmark = pytest.mark.usefixtures("reader_path")

GENERIC = Mapping(name="g", columns={"plate": "plate", "datetime": "datetime",
                                     "camera": "camera"})


def run(store: Store, clock: FixedClock, files: list[Path], **opts: object):
    return ImportJob(store, clock, ImportOptions(**opts)).run(files)  # type: ignore[arg-type]


def write_csv(path: Path, n: int, *, bad_every: int = 0, start: int = 0) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["plate", "datetime", "camera"])
        for i in range(start, start + n):
            plate = "BAD#" if bad_every and i % bad_every == 0 else f"7A{i:06d}"
            w.writerow([plate, f"2025-01-02T03:{(i // 60) % 60:02d}:{i % 60:02d}Z",
                        f"Cam {i % 3}"])
    return path


def test_each_format_lands_in_the_store(store: Store, clock: FixedClock, fixtures: Path) -> None:
    s = run(store, clock, [fixtures / "contractor_export.csv", fixtures / "openalpr_group.json",
                           fixtures / "openalpr_groups.jsonl", fixtures / "genetec_reads.xml"],
            mapping=EXPORT_MAPPING, report_path=fixtures / "rejects.csv")
    by_name = {f.name: f for f in s.files}
    assert [f.format for f in s.files] == ["delimited", "openalpr", "openalpr", "genetec"]
    assert by_name["contractor_export.csv"].accepted == 3
    assert by_name["openalpr_group.json"].accepted == 1
    # the JSON-lines file repeats the first group (same best_uuid): a duplicate, not a new read
    assert (by_name["openalpr_groups.jsonl"].accepted,
            by_name["openalpr_groups.jsonl"].duplicates) == (1, 1)
    assert by_name["genetec_reads.xml"].accepted == 2
    assert s.rejected == 0 and s.report_path is None
    reads = ReadRepo(store)
    assert reads.count() == 7
    assert set(s.new_cameras) == {"Avalon & Carson NB", "Main & 223rd", "Carson St WB Sharp 2"}
    cams = {c.name: c for c in CameraRepo(store).all()}
    assert cams["Avalon & Carson NB"].latitude == pytest.approx(33.83155)
    # images: the CSV's crop from the folder, OpenALPR's two embedded, Genetec's base64 crop
    # and the context image by relative path
    assert ImageRepo(store).count() == 1 + 2 + 2
    honda = reads.by_plate("7ABC123")
    assert {r.make.upper() for r in honda} == {"HONDA"}
    openalpr = next(r for r in honda if r.model == "civic")
    assert (openalpr.state, openalpr.direction, openalpr.color) == ("CA", "S", "silver-gray")
    assert ("7A8C123", pytest.approx(0.817)) in openalpr.candidates  # percent in, 0-1 kept


def test_an_import_keeps_more_pages_cached_on_its_own_connection(
        store: Store, clock: FixedClock, tmp_path: Path) -> None:
    """In a large store each imported read lands on a random index leaf: the import's
    connection keeps IMPORT_CACHE_MIB of decrypted pages (freed when it closes)."""
    assert store.scalar("PRAGMA cache_size") == -64 * 1024  # the program's default
    run(store, clock, [write_csv(tmp_path / "a.csv", 10)], mapping=GENERIC)
    assert store.scalar("PRAGMA cache_size") == -runner.IMPORT_CACHE_MIB * 1024
    assert runner.IMPORT_CACHE_MIB > 64


def test_importing_the_same_file_twice_adds_nothing(store: Store, clock: FixedClock,
                                                    tmp_path: Path) -> None:
    p = write_csv(tmp_path / "a.csv", 50, bad_every=10)
    first = run(store, clock, [p], mapping=GENERIC, report_path=tmp_path / "r1.csv")
    assert (first.accepted, first.rejected) == (45, 5)
    second = run(store, clock, [p], mapping=GENERIC, report_path=tmp_path / "r2.csv")
    assert second.files[0].already_imported
    assert ReadRepo(store).count() == 45
    assert second.rejected == 5  # the report still lists the file's rejects
    # the same reads in a different file (another name, reordered) are duplicates
    copy = tmp_path / "b.csv"
    lines = p.read_text().splitlines()
    copy.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    third = run(store, clock, [copy], mapping=GENERIC, report_path=tmp_path / "r3.csv")
    assert (third.accepted, third.duplicates) == (0, 45)
    assert ReadRepo(store).count() == 45


def test_cancel_then_resume_finishes_without_duplicates(store: Store, clock: FixedClock,
                                                        tmp_path: Path) -> None:
    p = write_csv(tmp_path / "a.csv", 1000, bad_every=7)
    seen: list[Progress] = []
    job = ImportJob(store, clock, ImportOptions(mapping=GENERIC, batch_size=100,
                                                report_path=tmp_path / "r.csv"),
                    progress=seen.append, cancel=lambda: len(seen) >= 3)
    s1 = job.run([p])
    assert s1.cancelled and 0 < ReadRepo(store).count() < 1000
    assert [p.records for p in seen] == [100 * (i + 1) for i in range(len(seen))]
    assert seen[-1].records < 1000
    s2 = run(store, clock, [p], mapping=GENERIC, batch_size=100, report_path=tmp_path / "r.csv")
    assert s2.files[0].resumed and not s2.cancelled
    expected_bad = len([i for i in range(1000) if i % 7 == 0])
    assert ReadRepo(store).count() == 1000 - expected_bad
    assert s2.files[0].accepted == 1000 - expected_bad
    assert s2.rejected == expected_bad  # rejects of both runs
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert len(rows) == 1 + expected_bad


def test_reject_report_has_places_and_reasons_but_no_values(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    p = tmp_path / "x.csv"
    p.write_text("plate,datetime,camera\nSECRET#1,2025-01-02T03:04:05Z,Cam\n"
                 "7SECRET,2099-01-02T03:04:05Z,Cam\n7ABC123,2025-01-02T03:04:05Z,Cam\n")
    s = run(store, clock, [p], mapping=GENERIC, report_path=tmp_path / "rej.csv")
    text = (tmp_path / "rej.csv").read_text()
    assert "SECRET" not in text and "7ABC123" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["file"], r["line"], r["column"], r["reason"]) for r in rows] == [
        ("x.csv", "2", "plate", "plate_characters"), ("x.csv", "3", "datetime", "time_in_future")]
    assert s.rejected_by_reason() == {"plate_characters": 1, "time_in_future": 1}


def test_images_from_a_zip_beside_the_data(store: Store, clock: FixedClock,
                                           tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "export.csv"
    data.write_text("plate,datetime,camera,crop_image\n7ABC123,2025-01-02T03:04:05Z,C,"
                    "crops\\7ABC123.jpg\n7ABC124,2025-01-02T03:04:05Z,C,crops/none.jpg\n")
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as zf:
        zf.write(fixtures / "crop_7ABC123.jpg", "crops/7ABC123.jpg")
    m = Mapping(columns={**GENERIC.columns, "crop_image": "crop_image"})
    s = run(store, clock, [data], mapping=m, report_path=tmp_path / "r.csv")
    assert (s.accepted, s.rejected_by_reason()) == (1, {"image_missing": 1})
    (img,) = ImageRepo(store).for_read(ReadRepo(store).by_plate("7ABC123")[0].id)
    assert img.data == (fixtures / "crop_7ABC123.jpg").read_bytes()


def test_hostile_zip_refuses_the_file(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    data = tmp_path / "export.csv"
    data.write_text("plate,datetime,camera\n7ABC123,2025-01-02T03:04:05Z,C\n")
    with zipfile.ZipFile(tmp_path / "export.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.jpg", b"\0" * 2_000_000)
    s = run(store, clock, [data], mapping=GENERIC)
    assert "decompression bomb" in s.files[0].refused
    assert ReadRepo(store).count() == 0


def test_delimited_without_mapping_and_unknown_files(store: Store, clock: FixedClock,
                                                     tmp_path: Path) -> None:
    p = write_csv(tmp_path / "a.csv", 3)
    s = run(store, clock, [p, tmp_path / "missing.csv"])
    assert "mapping" in s.files[0].refused
    assert "cannot be read" in s.files[1].refused
    (tmp_path / "x.dat").write_text("<Reads/>")
    assert detect_format(tmp_path / "x.dat") == "genetec"


def test_errors_while_reading_surface_as_refusals(store: Store, clock: FixedClock,
                                                  tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("plate,when,camera\n7ABC123,2025-01-02T03:04:05Z,C\n")
    s = run(store, clock, [p, write_csv(tmp_path / "b.csv", 5)], mapping=GENERIC,
            report_path=tmp_path / "r.csv")
    assert s.files[0].refused == "a.csv has no column 'datetime' (mapped to datetime)."
    assert (s.files[1].accepted, ReadRepo(store).count()) == (5, 5)


def test_reader_path_by_size_or_forced(store: Store, clock: FixedClock, tmp_path: Path,
                                       reader_path: str) -> None:
    p = write_csv(tmp_path / "a.csv", 3)
    job = ImportJob(store, clock, ImportOptions(mapping=GENERIC))
    assert job._use_process(p) is (reader_path == "process")
    for forced in (True, False):
        job = ImportJob(store, clock, ImportOptions(mapping=GENERIC, reader_process=forced))
        assert job._use_process(p) is forced


def test_a_reader_process_that_dies_is_an_error_not_a_hang() -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    receiving, sending = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=os._exit, args=(3,), daemon=True)
    proc.start()
    sending.close()
    with pytest.raises(reader_process.ReaderProcessError, match="exit code 3"):
        reader_process.receive(receiving, proc)
    receiving.close()
    reader_process.stop(proc)


# -- the service: role check and log entries -----------------------------------------------

@pytest.fixture
def people(store: Store, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> AuthService:
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    repo = AccountRepo(store)
    for name, roles, sworn in (("vendor", {Role.CONTRACTOR}, False),
                               ("root", {Role.ADMIN}, False),
                               ("officer", {Role.ANALYST}, True),
                               ("keeper", {Role.CUSTODIAN}, False)):
        repo.add(Account(None, name, name.title(), "Org", badge_number="1" if sworn else "",
                         sworn=sworn, roles=frozenset(roles)),
                 passwords.hash_password("Pw-for-" + name + "-123"), clock.now_ms())
    return AuthService(store, clock)


def ctx_of(auth: AuthService, name: str):
    return auth.context(auth.sign_in(name, "Pw-for-" + name + "-123"))


@pytest.mark.parametrize("who", ["vendor", "root"])
def test_contractor_and_admin_import_and_it_is_logged(
    store: Store, clock: FixedClock, people: AuthService, tmp_path: Path, who: str
) -> None:
    p = write_csv(tmp_path / "a.csv", 10, bad_every=4)
    s = ImportService(store, clock).run(ctx_of(people, who), [p],
                                        ImportOptions(mapping=GENERIC,
                                                      report_path=tmp_path / "r.csv"))
    assert (s.accepted, s.rejected) == (7, 3)
    entries = [e for e in AccessLogRepo(store).entries(limit=1000) if e.event.startswith("import")]
    assert [e.event for e in entries] == ["import.started", "import.batch", "import"]
    done = entries[-1]
    assert done.username == who and done.outcome == "ok"
    assert done.query["files"][0]["name"] == "a.csv"
    assert len(done.query["files"][0]["sha256"]) == 64
    assert (done.detail["accepted"], done.detail["rejected"]) == (7, 3)
    assert "7A000001" not in done.detail_json + done.query_json


@pytest.mark.parametrize("who", ["officer", "keeper"])
def test_other_roles_are_refused_and_logged(
    store: Store, clock: FixedClock, people: AuthService, tmp_path: Path, who: str
) -> None:
    p = write_csv(tmp_path / "a.csv", 3)
    with pytest.raises(NotAuthorized):
        ImportService(store, clock).run(ctx_of(people, who), [p], ImportOptions(mapping=GENERIC))
    assert ReadRepo(store).count() == 0
    last = AccessLogRepo(store).entries(limit=1000)[-1]
    assert (last.event, last.username, last.outcome) == ("gate.refused", who, "refused")


# -- the command line --------------------------------------------------------------------------

def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    add_import_parser(p.add_subparsers(dest="command"))
    return p.parse_args(argv)


def test_command_line_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    from alpr_desktop.security import keys
    from alpr_desktop.services.keyslots import write_account_slot
    from alpr_desktop.services.stores import create_new_store

    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**10))
    path = tmp_path / "cli.alprdb"
    # Signing in opens the store: the vendor's key slot and this keyring's workstation secret.
    s = create_new_store(path, "recovery passphrase of the import test")
    vendor = AccountRepo(s).add(
        Account(None, "vendor", "V", "Org", roles=frozenset({Role.CONTRACTOR})),
        passwords.hash_password("Pw-for-vendor-123"), 0)
    write_account_slot(s, vendor, "Pw-for-vendor-123", reason="test")
    s.close()
    monkeypatch.setattr("alpr_desktop.core.paths.default_store_path", lambda: path)
    monkeypatch.setattr("sys.stdin", io.StringIO("Pw-for-vendor-123\n"))
    data = write_csv(tmp_path / "a.csv", 20, bad_every=5)
    mapping_file = tmp_path / "m.json"
    mapping_file.write_text(GENERIC.to_json())
    args = parse(["import", str(data), "--user", "vendor", "--password-stdin", "--quiet",
                  "--mapping-file", str(mapping_file), "--save-mapping", "acme v2",
                  "--report", str(tmp_path / "rej.csv")])
    assert run_import_command(args) == 0
    out = capsys.readouterr().out
    assert "16 added" in out and "4 rejected" in out and "rej.csv" in out
    # a second run by the saved name adds nothing
    monkeypatch.setattr("sys.stdin", io.StringIO("Pw-for-vendor-123\n"))
    args = parse(["import", str(data), "--user", "vendor", "--password-stdin", "--quiet",
                  "--mapping", "acme v2"])
    assert run_import_command(args) == 0
    again = capsys.readouterr().out
    assert "imported earlier" in again and "0 added, 16 already in the store" in again
    # a wrong password: one line, non-zero
    monkeypatch.setattr("sys.stdin", io.StringIO("nope\n"))
    args = parse(["import", str(data), "--user", "vendor", "--password-stdin", "--quiet",
                  "--mapping", "acme v2"])
    assert run_import_command(args) == 1
    assert "Wrong username or password" in capsys.readouterr().err


def test_password_is_not_an_argument() -> None:
    with pytest.raises(SystemExit):
        parse(["import", "a.csv", "--user", "vendor", "--password", "x"])
