"""A first column mapping guessed from a delimited file's header names alone.

Pure: header names in, {field: column} out. The import wizard shows the guess in its preview,
where the user checks and corrects it; nothing is imported on a guess alone."""

from __future__ import annotations

from collections.abc import Sequence

# Header names contractors use for a field, compared case-folded without spaces or '_'.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "plate": ("plate", "licenseplate", "platenumber", "plateread", "tag", "lpr"),
    "datetime": ("datetime", "timestamp", "readtime", "readdatetime", "capturetime",
                 "dateandtime", "recordedat"),
    "date": ("date", "readdate"),
    "time": ("time", "readtimeofday"),
    "camera": ("camera", "cameraname", "device", "reader", "site"),
    "state": ("state", "platestate", "region"),
    "direction": ("direction", "heading"),
    "make": ("make", "vehiclemake"),
    "model": ("model", "vehiclemodel"),
    "color": ("color", "colour", "vehiclecolor"),
    "body_type": ("bodytype", "body", "vehicletype"),
    "speed": ("speed", "speedmph"),
    "confidence": ("confidence", "score"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "location": ("location", "address"),
    "vendor_id": ("vendorid", "readid", "id", "uuid", "guid"),
    "camera_id": ("cameraid", "camerauuid", "cameraguid", "deviceid", "readerid", "unitid",
                  "sourceid", "cameraserial"),
    "crop_image": ("cropimage", "plateimage", "crop"),
    "overview_image": ("overviewimage", "contextimage", "sceneimage", "overview"),
}


def fold(name: str) -> str:
    """Case-folded, letters and digits only: "License_Plate" and "license plate" meet."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def guess_columns(header: Sequence[str]) -> dict[str, str]:
    """A first mapping from header names alone; the user checks it in the preview."""
    folded = {fold(h): h for h in header if h}
    out: dict[str, str] = {}
    for fld, names in SYNONYMS.items():
        hit = next((folded[n] for n in names if n in folded), None)
        if hit is not None and hit not in out.values():
            out[fld] = hit
    if "datetime" in out:
        out.pop("date", None)
        out.pop("time", None)
    return out
