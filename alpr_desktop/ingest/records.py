"""What readers hand to validation, and what validation hands to the runner.

Readers turn one vendor record into a ``RawRecord`` of loosely typed values (text from CSV and
XML, numbers from JSON) and never decide whether the record is good: validation does that for
every format alike. Anything a reader cannot even parse becomes a ``Reject`` right away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from alpr_desktop.core.models import BBox


class Reason(StrEnum):
    """Why a record was refused. The reject report carries these codes, never row values."""

    MALFORMED = "malformed_record"
    FIELD_TOO_LARGE = "field_too_large"
    PLATE_MISSING = "plate_missing"
    PLATE_CHARACTERS = "plate_characters"
    PLATE_LENGTH = "plate_length"
    TIME_MISSING = "time_missing"
    TIME_UNPARSEABLE = "time_unparseable"
    TIME_IN_FUTURE = "time_in_future"
    TIME_TOO_OLD = "time_too_old"
    CAMERA_MISSING = "camera_missing"
    COORDINATE_UNPARSEABLE = "coordinate_unparseable"
    COORDINATE_OUT_OF_RANGE = "coordinate_out_of_range"
    NUMBER_UNPARSEABLE = "number_unparseable"
    IMAGE_MISSING = "image_missing"
    IMAGE_UNSAFE_PATH = "image_unsafe_path"
    IMAGE_UNDECODABLE = "image_undecodable"
    IMAGE_TOO_LARGE = "image_too_large"


REASON_TEXT: dict[Reason, str] = {
    Reason.MALFORMED: "the record cannot be parsed",
    Reason.FIELD_TOO_LARGE: "a field is larger than the import allows",
    Reason.PLATE_MISSING: "no plate",
    Reason.PLATE_CHARACTERS: "the plate has characters a plate cannot have",
    Reason.PLATE_LENGTH: "the plate is too short or too long",
    Reason.TIME_MISSING: "no date or time",
    Reason.TIME_UNPARSEABLE: "the date or time does not match the format",
    Reason.TIME_IN_FUTURE: "the time is in the future",
    Reason.TIME_TOO_OLD: "the time is before the year 2000",
    Reason.CAMERA_MISSING: "no camera",
    Reason.COORDINATE_UNPARSEABLE: "a coordinate is not a number",
    Reason.COORDINATE_OUT_OF_RANGE: "a coordinate is out of range",
    Reason.NUMBER_UNPARSEABLE: "a number (speed, confidence) is not a number or out of range",
    Reason.IMAGE_MISSING: "a referenced image is not in the image folder or archive",
    Reason.IMAGE_UNSAFE_PATH: "an image path points outside the image folder",
    Reason.IMAGE_UNDECODABLE: "an image cannot be decoded",
    Reason.IMAGE_TOO_LARGE: "an image exceeds the imaging limits",
}


@dataclass(frozen=True)
class Reject:
    """One refused record: where it is and why. No field values (they may be plates)."""

    file: str
    line: int
    reason: Reason
    column: str = ""


class RejectError(ValueError):
    """Raised inside validation and readers; becomes a Reject with the record's place."""

    def __init__(self, reason: Reason, column: str = "") -> None:
        super().__init__(f"{reason}: {column}" if column else str(reason))
        self.reason = reason
        self.column = column


@dataclass(frozen=True)
class ImageRef:
    """An image for a read: embedded bytes (base64 already decoded) or a relative path."""

    kind: str  # 'crop' or 'overview'
    data: bytes | None = None
    path: str | None = None
    column: str = ""


@dataclass(slots=True)
class RawRecord:
    """One vendor record before validation. ``time`` is UTC seconds when the reader could
    already parse it, else the text to parse with ``time_parser`` (set by delimited)."""

    line: int
    plate: object = None
    time: object = None
    camera: object = None
    state: object = None
    direction: object = None
    make: object = None
    model: object = None
    color: object = None
    body_type: object = None
    speed: object = None
    confidence: object = None
    latitude: object = None
    longitude: object = None
    location: object = None
    vendor_id: object = None
    candidates: list[tuple[object, object]] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)
    # The plate's box in the overview as (x, y, width, height), each loosely typed; checked
    # against the overview's size by validation, which drops a box that does not fit.
    bbox: tuple[object, object, object, object] | None = None
    camera_vendor_id: object = None  # the vendor's own id of the camera (OpenALPR camera_id)


@dataclass(frozen=True)
class CameraInfo:
    name: str
    latitude: float | None = None
    longitude: float | None = None
    location: str = ""
    vendor_id: str = ""  # the vendor's id of the camera; '' when the export has none


@dataclass(frozen=True)
class ValidImage:
    kind: str
    format: str
    data: bytes
    width: int
    height: int


@dataclass(slots=True)
class ValidRecord:
    """A record that passed every check, ready for the store (not frozen: built a million
    times per import, and frozen dataclasses cost twice as much to build)."""

    line: int
    plate: str
    plate_norm: str
    recorded_at: int
    camera: CameraInfo
    state: str = ""
    direction: str = ""
    make: str = ""
    model: str = ""
    color: str = ""
    body_type: str = ""
    speed: float | None = None
    confidence: float = 0.0
    latitude: float | None = None  # the read's own position, as the export gives it
    longitude: float | None = None
    candidates: tuple[tuple[str, float], ...] = ()
    vendor_id: str | None = None
    images: tuple[ValidImage, ...] = ()
    bbox: BBox | None = None  # the plate in the overview image, when the export says
    # Set by the runner just before storing, so the record itself is the row ReadRepo reads
    # (storage.reads.ReadFields): the key it is stored under, its source and camera id.
    vendor_read_id: str | None = None
    source: str = ""
    camera_id: int = 0


class FileRefused(Exception):
    """A whole input refused before or while reading (hostile archive, XML with a DOCTYPE,
    unreadable file). ``str()`` is a sentence for the summary."""
