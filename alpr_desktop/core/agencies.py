"""The custodian's registry of agencies that may receive ALPR data, and who may receive it.

Policy §1 makes data available only to LASD and other law-enforcement or prosecutorial
agencies on request; Civil Code 1798.90.55(b) and the Attorney General's bulletin 2023-DLE-06
read "public agency" as a California state or local agency, so federal, out-of-state and
private recipients are refused, never warned about. The State Auditor (2019-118) found
agencies sharing with hundreds of entities whose right to know nobody had checked, so a
recipient must also be in this registry, approved by the custodian, with a dated record of who
approved it. ``recipient_refusal`` is the one rule every disclosure path asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alpr_desktop.core.recipients import MAX_AGENCY_CHARS, check_recipient, clean_name

AG_BULLETIN = "Attorney General bulletin 2023-DLE-06"
MAX_CONTACT_CHARS = 300
MAX_JURISDICTION_NOTE = 200


class AgencyKind(StrEnum):
    LAW_ENFORCEMENT = "law_enforcement"
    PROSECUTORIAL = "prosecutorial"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"law_enforcement": "Law enforcement", "prosecutorial": "Prosecutorial",
                "other": "Other"}[self.value]


class Jurisdiction(StrEnum):
    CALIFORNIA_STATE = "california_state"
    CALIFORNIA_LOCAL = "california_local"
    OUT_OF_STATE = "out_of_state"
    FEDERAL = "federal"
    PRIVATE = "private"

    @property
    def label(self) -> str:
        return {"california_state": "California state", "california_local": "California local",
                "out_of_state": "Out of state", "federal": "Federal",
                "private": "Private"}[self.value]

    @property
    def californian(self) -> bool:
        return self in (Jurisdiction.CALIFORNIA_STATE, Jurisdiction.CALIFORNIA_LOCAL)


@dataclass(frozen=True)
class AgencyInput:
    """What the custodian typed, unchecked."""

    name: str
    kind: AgencyKind | str
    jurisdiction: Jurisdiction | str
    contact: str
    jurisdiction_note: str = ""  # e.g. "County of Los Angeles"


@dataclass(frozen=True)
class Agency:
    """A registered agency. ``approved_ms``/``approved_by`` set when the custodian approved it
    as a recipient; ``withdrawn_ms`` when the approval was withdrawn."""

    id: int
    name: str
    kind: AgencyKind
    jurisdiction: Jurisdiction
    contact: str
    jurisdiction_note: str
    added_by: str
    added_ms: int
    approved_by: str = ""
    approved_ms: int | None = None
    withdrawn_by: str = ""
    withdrawn_ms: int | None = None
    withdraw_reason: str = ""

    @property
    def approved(self) -> bool:
        return self.approved_ms is not None and self.withdrawn_ms is None

    @property
    def status(self) -> str:
        if self.withdrawn_ms is not None:
            return "withdrawn"
        return "approved" if self.approved_ms is not None else "not approved"


class AgencyInvalid(ValueError):
    """The custodian's entry cannot be saved; ``problems`` are sentences."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def check_agency_input(entry: AgencyInput) -> tuple[str, AgencyKind, Jurisdiction, str, str]:
    """The cleaned fields of ``entry`` or AgencyInvalid naming every problem. Saving an agency
    is not approving it: any kind and jurisdiction may be recorded (so a refusal can name it)."""
    problems: list[str] = []
    name = clean_name(str(entry.name))
    if not name:
        problems.append("Enter the agency's full name.")
    elif len(name) > MAX_AGENCY_CHARS:
        problems.append(f"The agency name is longer than {MAX_AGENCY_CHARS} characters.")
    try:
        kind = AgencyKind(str(entry.kind))
    except ValueError:
        problems.append("Choose the kind of agency: law enforcement, prosecutorial or other.")
        kind = AgencyKind.OTHER
    try:
        jurisdiction = Jurisdiction(str(entry.jurisdiction))
    except ValueError:
        problems.append("Choose the jurisdiction: California state or local, out of state, "
                        "federal or private.")
        jurisdiction = Jurisdiction.PRIVATE
    contact = clean_name(str(entry.contact))
    if not contact:
        problems.append("Enter a contact for the agency (a records unit, a phone, an address).")
    elif len(contact) > MAX_CONTACT_CHARS:
        problems.append(f"The contact is longer than {MAX_CONTACT_CHARS} characters.")
    note = clean_name(str(entry.jurisdiction_note))
    if len(note) > MAX_JURISDICTION_NOTE:
        problems.append(f"The jurisdiction note is longer than {MAX_JURISDICTION_NOTE} "
                        "characters.")
    if problems:
        raise AgencyInvalid(problems)
    return name, kind, jurisdiction, contact, note


@dataclass(frozen=True)
class RecipientRefusal:
    """Why an agency may not receive data: a short code for the log and a sentence."""

    reason: str
    message: str


def lawful_kind_refusal(name: str, kind: AgencyKind,
                        jurisdiction: Jurisdiction) -> RecipientRefusal | None:
    """The refusal the law itself gives (kind, jurisdiction, a name that says federal, private or
    out of state), whatever the registry says; None when the law allows it."""
    if jurisdiction is Jurisdiction.FEDERAL:
        return RecipientRefusal("federal", f"{name!r} is a federal agency; California law does "
                                f"not permit sharing ALPR data with federal agencies "
                                f"({AG_BULLETIN}).")
    if jurisdiction is Jurisdiction.OUT_OF_STATE:
        return RecipientRefusal("out_of_state", f"{name!r} is outside California; California "
                                "law does not permit sharing ALPR data with out-of-state "
                                f"agencies ({AG_BULLETIN}).")
    if jurisdiction is Jurisdiction.PRIVATE:
        return RecipientRefusal("private", f"{name!r} is a private entity; ALPR data may go "
                                "only to California public law-enforcement or prosecutorial "
                                f"agencies ({AG_BULLETIN}).")
    if kind is AgencyKind.OTHER:
        return RecipientRefusal("not_law_enforcement", f"{name!r} is neither a law-enforcement "
                                "nor a prosecutorial agency; policy §1 allows data only to "
                                f"those ({AG_BULLETIN}).")
    by_name = check_recipient(name, california_agency_confirmed=True, request_ref="registry")
    if not by_name.allowed:
        return RecipientRefusal(by_name.reason, f"{by_name.message} ({AG_BULLETIN}).")
    return None


def recipient_refusal(agency: Agency | None) -> RecipientRefusal | None:
    """Why ``agency`` may not receive ALPR data now, or None when it may: it must be in the
    registry, approved and not withdrawn, and lawful by kind, jurisdiction and name."""
    if agency is None:
        return RecipientRefusal("not_registered", "The recipient is not in the agency registry; "
                                "the custodian must register and approve it first "
                                f"({AG_BULLETIN}; State Auditor 2019-118).")
    lawless = lawful_kind_refusal(agency.name, agency.kind, agency.jurisdiction)
    if lawless is not None:
        return lawless
    if agency.withdrawn_ms is not None:
        return RecipientRefusal("withdrawn", f"The custodian withdrew {agency.name!r}'s approval "
                                "as a recipient; it cannot receive data.")
    if agency.approved_ms is None:
        return RecipientRefusal("not_approved", f"{agency.name!r} has not been approved as a "
                                "recipient by the custodian.")
    return None
