"""Reading an agency's GeoPackage basemap: street lines from its feature tables.

A GeoPackage is a plain SQLite file (not a store). It is opened read-only and immutable, with
the schema untrusted and a budget of SQLite steps, so a hostile file can neither write beside
itself, run its own SQL functions nor loop forever. Every feature table whose geometry column
is declared LINESTRING, MULTILINESTRING or GEOMETRY is read; each geometry is a GeoPackage
blob ("GP", version, flags, srs id, optional envelope) around ISO WKB, parsed here (either byte
order, 2D/Z/M/ZM) with every count checked against the bytes that are really there before
anything is allocated. Only longitude/latitude (EPSG:4326) and Web Mercator (EPSG:3857,
inverted exactly) are understood; any other reference system is refused in a sentence.
"""

from __future__ import annotations

import math
import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path

from alpr_desktop.core.basemap import (
    MAX_FEATURES,
    MAX_POINTS,
    Basemap,
    BasemapError,
    Point,
    StreetLine,
)

MAX_GEOMETRY_BYTES = 16 * 1024 * 1024
MAX_TABLES = 64
STEP_BUDGET = 50_000_000  # SQLite VM steps for the whole file (a runaway query stops)
LINE_TYPES = ("LINESTRING", "MULTILINESTRING", "GEOMETRY")
_WKB_LINE, _WKB_MULTILINE = 2, 5
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_MERCATOR_R = 6_378_137.0
_MERCATOR_MAX = math.pi * _MERCATOR_R


def _lonlat_4326(x: float, y: float) -> Point:
    return x, y


def _lonlat_3857(x: float, y: float) -> Point:
    if not (abs(x) <= _MERCATOR_MAX * 1.0001 and abs(y) <= _MERCATOR_MAX * 1.0001):
        raise BasemapError("A coordinate in the GeoPackage is outside Web Mercator's range.")
    lon = math.degrees(x / _MERCATOR_R)
    lat = math.degrees(2 * math.atan(math.exp(y / _MERCATOR_R)) - math.pi / 2)
    return lon, lat


_TRANSFORMS = {4326: _lonlat_4326, 3857: _lonlat_3857}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Wkb:
    """A cursor over one WKB geometry; every read is bounds-checked."""

    def __init__(self, data: bytes, pos: int) -> None:
        self.data, self.pos = data, pos

    def _unpack(self, fmt: str) -> tuple[object, ...]:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise BasemapError("A geometry in the GeoPackage is cut short.")
        out = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return out

    def header(self) -> tuple[str, int, int]:
        """(byte order, base type, coordinates per point) of the next geometry."""
        (order,) = self._unpack("B")
        if order not in (0, 1):
            raise BasemapError("A geometry in the GeoPackage has an unknown byte order.")
        end = "<" if order == 1 else ">"
        (code,) = self._unpack(end + "I")
        assert isinstance(code, int)
        if code & 0xE0000000:  # EWKB's Z/M/SRID flags: not GeoPackage's ISO WKB
            dims = 2 + bool(code & 0x80000000) + bool(code & 0x40000000)
            if code & 0x20000000:
                raise BasemapError("A geometry in the GeoPackage is EWKB with an SRID, "
                                   "not ISO WKB.")
            return end, code & 0xFFFF, dims
        kind, flavour = code % 1000, code // 1000
        if flavour > 3:
            raise BasemapError("A geometry in the GeoPackage has an unknown WKB type.")
        return end, kind, (2, 3, 3, 4)[flavour]

    def count(self, end: str, item_bytes: int) -> int:
        (n,) = self._unpack(end + "I")
        assert isinstance(n, int)
        if n * item_bytes > len(self.data) - self.pos:  # a huge count: refused, not allocated
            raise BasemapError("A geometry in the GeoPackage claims more points or parts "
                               "than it holds.")
        return n

    def points(self, end: str, dims: int) -> list[tuple[float, float]]:
        n = self.count(end, 8 * dims)
        values = struct.unpack_from(f"{end}{n * dims}d", self.data, self.pos)
        self.pos += 8 * n * dims
        return list(zip(values[0::dims], values[1::dims], strict=True))


def geometry_parts(blob: bytes) -> list[list[tuple[float, float]]]:
    """The line parts of one GeoPackage geometry blob as (x, y) in its own reference system;
    [] for an empty geometry or one that is not a line (points, polygons)."""
    if len(blob) < 8 or blob[:2] != b"GP":
        raise BasemapError("A geometry in the GeoPackage does not start with the "
                           "GeoPackage magic 'GP'.")
    if len(blob) > MAX_GEOMETRY_BYTES:
        raise BasemapError("A geometry in the GeoPackage is larger than 16 MB.")
    flags = blob[3]
    if flags & 0x20:  # an extension's own geometry type: nothing a street layer needs
        return []
    if flags & 0x10:  # the empty geometry
        return []
    envelope = _ENVELOPE_BYTES.get((flags >> 1) & 0x07)
    if envelope is None:
        raise BasemapError("A geometry in the GeoPackage has an invalid envelope code.")
    wkb = _Wkb(blob, 8 + envelope)
    end, kind, dims = wkb.header()
    if kind == _WKB_LINE:
        return [wkb.points(end, dims)]
    if kind != _WKB_MULTILINE:
        return []
    parts = []
    for _ in range(wkb.count(end, 9)):  # each part: at least its 9-byte header
        p_end, p_kind, p_dims = wkb.header()
        if p_kind != _WKB_LINE:
            raise BasemapError("A MultiLineString in the GeoPackage holds something other "
                               "than lines.")
        parts.append(wkb.points(p_end, p_dims))
    return parts


def _srs_code(conn: sqlite3.Connection, srs_id: int) -> int:
    """The EPSG code of a GeoPackage srs id (4326 and 3857 are what can be drawn)."""
    row = conn.execute("SELECT organization, organization_coordsys_id FROM "
                       "gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)).fetchone()
    if row is not None and str(row[0]).upper() == "EPSG":
        return int(row[1])
    return srs_id


def _feature_tables(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    real = {str(r[0]) for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "gpkg_geometry_columns" not in real:
        raise BasemapError("The file is not a GeoPackage (it has no gpkg_geometry_columns "
                           "table).")
    rows = conn.execute(
        "SELECT table_name, column_name, geometry_type_name, srs_id "
        "FROM gpkg_geometry_columns").fetchmany(MAX_TABLES + 1)
    if len(rows) > MAX_TABLES:
        raise BasemapError(f"The GeoPackage declares more than {MAX_TABLES} feature tables.")
    return [(str(t), str(c), int(s)) for t, c, kind, s in rows
            if str(kind).upper() in LINE_TYPES and str(t) in real]


def _name_column(conn: sqlite3.Connection, table: str) -> str | None:
    cols = [str(r[1]) for r in conn.execute(f"PRAGMA table_info({_quote(table)})")]
    return next((c for c in cols if c.lower() == "name"), None)


def _lines(conn: sqlite3.Connection, table: str, column: str, srs: int
           ) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    to_lonlat = _TRANSFORMS.get(srs)
    if to_lonlat is None:
        raise BasemapError(
            f"The GeoPackage's street lines are in EPSG:{srs}; only longitude/latitude "
            "(EPSG:4326) and Web Mercator (EPSG:3857) are supported. Export the layer in "
            "EPSG:4326.")
    name_col = _name_column(conn, table)
    name_sql = f"CAST({_quote(name_col)} AS TEXT)" if name_col else "''"
    cur = conn.execute(f"SELECT {name_sql}, {_quote(column)} FROM {_quote(table)}")
    while rows := cur.fetchmany(1000):
        for name, blob in rows:
            if not isinstance(blob, bytes):
                continue
            for part in geometry_parts(blob):
                yield str(name or "")[:80], part


def read_street_lines(path: Path | str, source: str = "") -> Basemap:
    """The LINESTRING and MULTILINESTRING features of a GeoPackage's feature tables as a
    street-line basemap; a BasemapError saying why when the file cannot be used."""
    uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        raise BasemapError("The GeoPackage file cannot be opened.") from None
    steps = [0]

    def budget() -> int:
        steps[0] += 1
        return 1 if steps[0] > STEP_BUDGET // 1000 else 0

    conn.set_progress_handler(budget, 1000)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        tables = _feature_tables(conn)
        if not tables:
            raise BasemapError("The GeoPackage has no feature table of lines (LINESTRING or "
                               "MULTILINESTRING).")
        lines: list[StreetLine] = []
        points = 0
        for table, column, srs_id in tables:
            srs = _srs_code(conn, srs_id)
            to_lonlat = _TRANSFORMS.get(srs, _lonlat_4326)
            for name, part in _lines(conn, table, column, srs):
                if len(part) < 2:
                    continue
                points += len(part)
                if points > MAX_POINTS:
                    raise BasemapError(f"The GeoPackage holds more than {MAX_POINTS:,} "
                                       "points.")
                if len(lines) >= MAX_FEATURES:
                    raise BasemapError(f"The GeoPackage holds more than {MAX_FEATURES:,} "
                                       "lines.")
                lonlat = tuple(_checked(to_lonlat(x, y)) for x, y in part)
                lines.append(StreetLine(name, lonlat))
        if not lines:
            raise BasemapError("The GeoPackage's feature tables hold no street lines.")
        return Basemap("lines", source or Path(path).name, tuple(lines))
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc).lower():
            raise BasemapError("Reading the GeoPackage took too long; it was stopped.") from None
        raise BasemapError("The GeoPackage cannot be read (it is damaged or not a "
                           "GeoPackage).") from None
    except (sqlite3.Error, OverflowError, ValueError) as exc:
        if isinstance(exc, BasemapError):
            raise
        raise BasemapError("The GeoPackage cannot be read (it is damaged or not a "
                           "GeoPackage).") from None
    finally:
        conn.close()


def _checked(p: Point) -> Point:
    lon, lat = p
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # also refuses NaN
        raise BasemapError("A coordinate in the GeoPackage is outside the globe (is its "
                           "reference system declared correctly?).")
    return lon, lat
