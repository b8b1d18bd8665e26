"""AuditService: custodian only, and reading the audit log is itself logged."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from audit_helpers import PASSWORDS, add_people, tamper_purpose

from alpr_desktop.core.access_errors import NotAuthorized, NotSignedIn
from alpr_desktop.core.accounts import ANONYMOUS, AccessContext
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(1_768_500_000_000)


@pytest.fixture
def auth(log_store: Store, clock: FixedClock) -> AuthService:
    add_people(log_store, clock)
    return AuthService(log_store, clock)


def _ctx(auth: AuthService, user: str) -> AccessContext:
    return auth.context(auth.sign_in(user, PASSWORDS[user]))


def _new_entries(store: Store, after: int) -> list:
    return AccessLogRepo(store).entries(after_seq=after)


def test_only_the_custodian_reads_the_log(log_store: Store, auth: AuthService,
                                          clock: FixedClock) -> None:
    svc = AuditService(log_store, clock)
    officer = _ctx(auth, "officer")
    before = AccessLogRepo(log_store).head()[0]
    for call in (lambda: svc.page(officer, AuditFilter()), lambda: svc.verify(officer),
                 lambda: svc.count(officer, AuditFilter())):
        with pytest.raises(NotAuthorized):
            call()
    with pytest.raises(NotAuthorized):
        svc.build_report(officer, Path("/nonexistent/x.pdf"), AuditFilter())
    refused = [e for e in _new_entries(log_store, before) if e.event == "gate.refused"]
    assert len(refused) == 4
    assert {e.detail["action"] for e in refused} == {"read_audit_log", "print_audit_report"}
    with pytest.raises(NotSignedIn):
        svc.page(ANONYMOUS, AuditFilter())


def test_listing_a_filter_is_logged_once_per_listing(log_store: Store, auth: AuthService,
                                                      clock: FixedClock) -> None:
    svc = AuditService(log_store, clock)
    ctx = _ctx(auth, "keeper")
    start = AccessLogRepo(log_store).head()[0]
    flt = AuditFilter(username="officer2", query_text="8XYZ")
    first = svc.page(ctx, flt, 0, 1)
    assert [e.seq for e in first] == [5]
    assert svc.page(ctx, flt, first[-1].seq, 10) == []  # a further page of the same listing
    views = [e for e in _new_entries(log_store, start) if e.event == "audit.view"]
    assert len(views) == 1
    assert views[0].username == "keeper" and views[0].organization == "City of Carson"
    assert views[0].query == {"username": "officer2", "query_text": "8XYZ"}
    svc.page(ctx, AuditFilter(), 0, 5)  # another filter: logged again
    views = [e for e in _new_entries(log_store, start) if e.event == "audit.view"]
    assert len(views) == 2 and views[1].query == {}


def test_verify_is_logged_with_result_and_head(log_store: Store, auth: AuthService,
                                               clock: FixedClock) -> None:
    svc = AuditService(log_store, clock)
    ctx = _ctx(auth, "keeper")
    head_before = AccessLogRepo(log_store).head()
    result = svc.verify(ctx)
    assert result.intact and result.checked == head_before[0]
    entry = AccessLogRepo(log_store).entries(after_seq=head_before[0])[-1]
    assert entry.event == "audit.verify" and entry.outcome == "ok"
    assert entry.detail["intact"] is True
    assert entry.detail["head_hash"] == head_before[1]
    assert entry.result_count == head_before[0]


def test_verify_after_tampering_names_the_entry(log_store: Store, auth: AuthService,
                                                clock: FixedClock) -> None:
    svc = AuditService(log_store, clock)
    ctx = _ctx(auth, "keeper")
    tamper_purpose(log_store, 5)
    result = svc.verify(ctx)
    assert not result.intact and result.first_broken == 5
    entry = AccessLogRepo(log_store).entries(limit=1000)[-1]
    assert entry.event == "audit.verify"
    assert entry.detail["intact"] is False and entry.detail["first_broken"] == 5


def test_report_is_logged_without_its_content(log_store: Store, auth: AuthService,
                                              clock: FixedClock, tmp_path: Path) -> None:
    svc = AuditService(log_store, clock)
    ctx = _ctx(auth, "keeper")
    head = AccessLogRepo(log_store).head()[0]
    seen: list[tuple[int, int]] = []
    out = tmp_path / "audit.pdf"
    res = svc.build_report(ctx, out, AuditFilter(username="officer"),
                           progress=lambda d, t: seen.append((d, t)))
    assert out.is_file() and res.entries == 7 and res.verify.intact  # 1-4, 12-14
    assert seen and seen[-1][0] == seen[-1][1]  # finished at 100 %
    assert all(b[0] >= a[0] for a, b in itertools.pairwise(seen))
    entry = AccessLogRepo(log_store).entries(after_seq=head)[-1]
    assert entry.event == "audit.report" and entry.outcome == "ok"
    assert entry.detail["file"] == "audit.pdf" and entry.result_count == 7
    assert entry.query["username"] == "officer" and "period" in entry.query
    assert "7ABC123" not in entry.query_json + entry.detail_json  # no content


def test_cancelled_report_leaves_no_file_and_is_logged(log_store: Store, auth: AuthService,
                                                       clock: FixedClock,
                                                       tmp_path: Path) -> None:
    svc = AuditService(log_store, clock)
    ctx = _ctx(auth, "keeper")
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):
        svc.build_report(ctx, folder / "audit.pdf", AuditFilter(), cancel=lambda: True)
    assert list(folder.iterdir()) == []
    entry = AccessLogRepo(log_store).entries(limit=1000)[-1]
    assert entry.event == "audit.report" and entry.outcome == "failed"
    assert entry.detail["cancelled"] is True
