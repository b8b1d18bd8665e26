"""Delimited text: detection, mapping, date-time formats and zones, missing markers, limits."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alpr_desktop.ingest.delimited import DelimitedReader, Mapping, detect_delimiter
from alpr_desktop.ingest.records import FileRefused, RawRecord, Reason, Reject
from alpr_desktop.ingest.timeparse import FormatError, compile_tokens, make_parser

EXPORT_MAPPING = Mapping(
    name="acme",
    columns={"plate": "Plate", "datetime": "Read Date", "camera": "Camera", "state": "State",
             "latitude": "Latitude", "longitude": "Longitude", "make": "Make", "color": "Color",
             "speed": "Speed", "vendor_id": "Read ID", "crop_image": "Plate Image"},
    datetime_format="MM/DD/YYYY - HH:mm:SS",
    timezone="America/Los_Angeles",
)


def utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def records(path: Path, mapping: Mapping, **kw: object) -> list[RawRecord | Reject]:
    return list(DelimitedReader(path, mapping, **kw).records())  # type: ignore[arg-type]


def test_contractor_export_maps_columns_and_ignores_extras(fixtures: Path) -> None:
    reader = DelimitedReader(fixtures / "contractor_export.csv", EXPORT_MAPPING)
    assert reader.delimiter == ";"
    out = list(reader.records())
    assert [type(r) for r in out] == [RawRecord] * 3
    first = out[0]
    assert isinstance(first, RawRecord)
    assert (first.line, first.plate, first.camera, first.vendor_id) == (
        2, "7ABC123", "Avalon & Carson NB", "A-1001")
    assert first.images[0].path == "crop_7ABC123.jpg"
    assert reader.time_parser(first.time) == utc(2025, 1, 2, 21, 4, 5)  # PST = UTC-8
    second = out[1]
    assert second.make is None and second.color is None and second.speed is None  # NULL, NA, ''
    assert second.images == []
    assert reader.time_parser(second.time) == utc(2025, 7, 4, 16, 30, 0)  # PDT = UTC-7
    assert not hasattr(first, "Remarks")


@pytest.mark.parametrize("delim", [",", "\t", "|", ";"])
def test_delimiter_is_detected(tmp_path: Path, delim: str) -> None:
    p = tmp_path / "x.txt"
    with p.open("w", newline="") as fh:
        w = csv.writer(fh, delimiter=delim)
        w.writerow(["plate", "datetime", "camera", "note"])
        for i in range(5):
            w.writerow([f"7ABC12{i}", "2025-01-02T03:04:05Z", "Cam, north", "a;b|c"])
    assert detect_delimiter(p.read_text()) == delim
    out = records(p, Mapping(columns={"plate": "plate", "datetime": "datetime",
                                      "camera": "camera"}))
    assert [r.camera for r in out] == ["Cam, north"] * 5  # type: ignore[union-attr]


def test_delimiter_override_beats_detection(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("plate;datetime|camera\n7ABC123;2025-01-02T03:04:05|C1\n")
    m = Mapping(columns={"plate": "plate;datetime", "datetime": "camera", "camera": "camera"})
    reader = DelimitedReader(p, m, delimiter="|")
    assert reader.delimiter == "|"
    (rec,) = reader.records()
    assert isinstance(rec, RawRecord) and rec.plate == "7ABC123;2025-01-02T03:04:05"


def test_two_columns_for_date_and_time_and_column_numbers(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("7ABC123,2025-03-09,03:30:00,Gate\n")
    m = Mapping(columns={"plate": "#1", "date": "#2", "time": "#3", "camera": "#4"},
                datetime_format="YYYY-MM-DD HH:mm:SS", timezone="America/Los_Angeles",
                has_header=False)
    reader = DelimitedReader(p, m)
    (rec,) = reader.records()
    assert isinstance(rec, RawRecord)
    assert rec.time == "2025-03-09 03:30:00"
    assert reader.time_parser(rec.time) == utc(2025, 3, 9, 10, 30, 0)  # after spring forward


@pytest.mark.parametrize(
    ("fmt", "zone", "text", "expected"),
    [
        ("iso8601", "UTC", "2025-01-02T03:04:05Z", utc(2025, 1, 2, 3, 4, 5)),
        ("iso8601", "America/Los_Angeles", "2025-01-02T03:04:05", utc(2025, 1, 2, 11, 4, 5)),
        ("iso8601", "UTC", "2025-01-02T03:04:05+02:00", utc(2025, 1, 2, 1, 4, 5)),
        ("epoch_s", "UTC", "1735787045", 1735787045),
        ("epoch_ms", "UTC", "1735787045999", 1735787045),
        ("MM/DD/YYYY - HH:mm:SS", "UTC", "1/2/2025 - 3:04:05", utc(2025, 1, 2, 3, 4, 5)),
        ("DD.MM.YY HH:mm", "UTC", "02.01.25 03:04", utc(2025, 1, 2, 3, 4, 0)),
        ("MM/DD/YYYY hh:mm:SS AM/PM", "UTC", "01/02/2025 12:04:05 AM", utc(2025, 1, 2, 0, 4, 5)),
        ("MM/DD/YYYY hh:mm:SS AM/PM", "UTC", "01/02/2025 01:04:05 pm", utc(2025, 1, 2, 13, 4, 5)),
        ("%d %b %Y %H:%M:%S", "UTC", "02 Jan 2025 03:04:05", utc(2025, 1, 2, 3, 4, 5)),
        ("YYYY-MM-DD HH:mm:SS.FFF", "UTC", "2025-01-02 03:04:05.250", utc(2025, 1, 2, 3, 4, 5)),
    ],
)
def test_time_formats(fmt: str, zone: str, text: str, expected: int) -> None:
    assert make_parser(fmt, zone)(text) == expected


@pytest.mark.parametrize(
    ("fmt", "text"),
    [("MM/DD/YYYY HH:mm:SS", "13/02/2025 01:00:00"), ("MM/DD/YYYY HH:mm:SS", "02/30/2025 01:00:00"),
     ("MM/DD/YYYY HH:mm:SS", "01/02/2025 25:00:00"), ("iso8601", "yesterday"),
     ("epoch_s", "12abc"), ("epoch_ms", "inf")],
)
def test_unparseable_times_raise(fmt: str, text: str) -> None:
    with pytest.raises(ValueError):
        make_parser(fmt, "UTC")(text)


@pytest.mark.parametrize("fmt", ["HH:mm:SS", "YYYY-MM-DD YYYY", "MM/DD/YYYY hh:mm"])
def test_bad_token_formats_are_refused(fmt: str) -> None:
    with pytest.raises(FormatError):
        compile_tokens(fmt)


def test_unknown_zone_is_a_mapping_problem() -> None:
    m = Mapping(columns={"plate": "p", "datetime": "d", "camera": "c"}, timezone="Mars/Base")
    assert any("time zone" in p for p in m.problems())


def test_missing_markers_are_configurable(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("plate,datetime,camera,make\n7ABC123,2025-01-02T03:04:05,C1,-\n"
                 "7ABC124,2025-01-02T03:04:05,C1, NA \n")
    m = Mapping(columns={"plate": "plate", "datetime": "datetime", "camera": "camera",
                         "make": "make"}, missing=("-",))
    out = records(p, m)
    assert [r.make for r in out] == [None, " NA "]  # type: ignore[union-attr]
    out = records(p, Mapping(**{**m.__dict__, "missing": ("NA", "")}))
    assert [r.make for r in out] == ["-", None]  # type: ignore[union-attr]


def test_fixed_camera_and_short_rows(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("plate,datetime,speed\n7ABC123,2025-01-02T03:04:05\n")
    m = Mapping(columns={"plate": "plate", "datetime": "datetime", "speed": "speed"},
                camera="Fixed pole 3")
    (rec,) = records(p, m)
    assert isinstance(rec, RawRecord) and rec.camera == "Fixed pole 3" and rec.speed is None


def test_mapped_column_absent_refuses_the_file(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("plate,datetime\n7ABC123,2025-01-02T03:04:05\n")
    with pytest.raises(FileRefused, match="no column 'camera'"):
        records(p, Mapping(columns={"plate": "plate", "datetime": "datetime",
                                    "camera": "camera"}))


def test_unusable_mapping_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("a\n")
    with pytest.raises(FileRefused, match="no column for the plate"):
        DelimitedReader(p, Mapping(columns={"datetime": "d", "camera": "c"}))


def test_megabyte_fields_and_lines_are_rejects_and_reading_goes_on(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    big_quoted = '"' + "A" * 300_000 + '"'
    huge_line = "B" * 3_000_000
    p.write_text(
        "plate,datetime,camera\n"
        f"7ABC121,{big_quoted},C1\n"
        f"{huge_line}\n"
        "7ABC123,2025-01-02T03:04:05,C1\n"
    )
    out = records(p, Mapping(columns={"plate": "plate", "datetime": "datetime",
                                      "camera": "camera"}))
    rejects = [r for r in out if isinstance(r, Reject)]
    assert [(r.line, r.reason) for r in rejects] == [
        (2, Reason.FIELD_TOO_LARGE), (3, Reason.FIELD_TOO_LARGE)]
    good = [r for r in out if isinstance(r, RawRecord)]
    assert [(r.line, r.plate) for r in good] == [(4, "7ABC123")]


def test_multiline_quoted_field_keeps_line_numbers(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text('plate,datetime,camera\n7ABC121,2025-01-02T03:04:05,"two\nlines"\n'
                 "7ABC122,2025-01-02T03:04:05,C\n")
    out = records(p, Mapping(columns={"plate": "plate", "datetime": "datetime",
                                      "camera": "camera"}))
    assert [r.line for r in out] == [2, 4]


def test_mapping_json_round_trip_and_fingerprint() -> None:
    again = Mapping.from_json(EXPORT_MAPPING.to_json())
    assert again == EXPORT_MAPPING
    renamed = Mapping(**{**EXPORT_MAPPING.__dict__, "name": "other"})
    assert renamed.fingerprint() == EXPORT_MAPPING.fingerprint()
    changed = Mapping(**{**EXPORT_MAPPING.__dict__, "timezone": "UTC"})
    assert changed.fingerprint() != EXPORT_MAPPING.fingerprint()
