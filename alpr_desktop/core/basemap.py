"""The map's background, as data: street lines (GeoJSON) or raster tiles (MBTiles), or none.

An agency's basemap is a file an administrator names; the program never fetches anything from
a network. Without one the map draws a coordinate grid. Parsing here is pure Python and
bounded (file size, features, points) so a hostile file costs a refusal, not the session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

MAX_BASEMAP_BYTES = 64 * 1024 * 1024
MAX_FEATURES = 200_000
MAX_POINTS = 2_000_000
BASEMAP_SETTING = "views.basemap_path"

Point = tuple[float, float]  # (lon, lat)


class BasemapError(ValueError):
    """A basemap file that cannot be used; ``str()`` says why in a sentence."""


@dataclass(frozen=True)
class StreetLine:
    name: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class RasterTiles:
    """Encoded tiles of one zoom level in XYZ numbering (y down), keyed by (x, y)."""

    zoom: int
    tiles: dict[tuple[int, int], bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Basemap:
    kind: str  # "grid", "lines" or "tiles"
    source: str = ""  # the file's name, or "demo street layer"
    lines: tuple[StreetLine, ...] = ()
    raster: RasterTiles | None = None
    problem: str = ""  # why the configured file is not shown (then kind is "grid")

    @property
    def label(self) -> str:
        if self.kind == "grid":
            return "coordinate grid" + (f" ({self.problem})" if self.problem else "")
        return f"{'street lines' if self.kind == 'lines' else 'raster tiles'}: {self.source}"


GRID = Basemap("grid")


def _point(value: object) -> Point:
    if (not isinstance(value, list | tuple) or len(value) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool)
                       for v in value[:2])):
        raise BasemapError("A coordinate in the GeoJSON file is not a [longitude, latitude] "
                           "pair.")
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise BasemapError("A coordinate in the GeoJSON file is outside the globe (is it in "
                           "longitude/latitude, EPSG:4326?).")
    return lon, lat


def parse_street_lines(data: bytes, source: str = "") -> Basemap:
    """LineString and MultiLineString features of a GeoJSON FeatureCollection (others, such
    as points and polygons, are skipped). Names come from a "name" property."""
    if len(data) > MAX_BASEMAP_BYTES:
        raise BasemapError("The GeoJSON file is larger than 64 MB.")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise BasemapError("The file is not GeoJSON (it is not valid JSON text).") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise BasemapError("The GeoJSON file is not a FeatureCollection.")
    features = doc.get("features")
    if not isinstance(features, list) or len(features) > MAX_FEATURES:
        raise BasemapError(f"The GeoJSON file holds no features or more than {MAX_FEATURES:,}.")
    lines: list[StreetLine] = []
    points = 0
    for f in features:
        if not isinstance(f, dict) or not isinstance(f.get("geometry"), dict):
            continue
        geom = f["geometry"]
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        name = str((props or {}).get("name") or "")[:80]
        kind, coords = geom.get("type"), geom.get("coordinates")
        parts = [coords] if kind == "LineString" else coords if kind == "MultiLineString" \
            else []
        if not isinstance(parts, list):
            continue
        for part in parts:
            if not isinstance(part, list) or len(part) < 2:
                continue
            points += len(part)
            if points > MAX_POINTS:
                raise BasemapError(f"The GeoJSON file holds more than {MAX_POINTS:,} points.")
            lines.append(StreetLine(name, tuple(_point(p) for p in part)))
    if not lines:
        raise BasemapError("The GeoJSON file holds no street lines (LineString features).")
    return Basemap("lines", source, tuple(lines))
