"""Whether it is dark in Carson at a given instant, so night frames follow the real clock.

A textbook solar-declination approximation (no equation of time) is within about 15 minutes of
the almanac, which is plenty for choosing between a day and a night scene.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

CARSON_LAT = 33.83
CARSON_LON = -118.26
_TWILIGHT_DEG = -6.0  # civil twilight: streetlights on, cameras switch to IR


def is_dark(utc_s: int, lat: float = CARSON_LAT, lon: float = CARSON_LON) -> bool:
    t = datetime.fromtimestamp(utc_s, tz=UTC)
    doy = t.timetuple().tm_yday
    decl = math.radians(-23.44) * math.cos(2 * math.pi * (doy + 10) / 365.0)
    phi = math.radians(lat)
    # Hour angle of the sun: 0 at local solar noon, 15 degrees per hour.
    solar_hours = t.hour + t.minute / 60 + t.second / 3600 + lon / 15.0
    hour_angle = math.radians(15.0 * (solar_hours - 12.0))
    altitude = math.asin(
        math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.cos(hour_angle)
    )
    return math.degrees(altitude) < _TWILIGHT_DEG
