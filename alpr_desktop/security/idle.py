"""Session idle-lock rules (CJIS 5.5.5): lock after at most 30 minutes without input."""

from __future__ import annotations

DEFAULT_MINUTES = 15
MIN_MINUTES = 1
MAX_MINUTES = 30


def check_minutes(minutes: object) -> int:
    """The value as an int in MIN..MAX; ValueError with a sentence otherwise."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValueError("The idle lock is a whole number of minutes.")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValueError(
            f"The idle lock must be between {MIN_MINUTES} and {MAX_MINUTES} minutes "
            "(CJIS 5.5.5 allows at most 30)."
        )
    return minutes


def parse_stored(value: str | None) -> int:
    """The stored setting, falling back to the default when missing or out of bounds (a value
    edited outside the program never relaxes the rule beyond 30 minutes)."""
    try:
        return check_minutes(int(value)) if value is not None else DEFAULT_MINUTES
    except ValueError:
        return DEFAULT_MINUTES


def is_idle(last_activity_ms: int, now_ms: int, minutes: int) -> bool:
    return now_ms - last_activity_ms >= minutes * 60_000
