"""Failed sign-in counting and lockout (CJIS 5.5.3): pure rules, stored by the caller.

Five consecutive failures lock the account for ten minutes. Attempts while locked are not
checked and not counted (so a lock cannot be extended by an attacker, and a guess made during
the lock learns nothing). After the lock runs out the count starts again from zero.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_FAILURES = 5
LOCK_MINUTES = 10
LOCK_MS = LOCK_MINUTES * 60_000


@dataclass(frozen=True)
class LockState:
    failed_attempts: int = 0
    locked_until_ms: int | None = None

    def is_locked(self, now_ms: int) -> bool:
        return self.locked_until_ms is not None and now_ms < self.locked_until_ms

    def minutes_left(self, now_ms: int) -> int:
        """Whole minutes until the lock ends, rounded up; 0 when not locked."""
        if not self.is_locked(now_ms):
            return 0
        assert self.locked_until_ms is not None
        return -(-(self.locked_until_ms - now_ms) // 60_000)


CLEAR = LockState()


def after_failure(state: LockState, now_ms: int) -> LockState:
    """The state after one more wrong password; locks on the MAX_FAILURES-th in a row."""
    if state.is_locked(now_ms):
        return state
    count = 0 if state.locked_until_ms is not None else state.failed_attempts
    count += 1
    if count >= MAX_FAILURES:
        return LockState(count, now_ms + LOCK_MS)
    return LockState(count, None)


def after_success() -> LockState:
    return CLEAR


def just_locked(before: LockState, after: LockState, now_ms: int) -> bool:
    return after.is_locked(now_ms) and not before.is_locked(now_ms)
