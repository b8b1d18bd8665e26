"""services.sharing: only approved California law-enforcement and prosecutorial agencies
receive data (AG bulletin 2023-DLE-06), requests are checked by the search purpose rules, the
custodian approves a prepared response before anything leaves, and every step is logged with
the five elements of policy §5 (the receiving agency as element 2)."""

from __future__ import annotations

import pytest
from access_helpers import log_entries
from sharing_helpers import Sharing

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.agencies import AgencyInput, AgencyInvalid
from alpr_desktop.core.agencies_requests import RequestInvalid, RequestStatus, parse_read_ids
from alpr_desktop.services.sharing import SharingRefused

FORBIDDEN = [
    ("FBI Los Angeles Field Office", "law_enforcement", "federal", "federal"),
    ("Las Vegas Metropolitan Police Department", "law_enforcement", "out_of_state",
     "out_of_state"),
    ("Acme Recovery Services", "other", "private", "private"),
    ("Carson Parking Enforcement", "other", "california_local", "not_law_enforcement"),
    # registered as Californian, but the name says otherwise: the law wins over the entry
    ("Homeland Security Investigations Long Beach", "law_enforcement", "california_local",
     "federal"),
    ("Repo Masters LLC", "law_enforcement", "california_local", "private"),
    ("Phoenix Police Department Arizona", "law_enforcement", "california_local",
     "out_of_state"),
]


@pytest.mark.parametrize("name,kind,jurisdiction,reason", FORBIDDEN)
def test_each_forbidden_recipient_kind_is_refused_with_the_bulletin_and_logged(
        sharing: Sharing, name: str, kind: str, jurisdiction: str, reason: str) -> None:
    keeper = sharing.keeper()
    agency = sharing.service.add_agency(keeper, AgencyInput(name, kind, jurisdiction,
                                                            "records desk, 555-0100"))
    with pytest.raises(SharingRefused, match="2023-DLE-06") as exc:
        sharing.service.approve_agency(keeper, agency.id)
    assert exc.value.reason == reason
    assert not sharing.world.store.agencies.get(agency.id).approved  # type: ignore[union-attr]
    [entry] = log_entries(sharing.world.store, "agency.approval_refused")
    assert entry.outcome == "refused" and entry.agency == name
    assert entry.detail["reason"] == reason and entry.username == "keeper"
    # ... and a request from it is refused too (logged), never recorded
    with pytest.raises(SharingRefused, match="2023-DLE-06"):
        sharing.service.record_request(keeper, sharing.request_input(agency_id=agency.id))
    [refused] = log_entries(sharing.world.store, "sharing.request.refused")
    assert refused.agency == name and refused.outcome == "refused"
    assert sharing.world.store.sharing.all() == []


def test_unapproved_and_withdrawn_agencies_cannot_send_requests(sharing: Sharing) -> None:
    keeper = sharing.keeper()
    fresh = sharing.service.add_agency(keeper, AgencyInput(
        "Torrance Police Department", "law_enforcement", "california_local", "555-0101"))
    with pytest.raises(SharingRefused) as exc:
        sharing.service.record_request(keeper, sharing.request_input(agency_id=fresh.id))
    assert exc.value.reason == "not_approved"
    sharing.service.withdraw_agency(keeper, sharing.agency.id, "MOU expired in November")
    with pytest.raises(SharingRefused) as exc:
        sharing.service.record_request(keeper, sharing.request_input())
    assert exc.value.reason == "withdrawn"
    [w] = log_entries(sharing.world.store, "agency.withdrawn")
    assert w.agency == "Long Beach Police Department"


def test_registry_keeps_kind_jurisdiction_contact_and_who_approved_when(
        sharing: Sharing) -> None:
    a = sharing.agency
    assert (a.kind.value, a.jurisdiction.value) == ("law_enforcement", "california_local")
    assert a.contact.startswith("Records Unit") and a.approved_by == "keeper"
    assert a.approved_ms == sharing.world.clock.now_ms()
    with pytest.raises(AgencyInvalid, match="already in the registry"):
        sharing.service.add_agency(sharing.keeper(), AgencyInput(
            "long beach police department", "law_enforcement", "california_local", "x 5"))
    with pytest.raises(AgencyInvalid, match="contact"):
        sharing.service.add_agency(sharing.keeper(), AgencyInput(
            "Gardena Police Department", "law_enforcement", "california_local", " "))


def test_vague_request_purpose_is_refused_by_the_search_rules_and_logged(
        sharing: Sharing) -> None:
    with pytest.raises(RequestInvalid) as exc:
        sharing.service.record_request(sharing.keeper(), sharing.request_input(
            purpose="investigation", case_number="whatever"))
    text = " ".join(exc.value.problems)
    assert len(exc.value.problems) >= 2 and "case" in text.lower()
    [e] = log_entries(sharing.world.store, "sharing.request.refused")
    assert e.detail["reason"] == "invalid_request"
    assert sharing.world.store.sharing.all() == []


def test_request_recorded_with_received_by_and_the_five_elements(sharing: Sharing) -> None:
    request = sharing.service.record_request(sharing.keeper(), sharing.request_input())
    assert request.status is RequestStatus.RECEIVED and request.received_by == "keeper"
    assert request.requester == "Dana Reyes, LB-3321"
    [e] = log_entries(sharing.world.store, "sharing.request.recorded")
    assert e.ts_ms == sharing.world.clock.now_ms()  # 1 date
    assert e.agency == "Long Beach Police Department"  # 2 receiving agency
    assert "7ABC123" in e.query["asked_for"]  # 3 data elements
    assert (e.username, e.organization) == ("keeper", "City of Carson")  # 4
    assert e.purpose["case_number"] == "LBPD-2025-004512"  # 5 purpose
    assert e.purpose["category"] == "agency_request"
    assert e.purpose["requester_name"] == "Dana Reyes"


def test_prepare_needs_the_requests_own_purpose(sharing: Sharing) -> None:
    request = sharing.service.record_request(sharing.keeper(), sharing.request_input())
    other = sharing.world.with_purpose("officer")  # a purpose of another case
    with pytest.raises(SharingRefused) as exc:
        sharing.service.prepare_response(other, request.id, sharing.read_ids[:1])
    assert exc.value.reason == "purpose_mismatch"
    analyst = sharing.analyst_for(request)
    prepared = sharing.service.prepare_response(analyst, request.id, sharing.read_ids[:2],
                                                "both reads of the plate")
    assert prepared.status is RequestStatus.PREPARED
    assert prepared.read_ids == tuple(sharing.read_ids[:2]) and prepared.prepared_by == "officer"
    refused, e = log_entries(sharing.world.store, "sharing.prepared")
    assert refused.outcome == "refused" and refused.detail["reason"] == "purpose_mismatch"
    assert e.outcome == "ok" and e.agency == "Long Beach Police Department"
    assert e.query == {"read_ids": sharing.read_ids[:2], "plates": ["7ABC123"]}
    assert e.organization == "LASD Carson Station"


def test_custodian_approves_and_refuses_with_log(sharing: Sharing) -> None:
    request, _ = sharing.prepared()
    keeper = sharing.keeper()
    with pytest.raises(SharingRefused, match="why"):
        sharing.service.refuse(keeper, request.id, "")
    refused = sharing.service.refuse(keeper, request.id, "Dates reach beyond the case")
    assert refused.status is RequestStatus.REFUSED and refused.decided_by == "keeper"
    with pytest.raises(SharingRefused) as exc:  # a refused response cannot be approved
        sharing.service.approve(keeper, request.id)
    assert exc.value.reason == "not_prepared"
    [r] = log_entries(sharing.world.store, "sharing.refused")
    assert r.outcome == "ok" and r.agency == "Long Beach Police Department"
    assert r.detail["note"] == "Dates reach beyond the case"


def test_approval_checks_the_recipient_again(sharing: Sharing) -> None:
    request, _ = sharing.prepared()
    keeper = sharing.keeper()
    sharing.service.withdraw_agency(keeper, sharing.agency.id, "Agreement ended")
    with pytest.raises(SharingRefused) as exc:
        sharing.service.approve(keeper, request.id)
    assert exc.value.reason == "withdrawn"
    assert sharing.world.store.sharing.get(request.id).status is RequestStatus.PREPARED  # type: ignore[union-attr]


@pytest.mark.parametrize("user,call", [
    ("officer", "add_agency"), ("officer", "approve_agency"), ("officer", "approve"),
    ("vendor", "record_request"), ("root", "record_request"), ("root", "add_agency"),
    ("keeper", "prepare_response"), ("vendor", "requests"),
])
def test_role_checks(sharing: Sharing, user: str, call: str) -> None:
    ctx = sharing.world.ctx(user)
    s = sharing.service
    calls = {
        "add_agency": lambda: s.add_agency(ctx, AgencyInput("Compton PD", "law_enforcement",
                                                            "california_local", "555-0102")),
        "approve_agency": lambda: s.approve_agency(ctx, sharing.agency.id),
        "approve": lambda: s.approve(ctx, 1),
        "record_request": lambda: s.record_request(ctx, sharing.request_input()),
        "prepare_response": lambda: s.prepare_response(ctx, 1, [1]),
        "requests": lambda: s.requests(ctx),
    }
    before = len(log_entries(sharing.world.store, "gate.refused"))
    with pytest.raises(NotAuthorized):
        calls[call]()
    assert len(log_entries(sharing.world.store, "gate.refused")) == before + 1


def test_read_ids_parse() -> None:
    assert parse_read_ids("12, 15 18-20 #3") == [3, 12, 15, 18, 19, 20]
    with pytest.raises(ValueError, match="not a read number"):
        parse_read_ids("12, abc")


def test_an_image_disclosure_to_a_withdrawn_agency_is_refused(sharing: Sharing) -> None:
    """The viewer's Disclose… (core.recipients) also honours the registry: an agency the
    custodian registered but did not approve, or withdrew, receives nothing."""
    from alpr_desktop.services.images import DisclosureRequest, ImageService

    svc = ImageService(sharing.world.store, sharing.world.clock)
    request = DisclosureRequest(sharing.read_ids[0], "copy", "crop",
                                "Long Beach Police Department", "LBPD request 2026-14", True)
    ctx = sharing.world.with_purpose("officer")
    assert svc.record_disclosure(ctx, request).allowed
    sharing.service.withdraw_agency(sharing.keeper(), sharing.agency.id, "Agreement ended")
    ctx = sharing.world.with_purpose("officer")
    receipt = svc.record_disclosure(ctx, request)
    assert not receipt.allowed and "withdrew" in receipt.message
    assert log_entries(sharing.world.store, "disclosure")[-1].detail["refused"] == "withdrawn"
