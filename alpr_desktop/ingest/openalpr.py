"""OpenALPR agent ``alpr_group`` JSON: one object, an array of them, or JSON lines.

An alpr_group is the agent's summary of one vehicle pass: the best plate and its confidence,
alternates, region (``us-ca``), ``epoch_start`` in milliseconds, camera and site, GPS, travel
direction in degrees, vehicle attributes as ranked ``{name, confidence}`` lists, and base64
JPEG crops when the agent was set to send them. Other data types (heartbeats) are skipped.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alpr_desktop.imaging.limits import DEFAULT_LIMITS
from alpr_desktop.ingest.records import (
    FileRefused,
    ImageRef,
    RawRecord,
    Reason,
    Reject,
    RejectError,
)

MAX_DOCUMENT_BYTES = 512 * 1024 * 1024  # a whole-file JSON document (array or one object)
MAX_LINE_BYTES = 64 * 1024 * 1024  # one JSON line, embedded crops included
MAX_B64_CHARS = DEFAULT_LIMITS.max_bytes * 4 // 3 + 4
_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def compass(degrees: object) -> str:
    """8-point heading for a direction in degrees (0 = north, clockwise); '' if unusable."""
    if isinstance(degrees, bool) or not isinstance(degrees, int | float):
        return ""
    if degrees != degrees or degrees < 0 or degrees > 360:
        return ""
    return _COMPASS[int((degrees + 22.5) // 45) % 8]


def _confidence(entry: dict[str, Any]) -> float:
    """A ranked entry's confidence, 0 when it has none that is a number."""
    value = entry.get("confidence")
    return value if isinstance(value, int | float) else 0


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _top(value: object) -> str | None:
    """The best name of a ranked ``[{name, confidence}]`` list (or a plain string)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        best = max(
            (v for v in value if isinstance(v, dict) and isinstance(v.get("name"), str)),
            key=_confidence,
            default=None,
        )
        return best["name"] if best else None
    return None


def _state(region: object) -> str | None:
    if not isinstance(region, str) or not region:
        return None
    return region.rsplit("-", 1)[-1].upper()


def _b64(value: object, kind: str, column: str) -> ImageRef | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RejectError(Reason.IMAGE_UNDECODABLE, column)
    if len(value) > MAX_B64_CHARS:
        raise RejectError(Reason.IMAGE_TOO_LARGE, column)
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise RejectError(Reason.IMAGE_UNDECODABLE, column) from None
    return ImageRef(kind, data=data, column=column)


def _epoch_s(value: object) -> object:
    """epoch_start (ms) as UTC seconds; anything else is passed on for validation to refuse."""
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 20:
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return int(value // 1000)
    return "" if value is None else str(value)[:100]


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return None
    return float(value)


def plate_box(best: dict[str, Any], obj: dict[str, Any]) -> tuple[object, ...] | None:
    """The plate's box in ``vehicle_crop_jpeg`` (the overview) as (x, y, width, height).

    ``best_plate.coordinates`` are the plate's four corners in the camera frame; the vehicle
    crop is cut from that frame at ``vehicle_region`` (x, y, width, height), so the corners
    are moved by its origin. Without four corners with numbers, no box (validation drops a
    box outside the overview)."""
    corners = best.get("coordinates")
    if not isinstance(corners, list) or len(corners) != 4:
        return None
    xs = [_number(_dict(p).get("x")) for p in corners]
    ys = [_number(_dict(p).get("y")) for p in corners]
    if any(v is None for v in (*xs, *ys)):
        return None
    region = _dict(obj.get("vehicle_region"))
    dx, dy = _number(region.get("x")) or 0.0, _number(region.get("y")) or 0.0
    x0, x1 = min(xs) - dx, max(xs) - dx  # type: ignore[type-var, operator]
    y0, y1 = min(ys) - dy, max(ys) - dy  # type: ignore[type-var, operator]
    return (x0, y0, x1 - x0, y1 - y0)


def group_to_record(obj: dict[str, Any], line: int) -> RawRecord:
    """One alpr_group as a RawRecord; RejectError for an embedded image that is not base64."""
    best = _dict(obj.get("best_plate"))
    vehicle = _dict(obj.get("vehicle"))
    web = _dict(obj.get("web_server_config"))
    site, cam_id = obj.get("site_id"), obj.get("camera_id")
    camera = web.get("camera_label") or (
        f"{site or 'site'} camera {cam_id}" if cam_id not in (None, "") else None
    )
    make, make_model = _top(vehicle.get("make")), _top(vehicle.get("make_model"))
    model = make_model
    if make and make_model and make_model.lower().startswith(make.lower() + "_"):
        model = make_model[len(make) + 1 :]
    uuids = obj.get("uuids")
    vendor_id = obj.get("best_uuid") or (uuids[0] if isinstance(uuids, list) and uuids else None)
    cands_src = best.get("candidates") or obj.get("candidates") or []
    candidates = [
        (c.get("plate"), c.get("confidence"))
        for c in (cands_src if isinstance(cands_src, list) else [])
        if isinstance(c, dict)
    ]
    images = [
        ref
        for ref in (
            _b64(best.get("plate_crop_jpeg"), "crop", "best_plate.plate_crop_jpeg"),
            _b64(obj.get("vehicle_crop_jpeg"), "overview", "vehicle_crop_jpeg"),
        )
        if ref is not None
    ]
    return RawRecord(
        line=line,
        plate=best.get("plate") or obj.get("best_plate_number"),
        time=_epoch_s(obj.get("epoch_start")),
        camera=camera,
        state=_state(best.get("region") or obj.get("best_region")),
        direction=compass(obj.get("travel_direction")),
        make=make,
        model=model,
        color=_top(vehicle.get("color")),
        body_type=_top(vehicle.get("body_type")),
        confidence=best.get("confidence", obj.get("best_confidence")),
        latitude=obj.get("gps_latitude"),
        longitude=obj.get("gps_longitude"),
        location=site if isinstance(site, str) else None,
        vendor_id=vendor_id,
        candidates=candidates,
        images=images,
        bbox=plate_box(best, obj),  # type: ignore[arg-type]
        camera_vendor_id=(f"openalpr:{cam_id}" if isinstance(cam_id, int | str)
                          and not isinstance(cam_id, bool) and str(cam_id).strip() else None),
    )


def _is_group(obj: object) -> bool:
    if not isinstance(obj, dict):
        return False
    dtype = obj.get("data_type")
    return dtype == "alpr_group" or (dtype is None and "best_plate" in obj)


class OpenAlprReader:
    format = "openalpr"
    time_parser = None
    columns: dict[str, str] = {  # noqa: RUF012 - read-only label table
        "plate": "best_plate.plate",
        "time": "epoch_start",
        "camera": "camera_id",
        "latitude": "gps_latitude",
        "longitude": "gps_longitude",
        "confidence": "best_plate.confidence",
    }

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _convert(self, obj: object, line: int) -> RawRecord | Reject | None:
        if not _is_group(obj):
            if isinstance(obj, dict):
                return None  # heartbeats and other agent messages are not reads
            return Reject(self.path.name, line, Reason.MALFORMED)
        try:
            return group_to_record(obj, line)  # type: ignore[arg-type]
        except RejectError as exc:
            return Reject(self.path.name, line, exc.reason, exc.column)

    def records(self) -> Iterator[RawRecord | Reject]:
        with self.path.open("rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"["):
            yield from self._document(array=True)
            return
        if self._looks_like_lines():
            yield from self._lines()
        else:
            yield from self._document(array=False)

    def _looks_like_lines(self) -> bool:
        """JSON lines when the first non-blank line is a whole JSON value by itself."""
        with self.path.open("rb") as fh:
            for raw in fh:
                if raw.strip():
                    try:
                        json.loads(raw)
                    except (ValueError, RecursionError):
                        return False
                    return True
                if fh.tell() > MAX_LINE_BYTES:
                    return False
        return True

    def _lines(self) -> Iterator[RawRecord | Reject]:
        name = self.path.name
        with self.path.open("rb") as fh:
            line = 0
            while True:
                raw = fh.readline(MAX_LINE_BYTES + 1)
                if not raw:
                    return
                line += 1
                if len(raw) > MAX_LINE_BYTES:
                    while raw and not raw.endswith(b"\n"):
                        raw = fh.readline(MAX_LINE_BYTES)
                    yield Reject(name, line, Reason.FIELD_TOO_LARGE)
                    continue
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw)
                except (ValueError, RecursionError):
                    yield Reject(name, line, Reason.MALFORMED)
                    continue
                out = self._convert(obj, line)
                if out is not None:
                    yield out

    def _document(self, *, array: bool) -> Iterator[RawRecord | Reject]:
        name = self.path.name
        if self.path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise FileRefused(
                f"{name} is a single JSON document larger than {MAX_DOCUMENT_BYTES >> 20} MiB; "
                "export JSON lines instead."
            )
        text = self.path.read_bytes().decode("utf-8-sig", errors="replace")
        dec = json.JSONDecoder()
        pos, line, n = 0, 1, len(text)

        def skip(p: int, seps: str) -> int:
            while p < n and (text[p].isspace() or text[p] in seps):
                p += 1
            return p

        if array:
            pos = skip(pos, "")
            pos += 1  # '['
        while True:
            nxt = skip(pos, "," if array else "")
            line += text.count("\n", pos, nxt)
            pos = nxt
            if pos >= n or (array and text[pos] == "]"):
                return
            try:
                obj, end = dec.raw_decode(text, pos)
            except (ValueError, RecursionError):
                yield Reject(name, line, Reason.MALFORMED)
                return  # no safe place to resume inside a broken document
            out = self._convert(obj, line)
            if out is not None:
                yield out
            line += text.count("\n", pos, end)
            pos = end
