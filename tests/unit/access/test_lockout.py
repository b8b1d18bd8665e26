"""Lockout rules (CJIS 5.5.3) and idle-lock bounds (CJIS 5.5.5), as pure functions."""

from __future__ import annotations

import pytest

from alpr_desktop.security import idle, lockout

T0 = 1_000_000


def _fail(n: int, now: int = T0) -> lockout.LockState:
    st = lockout.CLEAR
    for _ in range(n):
        st = lockout.after_failure(st, now)
    return st


def test_four_failures_do_not_lock() -> None:
    st = _fail(4)
    assert st.failed_attempts == 4 and not st.is_locked(T0)


def test_fifth_failure_locks_for_ten_minutes() -> None:
    st = _fail(5)
    assert st.is_locked(T0)
    assert st.is_locked(T0 + 10 * 60_000 - 1)
    assert not st.is_locked(T0 + 10 * 60_000)
    assert st.minutes_left(T0) == 10
    assert st.minutes_left(T0 + 9 * 60_000 + 1) == 1


def test_failures_while_locked_do_not_extend_the_lock() -> None:
    st = _fail(5)
    later = lockout.after_failure(st, T0 + 60_000)
    assert later == st


def test_count_restarts_after_the_lock_runs_out() -> None:
    st = _fail(5)
    after = lockout.after_failure(st, T0 + 11 * 60_000)
    assert after.failed_attempts == 1 and not after.is_locked(T0 + 11 * 60_000)


def test_success_clears() -> None:
    assert lockout.after_success() == lockout.LockState(0, None)


@pytest.mark.parametrize("minutes", [1, 15, 30])
def test_idle_minutes_accepted(minutes: int) -> None:
    assert idle.check_minutes(minutes) == minutes


@pytest.mark.parametrize("minutes", [0, -5, 31, 60, 15.5, "15", True, None])
def test_idle_minutes_refused(minutes: object) -> None:
    with pytest.raises(ValueError):
        idle.check_minutes(minutes)


@pytest.mark.parametrize(("stored", "want"), [(None, 15), ("20", 20), ("45", 15), ("x", 15)])
def test_stored_idle_value_never_exceeds_30(stored: str | None, want: int) -> None:
    assert idle.parse_stored(stored) == want


def test_is_idle() -> None:
    assert not idle.is_idle(0, 15 * 60_000 - 1, 15)
    assert idle.is_idle(0, 15 * 60_000, 15)
