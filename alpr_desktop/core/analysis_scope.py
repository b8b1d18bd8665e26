"""The purpose rule for analyses (issue 19): an analysis that reaches outside the purpose's own
time window must say why.

A purpose carries no window field: its time is in its words and its record. Its own window is
  * for a request from another agency: the dates the request asks for, as its narrative gives
    them (the narrative rules require them), one day either side;
  * otherwise, when the narrative names dates (11/20, 2026-11-20, Nov 20): from a week before
    the earliest to the present (the days after the crime are the investigation's);
  * otherwise: the 30 days before the purpose was declared, to the present.
A contractor's written permission window is a hard limit enforced by the gate, not this rule.

An analysis whose windows all lie inside runs as asked; one that reaches outside needs a
reason of a few words, which is logged with it (and counted by the oversight flag).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from alpr_desktop.core.accounts import ActivePurpose
from alpr_desktop.core.analysis_places import AnalysisInputError, Window
from alpr_desktop.core.purposes import PurposeCategory

DAY = 86_400
LOOKBACK_DAYS = 30  # no dates in the narrative
LEAD_DAYS = 7  # before the earliest date named
REQUEST_PAD_DAYS = 1  # around an agency's requested dates
MIN_REASON_WORDS = 4
MIN_REASON_CHARS = 20

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_SLASH = re.compile(r"(?<![\d/-])(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?(?![\d/])")
_NAMED = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+"
                    r"(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.IGNORECASE)
_NAMED_AFTER = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|"
                          r"sept?|oct|nov|dec)[a-z]*\.?(?:,?\s+(\d{4}))?\b", re.IGNORECASE)


class AnalysisReasonRequired(AnalysisInputError):
    """The analysis reaches outside the purpose's dates and no reason was given: refused and
    logged (``refusal_reason``); the form asks for the reason and runs it again."""

    refusal_reason = "reason_required"


@dataclass(frozen=True)
class PurposeSpan:
    """The purpose's own window (UTC seconds, inclusive) and where it came from."""

    since: int
    until: int
    source: str

    def contains(self, w: Window) -> bool:
        return self.since <= w.since and w.until <= self.until

    def as_log_dict(self) -> dict[str, object]:
        return {"from": self.since, "to": self.until, "source": self.source}

    def words(self) -> str:
        a = datetime.fromtimestamp(self.since, tz=UTC).strftime("%Y-%m-%d")
        b = datetime.fromtimestamp(self.until, tz=UTC).strftime("%Y-%m-%d")
        return f"{a} to {b} ({self.source})"


def _year_for(month: int, day: int, declared: date) -> int | None:
    """The latest year in which month/day falls on or before the declaration day."""
    for year in (declared.year, declared.year - 1):
        try:
            if date(year, month, day) <= declared:
                return year
        except ValueError:
            return None
    return None


def _make(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def narrative_dates(text: str, declared: date) -> list[date]:
    """The calendar dates a narrative names; a date without a year is the latest one on or
    before the day the purpose was declared."""
    found: list[date | None] = []
    for m in _ISO.finditer(text):
        found.append(_make(int(m[1]), int(m[2]), int(m[3])))
    for m in _SLASH.finditer(text):
        month, day = int(m[1]), int(m[2])
        year = (int(m[3]) + (2000 if len(m[3]) == 2 else 0)) if m[3] else \
            _year_for(month, day, declared)
        found.append(_make(year, month, day))
    for m in _NAMED.finditer(text):
        month, day = _MONTHS[m[1][:3].lower()], int(m[2])
        found.append(_make(int(m[3]) if m[3] else _year_for(month, day, declared), month, day))
    for m in _NAMED_AFTER.finditer(text):
        month, day = _MONTHS[m[2][:3].lower()], int(m[1])
        found.append(_make(int(m[3]) if m[3] else _year_for(month, day, declared), month, day))
    return sorted({d for d in found if d is not None and d.year >= 1990})


def _start(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def purpose_span(purpose: ActivePurpose, now_s: int) -> PurposeSpan:
    """The purpose's own window (see the module's docstring)."""
    declared_s = purpose.declared_ms // 1000
    declared = datetime.fromtimestamp(declared_s, tz=UTC).date()
    p = purpose.purpose
    dates = narrative_dates(p.narrative, declared)
    if dates and p.category is PurposeCategory.AGENCY_REQUEST:
        return PurposeSpan(_start(dates[0]) - REQUEST_PAD_DAYS * DAY,
                           _start(dates[-1]) + (1 + REQUEST_PAD_DAYS) * DAY - 1,
                           "the dates the agency's request asks for")
    if dates:
        return PurposeSpan(_start(dates[0]) - LEAD_DAYS * DAY, max(now_s, declared_s),
                           "a week before the dates the narrative names, to now")
    return PurposeSpan(declared_s - LOOKBACK_DAYS * DAY, max(now_s, declared_s),
                       f"the {LOOKBACK_DAYS} days before the purpose was declared, to now")


def outside(windows: Iterable[Window], span: PurposeSpan) -> list[Window]:
    """The windows that reach outside the purpose's span."""
    return [w for w in windows if not span.contains(w)]


def reason_is_given(reason: str) -> bool:
    return len(reason.split()) >= MIN_REASON_WORDS and len(reason.strip()) >= MIN_REASON_CHARS


def check_scope(windows: Iterable[Window], purpose: ActivePurpose, now_s: int,
                reason: str) -> tuple[PurposeSpan, bool]:
    """The span and whether the analysis is wider than it; refuses a wider one without a
    reason, naming the purpose's dates and the first window outside them."""
    span = purpose_span(purpose, now_s)
    wide = outside(windows, span)
    if wide and not reason_is_given(reason):
        raise AnalysisReasonRequired(
            f"The window {wide[0].words()} reaches outside this purpose's own dates "
            f"({span.words()}). Give the reason for the wider analysis (at least "
            f"{MIN_REASON_WORDS} words), or narrow the windows.")
    return span, bool(wide)
