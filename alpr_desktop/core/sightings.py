"""Where a read was seen: the one shape the map, the route and the profile share.

A read's own coordinates (mobile readers) win over its camera's; ``own_position`` says which
one the map shows, so a camera-placed dot is never taken for a measured one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sighting:
    read_id: int
    plate: str
    recorded_at: int  # UTC seconds
    camera_id: int
    camera_name: str
    latitude: float
    longitude: float
    own_position: bool  # True: the read's own coordinates; False: its camera's
    direction: str = ""
    kind: str = "exact"  # how the read matched (exact, look-alike, candidate)


@dataclass(frozen=True)
class CameraSite:
    """A camera with a place (configuration, not read data)."""

    id: int
    name: str
    latitude: float
    longitude: float
    location: str = ""


@dataclass(frozen=True)
class MapSightings:
    """The sightings of a set of reads, and how many of them have no place to be drawn."""

    sightings: tuple[Sighting, ...]
    unplaced: int
    log_seq: int = 0
