"""Health signals computed from the reads themselves (policy §7): what suggests a problem entry
to the contractor. They hold counts and times per camera, never a plate or an image.

The input is one row per camera and hour (``HourBucket``, from the store) plus the reads with
times in the future. Each camera's usual traffic at an hour of the day is the median of its
counts at that hour over the days looked at (a median, so the fault being looked for does not
hide itself in the average). From that:

* silent: no read for longer than the camera usually goes at those hours: the reads expected
  in the gap are at least SILENT_EXPECTED (a Poisson stream shows such a gap by chance about
  once in 160,000) and the gap lasts at least SILENT_MIN_S;
* rate drop: a day with fewer than half the reads expected of it (not explained by a silence);
* silent camera: a camera with no read at all in the period (it has no hours to look at, so
  the rule above cannot see it), told with its last read;
* clock ahead: reads stamped more than FUTURE_SLACK_S after now;
* clock stuck: an hour where at least half the reads share their second with another;
* unreadable burst: an hour where unreadable plates are several times the camera's usual
  share (an unreadable plate: confidence under LOW_CONFIDENCE, a '?' in it, or under 3
  characters).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from alpr_desktop.core.maintenance import ProblemInput

HOUR = 3600
DAY = 24 * HOUR
SILENT_EXPECTED = 12.0
SILENT_MIN_S = 30 * 60
DROP_RATIO = 0.5
DROP_MIN_EXPECTED = 100.0
FUTURE_SLACK_S = 5 * 60
STUCK_MIN_DUPES = 10
STUCK_RATIO = 0.5
LOW_CONFIDENCE = 0.5
UNREADABLE_MIN = 10
UNREADABLE_FACTOR = 3.0
UNREADABLE_MIN_SHARE = 0.3


class SignalKind(StrEnum):
    SILENT = "silent"
    RATE_DROP = "rate_drop"
    CLOCK_AHEAD = "clock_ahead"
    CLOCK_STUCK = "clock_stuck"
    UNREADABLE = "unreadable_burst"
    SILENT_CAMERA = "silent_camera"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    SignalKind.SILENT: "Camera silent",
    SignalKind.RATE_DROP: "Read rate dropped",
    SignalKind.CLOCK_AHEAD: "Read times in the future",
    SignalKind.CLOCK_STUCK: "Read times stuck at one second",
    SignalKind.UNREADABLE: "Burst of unreadable plates",
    SignalKind.SILENT_CAMERA: "Camera silent all period",
}


class HourBucket(NamedTuple):
    """One camera's reads in one hour [hour*3600, hour*3600 + 3600) (UTC seconds). A named
    tuple: tens of thousands are made per computation, and a tuple is made ten times faster
    than a frozen dataclass."""

    camera_id: int
    hour: int
    reads: int
    first_s: int
    last_s: int
    same_second: int = 0  # reads sharing their second with an earlier read of the hour
    unreadable: int = 0


@dataclass(frozen=True)
class FutureReads:
    camera_id: int
    reads: int
    first_s: int
    last_s: int


@dataclass(frozen=True)
class HealthSignal:
    kind: SignalKind
    camera_id: int
    camera_name: str
    start_s: int
    end_s: int | None  # None: still going on at the end of the period looked at
    summary: str
    observed: int = 0
    expected: float = 0.0

    def problem_draft(self, now_ms: int) -> ProblemInput:
        """The problem entry this signal suggests (the contractor checks and edits it)."""
        down_from = self.start_s * 1000 if self.kind is not SignalKind.CLOCK_AHEAD else None
        down_to = self.end_s * 1000 if self.end_s is not None and down_from is not None \
            else None
        return ProblemInput(now_ms, f"{self.kind.label}: {self.summary}", (self.camera_id,),
                            down_from, down_to, signal=self.kind.value)


@dataclass(frozen=True)
class HealthReport:
    since_s: int
    until_s: int
    cameras: int
    reads: int
    signals: tuple[HealthSignal, ...]


def _hour_counts(rows: Sequence[HourBucket], first_hour: int, span: int) -> list[int]:
    """One camera's reads in each hour of the period (index 0 is ``first_hour``)."""
    row = [0] * span
    for b in rows:
        i = b.hour - first_hour
        if 0 <= i < span:
            row[i] = b.reads
    return row


def _usual_rates(row: list[int], first_hour: int) -> list[float]:
    """The median reads at each hour of the day (index 0-23) over the period."""
    span = len(row)
    rates = []
    for h in range(24):
        start = (h - first_hour) % 24  # the first index at hour-of-day h
        rates.append(float(statistics.median(row[start::24])) if start < span else 0.0)
    return rates


def _expected(rates: list[float], a: int, b: int) -> float:
    """Reads a camera with hourly ``rates`` is expected to make in [a, b) (UTC seconds)."""
    if b <= a:
        return 0.0
    ha, hb = a // HOUR, b // HOUR
    if ha == hb:
        return rates[ha % 24] * (b - a) / HOUR
    total = rates[ha % 24] * ((ha + 1) * HOUR - a) / HOUR + rates[hb % 24] * (b - hb * HOUR) / HOUR
    days, rest = divmod(hb - ha - 1, 24)
    total += days * sum(rates) + sum(rates[(ha + 1 + i) % 24] for i in range(rest))
    return total


def _when(s: int) -> str:
    from alpr_desktop.core.clock import to_local

    return to_local(s).strftime("%Y-%m-%d %H:%M")


def _span(h: float) -> str:
    return f"{h / HOUR:.1f} h" if h < 2 * DAY else f"{h / DAY:.1f} days"


def compute_signals(
    buckets: Iterable[HourBucket],
    future: Iterable[FutureReads],
    cameras: dict[int, str],
    since_s: int,
    until_s: int,
    last_reads: dict[int, int] | None = None,
) -> HealthReport:
    """Every signal in [since_s, until_s) over these buckets; ``until_s`` is now.
    ``last_reads`` (camera id -> its last read, UTC seconds) dates the cameras of ``cameras``
    with no read in the period; a camera absent from it has none in the store."""
    bs = sorted(buckets)  # (camera_id, hour, ...): a tuple order, compared in C
    first_hour, last_hour = since_s // HOUR, (until_s - 1) // HOUR
    span = last_hour - first_hour + 1
    out: list[HealthSignal] = []
    seen: set[int] = set()
    for cam, group in groupby(bs, key=itemgetter(0)):
        rows = list(group)
        seen.add(cam)
        name = cameras.get(cam, f"camera #{cam}")
        counts = _hour_counts(rows, first_hour, span)
        rates = _usual_rates(counts, first_hour)
        silences = _silences(cam, name, rows, rates, since_s, until_s)
        drops = _drops(cam, name, counts, first_hour, rates, since_s, until_s, silences)
        stuck = _stuck(cam, name, rows)
        # A gap inside a drop, or after reads stamped at one stuck second, is the same fault
        # seen again: the drop or the stuck clock says it.
        out += [s for s in silences if not any(_within(s.start_s, o) for o in drops + stuck)]
        out += drops + stuck
        out += _unreadable(cam, name, rows)
    for cam, name in cameras.items():
        if cam not in seen:
            out.append(_silent_camera(cam, name, (last_reads or {}).get(cam), since_s, until_s))
    for f in future:
        name = cameras.get(f.camera_id, f"camera #{f.camera_id}")
        ahead = f.last_s - until_s
        out.append(HealthSignal(
            SignalKind.CLOCK_AHEAD, f.camera_id, name, f.first_s, f.last_s,
            f"{name}: {f.reads:,} read{'s' if f.reads != 1 else ''} stamped up to "
            f"{_span(ahead)} after now; its clock runs ahead.", f.reads))
    out.sort(key=lambda s: (s.start_s, s.camera_name, s.kind.value))
    return HealthReport(since_s, until_s, len(seen), sum(map(itemgetter(2), bs)), tuple(out))


def _silent_camera(cam: int, name: str, last: int | None, since_s: int,
                   until_s: int) -> HealthSignal:
    days = round((until_s - since_s) / DAY)
    if last is None:
        text = f"{name}: no read in the last {days} days, and none in the store."
        return HealthSignal(SignalKind.SILENT_CAMERA, cam, name, since_s, None, text)
    when = "after now" if last >= until_s else f"{_span(until_s - last)} ago"
    text = (f"{name}: no read in the last {days} days; its last read was at {_when(last)} "
            f"({when}).")
    return HealthSignal(SignalKind.SILENT_CAMERA, cam, name, min(last, since_s), None, text)


def _within(t: int, s: HealthSignal) -> bool:
    return s.start_s <= t <= (s.end_s if s.end_s is not None else t)


def _silences(cam: int, name: str, rows: list[HourBucket], rates: list[float],
              since_s: int, until_s: int) -> list[HealthSignal]:
    out = []
    # (last read before, first read after) of each gap long enough to look at; one pass with
    # no tuple per hour (thirty thousand hours per look)
    edges: list[tuple[int, int | None]] = []
    most = max(rates)
    # the shortest gap that can hold SILENT_EXPECTED reads at the camera's busiest hour
    shortest = max(SILENT_MIN_S, SILENT_EXPECTED * HOUR / most if most else SILENT_MIN_S)
    prev_last: int | None = None
    for b in rows:
        if b.reads == 0:
            continue
        if prev_last is not None and b.first_s - prev_last >= shortest:
            edges.append((prev_last, b.first_s))
        prev_last = b.last_s
    if prev_last is not None:
        edges.append((prev_last, None))
    for a, b_ in edges:
        end = until_s if b_ is None else b_
        if end - a < SILENT_MIN_S or most * (end - a) / HOUR < SILENT_EXPECTED:
            continue
        exp = _expected(rates, a, end)
        if exp < SILENT_EXPECTED:
            continue
        still = b_ is None
        text = (f"{name}: no read since {_when(a)} ({_span(end - a)}, about {exp:,.0f} "
                "expected)" if still else
                f"{name}: no read from {_when(a)} to {_when(end)} ({_span(end - a)}, about "
                f"{exp:,.0f} expected at those hours)")
        out.append(HealthSignal(SignalKind.SILENT, cam, name, a, None if still else end,
                                text + ".", 0, exp))
    return out


def _drops(cam: int, name: str, counts: list[int], first_hour: int, rates: list[float],
           since_s: int, until_s: int, silences: list[HealthSignal]) -> list[HealthSignal]:
    out: list[HealthSignal] = []
    day_start = since_s
    run: list[tuple[int, int, int, float]] = []  # (start, end, observed, expected)

    def silent_expected(a: int, b: int) -> float:
        """Reads expected in the silences inside [a, b): a silence is its own signal."""
        total = 0.0
        for s in silences:
            e = until_s if s.end_s is None else s.end_s
            lo, hi = max(a, s.start_s), min(b, e)
            if hi > lo:
                total += _expected(rates, lo, hi)
        return total

    def flush() -> None:
        if not run:
            return
        obs = sum(r[2] for r in run)
        exp = sum(r[3] for r in run)
        a, b = run[0][0], run[-1][1]
        ongoing = b >= until_s
        out.append(HealthSignal(
            SignalKind.RATE_DROP, cam, name, a, None if ongoing else b,
            f"{name}: {obs:,} reads from {_when(a)} to {_when(b)} where about {exp:,.0f} are "
            f"usual ({obs / exp:.0%}).", obs, exp))
        run.clear()

    while day_start < until_s:
        day_end = min(until_s, day_start + DAY)
        # the day without its silences: a camera dark for 8 hours is silent, not slow
        exp = _expected(rates, day_start, day_end) - silent_expected(day_start, day_end)
        obs = sum(counts[day_start // HOUR - first_hour:(day_end - 1) // HOUR + 1 - first_hour])
        low = exp >= DROP_MIN_EXPECTED * (day_end - day_start) / DAY and obs < DROP_RATIO * exp
        if low:
            run.append((day_start, day_end, obs, exp))
        else:
            flush()
        day_start = day_end
    flush()
    return out


def _runs(rows: list[HourBucket], flagged: set[int]) -> list[list[HourBucket]]:
    runs: list[list[HourBucket]] = []
    for b in rows:
        if b.hour not in flagged:
            continue
        if runs and runs[-1][-1].hour == b.hour - 1:
            runs[-1].append(b)
        else:
            runs.append([b])
    return runs


def _stuck(cam: int, name: str, rows: list[HourBucket]) -> list[HealthSignal]:
    flagged = {b.hour for b in rows
               if b.same_second >= STUCK_MIN_DUPES and b.same_second >= STUCK_RATIO * b.reads}
    out = []
    for run in _runs(rows, flagged):
        dupes = sum(b.same_second for b in run)
        reads = sum(b.reads for b in run)
        a, e = run[0].first_s, run[-1].last_s
        out.append(HealthSignal(
            SignalKind.CLOCK_STUCK, cam, name, a, e,
            f"{name}: {dupes:,} of {reads:,} reads from {_when(a)} to {_when(e)} share their "
            "second with another; its clock may be stuck.", dupes, 0.0))
    return out


def _unreadable(cam: int, name: str, rows: list[HourBucket]) -> list[HealthSignal]:
    total = sum(b.reads for b in rows)
    usual = sum(b.unreadable for b in rows) / total if total else 0.0
    share = max(UNREADABLE_MIN_SHARE, UNREADABLE_FACTOR * usual)
    flagged = {b.hour for b in rows
               if b.unreadable >= UNREADABLE_MIN and b.unreadable >= share * b.reads}
    out = []
    for run in _runs(rows, flagged):
        bad = sum(b.unreadable for b in run)
        reads = sum(b.reads for b in run)
        a, e = run[0].first_s, run[-1].last_s
        out.append(HealthSignal(
            SignalKind.UNREADABLE, cam, name, a, e,
            f"{name}: {bad:,} of {reads:,} plates unreadable from {_when(a)} to {_when(e)} "
            f"(usually {usual:.0%}).", bad, usual * reads))
    return out
