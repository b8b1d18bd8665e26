"""Check a store's log against this workstation's witness on open, and move the witness on.

On open (after unlock) ``check_on_open`` compares the store's chain with the highest (entry
count, head hash) this workstation has seen for the store: a log with fewer entries, or with
another hash at that position, was rolled back or rewritten. That is told as a typed report
(the GUI shows its sentence as a warning, the CLI prints it) and written to the store's own log
("log.witness_mismatch"); the witness then moves to the store's present head, keeping the
finding in its history, so the next open does not warn again for the same event while a
further rollback still would.

``advance`` is cheap (one indexed query, a file write only when the head moved) and is called
at sign-out, at close and every few minutes while a store is open, not per entry: what the
witness misses is at most the entries of the last few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alpr_desktop.core.audit_format import format_utc
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.log_anchors import entries, entry_range
from alpr_desktop.security import witness
from alpr_desktop.services.audit import SYSTEM_USER, log_event
from alpr_desktop.storage.unit_of_work import UnitOfWork

ADVANCE_EVERY_MS = 2 * 60_000


class WitnessStatus(StrEnum):
    OK = "ok"
    FIRST_SEEN = "first_seen"
    ROLLED_BACK = "rolled_back"
    REWRITTEN = "rewritten"
    WITNESS_ALTERED = "witness_altered"
    WITNESS_MISSING = "witness_missing"
    UNAVAILABLE = "unavailable"


WARNINGS = frozenset({WitnessStatus.ROLLED_BACK, WitnessStatus.REWRITTEN,
                      WitnessStatus.WITNESS_ALTERED, WitnessStatus.WITNESS_MISSING})


@dataclass(frozen=True)
class WitnessReport:
    status: WitnessStatus
    store_id: str
    found_count: int
    witnessed_count: int | None = None
    message: str = ""

    @property
    def warning(self) -> bool:
        return self.status in WARNINGS


def _judge(store: UnitOfWork, seen: witness.Seen | None, count: int) -> tuple[WitnessStatus, str]:
    if seen is None:
        return WitnessStatus.FIRST_SEEN, ""
    when = format_utc(seen.seen_ms)
    if count < seen.count:
        return WitnessStatus.ROLLED_BACK, (
            f"This store's access log has {entries(count)}, but this workstation saw "
            f"{seen.count:,} on {when}: {entry_range(count + 1, seen.count)} missing. The store "
            "was rolled back to an older copy or its log was cut short.")
    if seen.count and store.access_log.hash_at(seen.count) != seen.head:
        return WitnessStatus.REWRITTEN, (
            f"Entry #{seen.count:,} of this store's access log is not the entry this "
            f"workstation saw on {when}: the log was rewritten, or an older copy of the store "
            "was put back and added to.")
    return WitnessStatus.OK, ""


def check_on_open(store: UnitOfWork, clock: Clock | None = None) -> WitnessReport:
    """Hold the store's log against the witness, log a mismatch in the store, move the
    witness to the store's head. Never raises for a witness problem: it reports it."""
    clock = clock or SystemClock()
    sid = store.store_id
    log = store.access_log
    count, head = log.head()
    state, data = witness.load()
    if state is witness.FileState.UNAVAILABLE:
        return WitnessReport(WitnessStatus.UNAVAILABLE, sid, count, None,
                             "The log witness could not be checked: the keyring that holds "
                             "its key is locked or unavailable.")
    seen = data.stores.get(sid)
    status, message = _judge(store, seen, count)
    if state is witness.FileState.ALTERED:
        status, message = WitnessStatus.WITNESS_ALTERED, (
            "This workstation's log witness was altered or damaged, so a rollback of the store "
            "cannot be ruled out; it now starts again from the store's present log.")
    elif state is witness.FileState.MISSING:
        status, message = WitnessStatus.WITNESS_MISSING, (
            "This workstation's log witness was deleted, so a rollback of the store cannot be "
            "ruled out; it now starts again from the store's present log.")
    if status in WARNINGS:
        detail: dict[str, object] = {"status": str(status), "found_count": count,
                                     "found_head": head, "message": message}
        if seen is not None:
            detail.update(witnessed_count=seen.count, witnessed_head=seen.head,
                          witnessed_ms=seen.seen_ms)
        entry = log_event(store, LogEvent("log.witness_mismatch", Outcome.FAILED, SYSTEM_USER,
                                          detail=detail), clock)
        count, head = entry.seq, entry.hash
        data.history.append({"store_id": sid, "detected_ms": clock.now_ms(), **detail})
    if status is not WitnessStatus.OK or seen is None or count > seen.count:
        data.stores[sid] = witness.Seen(count, head, clock.now_ms())
        _save_quietly(data)
    return WitnessReport(status, sid, count, seen.count if seen else None, message)


def command_line(report: WitnessReport) -> str:
    """What a command prints about the witness: "WARNING: …" for a rollback, a rewrite or a
    tampered witness, the plain sentence when it could not be checked, "" when all is well."""
    return f"WARNING: {report.message}" if report.warning else report.message


def advance(store: UnitOfWork, clock: Clock | None = None) -> bool:
    """Move the witness to the store's head when the head has grown and still contains what
    was witnessed; True when it wrote. A mismatch is left for the next open to report."""
    clock = clock or SystemClock()
    state, data = witness.load()
    if state not in (witness.FileState.READ, witness.FileState.NONE):
        return False
    sid = store.store_id
    count, head = store.access_log.head()
    seen = data.stores.get(sid)
    status, _ = _judge(store, seen, count)
    if status is WitnessStatus.FIRST_SEEN or (
            status is WitnessStatus.OK and seen is not None and count > seen.count):
        data.stores[sid] = witness.Seen(count, head, clock.now_ms())
        return _save_quietly(data)
    return False


def _save_quietly(data: witness.WitnessData) -> bool:
    """A witness that cannot be written (read-only home, full disk) must not stop the work;
    the next open reports what it finds."""
    try:
        witness.save(data)
    except OSError:
        return False
    return True
