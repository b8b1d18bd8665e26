"""The agency registry and sharing requests through the repository protocols: rows round-trip,
a request moves only along received -> prepared -> approved/refused -> disclosed, and the
package signing key is never changed."""

from __future__ import annotations

import pytest

from alpr_desktop.core.agencies import AgencyKind, Jurisdiction
from alpr_desktop.core.agencies_requests import RequestInput, RequestStatus
from alpr_desktop.storage import Store, StoreError
from alpr_desktop.storage.unit_of_work import UnitOfWork

NOW = 1_767_225_600_000


def _request(store: UnitOfWork) -> int:
    with store.transaction():
        a = store.agencies.add("Long Beach Police Department", AgencyKind.LAW_ENFORCEMENT,
                               Jurisdiction.CALIFORNIA_LOCAL, "Records", "", "keeper", NOW)
        r = store.sharing.add(
            RequestInput(a.id, "Dana Reyes", " LB-3321 ", "555-0100", "LBPD-2025-1", "Theft",
                         "narrative", "7ABC123  in December", NOW - 5),
            requester_name="Dana Reyes", case_number="LBPD-2025-1", offense="Theft",
            purpose="narrative", received_by="keeper", now_ms=NOW)
    return r.id


def test_agencies_round_trip_and_approval(store: UnitOfWork) -> None:
    with store.transaction():
        a = store.agencies.add("Torrance Police Department", AgencyKind.LAW_ENFORCEMENT,
                               Jurisdiction.CALIFORNIA_LOCAL, "Records", "LA County", "keeper",
                               NOW)
    assert store.agencies.by_name("TORRANCE police department") == a
    assert not a.approved and a.status == "not approved"
    with store.transaction():
        store.agencies.approve(a.id, "keeper", NOW + 1)
    got = store.agencies.get(a.id)
    assert got is not None and got.approved and got.approved_by == "keeper"
    with store.transaction():
        store.agencies.withdraw(a.id, "keeper", NOW + 2, "agreement ended")
    got = store.agencies.get(a.id)
    assert got is not None and not got.approved and got.withdraw_reason == "agreement ended"
    assert [x.name for x in store.agencies.all()] == ["Torrance Police Department"]


def test_request_moves_only_forward(store: UnitOfWork) -> None:
    rid = _request(store)
    r = store.sharing.get(rid)
    assert r is not None and r.status is RequestStatus.RECEIVED
    assert (r.requester_badge, r.asked_for, r.received_ms) == ("LB-3321", "7ABC123 in December",
                                                             NOW - 5)
    with store.transaction():
        assert not store.sharing.decide(rid, RequestStatus.APPROVED, "keeper", NOW, "")
        assert not store.sharing.set_disclosed(rid, "officer", NOW, "x")
        assert store.sharing.set_prepared(rid, [3, 1, 3], "officer", NOW, "note")
        assert store.sharing.decide(rid, RequestStatus.APPROVED, "keeper", NOW, "ok")
        assert not store.sharing.set_prepared(rid, [2], "officer", NOW, "")
        assert store.sharing.set_disclosed(rid, "officer", NOW, "ab" * 32)
        # a second kind of release keeps the first one's person, time and digest
        assert store.sharing.set_disclosed(rid, "officer2", NOW + 1, "cd" * 32)
        # once per kind (migration 0015): the key refuses a second release of one kind
        assert store.sharing.record_release(rid, "package", "officer", NOW, "ab" * 32)
        assert not store.sharing.record_release(rid, "package", "officer2", NOW, "ef" * 32)
        assert store.sharing.record_release(rid, "extract", "officer2", NOW + 1, "x-id")
    assert [(x.kind, x.released_by) for x in store.sharing.releases(rid)] == [
        ("package", "officer"), ("extract", "officer2")]
    r = store.sharing.get(rid)
    assert r is not None and r.status is RequestStatus.DISCLOSED and r.read_ids == (1, 3)
    assert r.manifest_sha256 == "ab" * 32 and r.disclosed_by == "officer"
    assert [x.id for x in store.sharing.all([RequestStatus.DISCLOSED])] == [rid]
    assert store.sharing.all([RequestStatus.RECEIVED]) == []


@pytest.mark.backend_specific("sqlcipher")
def test_signing_key_is_never_changed(store: UnitOfWork) -> None:
    with store.transaction():
        k = store.sharing.add_signing_key(b"\x01" * 32, "FP", "{}", NOW)
    assert store.sharing.signing_key() == k
    assert isinstance(store, Store)
    with pytest.raises(StoreError), store.transaction():
        store.execute("UPDATE package_signing_keys SET wrapped = 'x'")


@pytest.mark.backend_specific("sqlcipher")
def test_releases_are_append_only(store: UnitOfWork) -> None:
    rid = _request(store)
    with store.transaction():
        assert store.sharing.record_release(rid, "extract", "officer", NOW, "x-id")
    assert isinstance(store, Store)
    for sql in ("UPDATE sharing_releases SET released_by = 'someone'",
                "DELETE FROM sharing_releases"):
        with pytest.raises(StoreError), store.transaction():
            store.execute(sql)
    assert [r.released_by for r in store.sharing.releases(rid)] == ["officer"]
