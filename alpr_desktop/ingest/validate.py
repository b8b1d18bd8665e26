"""One set of checks for every format: a record is stored only if all of them pass.

Plate characters and length, a parseable time that is neither in the future nor before 2000,
a camera, coordinates in range, numbers that are numbers, and images that decode within the
imaging limits (header checked before any pixel is decoded).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from alpr_desktop.core.clock import Clock
from alpr_desktop.core.models import BBox
from alpr_desktop.core.plates import MAX_PLATE_LEN, PlateError, normalize_plate
from alpr_desktop.imaging.limits import (
    DEFAULT_LIMITS,
    ImageLimits,
    ImageRejected,
    check_limits,
    decode_with_limits,
)
from alpr_desktop.ingest.archive import ImageSource, NoImages
from alpr_desktop.ingest.records import (
    CameraInfo,
    RawRecord,
    Reason,
    RejectError,
    ValidImage,
    ValidRecord,
)

# Vendor exports give confidence as a percent (0-100); the store keeps 0-1 (migration 0004).
PERCENT = 100.0

MIN_PLATE_LEN = 2  # single characters are OCR noise, not plates
MAX_TEXT = 200  # any text field longer than this is refused, not truncated
MAX_CANDIDATES = 20
EARLIEST = 946_684_800  # 2000-01-01T00:00:00Z: older times are a wrong format or epoch unit
FUTURE_SKEW_S = 60  # a camera clock slightly ahead is not "the future"
MAX_SPEED = 500.0

TimeParser = Callable[[str], int]


def text(value: object, column: str, *, limit: int = MAX_TEXT) -> str:
    """A stripped string ('' for None); refuses megabyte fields with FIELD_TOO_LARGE."""
    if type(value) is str:  # the common case first: this runs ten times a row
        s = value.strip()
        if len(s) > limit:
            raise RejectError(Reason.FIELD_TOO_LARGE, column)
        return s
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RejectError(Reason.MALFORMED, column)
    s = value.strip() if isinstance(value, str) else str(value)
    if len(s) > limit:
        raise RejectError(Reason.FIELD_TOO_LARGE, column)
    return s


def number(value: object, column: str, reason: Reason) -> float | None:
    if type(value) is str and 0 < len(value) <= 64:
        try:
            out = float(value)
        except ValueError:
            raise RejectError(reason, column) from None
        if out - out != 0.0:  # inf or nan
            raise RejectError(reason, column)
        return out
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RejectError(reason, column)
    if isinstance(value, str):
        if len(value) > 64:
            raise RejectError(Reason.FIELD_TOO_LARGE, column)
        value = value.strip()
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RejectError(reason, column) from None
    if not math.isfinite(out):
        raise RejectError(reason, column)
    return out


_NORMAL_PLATE = re.compile(rf"[A-Z0-9]{{{MIN_PLATE_LEN},{MAX_PLATE_LEN}}}")
_TEXT_TYPES = frozenset({str, type(None)})
_SHORT_TEXT = 32  # the limit of state and direction


def plate_of(value: object, column: str = "plate") -> tuple[str, str]:
    """(plate as read, normalized plate)."""
    if type(value) is str and _NORMAL_PLATE.fullmatch(value):
        return value, value  # already normal: normalize_plate would return it unchanged
    raw = text(value, column, limit=64)
    if not raw:
        raise RejectError(Reason.PLATE_MISSING, column)
    try:
        norm = normalize_plate(raw)
    except PlateError as exc:
        msg = str(exc)
        reason = Reason.PLATE_LENGTH if ("longer" in msg or "empty" in msg) else (
            Reason.PLATE_CHARACTERS
        )
        raise RejectError(reason, column) from None
    if not MIN_PLATE_LEN <= len(norm) <= MAX_PLATE_LEN:
        raise RejectError(Reason.PLATE_LENGTH, column)
    return raw, norm


_NUMBER_RANGES = ((-90.0, 90.0), (-180.0, 180.0), (0.0, MAX_SPEED), (0.0, 100.0))


def _plain_numbers(*values: object) -> list[float | None] | None:
    """Latitude, longitude, speed and confidence as floats (None stays None) when each is
    plainly a number in its range; None when any is not, for the full checks to name."""
    out: list[float | None] = []
    for v, (lo, hi) in zip(values, _NUMBER_RANGES, strict=True):
        if v is None:
            out.append(None)
            continue
        if type(v) is not str or len(v) > 64:
            return None
        try:
            f = float(v)
        except ValueError:
            return None
        if not lo <= f <= hi:  # also refuses inf and nan
            return None
        out.append(f)
    return out


def _whole(value: object) -> int | None:
    """A pixel position as an int: whole numbers (also as text or 12.0); None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        if len(value) > 16:
            return None
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float) or value != value or abs(value) > 1e6:
        return None
    return round(value)


def plate_box(box: tuple[object, object, object, object],
              images: tuple[ValidImage, ...]) -> BBox | None:
    """The plate's box in the overview, clipped to it; None when there is no overview or the
    box is not four whole numbers with any area inside it. A bad box never costs the read:
    the read is what the camera saw, the box only a help to find the plate in the scene."""
    overview = next((im for im in images if im.kind == "overview"), None)
    nums = [_whole(v) for v in box]
    if overview is None or any(n is None for n in nums):
        return None
    x, y, w, h = (int(n) for n in nums)  # type: ignore[arg-type]
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, overview.width), min(y + h, overview.height)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return BBox(x0, y0, x1 - x0, y1 - y0)


class Validator:
    """Checks RawRecords against a clock (for "not in the future") and an image source."""

    def __init__(
        self,
        clock: Clock,
        images: ImageSource | None = None,
        *,
        time_parser: TimeParser | None = None,
        image_limits: ImageLimits = DEFAULT_LIMITS,
        check_images: bool = True,
    ) -> None:
        self.clock = clock
        self.images = images or NoImages()
        self.time_parser = time_parser
        self.image_limits = image_limits
        self.check_images = check_images
        self._cameras: dict[tuple, CameraInfo] = {}

    def _time(self, value: object) -> int:
        if value is None or value == "":
            raise RejectError(Reason.TIME_MISSING, "time")
        if isinstance(value, bool):
            raise RejectError(Reason.TIME_UNPARSEABLE, "time")
        if isinstance(value, int):
            ts = value
        elif isinstance(value, str):
            if len(value) > 64:
                raise RejectError(Reason.FIELD_TOO_LARGE, "time")
            if self.time_parser is None:
                raise RejectError(Reason.TIME_UNPARSEABLE, "time")
            try:
                ts = self.time_parser(value)
            except (ValueError, OverflowError):
                raise RejectError(Reason.TIME_UNPARSEABLE, "time") from None
        else:
            raise RejectError(Reason.TIME_UNPARSEABLE, "time")
        if ts < EARLIEST:
            raise RejectError(Reason.TIME_TOO_OLD, "time")
        if ts > self.clock.now_ms() // 1000 + FUTURE_SKEW_S:
            raise RejectError(Reason.TIME_IN_FUTURE, "time")
        return ts

    def _coords(self, raw: RawRecord) -> tuple[float | None, float | None]:
        lat = number(raw.latitude, "latitude", Reason.COORDINATE_UNPARSEABLE)
        lon = number(raw.longitude, "longitude", Reason.COORDINATE_UNPARSEABLE)
        if lat is not None and not -90.0 <= lat <= 90.0:
            raise RejectError(Reason.COORDINATE_OUT_OF_RANGE, "latitude")
        if lon is not None and not -180.0 <= lon <= 180.0:
            raise RejectError(Reason.COORDINATE_OUT_OF_RANGE, "longitude")
        if lat == 0.0 and lon == 0.0:  # vendors write 0,0 for "no GPS fix"
            return None, None
        return lat, lon

    def _candidates(self, raw: RawRecord, norm: str) -> tuple[tuple[str, float], ...]:
        """Alternates the reader offered; a bad alternate is dropped, never the record."""
        out: list[tuple[str, float]] = []
        seen = {norm}
        for plate, conf in raw.candidates[: MAX_CANDIDATES * 2]:
            try:
                cand, cnorm = plate_of(plate, "candidates")
                c = number(conf, "candidates", Reason.NUMBER_UNPARSEABLE) or 0.0
                c = min(max(c, 0.0), PERCENT) / PERCENT
            except RejectError:
                continue
            if cnorm not in seen:
                seen.add(cnorm)
                out.append((cand, c))
            if len(out) >= MAX_CANDIDATES:
                break
        return tuple(out)

    def _images(self, raw: RawRecord) -> tuple[ValidImage, ...]:
        out: list[ValidImage] = []
        kinds: set[str] = set()
        for ref in raw.images:
            if ref.kind in kinds:
                continue
            data = ref.data
            if data is None:
                if not ref.path:
                    continue
                try:
                    data = self.images.read(ref.path)
                except RejectError as exc:
                    raise RejectError(exc.reason, ref.column) from None
            try:
                if self.check_images:
                    img = decode_with_limits(data, self.image_limits, grayscale=True)
                    h, w = img.shape[:2]
                    fmt = "png" if data[:4] == b"\x89PNG" else "jpeg"
                else:
                    head = check_limits(data, self.image_limits)
                    fmt, w, h = head.format, head.width, head.height
            except ImageRejected as exc:
                raise RejectError(Reason(exc.reason), ref.column) from None
            kinds.add(ref.kind)
            out.append(ValidImage(ref.kind, fmt, data, w, h))
        return tuple(out)

    def _camera(self, name: str, lat: float | None, lon: float | None, loc: str,
                vendor_id: str = "") -> CameraInfo:
        key = (name, lat, lon, loc) if not vendor_id else (name, lat, lon, loc, vendor_id)
        cam = self._cameras.get(key)
        if cam is None:
            if len(self._cameras) > 10_000:
                self._cameras.clear()
            cam = self._cameras[key] = CameraInfo(name, lat, lon, loc, vendor_id)
        return cam

    def validate(self, raw: RawRecord) -> ValidRecord:
        """A ValidRecord, or RejectError naming the first failed check.

        A million-row import calls this a million times, so the common record (text fields,
        no images or alternates, every check passed the ordinary way) is checked inline here.
        Anything else, and anything in doubt, goes to ``checked``, the one place that decides
        reasons; this path only ever returns what ``checked`` would return."""
        plate, t, cam = raw.plate, raw.time, raw.camera
        parse = self.time_parser
        if (
            raw.images or raw.candidates or parse is None or raw.camera_vendor_id is not None
            or type(plate) is not str or type(cam) is not str or type(t) is not str
            or len(t) > 64 or _NORMAL_PLATE.fullmatch(plate) is None
        ):
            return self.checked(raw)
        try:
            ts = parse(t)
        except (ValueError, OverflowError):
            return self.checked(raw)
        camera = cam.strip()
        if (
            not EARLIEST <= ts <= self.clock.now_ms() // 1000 + FUTURE_SKEW_S
            or not camera or len(camera) > MAX_TEXT
        ):
            return self.checked(raw)
        nums = _plain_numbers(raw.latitude, raw.longitude, raw.speed, raw.confidence)
        if nums is None:
            return self.checked(raw)
        lat, lon, speed, conf = nums
        if lat == 0.0 and lon == 0.0:
            lat = lon = None
        texts = (raw.vendor_id, raw.location, raw.state, raw.direction, raw.make, raw.model,
                 raw.color, raw.body_type)
        if not _TEXT_TYPES.issuperset(map(type, texts)):
            return self.checked(raw)
        vid, loc, state, direction, make, model, color, body = (
            "" if v is None else str.strip(v) for v in texts  # type: ignore[arg-type]
        )
        if max(map(len, (vid, loc, state, direction, make, model, color, body))) > _SHORT_TEXT and (
            len(state) > _SHORT_TEXT or len(direction) > _SHORT_TEXT
            or max(map(len, (vid, loc, make, model, color, body))) > MAX_TEXT
        ):
            return self.checked(raw)
        cam_key = (camera, lat, lon, loc)
        info = self._cameras.get(cam_key)
        if info is None:
            info = self._camera(camera, lat, lon, loc)
        return ValidRecord(raw.line, plate, plate, ts, info, state.upper(), direction, make,
                           model, color, body, speed, (conf or 0.0) / PERCENT, lat, lon, (),
                           vid or None)

    def checked(self, raw: RawRecord) -> ValidRecord:
        """Every check, in order, for any record: the reference that decides reasons."""
        plate, norm = plate_of(raw.plate)
        ts = self._time(raw.time)
        camera = text(raw.camera, "camera")
        if not camera:
            raise RejectError(Reason.CAMERA_MISSING, "camera")
        lat, lon = self._coords(raw)
        speed = number(raw.speed, "speed", Reason.NUMBER_UNPARSEABLE)
        if speed is not None and not 0.0 <= speed <= MAX_SPEED:
            raise RejectError(Reason.NUMBER_UNPARSEABLE, "speed")
        conf = number(raw.confidence, "confidence", Reason.NUMBER_UNPARSEABLE)
        if conf is not None and not 0.0 <= conf <= 100.0:
            raise RejectError(Reason.NUMBER_UNPARSEABLE, "confidence")
        vendor_id = text(raw.vendor_id, "vendor_id") or None
        images = self._images(raw) if raw.images else ()
        return ValidRecord(
            line=raw.line,
            plate=plate,
            plate_norm=norm,
            recorded_at=ts,
            camera=self._camera(camera, lat, lon, text(raw.location, "location"),
                                text(raw.camera_vendor_id, "camera_id", limit=_SHORT_TEXT * 2)),
            state=text(raw.state, "state", limit=_SHORT_TEXT).upper(),
            direction=text(raw.direction, "direction", limit=_SHORT_TEXT),
            make=text(raw.make, "make"),
            model=text(raw.model, "model"),
            color=text(raw.color, "color"),
            body_type=text(raw.body_type, "body_type"),
            speed=speed,
            confidence=(conf or 0.0) / PERCENT,
            latitude=lat,
            longitude=lon,
            candidates=self._candidates(raw, norm) if raw.candidates else (),
            vendor_id=vendor_id,
            images=images,
            bbox=plate_box(raw.bbox, images) if raw.bbox is not None else None,
        )
