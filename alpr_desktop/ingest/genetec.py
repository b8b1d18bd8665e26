"""Genetec AutoVu XML reads: Plate, State, UTCDate, UTCTime, CameraName, SourceName,
ContextImage, PlateImage, LongitudeX, LatitudeY, Guid, ConfidenceScore.

AutoVu's read exports carry no camera id of their own: a camera is named by the unit that
read (SourceName: the Sharp's name, or the Patroller's for a car carrying several Sharps)
and its camera on that unit (CameraName). The two together are the vendor's camera id
('genetec:<SourceName>/<CameraName>'), kept on the camera and matched before its name, as
OpenALPR's camera_id is.

Any element with a ``Plate`` child is a read, whatever the wrapper is called. Parsing is
streamed with expat so each read keeps its line number. defusedxml is not available, so the
same guard is built in: a DOCTYPE, an entity declaration or an external entity refuses the
file before any expansion can happen; text fields are capped so a megabyte field is a reject,
not a memory problem. Images are base64 inside the element or a relative path to a file.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from alpr_desktop.imaging.limits import DEFAULT_LIMITS
from alpr_desktop.ingest.records import FileRefused, ImageRef, RawRecord, Reason, Reject
from alpr_desktop.ingest.timeparse import TimeParser, make_parser

MAX_TEXT = 4096
MAX_IMAGE_CHARS = DEFAULT_LIMITS.max_bytes * 4 // 3 + 4
IMAGE_FIELDS = {"PlateImage": "crop", "ContextImage": "overview"}
CHUNK = 1 << 20
_PATHLIKE = re.compile(r"^[^<>|\"]{1,400}\.(jpe?g|png)$", re.IGNORECASE)
_DATE_FORMATS = ("YYYY-MM-DD", "MM/DD/YYYY", "YYYY/MM/DD")


class _Refuse(Exception):
    pass


def _utc_parser() -> TimeParser:
    """UTCDate + ' ' + UTCTime in the forms AutoVu writes (ISO or US date, 24-hour time)."""
    parsers = [make_parser(f"{d} HH:mm:SS", "UTC") for d in _DATE_FORMATS]
    iso = make_parser("iso8601", "UTC")

    def parse(text: str) -> int:
        for p in parsers:
            try:
                return p(text)
            except ValueError:
                continue
        return iso(text.replace(" ", "T", 1))

    return parse


def _image(text: str, kind: str, column: str) -> ImageRef | Reject | None:
    t = text.strip()
    if not t:
        return None
    if _PATHLIKE.match(t):
        return ImageRef(kind, path=t, column=column)
    if len(t) > MAX_IMAGE_CHARS:
        return Reject("", 0, Reason.IMAGE_TOO_LARGE, column)
    try:
        return ImageRef(kind, data=base64.b64decode("".join(t.split()), validate=True),
                        column=column)
    except (binascii.Error, ValueError):
        return Reject("", 0, Reason.IMAGE_UNDECODABLE, column)


def _camera_id(f: dict[str, str]) -> str | None:
    """The vendor's id of the camera: its unit and its name on the unit (both needed)."""
    unit, cam = (" ".join((f.get(k) or "").split()) for k in ("SourceName", "CameraName"))
    return f"genetec:{unit}/{cam}" if unit and cam else None


class GenetecReader:
    format = "genetec"
    columns: dict[str, str] = {  # noqa: RUF012 - read-only label table
        "plate": "Plate", "time": "UTCDate/UTCTime", "camera": "CameraName",
        "latitude": "LatitudeY", "longitude": "LongitudeX", "confidence": "ConfidenceScore",
        "state": "State", "vendor_id": "Guid", "camera_id": "SourceName/CameraName",
    }

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.time_parser = _utc_parser()

    def records(self) -> Iterator[RawRecord | Reject]:
        name = self.path.name
        out: list[RawRecord | Reject] = []
        # stack of [tag, start line, text parts, text length, child fields, too_large column]
        stack: list[list] = []
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def refuse(*_: object) -> NoReturn:
            raise _Refuse

        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.UnparsedEntityDeclHandler = refuse
        parser.ExternalEntityRefHandler = refuse

        def start(tag: str, _attrs: dict) -> None:
            stack.append([tag, parser.CurrentLineNumber, [], 0, {}, ""])

        def chars(data: str) -> None:
            top = stack[-1] if stack else None
            if top is None:
                return
            cap = MAX_IMAGE_CHARS if top[0] in IMAGE_FIELDS else MAX_TEXT
            if top[3] + len(data) > cap:
                top[5] = top[0]
                top[2].clear()
            elif not top[5]:
                top[2].append(data)
            top[3] += len(data)

        def end(tag: str) -> None:
            tag_, line, parts, _, fields, too_large = stack.pop()
            parent = stack[-1] if stack else None
            if "Plate" in fields:
                out.append(self._record(name, line, fields))
            elif parent is not None and fields:
                for k, v in fields.items():  # a group inside a read (<Images>, <Details>)
                    parent[4].setdefault(k, v)
            elif parent is not None:
                if too_large:
                    parent[4].setdefault("__too_large__", too_large)
                else:
                    parent[4][tag_] = "".join(parts)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        with self.path.open("rb") as fh:
            while True:
                chunk = fh.read(CHUNK)
                try:
                    parser.Parse(chunk, not chunk)
                except _Refuse:
                    raise FileRefused(
                        f"{name} declares a DOCTYPE or entities; such XML is refused."
                    ) from None
                except expat.ExpatError as exc:
                    yield from out
                    yield Reject(name, exc.lineno, Reason.MALFORMED)
                    return
                yield from out
                out.clear()
                if not chunk:
                    return

    def _record(self, name: str, line: int, f: dict[str, str]) -> RawRecord | Reject:
        if "__too_large__" in f:
            return Reject(name, line, Reason.FIELD_TOO_LARGE, f["__too_large__"])
        date, tod = f.get("UTCDate", "").strip(), f.get("UTCTime", "").strip()
        rec = RawRecord(
            line=line,
            plate=f.get("Plate"),
            time=f"{date} {tod}" if date and tod else None,
            camera=f.get("CameraName") or None,
            state=f.get("State"),
            confidence=f.get("ConfidenceScore") or None,
            latitude=f.get("LatitudeY") or None,
            longitude=f.get("LongitudeX") or None,
            location=f.get("SourceName"),
            vendor_id=(f.get("Guid") or "").strip().lower() or None,
            camera_vendor_id=_camera_id(f),
        )
        for tag, kind in IMAGE_FIELDS.items():
            img = _image(f.get(tag, ""), kind, tag)
            if isinstance(img, Reject):
                return Reject(name, line, img.reason, img.column)
            if img is not None:
                rec.images.append(img)
        return rec
