"""Case-number formats: the administrator's patterns compiled safely (no catastrophic
backtracking, nothing that accepts any text), and the case-number field checked against them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from alpr_desktop.core.purpose_problems import (
    MAX_CASE_NUMBER_LEN,
    PurposeProblem,
    as_text,
    clean_text,
    has_bad_chars,
)
from alpr_desktop.core.purposes import DEFAULT_CASE_FORMAT_REGEXES, DEFAULT_CASE_FORMATS, CaseFormat

MAX_CASE_FORMATS = 20
MAX_CASE_FORMAT_LEN = 200
# Nested quantifier: a group holding an unbounded quantifier or alternation, itself repeated
# without bound. These are the patterns that can backtrack catastrophically.
_NESTED_QUANTIFIER_RE = re.compile(
    r"\((?:[^()\\]|\\.)*(?:[*+|]|\{\d*,\})(?:[^()\\]|\\.)*\)(?:[*+]|\{\d*,\d*\})"
)
# Strings no case-number format may accept: a format that takes them takes anything.
_OVERBROAD_PROBES = (
    "", " ", "0", "1", "A", "X", "NA", "N/A", "NONE", "TEST", "INV", "BOLO", "TBD", "UNKNOWN",
    "INVESTIGATION", "PENDING", "SEE CASE", "ANY TEXT AT ALL",
)


def compile_case_formats(patterns: Iterable[str | CaseFormat]) -> list[re.Pattern[str]]:
    """Compile administrator-configured case-number formats, refusing unsafe or useless ones.

    Each pattern is matched in full against the upper-cased number, case-insensitively. A
    pattern is refused (ValueError naming it) when it is not text, is empty or longer than
    MAX_CASE_FORMAT_LEN, does not compile, has nested unbounded quantifiers (catastrophic
    backtracking), or accepts strings such as "", "TEST" or "N/A" (it would accept anything).
    """
    if isinstance(patterns, str | CaseFormat):
        patterns = [patterns]
    compiled: list[re.Pattern[str]] = []
    for n, item in enumerate(patterns, start=1):
        if n > MAX_CASE_FORMATS:
            raise ValueError(f"At most {MAX_CASE_FORMATS} case-number formats can be configured.")
        source = item.pattern if isinstance(item, CaseFormat) else item
        if not isinstance(source, str) or not source.strip():
            raise ValueError(f"Case-number format {n} is empty.")
        if len(source) > MAX_CASE_FORMAT_LEN:
            raise ValueError(
                f"Case-number format {n} is longer than {MAX_CASE_FORMAT_LEN} characters."
            )
        if has_bad_chars(source):
            raise ValueError(f"Case-number format {n} contains control characters.")
        if _NESTED_QUANTIFIER_RE.search(source) or re.search(r"\\\d|\(\?P=|\(\?<[=!]", source):
            raise ValueError(
                f"Case-number format {n} ({source!r}) repeats a group that itself repeats, "
                "uses a back-reference or a look-behind; write it without them so that "
                "matching stays fast."
            )
        try:
            rx = re.compile(source, re.IGNORECASE)
        except (re.error, OverflowError, RecursionError) as exc:
            raise ValueError(
                f"Case-number format {n} ({source!r}) is not a valid regular expression: {exc}."
            ) from exc
        for probe in _OVERBROAD_PROBES:
            if rx.fullmatch(probe):
                shown = probe or "an empty number"
                raise ValueError(
                    f"Case-number format {n} ({source!r}) is too broad: it accepts "
                    f"{shown!r}, so it would accept anything."
                )
        compiled.append(rx)
    if not compiled:
        raise ValueError("At least one case-number format must be configured.")
    return compiled


DEFAULT_COMPILED = compile_case_formats(DEFAULT_CASE_FORMAT_REGEXES)


def _format_hint(case_formats: Sequence[str | CaseFormat]) -> str:
    labels = [f.label for f in case_formats if isinstance(f, CaseFormat)]
    if not labels:
        labels = [f.label for f in DEFAULT_CASE_FORMATS if f.pattern in case_formats]
    return "; ".join(labels) if labels else "the formats your administrator configured"


def check_case_number(
    value: object, formats: Sequence[str | CaseFormat], compiled: Sequence[re.Pattern[str]]
) -> tuple[str, list[PurposeProblem]]:
    text = as_text(value)
    if has_bad_chars(text):
        return "", [
            PurposeProblem(
                "case_number",
                "The case number contains control or invisible characters; type it again.",
                "case_number_bad_chars",
            )
        ]
    if len(text) > MAX_CASE_NUMBER_LEN * 4:
        number = ""
        too_long = True
    else:
        number = clean_text(text).upper()
        too_long = len(number) > MAX_CASE_NUMBER_LEN
    if too_long:
        return "", [
            PurposeProblem(
                "case_number",
                f"The case number is longer than {MAX_CASE_NUMBER_LEN} characters.",
                "case_number_too_long",
            )
        ]
    if not number:
        return "", [
            PurposeProblem(
                "case_number",
                "Enter the case or incident number this search is for.",
                "case_number_missing",
            )
        ]
    if any(rx.fullmatch(number) for rx in compiled):
        return number, []
    return "", [
        PurposeProblem(
            "case_number",
            f"The case number {number!r} is not in an accepted form ({_format_hint(formats)}).",
            "case_number_format",
        )
    ]
