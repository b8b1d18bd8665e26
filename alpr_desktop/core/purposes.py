"""What a search purpose is: categories, offense list, case-number formats, and the dataclasses.

Policy §1 allows ALPR data to be used only to deter crime and to aid the investigation and
prosecution of possible crimes, and makes it available to LASD and to other law-enforcement or
prosecutorial agencies on request. §3 and §5 require the purpose to be collected before any
query and logged with it. The rules that decide whether a purpose is specific enough live in
``purpose_rules``; this module only names the vocabulary, so the dialog, the services and the
audit report all agree on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PurposeCategory(StrEnum):
    """The three uses policy §1 authorizes; anything else is a prohibited use."""

    CRIMINAL_INVESTIGATION = "criminal_investigation"
    PROSECUTION = "prosecution"
    AGENCY_REQUEST = "agency_request"

    @property
    def label(self) -> str:
        """Human wording for the dialog and the audit report."""
        return _CATEGORY_LABELS[self]

    @classmethod
    def parse(cls, value: object) -> PurposeCategory | None:
        """The category named by a value or its label (case-insensitive), else None."""
        if isinstance(value, PurposeCategory):
            return value
        if not isinstance(value, str):
            return None
        text = value.strip().lower()
        for member in cls:
            if text in (member.value, member.label.lower()):
                return member
        return None


_CATEGORY_LABELS: dict[PurposeCategory, str] = {
    PurposeCategory.CRIMINAL_INVESTIGATION: "Criminal investigation",
    PurposeCategory.PROSECUTION: "Prosecution",
    PurposeCategory.AGENCY_REQUEST: "Request from another law-enforcement or prosecutorial agency",
}

# Only offenses: the policy authorizes crime deterrence, investigation and prosecution, nothing
# else. A missing person is not a crime by itself, so "missing / endangered person" is not on the
# list; an abduction is, and an AMBER alert (which requires a believed abduction) falls under
# "Kidnapping / abduction". A Silver-alert wandering adult with no crime involved is outside the
# policy and must not be searched under a made-up offense.
OFFENSE_TYPES: tuple[str, ...] = (
    "Homicide",
    "Robbery",
    "Carjacking",
    "Burglary",
    "Vehicle theft",
    "Hit and run",
    "Assault with a deadly weapon",
    "Kidnapping / abduction",
    "Sexual assault",
    "Human trafficking",
    "Narcotics trafficking",
    "Shooting / firearm offense",
    "Felony evading",
    "Fraud / identity theft",
    "Arson",
    "Vandalism",
    "Theft",
    "Other felony",
    "Other misdemeanor",
)


@dataclass(frozen=True)
class CaseFormat:
    """An accepted case or incident number form: a label, an anchored regex, and examples."""

    label: str
    pattern: str
    examples: tuple[str, ...] = ()


# Matched case-insensitively against the stripped number. Both are linear regexes (no nested
# quantifiers) so a hostile string cannot make matching slow.
DEFAULT_CASE_FORMATS: tuple[CaseFormat, ...] = (
    CaseFormat(
        "LASD URN (###-#####-####-###)",
        r"^\d{3}-\d{5}-\d{4}-\d{3}$",
        ("123-45678-2026-001", "026-01234-1530-011"),
    ),
    # Optional agency prefix of 1-5 letters, a 2- or 4-digit year, a 3-8 digit sequence.
    CaseFormat(
        "Agency case number ([AGENCY-]YY[YY]-NNNNNN)",
        r"^(?:[A-Z]{1,5}-)?(?:\d{2}|\d{4})-\d{3,8}$",
        ("LAPD-2026-004512", "26-004512", "CR-2026-0001234", "TPD-26-12345"),
    ),
)
DEFAULT_CASE_FORMAT_REGEXES: tuple[str, ...] = tuple(f.pattern for f in DEFAULT_CASE_FORMATS)


@dataclass(frozen=True)
class PurposeInput:
    """What the user typed in the purpose dialog, unchecked."""

    category: PurposeCategory | str
    offense: str
    case_number: str
    narrative: str
    acknowledged: bool
    requesting_agency: str = ""
    requester_name: str = ""


@dataclass(frozen=True)
class Purpose:
    """An accepted purpose, normalized; only ``purpose_rules.validate_purpose`` should make one
    from user input (storage may rebuild one from a stored row)."""

    category: PurposeCategory
    offense: str
    case_number: str
    narrative: str
    requesting_agency: str = ""
    requester_name: str = ""
    acknowledged: bool = True

    def __post_init__(self) -> None:
        if not self.acknowledged:
            raise ValueError("a purpose without the policy acknowledgment is not a purpose")

    def as_log_dict(self) -> dict[str, str]:
        """The purpose element of the access log (policy §5 (5), Civil Code 1798.90.52)."""
        return {"category": str(self.category), "offense": self.offense,
                "case_number": self.case_number, "narrative": self.narrative,
                "requesting_agency": self.requesting_agency,
                "requester_name": self.requester_name}
