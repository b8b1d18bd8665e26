"""Who may receive ALPR data (policy §1; Civil Code 1798.90.55(b); AG bulletin 2023-DLE-06).

Only a California state or local public agency, here a law-enforcement or prosecutorial one,
may receive reads or images. Sharing with federal agencies, out-of-state agencies or private
entities is not permitted and must be refused, not warned about. A name cannot prove what an
agency is, so the rule has two parts: the person disclosing confirms the recipient is a
California state or local law-enforcement or prosecutorial agency, and names that plainly say
otherwise are refused even when confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_AGENCY_CHARS = 200
MAX_REQUEST_CHARS = 120

_FEDERAL = (
    r"fbi", r"dea", r"ice", r"hsi", r"cbp", r"atf", r"usms", r"irs", r"tsa", r"ncis", r"fema",
    r"dhs", r"u\.?\s?s\.?", r"united\s+states", r"federal", r"homeland\s+security",
    r"immigration", r"customs", r"border\s+patrol", r"secret\s+service",
    r"postal\s+inspection", r"marshals?\s+service", r"us\s+marshals?", r"army", r"navy",
    r"air\s+force", r"marine\s+corps", r"coast\s+guard", r"interpol",
)
_PRIVATE = (
    r"inc\.?", r"incorporated", r"llc", r"l\.l\.c\.?", r"llp", r"ltd\.?", r"corp\.?",
    r"corporation", r"company", r"insurance", r"towing", r"repossessions?",
    r"repo", r"bank", r"private", r"security\s+services",
)
_STATES = (
    "alabama", "alaska", "arizona", "arkansas", "colorado", "connecticut", "delaware",
    "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas",
    "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
    "mississippi", "missouri", "montana", "nebraska", r"nevada(?!\s+(?:county|city))",
    r"new\s+hampshire", r"new\s+jersey", r"new\s+mexico", r"new\s+york", r"north\s+carolina",
    r"north\s+dakota", "ohio", "oklahoma", "oregon", "pennsylvania", r"rhode\s+island",
    r"south\s+carolina", r"south\s+dakota", "tennessee", "texas", "utah", "vermont",
    "virginia", "washington", "wisconsin", "wyoming", "mexico", "canada", "tijuana",
)


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w.])(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


_RULES = (
    ("federal", _pattern(_FEDERAL),
     "{name} looks like a federal agency; California law does not permit sharing ALPR data "
     "with federal agencies."),
    ("private", _pattern(_PRIVATE),
     "{name} looks like a private entity; ALPR data may go only to public law-enforcement "
     "or prosecutorial agencies."),
    ("out_of_state", _pattern(_STATES),
     "{name} looks like an agency outside California; California law does not permit "
     "sharing ALPR data with out-of-state agencies."),
)


@dataclass(frozen=True)
class RecipientDecision:
    allowed: bool
    agency: str  # the name as it will be logged (trimmed, spaces collapsed)
    reason: str = ""  # a short code: empty, too_long, unconfirmed, federal, private, ...
    message: str = ""  # the sentence shown when refused


def clean_name(name: str) -> str:
    """Control characters become spaces, runs of spaces one: the name as it is logged."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())


def check_recipient(
    agency: str, *, california_agency_confirmed: bool, request_ref: str = "x"
) -> RecipientDecision:
    """Whether ``agency`` may receive ALPR data; refusals carry a sentence for the dialog."""
    name = clean_name(agency)
    ref = clean_name(request_ref)

    def refuse(reason: str, message: str) -> RecipientDecision:
        return RecipientDecision(False, name, reason, message)

    if not name:
        return refuse("empty", "Name the agency that receives the data.")
    if len(name) > MAX_AGENCY_CHARS:
        return refuse("too_long", f"The agency name is longer than {MAX_AGENCY_CHARS} "
                                  "characters.")
    if not ref:
        return refuse("no_request", "Give the reference of the agency's request (policy §1: "
                                    "data is made available on request).")
    if len(ref) > MAX_REQUEST_CHARS:
        return refuse("too_long", f"The request reference is longer than {MAX_REQUEST_CHARS} "
                                  "characters.")
    for reason, pattern, message in _RULES:
        if pattern.search(name):
            return refuse(reason, message.format(name=repr(name)))
    if not california_agency_confirmed:
        return refuse("unconfirmed", "Confirm that the recipient is a California state or "
                                     "local law-enforcement or prosecutorial agency.")
    return RecipientDecision(True, name)
