"""Whether a search purpose is a real purpose: the rules of the purpose gate.

Policy §1 limits ALPR data to crime deterrence, investigation and prosecution, and §5 makes the
purpose part of every access-log entry. Published audit logs show purposes such as
"investigation", "inv", "bolo" or "test", which make an audit impossible: nobody can tell later
whether a search was authorized. So a narrative must say what happened, where or when, and what
the search is meant to find, and must be the user's own words. Every problem is reported as a
sentence naming what is missing, with an example, so the dialog can show it as is.

Officers write the way they write reports: "459 PC resd, S/ fled in wht veh, need RO". The rules
read the narrative with police shorthand spelled out (police_shorthand) and count a California
code section as a crime (code_sections); the stored narrative stays exactly as typed. A request
from another agency is specific through the agency's case number and the dates it asks for.
docs/purposes.md describes the rules and their measured accuracy.

This module checks the fields and puts the verdict together; the narrative check is
narrative_check, the case-number formats case_formats, the word lists purpose_words, and the
problem type and field limits purpose_problems (all re-exported here as before).

Pure standard library; no Qt, no SQL. ``check_purpose`` never raises on user input (only on an
invalid configured case-number format, which is an administrator's error).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from alpr_desktop.core.case_formats import (
    DEFAULT_COMPILED,
    MAX_CASE_FORMATS,
    check_case_number,
    compile_case_formats,
)
from alpr_desktop.core.narrative_check import (
    EXAMPLE_NARRATIVE,
    check_narrative,
    narrative_fingerprint,
    with_example,
)
from alpr_desktop.core.purpose_problems import (
    MAX_CASE_NUMBER_LEN,
    MAX_FIELD_LEN,
    MAX_NARRATIVE_LEN,
    MIN_NARRATIVE_CHARS,
    MIN_NARRATIVE_WORDS,
    PurposeProblem,
    PurposeRejected,
    as_text,
    clean_text,
    has_bad_chars,
)
from alpr_desktop.core.purpose_words import GENERIC_AGENCIES
from alpr_desktop.core.purposes import (
    DEFAULT_CASE_FORMAT_REGEXES,
    DEFAULT_CASE_FORMATS,
    OFFENSE_TYPES,
    CaseFormat,
    Purpose,
    PurposeCategory,
    PurposeInput,
)

__all__ = [
    "EXAMPLE_NARRATIVE",
    "MAX_CASE_FORMATS",
    "MAX_CASE_NUMBER_LEN",
    "MAX_NARRATIVE_LEN",
    "MIN_NARRATIVE_CHARS",
    "MIN_NARRATIVE_WORDS",
    "PurposeProblem",
    "PurposeRejected",
    "check_purpose",
    "compile_case_formats",
    "narrative_fingerprint",
    "validate_purpose",
]


# --------------------------------------------------------------------------------------------
# Field rules


def _check_category(value: object) -> tuple[PurposeCategory | None, list[PurposeProblem]]:
    category = PurposeCategory.parse(value)
    if category is None:
        return None, [
            PurposeProblem(
                "category",
                "Choose a purpose category: criminal investigation, prosecution, or a request "
                "from another law-enforcement or prosecutorial agency.",
                "category_missing",
            )
        ]
    return category, []


def _check_offense(value: object) -> tuple[str, list[PurposeProblem]]:
    text = as_text(value)
    if len(text) > MAX_FIELD_LEN or has_bad_chars(text):
        return "", [
            PurposeProblem("offense", "Choose the offense type from the list.", "offense_unknown")
        ]
    wanted = clean_text(text).casefold()
    if not wanted:
        return "", [PurposeProblem("offense", "Choose the offense type.", "offense_missing")]
    for label in OFFENSE_TYPES:
        if label.casefold() == wanted:
            return label, []
    return "", [
        PurposeProblem("offense", "Choose the offense type from the list.", "offense_unknown")
    ]


def _check_agency_fields(agency_raw: object, name_raw: object) -> list[PurposeProblem]:
    problems: list[PurposeProblem] = []
    agency_text, name_text = as_text(agency_raw), as_text(name_raw)
    agency = clean_text(agency_text) if len(agency_text) <= MAX_FIELD_LEN else ""
    name = clean_text(name_text) if len(name_text) <= MAX_FIELD_LEN else ""
    if len(agency_text) > MAX_FIELD_LEN or has_bad_chars(agency_text):
        problems.append(
            PurposeProblem(
                "requesting_agency",
                f"The requesting agency must be plain text of at most {MAX_FIELD_LEN} characters.",
                "agency_invalid",
            )
        )
    elif not agency:
        problems.append(
            PurposeProblem(
                "requesting_agency",
                "Name the law-enforcement or prosecutorial agency that requested the data.",
                "agency_missing",
            )
        )
    elif (
        narrative_fingerprint(agency).replace("'", " ") in GENERIC_AGENCIES
        or not re.search(r"[^\W\d_]{2,}", agency)
    ):
        problems.append(
            PurposeProblem(
                "requesting_agency",
                f"{agency!r} does not name an agency; give its full name (for example "
                "'Long Beach Police Department').",
                "agency_generic",
            )
        )
    if len(name_text) > MAX_FIELD_LEN or has_bad_chars(name_text):
        problems.append(
            PurposeProblem(
                "requester_name",
                f"The requester's name must be plain text of at most {MAX_FIELD_LEN} characters.",
                "requester_invalid",
            )
        )
    elif not name:
        problems.append(
            PurposeProblem(
                "requester_name",
                "Enter the name of the person at that agency who requested the data.",
                "requester_missing",
            )
        )
    else:
        words = [w for w in name.split() if re.search(r"[^\W\d_]", w)]
        if len(words) < 2 or not any(len(re.sub(r"[\W\d_]", "", w)) >= 2 for w in words):
            problems.append(
                PurposeProblem(
                    "requester_name",
                    "Give the requester's full name (first and last).",
                    "requester_incomplete",
                )
            )
    return problems


# --------------------------------------------------------------------------------------------
# Public API


def _check(
    p: PurposeInput,
    case_formats: Sequence[str | CaseFormat],
    others_narratives: Iterable[str],
) -> tuple[Purpose | None, list[PurposeProblem]]:
    if case_formats is DEFAULT_CASE_FORMAT_REGEXES or case_formats is DEFAULT_CASE_FORMATS:
        compiled: Sequence[re.Pattern[str]] = DEFAULT_COMPILED
    else:
        compiled = compile_case_formats(case_formats)
    problems: list[PurposeProblem] = []
    category, found = _check_category(getattr(p, "category", None))
    problems += found
    offense, found = _check_offense(getattr(p, "offense", None))
    problems += found
    case_number, found = check_case_number(getattr(p, "case_number", None), case_formats,
                                            compiled)
    problems += found
    narrative, found = check_narrative(
        getattr(p, "narrative", None), others_narratives,
        agency_request=category is PurposeCategory.AGENCY_REQUEST,
    )
    problems += found
    agency = name = ""
    if category is PurposeCategory.AGENCY_REQUEST:
        found = _check_agency_fields(
            getattr(p, "requesting_agency", None), getattr(p, "requester_name", None)
        )
        problems += found
        if not found:
            agency = clean_text(as_text(p.requesting_agency))
            name = clean_text(as_text(p.requester_name))
    if getattr(p, "acknowledged", False) is not True:
        problems.append(
            PurposeProblem(
                "acknowledged",
                "Acknowledge that ALPR data may be used only to deter crime and to aid the "
                "investigation and prosecution of crimes (policy section 1).",
                "not_acknowledged",
            )
        )
    if problems or category is None:
        return None, with_example(problems)
    return Purpose(
        category=category,
        offense=offense,
        case_number=case_number,
        narrative=narrative,
        requesting_agency=agency,
        requester_name=name,
    ), []


def check_purpose(
    p: PurposeInput,
    *,
    case_formats: Sequence[str | CaseFormat] = DEFAULT_CASE_FORMAT_REGEXES,
    others_narratives: Iterable[str] = (),
) -> list[PurposeProblem]:
    """Every reason ``p`` is not an acceptable purpose; an empty list means it is acceptable.

    ``case_formats`` are the configured case-number formats (regex strings or CaseFormat);
    an invalid one raises ValueError. ``others_narratives`` are earlier narratives of other
    users (never the user's own), used to refuse copied text.
    """
    return _check(p, case_formats, others_narratives)[1]


def validate_purpose(
    p: PurposeInput,
    *,
    case_formats: Sequence[str | CaseFormat] = DEFAULT_CASE_FORMAT_REGEXES,
    others_narratives: Iterable[str] = (),
) -> Purpose:
    """The normalized Purpose for ``p``, or PurposeRejected listing every problem.

    Agency and requester are kept only for an agency request; for the other categories the
    searching user's own agency is what the access log records.
    """
    purpose, problems = _check(p, case_formats, others_narratives)
    if purpose is None:
        raise PurposeRejected(problems)
    return purpose
