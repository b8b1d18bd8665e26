"""The demo's street layer: GeoJSON lines for the Carson streets the demo cameras stand on,
generated from the same street positions (demo/cameras.py), so the demo map is readable
without any download. Straight centre lines: a sketch of the grid, not a survey."""

from __future__ import annotations

import json
from typing import Any

from alpr_desktop.demo.cameras import _LAT, _LON

_PAD = 0.006  # degrees past the outermost streets


def street_layer() -> dict[str, Any]:
    """A GeoJSON FeatureCollection of LineStrings named after the streets."""
    west, east = min(_LON.values()) - _PAD, max(_LON.values()) + _PAD
    south, north = min(_LAT.values()) - _PAD, max(_LAT.values()) + _PAD
    features: list[dict[str, Any]] = []
    for name, lat in sorted(_LAT.items()):
        features.append(_line(name, [[round(west, 5), lat], [round(east, 5), lat]]))
    for name, lon in sorted(_LON.items()):
        features.append(_line(name, [[lon, round(south, 5)], [lon, round(north, 5)]]))
    return {"type": "FeatureCollection", "features": features}


def _line(name: str, coords: list[list[float]]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"name": name},
            "geometry": {"type": "LineString", "coordinates": coords}}


def street_layer_bytes() -> bytes:
    return json.dumps(street_layer(), separators=(",", ":")).encode()
