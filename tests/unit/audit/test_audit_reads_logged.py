"""Issue 10 §4: every audit-log query by the custodian is itself logged: each page of the
lazy table, every count, the distinct values behind the filter lists, and the report (which
is also an owner-only file)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from audit_helpers import PASSWORDS, add_people

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(1_768_500_000_000)


@pytest.fixture
def keeper(log_store: Store, clock: FixedClock) -> AccessContext:
    add_people(log_store, clock)
    auth = AuthService(log_store, clock)
    return auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))


def _since(store: Store, seq: int) -> list:
    return [e for e in AccessLogRepo(store).entries(after_seq=seq) if e.event.startswith("audit")]


def test_every_page_of_a_listing_is_logged_with_its_position(
    log_store: Store, keeper: AccessContext, clock: FixedClock
) -> None:
    svc = AuditService(log_store, clock)
    start = AccessLogRepo(log_store).head()[0]
    flt = AuditFilter(username="officer")
    first = svc.page(keeper, flt, 0, 3)
    second = svc.page(keeper, flt, first[-1].seq, 3)
    third = svc.page(keeper, flt, second[-1].seq, 3)
    assert [e.seq for e in first + second + third] == [1, 2, 3, 4, 12, 13, 14]
    logged = _since(log_store, start)
    assert [e.event for e in logged] == ["audit.view", "audit.view.page", "audit.view.page"]
    assert all(e.username == "keeper" and e.query == {"username": "officer"} for e in logged)
    assert [e.detail["page"]["after_seq"] for e in logged] == [0, first[-1].seq,
                                                              second[-1].seq]


def test_a_listing_with_its_total_is_one_entry_and_describes_one_log(
    log_store: Store, keeper: AccessContext, clock: FixedClock
) -> None:
    svc = AuditService(log_store, clock)
    start = AccessLogRepo(log_store).head()[0]
    found = svc.listing(keeper, AuditFilter(), 0, 5, descending=True)
    [entry] = _since(log_store, start)
    assert entry.event == "audit.view" and entry.detail["with_total"] is True
    # the page and the total both stop at the listing's own entry, which comes first
    assert found.entries[0].seq == entry.seq and found.total == entry.seq


def test_counts_are_logged_with_the_filter_and_the_number(
    log_store: Store, keeper: AccessContext, clock: FixedClock
) -> None:
    svc = AuditService(log_store, clock)
    start = AccessLogRepo(log_store).head()[0]
    flt = AuditFilter(query_text="8XYZ999")
    assert svc.count(keeper, flt) == 1
    [entry] = _since(log_store, start)
    assert (entry.event, entry.query, entry.result_count) == (
        "audit.count", {"query_text": "8XYZ999"}, 1)


def test_pick_lists_are_one_entry_per_screen_opening(
    log_store: Store, keeper: AccessContext, clock: FixedClock
) -> None:
    svc = AuditService(log_store, clock)
    start = AccessLogRepo(log_store).head()[0]
    found = svc.choices(keeper, ["username", "organization", "agency", "event"])
    assert {"officer", "officer2", "vendor"} <= set(found["username"])
    [entry] = _since(log_store, start)
    assert entry.event == "audit.choices"
    assert entry.query == {"columns": ["username", "organization", "agency", "event"]}
    assert entry.result_count == sum(len(v) for v in found.values())
    svc.distinct(keeper, "outcome")
    assert [e.event for e in _since(log_store, start)] == ["audit.choices"] * 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_report_file_is_owner_only(log_store: Store, keeper: AccessContext,
                                       clock: FixedClock, tmp_path: Path) -> None:
    svc = AuditService(log_store, clock)
    folder = tmp_path / "reports"
    folder.mkdir()
    out = folder / "access-log-audit.pdf"
    old = os.umask(0)
    try:
        svc.build_report(keeper, out, AuditFilter(username="officer"))
    finally:
        os.umask(old)
    appendix = folder / "access-log-audit-read-ids.csv"
    for written in (out, appendix):
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"%PDF")
    # no temporary file left: the report and its read-id appendix only
    assert sorted(p.name for p in folder.iterdir()) == sorted([appendix.name, out.name])
