"""Longitude/latitude to scene pixels and back, without Qt (so tests can pin known points).

Web Mercator in "world pixels" at a zoom level: the same tiling MBTiles raster basemaps use,
so a tile (z, x, y) sits at (x * 256, y * 256) in the scene at zoom z. Pure arithmetic; the
map view scales the scene for its own zoom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

TILE = 256
MAX_LAT = 85.05112878
EARTH_RADIUS_M = 6_378_137.0


def world_size(zoom: int) -> float:
    return TILE * float(2 ** zoom)


def project(lon: float, lat: float, zoom: int = 16) -> tuple[float, float]:
    """Scene pixel (x right, y down) of a point at ``zoom``."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    size = world_size(zoom)
    x = (lon + 180.0) / 360.0 * size
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * size
    return x, y


def unproject(x: float, y: float, zoom: int = 16) -> tuple[float, float]:
    """(lon, lat) of a scene pixel at ``zoom``."""
    size = world_size(zoom)
    lon = x / size * 360.0 - 180.0
    n = math.pi - 2 * math.pi * y / size
    lat = math.degrees(math.atan(math.sinh(n)))
    return lon, lat


def metres_per_pixel(lat: float, zoom: int = 16) -> float:
    """Ground distance one scene pixel covers at ``lat`` (for the scale bar)."""
    return math.cos(math.radians(lat)) * 2 * math.pi * EARTH_RADIUS_M / world_size(zoom)


@dataclass(frozen=True)
class Bounds:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]], pad: float = 0.002) -> Bounds | None:
        """The box of (lon, lat) points with ``pad`` degrees around; None for no points."""
        pts = list(points)
        if not pts:
            return None
        lons = [p[0] for p in pts]
        lats = [p[1] for p in pts]
        return cls(min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad)


def nice_scale(max_metres: float) -> tuple[float, str]:
    """The longest round distance (1, 2 or 5 times a power of ten) not above ``max_metres``,
    with its label ("500 m", "2 km")."""
    if max_metres <= 0:
        return 0.0, ""
    exp = math.floor(math.log10(max_metres))
    best = 10.0 ** exp
    for m in (5, 2, 1):
        if m * 10.0 ** exp <= max_metres:
            best = m * 10.0 ** exp
            break
    label = f"{best / 1000:g} km" if best >= 1000 else f"{best:g} m"
    return best, label


def grid_step(span_degrees: float) -> float:
    """A round graticule step giving about 4 to 10 lines over ``span_degrees``."""
    if span_degrees <= 0:
        return 0.01
    raw = span_degrees / 6
    exp = math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        step = m * 10.0 ** exp
        if step >= raw:
            return step
    return 10.0 ** (exp + 1)


def cluster(points: Iterable[tuple[int, float, float]], cell: float
            ) -> list[tuple[float, float, list[int]]]:
    """Group (id, x, y) scene points into grid cells ``cell`` pixels wide: each cluster is its
    members' mean position and their ids, in first-seen order."""
    cells: dict[tuple[int, int], list[tuple[int, float, float]]] = {}
    for pid, x, y in points:
        cells.setdefault((int(x // cell), int(y // cell)), []).append((pid, x, y))
    out = []
    for members in cells.values():
        n = len(members)
        out.append((sum(m[1] for m in members) / n, sum(m[2] for m in members) / n,
                    [m[0] for m in members]))
    return out
