"""The incident register and the breach notice's rules (policy §10, Civil Code 1798.29).

1798.29(d): the notice is titled "Notice of Data Breach", uses the five headings below in that
order, in at least 10-point type, and gives the date of the breach and of the notice. Where
more than 500 California residents are affected, a sample copy goes to the Attorney General.
"""

from __future__ import annotations

from dataclasses import dataclass

NOTICE_TITLE = "Notice of Data Breach"
NOTICE_HEADINGS = (
    "What Happened",
    "What Information Was Involved",
    "What We Are Doing",
    "What You Can Do",
    "For More Information",
)
AG_SAMPLE_THRESHOLD = 500  # more than this many California residents: a sample to the AG
MIN_TEXT = 20
MAX_TEXT = 4000


@dataclass(frozen=True)
class IncidentInput:
    """What the custodian typed, unchecked. Times are UTC milliseconds."""

    discovered_ms: int
    breach_from_ms: int
    breach_to_ms: int
    what_happened: str
    data_involved: str
    encrypted: bool
    key_exposed: bool
    people_affected: int
    california_residents: int
    actions_taken: str
    contact: str = ""
    data_from_ms: int | None = None  # the period of the data involved, when known
    data_to_ms: int | None = None


@dataclass(frozen=True)
class Incident:
    id: int
    discovered_ms: int
    breach_from_ms: int
    breach_to_ms: int
    what_happened: str
    data_involved: str
    data_from_ms: int | None
    data_to_ms: int | None
    encrypted: bool
    key_exposed: bool
    people_affected: int
    california_residents: int
    actions_taken: str
    contact: str
    recorded_by: str
    recorded_ms: int
    notice_ms: int | None = None

    @property
    def ag_sample_required(self) -> bool:
        return self.california_residents > AG_SAMPLE_THRESHOLD

    @property
    def notice_required(self) -> bool:
        """1798.29(a): notice is owed for unencrypted data, or encrypted data whose key was
        (or may have been) acquired with it."""
        return not self.encrypted or self.key_exposed


def _text_problem(label: str, text: str) -> str | None:
    t = " ".join(text.split())
    if len(t) < MIN_TEXT:
        return f"Say more under “{label}” (at least {MIN_TEXT} characters)."
    if len(t) > MAX_TEXT:
        return f"“{label}” is longer than {MAX_TEXT} characters."
    return None


def check_incident(inc: IncidentInput, now_ms: int) -> list[str]:
    """Every problem with the input, as sentences; empty when it may be recorded."""
    problems = [p for p in (
        _text_problem("What happened", inc.what_happened),
        _text_problem("Which data", inc.data_involved),
        _text_problem("Actions taken", inc.actions_taken),
    ) if p]
    if inc.breach_from_ms > inc.breach_to_ms:
        problems.append("The breach cannot end before it began.")
    if inc.discovered_ms < inc.breach_from_ms:
        problems.append("The breach cannot have been discovered before it began.")
    if inc.discovered_ms > now_ms:
        problems.append("The discovery date cannot be in the future.")
    if (inc.data_from_ms is None) != (inc.data_to_ms is None):
        problems.append("Give both ends of the data's period, or neither.")
    elif inc.data_from_ms is not None and inc.data_to_ms is not None \
            and inc.data_from_ms > inc.data_to_ms:
        problems.append("The data's period cannot end before it begins.")
    if inc.people_affected < 0 or inc.california_residents < 0:
        problems.append("The numbers of people cannot be negative.")
    elif inc.california_residents > inc.people_affected:
        problems.append("More California residents than people affected: check the numbers.")
    if inc.key_exposed and not inc.encrypted:
        problems.append("A key can be exposed only for encrypted data.")
    if len(inc.contact) > 500:
        problems.append("The contact text is longer than 500 characters.")
    return problems
