"""A request for ALPR data from another agency, and the steps it goes through.

Policy §1 makes data available to other agencies *on request*; the State Auditor (2019-118)
asks for a documented request whose right and need to know were checked. So a request records
who asked (name, badge or bar number, contact), for which of their cases, why in their own
words, and what they asked for; the purpose is checked by the same rules as a search
(core.purpose_rules, category "agency request"). An analyst prepares the response (which
reads); the custodian approves it before anything leaves; the disclosure happens once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alpr_desktop.core.purposes import Purpose, PurposeCategory, PurposeInput
from alpr_desktop.core.recipients import clean_name

MAX_SHORT = 200
MAX_ASKED_FOR = 2000
MAX_NOTE = 1000
MAX_RESPONSE_READS = 5000


class RequestStatus(StrEnum):
    RECEIVED = "received"  # recorded, waiting for an analyst's response
    PREPARED = "prepared"  # an analyst chose the reads; waiting for the custodian
    APPROVED = "approved"  # the custodian approved the response; it may leave once
    REFUSED = "refused"  # the custodian refused it (with a reason)
    DISCLOSED = "disclosed"  # the package left

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class RequestInput:
    """What the request says, as typed from the agency's letter or form, unchecked."""

    agency_id: int
    requester_name: str
    requester_badge: str  # badge or bar number
    requester_contact: str
    case_number: str  # the requesting agency's own case number
    offense: str
    purpose: str  # in their words
    asked_for: str  # the reads or query asked for (plates, dates, places)
    received_ms: int  # when the request reached the City


@dataclass(frozen=True)
class SharingRequest:
    id: int
    agency_id: int
    agency_name: str
    requester_name: str
    requester_badge: str
    requester_contact: str
    case_number: str
    offense: str
    purpose: str
    asked_for: str
    received_by: str
    received_ms: int
    recorded_ms: int
    status: RequestStatus
    read_ids: tuple[int, ...] = ()
    prepared_by: str = ""
    prepared_ms: int | None = None
    response_note: str = ""
    decided_by: str = ""
    decided_ms: int | None = None
    decision_note: str = ""
    disclosed_by: str = ""
    disclosed_ms: int | None = None
    manifest_sha256: str = ""

    def as_purpose(self) -> Purpose:
        """The request as a purpose for the log's fifth element (already checked when it was
        recorded)."""
        return Purpose(PurposeCategory.AGENCY_REQUEST, self.offense, self.case_number,
                       self.purpose, self.agency_name, self.requester_name)

    def purpose_input(self) -> PurposeInput:
        """The request's purpose as the analyst declares it to prepare the response."""
        return PurposeInput(PurposeCategory.AGENCY_REQUEST, self.offense, self.case_number,
                            self.purpose, True, self.agency_name, self.requester_name)

    @property
    def requester(self) -> str:
        badge = f", {self.requester_badge}" if self.requester_badge else ""
        return f"{self.requester_name}{badge}"


class RequestInvalid(ValueError):
    """A request that cannot be recorded; ``problems`` are sentences."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def check_request_fields(entry: RequestInput) -> list[str]:
    """Problems with the fields the purpose rules do not check (badge, contact, asked for)."""
    problems: list[str] = []
    badge = clean_name(str(entry.requester_badge))
    if not badge:
        problems.append("Enter the requester's badge or bar number.")
    elif len(badge) > MAX_SHORT:
        problems.append(f"The badge or bar number is longer than {MAX_SHORT} characters.")
    contact = clean_name(str(entry.requester_contact))
    if not contact:
        problems.append("Enter how to reach the requester (phone or e-mail).")
    elif len(contact) > MAX_SHORT:
        problems.append(f"The contact is longer than {MAX_SHORT} characters.")
    asked = " ".join(str(entry.asked_for).split())
    if len(asked) < 5:
        problems.append("Say which reads or what search the agency asked for (plates, dates, "
                        "places).")
    elif len(asked) > MAX_ASKED_FOR:
        problems.append(f"What was asked for is longer than {MAX_ASKED_FOR} characters.")
    if not isinstance(entry.received_ms, int) or entry.received_ms <= 0:
        problems.append("Enter when the request was received.")
    return problems


def parse_read_ids(text: str) -> list[int]:
    """Read numbers from "12, 15 18-20" (ranges allowed); ValueError with a sentence."""
    out: set[int] = set()
    for part in text.replace(",", " ").split():
        a, sep, b = part.partition("-")
        try:
            lo = int(a.lstrip("#"))
            hi = int(b.lstrip("#")) if sep else lo
        except ValueError:
            raise ValueError(f"{part!r} is not a read number.") from None
        if lo <= 0 or hi < lo or hi - lo > MAX_RESPONSE_READS:
            raise ValueError(f"{part!r} is not a range of read numbers.")
        out.update(range(lo, hi + 1))
        if len(out) > MAX_RESPONSE_READS:
            raise ValueError(f"A response holds at most {MAX_RESPONSE_READS:,} reads.")
    return sorted(out)
