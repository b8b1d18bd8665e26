"""Genetec AutoVu XML reads; entity-expansion and DOCTYPE refusal; field caps."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from alpr_desktop.ingest.genetec import GenetecReader
from alpr_desktop.ingest.records import FileRefused, RawRecord, Reason, Reject


def read(path: Path) -> list[RawRecord | Reject]:
    return list(GenetecReader(path).records())


def test_documented_elements_are_read(fixtures: Path) -> None:
    reader = GenetecReader(fixtures / "genetec_reads.xml")
    first, second = reader.records()
    assert isinstance(first, RawRecord) and isinstance(second, RawRecord)
    assert (first.plate, first.state, first.camera, first.location) == (
        "8XYZ999", "CA", "Carson St WB Sharp 2", "Patroller 14")
    assert (first.latitude, first.longitude, first.confidence) == ("33.8312", "-118.2601", "87")
    assert first.vendor_id == "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    assert first.line == 3
    assert reader.time_parser(first.time) == int(datetime(2025, 1, 2, 21, 4, 5,
                                                          tzinfo=UTC).timestamp())
    assert reader.time_parser(second.time) == int(datetime(2025, 1, 3, 7, 15,
                                                           tzinfo=UTC).timestamp())
    crop = next(i for i in first.images if i.kind == "crop")
    assert crop.data is not None and crop.data.startswith(b"\xff\xd8")  # base64 inline
    scene = next(i for i in first.images if i.kind == "overview")
    assert scene.path == "images/scene_7ABC123.png"  # a relative path
    assert second.images == [] and second.latitude is None


def test_any_wrapper_and_nested_groups(tmp_path: Path) -> None:
    p = tmp_path / "r.xml"
    p.write_text("<Export><Batch><LprRead><Plate>7ABC123</Plate><Details>"
                 "<CameraName>C1</CameraName></Details><UTCDate>2025-01-02</UTCDate>"
                 "<UTCTime>03:04:05</UTCTime></LprRead></Batch></Export>")
    (rec,) = read(p)
    assert isinstance(rec, RawRecord) and rec.camera == "C1" and rec.time


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Reads><Read><Plate>&lol3;</Plate></Read></Reads>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Reads><Read><Plate>&xxe;</Plate></Read></Reads>
"""


@pytest.mark.parametrize("doc", [BILLION_LAUGHS, EXTERNAL,
                                 '<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r/>'])
def test_doctype_and_entities_refuse_the_file(tmp_path: Path, doc: str) -> None:
    p = tmp_path / "evil.xml"
    p.write_text(doc)
    with pytest.raises(FileRefused, match="DOCTYPE"):
        read(p)


def test_megabyte_field_is_a_reject(tmp_path: Path) -> None:
    p = tmp_path / "r.xml"
    p.write_text("<Reads><Read><Plate>7ABC123</Plate><CameraName>" + "C" * 2_000_000 +
                 "</CameraName></Read><Read><Plate>7ABC124</Plate></Read></Reads>")
    first, second = read(p)
    assert isinstance(first, Reject) and first.reason == Reason.FIELD_TOO_LARGE
    assert first.column == "CameraName"
    assert isinstance(second, RawRecord)


def test_malformed_xml_keeps_reads_before_the_break(tmp_path: Path) -> None:
    p = tmp_path / "r.xml"
    p.write_text("<Reads>\n<Read><Plate>7ABC123</Plate></Read>\n<Read><Plate>oops</Read>\n")
    first, second = read(p)
    assert isinstance(first, RawRecord)
    assert isinstance(second, Reject) and second.reason == Reason.MALFORMED and second.line == 3


def test_image_that_is_neither_path_nor_base64(tmp_path: Path) -> None:
    p = tmp_path / "r.xml"
    p.write_text("<Reads><Read><Plate>7ABC123</Plate><PlateImage>not an image!</PlateImage>"
                 "</Read></Reads>")
    (rej,) = read(p)
    assert isinstance(rej, Reject) and rej.reason == Reason.IMAGE_UNDECODABLE
