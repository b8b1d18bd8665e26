"""When a read must be gone: five calendar years (UTC) plus one minute, leap days roll over to
1 March, and a change of daylight-saving time moves nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from retention_helpers import utc

from alpr_desktop.core.retention import (
    RetentionError,
    add_months,
    check_period,
    cutoff,
    deletion_time,
)


def test_five_calendar_years_and_one_minute() -> None:
    assert deletion_time(utc(2021, 6, 15, 10, 30, 5)) == utc(2026, 6, 15, 10, 31, 5)


def test_a_read_of_29_february_expires_on_1_march() -> None:
    assert deletion_time(utc(2024, 2, 29, 12, 0, 0)) == utc(2029, 3, 1, 0, 1, 0)
    # never after a read of 1 March 2024, recorded later
    assert deletion_time(utc(2024, 2, 29, 23, 0)) <= deletion_time(utc(2024, 3, 1, 0, 0))
    # and the read of 28 February stays a day less
    assert deletion_time(utc(2024, 2, 28, 12, 0, 0)) == utc(2029, 2, 28, 12, 1, 0)


def test_month_arithmetic_rolls_a_missing_day_to_the_next_month() -> None:
    assert add_months(utc(2025, 1, 31, 8), 1) == utc(2025, 3, 1)
    assert add_months(utc(2025, 12, 31, 8), 2) == utc(2026, 3, 1)
    assert add_months(utc(2025, 11, 30), 2) == utc(2026, 1, 30)


def test_dst_change_neither_shortens_nor_lengthens() -> None:
    # 01:30 in Los Angeles happens twice on 2021-11-07 (PDT, then PST): two reads an hour
    # apart in UTC keep exactly five years each, an hour apart.
    first, second = utc(2021, 11, 7, 8, 30), utc(2021, 11, 7, 9, 30)
    assert deletion_time(first) == utc(2026, 11, 7, 8, 31)
    assert deletion_time(second) - deletion_time(first) == 3600
    # the spring-forward day: 02:30 local never happened; reads either side keep five years
    before, after = utc(2021, 3, 14, 9, 59, 59), utc(2021, 3, 14, 10, 0, 0)
    assert deletion_time(after) - deletion_time(before) == 1


@given(st.integers(min_value=utc(1990, 1, 1), max_value=utc(2090, 1, 1)),
       st.integers(min_value=1, max_value=3 * 86_400), st.sampled_from([1, 12, 13, 60]))
def test_a_later_read_never_expires_earlier(t: int, later: int, months: int) -> None:
    assert deletion_time(t, months) <= deletion_time(t + later, months)


def test_cutoff_around_a_leap_day() -> None:
    now = utc(2029, 3, 1, 0, 1, 0)
    assert cutoff(now) == utc(2024, 3, 1, 0, 0, 0)  # 29 February and 1 March 00:00 together
    assert cutoff(now - 1) == utc(2024, 2, 28, 23, 59, 59)


@given(st.integers(min_value=utc(1990, 1, 1), max_value=utc(2090, 1, 1)),
       st.sampled_from([1, 6, 12, 23, 60]))
def test_cutoff_is_exactly_the_boundary(now: int, months: int) -> None:
    c = cutoff(now, months)
    assert deletion_time(c, months) <= now < deletion_time(c + 1, months)


def test_the_custodian_may_shorten_never_lengthen() -> None:
    assert check_period(24) == 24
    with pytest.raises(RetentionError, match="five years"):
        check_period(61)
    with pytest.raises(RetentionError):
        check_period(0)
