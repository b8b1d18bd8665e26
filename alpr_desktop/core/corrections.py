"""Corrections of misreads (policy §7: "reasonable measures ensure accuracy and correction of
data errors"). A correction never overwrites the read: the camera's reading stays, and the
correction is a record of its own with who, when, why and the image it rests on. At most one
correction is in force per read; a later one supersedes it, a revert ends it (the read then
stands as read). Search finds a corrected read by either plate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alpr_desktop.core.plates import PlateError, normalize_plate

MIN_REASON = 10
MAX_REASON = 2000
MAX_ATTRIBUTE = 40
EVIDENCE_KINDS = ("crop", "overview")
ATTRIBUTES = ("state", "make", "model", "color", "body_type")


class EndKind(StrEnum):
    SUPERSEDED = "superseded"
    REVERTED = "reverted"


@dataclass(frozen=True)
class CorrectionInput:
    """What the user typed: None leaves a value as read. ``evidence_kind`` names the image
    (of the read) that shows the right value."""

    read_id: int
    reason: str
    evidence_kind: str
    plate: str | None = None
    state: str | None = None
    make: str | None = None
    model: str | None = None
    color: str | None = None
    body_type: str | None = None

    def values(self) -> dict[str, str]:
        """The corrected values given, stripped (plate normalized if valid)."""
        out: dict[str, str] = {}
        if self.plate is not None and self.plate.strip():
            try:
                out["plate"] = normalize_plate(self.plate)
            except PlateError:
                out["plate"] = self.plate.strip()
        for name in ATTRIBUTES:
            v = getattr(self, name)
            if v is not None and v.strip():
                out[name] = v.strip().upper() if name == "state" else v.strip()
        return out


@dataclass(frozen=True)
class Correction:
    id: int
    read_id: int
    plate: str | None
    state: str | None
    make: str | None
    model: str | None
    color: str | None
    body_type: str | None
    reason: str
    evidence_kind: str
    evidence_sha256: str
    corrected_by: str
    corrected_ms: int
    ended_ms: int | None = None
    ended_by: str | None = None
    end_kind: EndKind | None = None
    end_reason: str = ""

    @property
    def in_force(self) -> bool:
        return self.ended_ms is None

    def changes(self) -> dict[str, str]:
        """The corrected values, by field name."""
        return {n: v for n in ("plate", *ATTRIBUTES)
                if (v := getattr(self, n)) is not None}

    def describe(self) -> str:
        parts = [f"{n.replace('_', ' ')} {v}" for n, v in self.changes().items()]
        return ", ".join(parts)


def check_correction(c: CorrectionInput, original: dict[str, str]) -> list[str]:
    """Why this correction may not be recorded against a read with ``original`` values."""
    problems: list[str] = []
    values = c.values()
    if not values:
        problems.append("Give at least one corrected value (plate, state or vehicle).")
    if c.plate is not None and c.plate.strip():
        try:
            normalize_plate(c.plate)
        except PlateError as exc:
            problems.append(f"The corrected plate is not a plate: {exc}.")
    if "state" in values and not (2 <= len(values["state"]) <= 3
                                  and values["state"].isalpha()):
        problems.append("The state is a two-letter code such as CA.")
    for name in ATTRIBUTES:
        if len(values.get(name, "")) > MAX_ATTRIBUTE:
            problems.append(f"The {name.replace('_', ' ')} is longer than {MAX_ATTRIBUTE} "
                            "characters.")
    if values and all(original.get(n, "") == v for n, v in values.items()):
        problems.append("The corrected values are the same as the read's.")
    reason = c.reason.strip()
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        problems.append(f"Say why the read is wrong ({MIN_REASON} to {MAX_REASON} characters).")
    if c.evidence_kind not in EVIDENCE_KINDS:
        problems.append("Name the image that shows the right value (the plate crop or the "
                        "overview).")
    return problems
