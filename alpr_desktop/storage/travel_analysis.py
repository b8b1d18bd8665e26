"""SQL of co-travel, locate and the cloned-plate check (issue 19).

Every query starts from an index the reads table has: a plate's reads from reads_plate_time,
the reads around a moment from reads_time (filtered to the camera: there is no camera-first
index, and a few minutes of reads are few), a window of all reads from reads_time. Every
parameter is bound; id lists travel as one JSON text read by ``json_each``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from alpr_desktop.core.cloned import Fix
from alpr_desktop.core.cotravel import Point
from alpr_desktop.core.models import Read
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.read_rows import FROM_READS, READ_COLUMNS, row_to_read


class TravelAnalysisRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def plate_points(self, plate_norm: str, since: int, until: int, limit: int) -> list[Point]:
        """The plate's reads in the window, oldest first."""
        rows = self.store.query(
            "SELECT r.id, r.camera_id, r.recorded_at FROM reads r "
            "WHERE r.plate_id = (SELECT id FROM plates WHERE plate_norm = ?) "
            "AND r.recorded_at >= ? AND r.recorded_at <= ? ORDER BY r.recorded_at, r.id "
            "LIMIT ?", (plate_norm, int(since), int(until), int(limit)))
        return [Point(int(r[0]), plate_norm, int(r[1]), int(r[2])) for r in rows]

    def plate_reads_newest(self, plate_norm: str, since: int, until: int,
                           limit: int) -> list[Read]:
        """The plate's newest reads in the window (at most ``limit``), oldest first: one
        range of reads_plate_time, read backwards."""
        sql = (f"SELECT {READ_COLUMNS} FROM reads r {FROM_READS} "
               "WHERE r.plate_id = (SELECT id FROM plates WHERE plate_norm = ?) "
               "AND r.recorded_at >= ? AND r.recorded_at <= ? "
               "ORDER BY r.recorded_at DESC, r.id DESC LIMIT ?")
        rows = self.store.query(sql, (plate_norm, int(since), int(until), int(limit)))
        return [row_to_read(r) for r in reversed(rows)]

    def points_near(self, moments: Sequence[tuple[int, int]], tolerance_s: int) -> list[Point]:
        """Reads at camera c within the tolerance of time t, for each (c, t); each read
        once."""
        sql = ("SELECT r.id, p.plate_norm, r.camera_id, r.recorded_at FROM reads r "
               "INDEXED BY reads_time JOIN plates p ON p.id = r.plate_id "
               "WHERE r.recorded_at >= ? AND r.recorded_at <= ? AND r.camera_id = ?")
        seen: dict[int, Point] = {}
        for camera_id, t in moments:
            for r in self.store.query(sql, (int(t) - tolerance_s, int(t) + tolerance_s,
                                            int(camera_id))):
                seen[int(r[0])] = Point(int(r[0]), str(r[1]), int(r[2]), int(r[3]))
        return list(seen.values())

    def plates_points(self, plates: Sequence[str], since: int, until: int, limit: int
                      ) -> dict[str, list[Point]]:
        """Each plate's reads in the window (at most ``limit`` each)."""
        sql = ("SELECT r.id, r.camera_id, r.recorded_at FROM reads r "
               "WHERE r.plate_id = (SELECT id FROM plates WHERE plate_norm = ?) "
               "AND r.recorded_at >= ? AND r.recorded_at <= ? LIMIT ?")
        return {p: [Point(int(r[0]), p, int(r[1]), int(r[2])) for r in self.store.query(
            sql, (p, int(since), int(until), int(limit)))] for p in plates}

    def reads_by_ids(self, read_ids: Sequence[int]) -> list[Read]:
        """Whole reads, oldest first."""
        sql = (f"SELECT {READ_COLUMNS} FROM json_each(?) j JOIN reads r ON r.id = j.value "
               f"{FROM_READS} ORDER BY r.recorded_at, r.id")
        return [row_to_read(r) for r in self.store.query(
            sql, (json.dumps([int(i) for i in read_ids]),))]

    def camera_places(self) -> dict[int, tuple[str, str, float | None, float | None]]:
        """id -> (name, location, latitude, longitude) of every camera (configuration)."""
        rows = self.store.query("SELECT id, name, location, latitude, longitude FROM cameras")
        return {int(r[0]): (str(r[1]), str(r[2] or ""),
                            None if r[3] is None else float(r[3]),
                            None if r[4] is None else float(r[4])) for r in rows}

    def _fixes(self, rows: Sequence[tuple]) -> tuple[list[Fix], int]:
        places = self.camera_places()
        out: list[Fix] = []
        unplaced = 0
        for rid, plate_id, t, lat, lon, cam in rows:
            own = lat is not None and lon is not None
            if not own:
                place = places.get(int(cam))
                lat, lon = (place[2], place[3]) if place else (None, None)
            if lat is None or lon is None:
                unplaced += 1
                continue
            out.append(Fix(int(rid), int(plate_id), int(t), float(lat), float(lon), int(cam),
                           own))
        return out, unplaced

    def fixes_in_window(self, since: int, until: int) -> tuple[list[Fix], int]:
        """Every read of the window with its place, and how many have none."""
        rows = self.store.query(
            "SELECT r.id, r.plate_id, r.recorded_at, r.latitude, r.longitude, r.camera_id "
            "FROM reads r INDEXED BY reads_time WHERE r.recorded_at >= ? "
            "AND r.recorded_at <= ?", (int(since), int(until)))
        return self._fixes(rows)

    def fixes_of_reads(self, read_ids: Sequence[int]) -> tuple[list[Fix], int]:
        rows = self.store.query(
            "SELECT r.id, r.plate_id, r.recorded_at, r.latitude, r.longitude, r.camera_id "
            "FROM json_each(?) j JOIN reads r ON r.id = j.value",
            (json.dumps([int(i) for i in read_ids]),))
        return self._fixes(rows)

    def plate_names(self, plate_ids: Sequence[int]) -> dict[int, str]:
        rows = self.store.query(
            "SELECT p.id, p.plate_norm FROM json_each(?) j JOIN plates p ON p.id = j.value",
            (json.dumps(sorted({int(i) for i in plate_ids})),))
        return {int(r[0]): str(r[1]) for r in rows}
