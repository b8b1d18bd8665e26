"""One ``format_local``, in milliseconds. Before issue 11 core.clock's took seconds and
core.audit_format's milliseconds: a read time passed to the wrong one printed 1970 or a
year tens of thousands away."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from alpr_desktop.core import audit_format, clock
from alpr_desktop.core.clock import format_local

T_MS = 1_766_000_000_000  # 2025-12-17 19:33:20 UTC


def test_one_function_everywhere() -> None:
    assert audit_format.format_local is clock.format_local


def test_milliseconds_in_the_site_zone() -> None:
    assert format_local(T_MS) == "2025-12-17 11:33:20 PST"
    assert format_local(T_MS + 999) == "2025-12-17 11:33:20 PST"  # no rounding up
    assert format_local(1_751_371_200_000) == "2025-07-01 05:00:00 PDT"


def test_another_zone_and_the_dst_change() -> None:
    assert format_local(T_MS, ZoneInfo("UTC")) == "2025-12-17 19:33:20 UTC"
    # 2025-11-02 01:30 happens twice in Los Angeles: first PDT, then PST
    assert format_local(1_762_072_200_000) == "2025-11-02 01:30:00 PDT"
    assert format_local(1_762_075_800_000) == "2025-11-02 01:30:00 PST"


def test_seconds_would_be_obvious() -> None:
    """A caller that still passed seconds would print January 1970, never a plausible date."""
    assert format_local(1_766_000_000).startswith("1970-01-")
