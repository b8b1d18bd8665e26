"""Issue 13: a GeoPackage basemap (street lines in an SQLite file). Each file here is written
by the test with sqlite3: lines in either byte order, 2D and Z, in EPSG:4326 and 3857; a
reference system that cannot be drawn; and corrupt or hostile files (wrong magic, a huge point
count, a view that would loop, not SQLite at all), each refused with a sentence."""

from __future__ import annotations

import hashlib
import math
import sqlite3
import struct
from pathlib import Path

import pytest
from access_helpers import World, log_entries

from alpr_desktop.core.basemap import BasemapError
from alpr_desktop.services.investigator_views import InvestigatorViewsService
from alpr_desktop.storage.geopackage import geometry_parts, read_street_lines

Line = list[tuple[float, ...]]


def wkb_line(points: Line, big: bool = False) -> bytes:
    end = ">" if big else "<"
    dims = len(points[0])
    code = 2 + (1000 if dims == 3 else 0)
    flat = [v for p in points for v in p]
    return (struct.pack("B", 0 if big else 1) + struct.pack(f"{end}II", code, len(points))
            + struct.pack(f"{end}{len(flat)}d", *flat))


def wkb_multiline(parts: list[Line], big: bool = False) -> bytes:
    end = ">" if big else "<"
    dims = len(parts[0][0])
    code = 5 + (1000 if dims == 3 else 0)
    return (struct.pack("B", 0 if big else 1) + struct.pack(f"{end}II", code, len(parts))
            + b"".join(wkb_line(p, big) for p in parts))


def gp(wkb: bytes, srs: int = 4326, envelope: bool = True, magic: bytes = b"GP") -> bytes:
    """A GeoPackage geometry blob: magic, version 0, flags (little-endian header, envelope
    code 1 or 0), srs id, the envelope [minx, maxx, miny, maxy], then the WKB."""
    flags = 0x01 | (0x02 if envelope else 0)
    head = magic + bytes([0, flags]) + struct.pack("<i", srs)
    if envelope:
        head += struct.pack("<4d", -118.3, -118.2, 33.8, 33.9)
    return head + wkb


def write_gpkg(path: Path, rows: list[tuple[str, bytes]], srs: int = 4326,
               kind: str = "LINESTRING", table: str = "streets") -> Path:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1196444487")  # 'GPKG'
    conn.execute("CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY "
                 "KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT)")
    conn.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?)", [
        ("WGS 84", 4326, "EPSG", 4326, "GEOGCS[...]"),
        ("Pseudo-Mercator", 3857, "EPSG", 3857, "PROJCS[...]"),
        ("NAD83 / California zone 5 (ftUS)", 2229, "EPSG", 2229, "PROJCS[...]"),
    ])
    conn.execute("CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, "
                 "srs_id INTEGER)")
    conn.execute("INSERT INTO gpkg_contents VALUES (?, 'features', ?)", (table, srs))
    conn.execute("CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, "
                 "geometry_type_name TEXT, srs_id INTEGER, z TINYINT, m TINYINT)")
    conn.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                 (table, kind, srs))
    conn.execute(f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY, name TEXT, geom BLOB)')
    conn.executemany(f'INSERT INTO "{table}" (name, geom) VALUES (?, ?)', rows)
    conn.commit()
    conn.close()
    return path


AVALON = [(-118.2652, 33.80), (-118.2652, 33.85), (-118.2652, 33.88)]
CARSON = [(-118.30, 33.8317), (-118.22, 33.8317)]


def test_lines_in_both_byte_orders_and_with_z_are_read(tmp_path: Path) -> None:
    point = struct.pack("<BIdd", 1, 1, -118.25, 33.84)
    path = write_gpkg(tmp_path / "carson.gpkg", [
        ("Avalon Blvd", gp(wkb_line(AVALON))),
        ("Carson St", gp(wkb_multiline([CARSON, [(-118.2, 33.9), (-118.1, 33.9)]],
                                       big=True), envelope=False)),
        ("Main St", gp(wkb_line([(x, y, 12.5) for x, y in AVALON[:2]], big=True))),
        ("a hydrant", gp(point)),  # a point: not a street, skipped
    ], kind="GEOMETRY")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    basemap = read_street_lines(path)
    assert basemap.kind == "lines" and basemap.source == "carson.gpkg"
    got = [(line.name, line.points) for line in basemap.lines]
    assert got == [("Avalon Blvd", tuple(AVALON)), ("Carson St", tuple(CARSON)),
                   ("Carson St", ((-118.2, 33.9), (-118.1, 33.9))),
                   ("Main St", tuple(AVALON[:2]))]
    # read-only: the file is unchanged and nothing is written beside it
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["carson.gpkg"]


def test_web_mercator_lines_are_reprojected_exactly(tmp_path: Path) -> None:
    r = 6_378_137.0

    def merc(lon: float, lat: float) -> tuple[float, float]:
        return (math.radians(lon) * r,
                r * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    path = write_gpkg(tmp_path / "m.gpkg", [("Avalon Blvd", gp(wkb_line(
        [merc(*p) for p in AVALON]), srs=3857))], srs=3857)
    [line] = read_street_lines(path).lines
    for (lon, lat), (want_lon, want_lat) in zip(line.points, AVALON, strict=True):
        assert abs(lon - want_lon) < 1e-9 and abs(lat - want_lat) < 1e-9


def test_another_reference_system_is_refused_in_a_sentence(tmp_path: Path) -> None:
    path = write_gpkg(tmp_path / "feet.gpkg", [("Avalon Blvd", gp(wkb_line(
        [(6_480_000.0, 1_780_000.0), (6_480_000.0, 1_790_000.0)]), srs=2229))], srs=2229)
    with pytest.raises(BasemapError, match=r"EPSG:2229; only longitude/latitude"):
        read_street_lines(path)


def test_wrong_magic_and_huge_counts_are_refused_not_allocated() -> None:
    with pytest.raises(BasemapError, match="magic 'GP'"):
        geometry_parts(gp(wkb_line(AVALON), magic=b"XX"))
    huge = struct.pack("<BII", 1, 2, 0xFFFFFFFF) + struct.pack("<2d", 1.0, 2.0)
    with pytest.raises(BasemapError, match="claims more points"):
        geometry_parts(gp(huge))
    many_parts = struct.pack("<BII", 1, 5, 0x7FFFFFFF) + wkb_line(AVALON)
    with pytest.raises(BasemapError, match="claims more points or parts"):
        geometry_parts(gp(many_parts))
    with pytest.raises(BasemapError, match="cut short"):
        geometry_parts(gp(wkb_line(AVALON))[:8 + 32 + 3])  # inside the WKB header
    with pytest.raises(BasemapError, match="byte order"):
        geometry_parts(gp(b"\x07" + wkb_line(AVALON)[1:]))


@pytest.mark.parametrize("make", ["wrong_magic", "huge_count", "not_sqlite", "truncated",
                                  "no_gpkg_tables", "looping_view", "outside_globe"])
def test_a_corrupt_or_hostile_geopackage_is_refused_with_a_sentence(
    tmp_path: Path, make: str
) -> None:
    path = tmp_path / "bad.gpkg"
    if make == "wrong_magic":
        write_gpkg(path, [("x", gp(wkb_line(AVALON), magic=b"GQ"))])
    elif make == "huge_count":
        write_gpkg(path, [("x", gp(struct.pack("<BII", 1, 2, 0xFFFFFFF0)))])
    elif make == "not_sqlite":
        path.write_bytes(b"GPKG? no, just text" * 100)
    elif make == "truncated":
        write_gpkg(path, [(f"s{i}", gp(wkb_line(AVALON))) for i in range(500)])
        data = path.read_bytes()
        path.write_bytes(data[:4096] + b"\xff" * 1024)
    elif make == "no_gpkg_tables":
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    elif make == "looping_view":  # a "feature table" that is a view never ending
        write_gpkg(path, [("x", gp(wkb_line(AVALON)))])
        conn = sqlite3.connect(path)
        conn.execute("DROP TABLE gpkg_geometry_columns")
        conn.execute("CREATE VIEW gpkg_geometry_columns AS WITH RECURSIVE n(i) AS "
                     "(SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT 'streets', 'geom', "
                     "'LINESTRING', 4326 FROM n")
        conn.commit()
        conn.close()
    elif make == "outside_globe":
        write_gpkg(path, [("x", gp(wkb_line([(500000.0, 4e6), (1.0, 1.0)])))])
    with pytest.raises(BasemapError) as err:
        read_street_lines(path)
    message = str(err.value)
    assert message.endswith(".") and "Traceback" not in message and len(message) < 200


def test_an_admin_sets_a_geopackage_basemap_and_a_bad_one_changes_nothing(
    world: World, tmp_path: Path
) -> None:
    svc = InvestigatorViewsService(world.store, world.clock)
    admin = world.ctx("root")
    bad = tmp_path / "broken.gpkg"
    write_gpkg(bad, [("x", gp(wkb_line(AVALON), magic=b"ZZ"))])
    with pytest.raises(BasemapError, match="magic"):
        svc.set_basemap_path(admin, str(bad))
    assert svc.basemap_path() == ""
    good = write_gpkg(tmp_path / "carson.gpkg", [("Avalon Blvd", gp(wkb_line(AVALON)))])
    loaded = svc.set_basemap_path(admin, str(good))
    assert loaded.kind == "lines" and loaded.lines[0].name == "Avalon Blvd"
    assert svc.basemap(None).label == "street lines: carson.gpkg"
    changed = log_entries(world.store, "settings.changed")[-1]
    assert changed.detail == {"key": "views.basemap_path", "from": "", "to": str(good)}
    good.write_bytes(b"damaged later")  # the map falls back to the grid and says why
    later = svc.basemap(None)
    assert later.kind == "grid" and "GeoPackage" in later.problem
