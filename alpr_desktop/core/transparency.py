"""What the public transparency report says (preamble; ACLU and State Auditor
recommendations): counts only. Nothing in it names a plate, a person, a username or a case.

It mirrors what the most open ALPR transparency portals publish (cameras, reads collected,
retention, searches by reason, agencies shared with) and adds what they do not: refused
searches, reads deleted by the purge, and whether the access log's hash chain verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alpr_desktop.core.purposes import OFFENSE_TYPES, PurposeCategory

NOT_RECORDED = "not recorded by this version of the program"
OTHER_OFFENSE = "Other (not on the offense list)"

REFUSAL_WORDS = {
    "no_purpose": "no declared purpose",
    "role": "account not allowed to search",
    "training": "policy training missing or expired",
    "account_disabled": "account disabled or suspended",
    "not_signed_in": "not signed in",
    "no_written_permission": "contractor without written permission",
    "outside_permission_window": "outside a contractor's permitted dates",
    "purpose_not_under_permission": "purpose not under a written permission",
    "password_change_required": "password change pending",
}


def category_words(value: str) -> str:
    cat = PurposeCategory.parse(value)
    return cat.label if cat is not None else "Other or unrecorded"


def offense_words(value: str) -> str:
    """An offense from the program's list as is; anything typed outside it as "Other", so
    free text (which could hold a name or a plate) never reaches the public report."""
    return value if value in OFFENSE_TYPES else OTHER_OFFENSE


def refusal_words(reason: str) -> str:
    return REFUSAL_WORDS.get(reason, "other reason")


@dataclass(frozen=True)
class TransparencyFacts:
    organization: str
    period_start_ms: int
    period_end_ms: int
    generated_ms: int
    cameras: list[tuple[str, int, bool]]  # name, reads in the period, active
    reads_collected: int
    reads_held: int
    reads_purged: int | None  # None: NOT_RECORDED
    searches: list[tuple[str, str, int]]  # category words, offense words, count
    refused: list[tuple[str, int]]  # reason words, count
    disclosures: list[tuple[str, int]]  # receiving agency, count
    disclosures_refused: int
    holds: int | None
    maintenance_checks: int | None
    problems: int | None
    incidents: int
    chain_intact: bool
    chain_entries: int
    chain_summary: str
    retention: str
    notes: list[str] = field(default_factory=list)

    @property
    def total_searches(self) -> int:
        return sum(n for *_x, n in self.searches)

    @property
    def total_refused(self) -> int:
        return sum(n for _x, n in self.refused)

    @property
    def total_disclosures(self) -> int:
        return sum(n for _x, n in self.disclosures)


def merge_counts(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Add up rows whose words came out the same, largest first."""
    out: dict[str, int] = {}
    for key, n in rows:
        out[key] = out.get(key, 0) + n
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))
