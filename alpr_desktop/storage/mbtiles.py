"""Reading an agency's MBTiles basemap (raster tiles in a plain SQLite file, not a store).

Opened read-only and immutable, so nothing is written beside it and no journal is replayed.
Only the tiles of one zoom level covering the asked-for box are read (at most ``max_tiles``),
converted from MBTiles' TMS rows (y up) to XYZ (y down).
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

from alpr_desktop.core.basemap import BasemapError, RasterTiles
from alpr_desktop.core.map_projection import Bounds, project

MAX_TILE_BYTES = 2 * 1024 * 1024


def _tile_range(b: Bounds, zoom: int) -> tuple[int, int, int, int]:
    x0, y0 = project(b.west, b.north, zoom)
    x1, y1 = project(b.east, b.south, zoom)
    return (math.floor(x0 / 256), math.floor(y0 / 256),
            math.floor(x1 / 256), math.floor(y1 / 256))


def read_tiles(path: Path | str, bounds: Bounds, max_tiles: int = 144) -> RasterTiles:
    """The tiles over ``bounds`` at the most detailed zoom the file holds whose tile count
    stays within ``max_tiles``."""
    uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        raise BasemapError("The MBTiles file cannot be opened.") from None
    try:
        try:
            zooms = [int(r[0]) for r in conn.execute(
                "SELECT DISTINCT zoom_level FROM tiles ORDER BY zoom_level DESC")]
        except sqlite3.Error:
            raise BasemapError("The file is not an MBTiles basemap (it has no tiles "
                               "table).") from None
        for z in zooms:
            if not 0 <= z <= 22:
                continue
            x0, y0, x1, y1 = _tile_range(bounds, z)
            if (x1 - x0 + 1) * (y1 - y0 + 1) > max_tiles:
                continue
            n = 2 ** z
            tms0, tms1 = n - 1 - y1, n - 1 - y0
            rows = conn.execute(
                "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ? "
                "AND tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?",
                (z, x0, x1, tms0, tms1)).fetchall()
            tiles = {(int(c), n - 1 - int(r)): bytes(d) for c, r, d in rows
                     if d is not None and len(d) <= MAX_TILE_BYTES}
            if tiles:
                return RasterTiles(z, tiles)
        raise BasemapError("The MBTiles file holds no tiles over the map's area.")
    except sqlite3.Error:
        raise BasemapError("The MBTiles file cannot be read.") from None
    finally:
        conn.close()
