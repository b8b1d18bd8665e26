"""Dataclasses that cross layer boundaries (storage → services → gui/cli)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Camera:
    id: int | None
    name: str
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    heading: str = ""


@dataclass(frozen=True)
class NewRead:
    """A read to be inserted. ``plate_norm`` is derived by the repository."""

    plate: str
    recorded_at: int  # UTC seconds
    camera_id: int
    state: str = ""
    direction: str = ""
    make: str = ""
    model: str = ""
    color: str = ""
    body_type: str = ""
    speed: float | None = None
    confidence: float = 0.0
    latitude: float | None = None  # the read's own position (mobile readers); None: unknown
    longitude: float | None = None
    candidates: tuple[tuple[str, float], ...] = ()
    source: str = ""
    vendor_read_id: str | None = None


@dataclass(frozen=True)
class Read:
    id: int
    plate: str
    plate_norm: str
    state: str
    recorded_at: int
    camera_id: int
    camera_name: str
    location: str
    direction: str
    make: str
    model: str
    color: str
    body_type: str
    speed: float | None
    confidence: float
    # Where the read was taken when the export says (a mobile reader moves); None: unknown,
    # and the camera's position is the best there is.
    latitude: float | None = None
    longitude: float | None = None
    candidates: tuple[tuple[str, float], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class BBox:
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class ImageBlob:
    """Encoded image bytes as stored, with the hash taken when they were stored."""

    read_id: int
    kind: str  # 'crop' or 'overview'
    format: str  # 'jpeg' or 'png'
    data: bytes
    sha256: str
    width: int | None = None
    height: int | None = None
    bbox: BBox | None = None
