"""Demo camera sites at real Carson, CA intersections.

Coordinates come from the crossing of each street's approximate centre line, so every site sits
where the named streets actually meet (to within a block). The list is fixed, not seeded: a
demo should look like one city's deployment whatever the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

# Approximate latitude of east-west streets and longitude of north-south streets in Carson.
_LAT: dict[str, float] = {
    "Alondra Blvd": 33.8886,
    "Victoria St": 33.8643,
    "University Dr": 33.8585,
    "Del Amo Blvd": 33.8468,
    "Dominguez St": 33.8412,
    "213th St": 33.8382,
    "Torrance Blvd": 33.8355,
    "Carson St": 33.8317,
    "220th St": 33.8275,
    "223rd St": 33.8237,
    "I-405": 33.8190,
    "Sepulveda Blvd": 33.8105,
}
_LON: dict[str, float] = {
    "I-110": -118.2868,
    "Figueroa St": -118.2826,
    "Broadway": -118.2782,
    "Main St": -118.2741,
    "Avalon Blvd": -118.2652,
    "Central Ave": -118.2484,
    "Wilmington Ave": -118.2390,
    "Santa Fe Ave": -118.2245,
    "Alameda St": -118.2190,
}


@dataclass(frozen=True)
class CameraSite:
    name: str
    road: str  # the street the camera watches; shown on the scene's street sign
    cross: str
    heading: str  # direction of the traffic it reads: NB, SB, EB, WB
    weight: float  # relative traffic volume
    speed_limit: int  # mph

    @property
    def location(self) -> str:
        if self.cross.startswith("I-"):
            return f"{self.road} at {self.cross}"
        return f"{self.road} & {self.cross}"

    @property
    def latitude(self) -> float:
        return round(_LAT.get(self.road, _LAT.get(self.cross, 0.0)), 5)

    @property
    def longitude(self) -> float:
        return round(_LON.get(self.road, _LON.get(self.cross, 0.0)), 5)


# (road, cross street, heading, traffic weight, speed limit)
_SITES: tuple[tuple[str, str, str, float, int], ...] = (
    ("Avalon Blvd", "Carson St", "NB", 3.0, 40),
    ("Avalon Blvd", "Carson St", "SB", 3.0, 40),
    ("Carson St", "Avalon Blvd", "EB", 2.6, 40),
    ("Carson St", "Avalon Blvd", "WB", 2.6, 40),
    ("Avalon Blvd", "Del Amo Blvd", "NB", 2.4, 40),
    ("Avalon Blvd", "Del Amo Blvd", "SB", 2.4, 40),
    ("Avalon Blvd", "Victoria St", "NB", 1.8, 40),
    ("Avalon Blvd", "223rd St", "SB", 2.0, 40),
    ("Avalon Blvd", "I-405", "NB", 2.8, 40),
    ("Avalon Blvd", "I-405", "SB", 2.8, 40),
    ("Avalon Blvd", "Sepulveda Blvd", "NB", 1.6, 40),
    ("Avalon Blvd", "University Dr", "SB", 1.2, 40),
    ("Avalon Blvd", "Dominguez St", "NB", 1.2, 40),
    ("Avalon Blvd", "213th St", "SB", 1.0, 40),
    ("Main St", "Carson St", "NB", 1.4, 35),
    ("Main St", "Del Amo Blvd", "SB", 1.2, 35),
    ("Main St", "Victoria St", "NB", 1.0, 35),
    ("Main St", "223rd St", "SB", 1.0, 35),
    ("Main St", "Torrance Blvd", "NB", 0.9, 35),
    ("Figueroa St", "Carson St", "NB", 1.4, 40),
    ("Figueroa St", "Torrance Blvd", "SB", 1.1, 40),
    ("Figueroa St", "223rd St", "NB", 1.0, 40),
    ("Figueroa St", "Del Amo Blvd", "SB", 1.0, 40),
    ("Carson St", "I-110", "EB", 2.2, 40),
    ("Broadway", "Victoria St", "SB", 0.6, 35),
    ("Wilmington Ave", "Carson St", "NB", 1.6, 40),
    ("Wilmington Ave", "Del Amo Blvd", "SB", 1.3, 40),
    ("Wilmington Ave", "223rd St", "NB", 1.4, 40),
    ("Wilmington Ave", "I-405", "SB", 2.0, 40),
    ("Wilmington Ave", "Sepulveda Blvd", "NB", 1.0, 40),
    ("Victoria St", "Central Ave", "EB", 1.0, 35),
    ("Victoria St", "Avalon Blvd", "WB", 1.2, 35),
    ("Central Ave", "Del Amo Blvd", "NB", 1.0, 35),
    ("Central Ave", "University Dr", "SB", 0.8, 35),
    ("Del Amo Blvd", "Avalon Blvd", "EB", 1.8, 40),
    ("Del Amo Blvd", "Alameda St", "WB", 1.2, 45),
    ("223rd St", "Santa Fe Ave", "WB", 0.9, 40),
    ("Sepulveda Blvd", "Alameda St", "WB", 1.0, 45),
    ("Alameda St", "223rd St", "NB", 1.1, 45),
    ("Alondra Blvd", "Avalon Blvd", "EB", 1.0, 40),
)

CAMERAS: tuple[CameraSite, ...] = tuple(
    CameraSite(f"CAR-{i:02d} {road.split()[0]}/{cross.split()[0]} {heading}", road, cross,
               heading, weight, limit)
    for i, (road, cross, heading, weight, limit) in enumerate(_SITES, start=1)
)
