"""Issue 13: the map's projection lands known coordinates on known pixels, clusters group
what is close, and the basemap comes only from files (GeoJSON lines, MBTiles tiles, or the
demo's generated street layer), set by an administrator and logged."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from access_helpers import World, log_entries

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.basemap import BasemapError, parse_street_lines
from alpr_desktop.core.map_projection import (
    Bounds,
    cluster,
    metres_per_pixel,
    nice_scale,
    project,
    unproject,
)
from alpr_desktop.demo.cameras import _LAT, _LON
from alpr_desktop.demo.streets import street_layer, street_layer_bytes
from alpr_desktop.services.investigator_views import InvestigatorViewsService
from alpr_desktop.storage.mbtiles import read_tiles


def test_known_coordinates_land_on_known_pixels() -> None:
    assert project(0.0, 0.0, 0) == (128.0, 128.0)
    assert project(-180.0, 0.0, 1) == (0.0, 256.0)
    x, y = project(180.0, 0.0, 2)
    assert (x, y) == (1024.0, 512.0)
    # Carson City Hall's crossing at zoom 17: x from the longitude alone
    x, _ = project(-118.2652, 33.8317, 17)
    assert abs(x - (-118.2652 + 180) / 360 * 2 ** 17 * 256) < 1e-6
    lon, lat = unproject(*project(-118.2652, 33.8317, 17), 17)
    assert abs(lon + 118.2652) < 1e-9 and abs(lat - 33.8317) < 1e-9
    # north is up: a larger latitude has a smaller y
    assert project(0, 34, 17)[1] < project(0, 33, 17)[1]
    # ground scale at the equator, zoom 0: the earth's circumference over 256 pixels
    assert abs(metres_per_pixel(0, 0) - 156_543.03) < 0.01


def test_scale_bar_lengths_are_round() -> None:
    assert nice_scale(740) == (500.0, "500 m")
    assert nice_scale(2600) == (2000.0, "2 km")
    assert nice_scale(1.2) == (1.0, "1 m")


def test_clusters_group_close_points_and_keep_far_ones_apart() -> None:
    pts = [(1, 10.0, 10.0), (2, 12.0, 11.0), (3, 100.0, 100.0)]
    got = sorted(cluster(pts, 28), key=lambda c: len(c[2]))
    assert [c[2] for c in got] == [[3], [1, 2]]
    assert got[1][0] == 11.0 and got[1][1] == 10.5
    assert len(cluster([(i, float(i), 0.0) for i in range(10_000)], 1000)) == 10


def test_demo_street_layer_names_every_street_of_the_camera_sites() -> None:
    layer = street_layer()
    names = {f["properties"]["name"] for f in layer["features"]}
    assert names == set(_LAT) | set(_LON)
    basemap = parse_street_lines(street_layer_bytes(), "demo")
    assert basemap.kind == "lines" and len(basemap.lines) == len(names)
    avalon = next(line for line in basemap.lines if line.name == "Avalon Blvd")
    assert {p[0] for p in avalon.points} == {_LON["Avalon Blvd"]}


@pytest.mark.parametrize(("data", "says"), [
    (b"not json", "not GeoJSON"),
    (b'{"type": "Feature"}', "FeatureCollection"),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}]}).encode(),
     "no street lines"),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString",
                                         "coordinates": [[500000, 4000000], [1, 1]]}}]}
                ).encode(), "outside the globe"),
])
def test_a_bad_geojson_file_is_refused_with_a_sentence(data: bytes, says: str) -> None:
    with pytest.raises(BasemapError, match=says):
        parse_street_lines(data)


def _mbtiles(path: Path, zoom: int, box: Bounds) -> tuple[int, int]:
    x, y = project((box.west + box.east) / 2, (box.south + box.north) / 2, zoom)
    tx, ty = int(x // 256), int(y // 256)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, "
                 "tile_row INTEGER, tile_data BLOB)")
    conn.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                 (zoom, tx, 2 ** zoom - 1 - ty, b"\x89PNG-tile"))
    conn.commit()
    conn.close()
    return tx, ty


def test_mbtiles_tiles_are_read_in_xyz_numbering(tmp_path: Path) -> None:
    box = Bounds(-118.27, 33.83, -118.26, 33.835)
    path = tmp_path / "carson.mbtiles"
    tx, ty = _mbtiles(path, 15, box)
    tiles = read_tiles(path, box)
    assert tiles.zoom == 15 and tiles.tiles == {(tx, ty): b"\x89PNG-tile"}
    not_mbtiles = tmp_path / "x.mbtiles"
    not_mbtiles.write_bytes(b"hello")
    with pytest.raises(BasemapError):
        read_tiles(not_mbtiles, box)


def test_the_basemap_is_an_admin_setting_checked_and_logged(
    world: World, tmp_path: Path
) -> None:
    svc = InvestigatorViewsService(world.store, world.clock)
    assert svc.basemap(None).kind == "grid"
    good = tmp_path / "streets.geojson"
    good.write_bytes(street_layer_bytes())
    bad = tmp_path / "broken.geojson"
    bad.write_bytes(b"{")
    with pytest.raises(NotAuthorized):
        svc.set_basemap_path(world.with_purpose("officer"), str(good))
    admin = world.ctx("root")
    with pytest.raises(BasemapError, match="not GeoJSON"):
        svc.set_basemap_path(admin, str(bad))
    assert svc.basemap_path() == ""  # bad input changes nothing
    assert svc.set_basemap_path(admin, str(good)).kind == "lines"
    assert svc.basemap(None).source == "streets.geojson"
    changed = log_entries(world.store, "settings.changed")[-1]
    assert changed.detail == {"key": "views.basemap_path", "from": "", "to": str(good)}
    good.unlink()  # a file gone later: the grid, with the reason
    gone = svc.basemap(None)
    assert gone.kind == "grid" and "cannot be read" in gone.problem


def test_a_demo_store_shows_its_generated_street_layer(world: World) -> None:
    world.store.set_setting("demo", "1")
    basemap = InvestigatorViewsService(world.store, world.clock).basemap(None)
    assert basemap.kind == "lines" and basemap.source == "demo street layer"
