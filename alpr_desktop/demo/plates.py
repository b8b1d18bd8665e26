"""Synthetic plate numbers in real state formats, and the OCR look-alike misreads of them.

California sequential plates skip I, O and Q, which is why a camera that reads an "O" on a
California plate has most likely misread a "0"; the demo keeps that property so fuzzy search has
realistic work to do.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

DIGITS = string.digits
_CA_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O, Q
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"

# Which character an OCR engine confuses each character with (core.plates.OCR_CLASSES).
LOOKALIKES: dict[str, str] = {
    "0": "OD", "O": "0D", "D": "0O", "Q": "0O",
    "1": "IL", "I": "1L", "L": "1I",
    "2": "Z", "Z": "2", "5": "S", "S": "5", "8": "B", "B": "8", "6": "G", "G": "6",
}


@dataclass(frozen=True)
class PlateFormat:
    state: str
    pattern: str  # 'N' digit 1-9, 'D' digit, 'L' letter, 'C' California letter (no I/O/Q)
    commercial: bool = False


# (format, weight); weights are shares of distinct plates seen in a South Bay city.
FORMATS: tuple[tuple[PlateFormat, float], ...] = (
    (PlateFormat("CA", "NCCCDDD"), 86.0),  # 8ABC123, standard passenger
    (PlateFormat("CA", "NCDDDDD", commercial=True), 3.0),  # 1A23456, commercial
    (PlateFormat("CA", "NDDDDCD", commercial=True), 2.5),  # 12345A1, commercial
    (PlateFormat("AZ", "LLLDDDD"), 2.0),
    (PlateFormat("NV", "NDDLDD"), 1.0),
    (PlateFormat("NV", "NDLDDD"), 0.8),
    (PlateFormat("TX", "LLLDDDD"), 1.7),
    (PlateFormat("OR", "NDDLLL"), 0.6),
    (PlateFormat("OR", "LLLDDD"), 0.6),
    (PlateFormat("WA", "LLLDDDD"), 1.2),
)
# First digit of California passenger plates: recent series are most common on the road.
_CA_FIRST_DIGIT = ("4", "5", "6", "7", "8", "9")
_CA_FIRST_WEIGHTS = (1.0, 2.0, 4.0, 8.0, 10.0, 7.0)


@dataclass(frozen=True)
class Plate:
    text: str
    state: str
    commercial: bool


def _fill(pattern: str, rng: random.Random) -> str:
    out = []
    for p in pattern:
        if p == "N":
            out.append(rng.choice(DIGITS[1:]))
        elif p == "D":
            out.append(rng.choice(DIGITS))
        elif p == "C":
            out.append(rng.choice(_CA_LETTERS))
        else:
            out.append(rng.choice(_LETTERS))
    return "".join(out)


def random_plate(rng: random.Random) -> Plate:
    """One plate drawn from the format mix; the same rng state gives the same plate."""
    fmt = rng.choices([f for f, _ in FORMATS], weights=[w for _, w in FORMATS])[0]
    text = _fill(fmt.pattern, rng)
    if fmt.state == "CA" and not fmt.commercial:
        first = rng.choices(_CA_FIRST_DIGIT, weights=_CA_FIRST_WEIGHTS)[0]
        text = first + text[1:]
    return Plate(text, fmt.state, fmt.commercial)


def misread(text: str, rng: random.Random) -> str | None:
    """The plate with one character swapped for an OCR look-alike, or None if none can be."""
    positions = [i for i, ch in enumerate(text) if ch in LOOKALIKES]
    if not positions:
        return None
    i = rng.choice(positions)
    return text[:i] + rng.choice(LOOKALIKES[text[i]]) + text[i + 1 :]
