"""How a read's uncertain fields are shown, once for every screen, report and export.

A reader that gives no confidence is stored as 0 (migration 0004 keeps 0-1, and validation
stores a missing figure as 0): no reader reports a read it made at 0 %, so 0 means unknown and
shows as a dash, never as "0.0 %", which would look like a measured, worthless read. An
unknown state is a dash too, never "??" (which reads like a plate's characters)."""

from __future__ import annotations

UNKNOWN = "—"


def confidence_text(value: float | None, digits: int = 0) -> str:
    """``value`` (0-1) as a percent, or the dash when unknown (None or 0)."""
    if value is None or value != value or value <= 0:
        return UNKNOWN
    return f"{value:.{digits}%}"


def state_text(state: str | None) -> str:
    """The plate's state as read, or the dash when the reader gave none."""
    state = (state or "").strip()
    return state if state and state.strip("?") else UNKNOWN
