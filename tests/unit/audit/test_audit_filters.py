"""AuditFilter: one meaning of a selection for the view, the report and the log entry."""

from __future__ import annotations

from datetime import date

import pytest

from alpr_desktop.core.audit_filters import (
    KNOWN_EVENTS,
    AuditFilter,
    describe_period,
    local_day_bounds,
)
from alpr_desktop.core.audit_log import LogEntry


def _entry(**kw: object) -> LogEntry:
    base: dict[str, object] = dict(
        seq=1, ts_ms=1_000, event="search", outcome="ok", username="officer",
        organization="LASD Carson Station", agency="LASD", workstation="ws",
        purpose_json='{"case_number":"123-45678-2026-001","category":"criminal_investigation"}',
        query_json='{"pattern":"7ABC123"}', result_count=1, detail_json="{}",
        prev_hash="0" * 64, hash="1" * 64,
    )
    base.update(kw)
    return LogEntry(**base)  # type: ignore[arg-type]


def test_empty_filter_matches_everything_and_says_so() -> None:
    f = AuditFilter()
    assert f.is_empty() and f.matches(_entry())
    assert f.describe() == "none (all entries of the period)"
    assert f.as_log_dict() == {}


def test_fields_are_normalized_so_equal_selections_compare_equal() -> None:
    a = AuditFilter(username=" officer ", events=("search", "image.view", "search", " "))
    b = AuditFilter(username="officer", events=("image.view", "search"))
    assert a == b and hash(a) == hash(b)
    assert a.as_log_dict() == {"username": "officer", "events": ["image.view", "search"]}


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        AuditFilter(from_ms=10, to_ms=5)
    with pytest.raises(ValueError):
        local_day_bounds(date(2026, 2, 1), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (AuditFilter(from_ms=1_000), True),
        (AuditFilter(from_ms=1_001), False),
        (AuditFilter(to_ms=1_000), False),  # the end is exclusive
        (AuditFilter(to_ms=1_001), True),
        (AuditFilter(username="OFFICER"), True),
        (AuditFilter(username="offic"), False),  # exact, not substring
        (AuditFilter(organization="carson"), True),
        (AuditFilter(organization="LASD"), True),  # the agency counts too
        (AuditFilter(organization="Lakewood"), False),
        (AuditFilter(events=("image.view",)), False),
        (AuditFilter(query_text="abc1"), True),
        (AuditFilter(case_number="2026-001"), True),
        (AuditFilter(case_number="2026-002"), False),
        (AuditFilter(purpose_category="criminal_investigation"), True),
        (AuditFilter(purpose_category="prosecution"), False),
        (AuditFilter(outcome="refused"), False),
        (AuditFilter(through_seq=0), False),
    ],
)
def test_matches_each_field(flt: AuditFilter, expected: bool) -> None:
    assert flt.matches(_entry()) is expected


def test_junk_purpose_json_matches_no_purpose_filter_but_does_not_crash() -> None:
    junk = _entry(purpose_json="not json")
    assert AuditFilter().matches(junk)
    assert not AuditFilter(case_number="1").matches(junk)


def test_local_days_cover_whole_days_across_dst() -> None:
    # 2026-03-08 is the spring-forward day in Los Angeles: a 23-hour day.
    start, end = local_day_bounds(date(2026, 3, 8), date(2026, 3, 8))
    assert end - start == 23 * 3600 * 1000
    start, end = local_day_bounds(date(2026, 1, 1), date(2026, 1, 31))
    assert start == 1_767_254_400_000  # 2026-01-01T08:00:00Z
    assert describe_period(start, end) == (
        "2026-01-01 to 2026-01-31 (whole days, America/Los_Angeles)"
    )


def test_describe_names_every_filter() -> None:
    f = AuditFilter(username="officer", organization="Carson", events=("search",),
                    query_text="7ABC", case_number="2026-001",
                    purpose_category="prosecution", outcome="refused")
    text = f.describe()
    for part in ("officer", "Carson", "search", "7ABC", "2026-001", "prosecution", "refused"):
        assert part in text


def test_event_list_has_no_duplicates() -> None:
    assert len(KNOWN_EVENTS) == len(set(KNOWN_EVENTS))
