"""Agencies and their requests: who may receive ALPR data, and the steps before it leaves.

The custodian keeps the agency registry and approves recipients (a federal, out-of-state,
private or non-law-enforcement recipient is refused with the AG bulletin's reason, and the
refusal logged). A request from an agency is recorded as received, its purpose checked by the
search purpose rules; an analyst prepares the response under that request's purpose; the
custodian approves or refuses it; only then may anything leave: one evidence package
(services.evidence_package) and one offline review extract (services.sharing_release) may
answer one approved request, but never the same kind twice without a new request and
approval. Every step writes an access-log entry in the transaction that makes it, with the
policy's five elements: the receiving agency is element 2 (``agency``), the reads or query
element 3, the request's purpose element 5.

``approved_release`` and ``mark_disclosed`` are the entry points another kind of release (the
offline review extract) uses to honour the same approval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.agencies import (
    Agency,
    AgencyInput,
    AgencyInvalid,
    RecipientRefusal,
    check_agency_input,
    lawful_kind_refusal,
    recipient_refusal,
)
from alpr_desktop.core.agencies_requests import (
    MAX_NOTE,
    MAX_RESPONSE_READS,
    RequestInput,
    RequestInvalid,
    RequestStatus,
    SharingRequest,
    check_request_fields,
)
from alpr_desktop.core.audit_log import LogEntry, LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.purpose_rules import PurposeRejected, validate_purpose
from alpr_desktop.core.purposes import PurposeCategory, PurposeInput
from alpr_desktop.core.roles import Action
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.sharing import RequestRelease
from alpr_desktop.storage.unit_of_work import UnitOfWork

SHARING_EVENTS = (
    "agency.added", "agency.approved", "agency.approval_refused", "agency.withdrawn",
    "agency.list", "sharing.request.recorded", "sharing.request.refused",
    "sharing.request.list", "sharing.prepared", "sharing.approved", "sharing.refused",
    "sharing.disclosure", "sharing.package.sealed",
)


PACKAGE = "package"
EXTRACT = "extract"
RELEASE_KINDS = (PACKAGE, EXTRACT)
RELEASE_NAMES = {PACKAGE: "an evidence package", EXTRACT: "an offline review extract"}


class SharingRefused(AccessError):
    """A sharing step the rules do not allow, told as a sentence; ``reason`` is the short code
    the log carries."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ApprovedRelease:
    """What an approved request allows to leave, for whichever release builds it."""

    request: SharingRequest
    agency: Agency
    read_ids: tuple[int, ...]
    kind: str = PACKAGE

    @property
    def recipient_name(self) -> str:
        return self.request.requester_name

    @property
    def recipient_organization(self) -> str:
        return self.agency.name


def log_sharing(
    uow: UnitOfWork, clock: Clock, grant: Grant, event: str, *, agency: str,
    request: SharingRequest | None = None, query: dict[str, Any] | None = None,
    result_count: int | None = None, detail: dict[str, Any] | None = None,
    outcome: str = Outcome.OK,
) -> LogEntry:
    """One sharing entry with the five elements: the receiving agency as ``agency``, the
    request's purpose (or the user's declared one) as the purpose."""
    purpose: dict[str, Any] = {}
    if request is not None:
        purpose = dict(request.as_purpose().as_log_dict())
    elif grant.purpose is not None:
        purpose = dict(grant.purpose.purpose.as_log_dict())
    info: dict[str, Any] = {"action": grant.action.value, **(detail or {})}
    if request is not None:
        info["request_id"] = request.id
    if grant.purpose is not None:
        info["purpose_id"] = grant.purpose.id
    entry = log_event(uow, LogEvent(
        event, outcome, grant.account.username, organization=grant.account.organization,
        agency=agency, purpose=purpose, query=query or {}, result_count=result_count,
        detail=info), clock)
    grant._logged.append(entry.seq)
    return entry


class SharingService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def _grant(self, ctx: AccessContext, action: Action, *, purpose: bool = False) -> Grant:
        return require(self.store, ctx, action, needs_purpose=purpose, clock=self.clock)

    def _refuse(self, grant: Grant, event: str, refusal: SharingRefused, *, agency: str,
                request: SharingRequest | None = None,
                query: dict[str, Any] | None = None) -> SharingRefused:
        """Log a refusal in its own transaction (it outlives the exception) and return it."""
        with self.store.transaction():
            log_sharing(self.store, self.clock, grant, event, agency=agency, request=request,
                        query=query, result_count=0, outcome=Outcome.REFUSED,
                        detail={"reason": refusal.reason, "message": str(refusal)})
        return refusal

    # -- the agency registry (custodian) -------------------------------------------------------
    def agencies(self, ctx: AccessContext) -> list[Agency]:
        grant = self._grant(ctx, Action.VIEW_SHARING_REQUESTS)
        with self.store.transaction():
            found = self.store.agencies.all()
            log_sharing(self.store, self.clock, grant, "agency.list", agency="",
                        result_count=len(found))
        return found

    def add_agency(self, ctx: AccessContext, entry: AgencyInput) -> Agency:
        """Register an agency (not yet approved). Raises AgencyInvalid for bad input (nothing
        saved) or SharingRefused when the name is already registered."""
        grant = self._grant(ctx, Action.MANAGE_AGENCIES)
        name, kind, jurisdiction, contact, note = check_agency_input(entry)
        with self.store.transaction():
            if self.store.agencies.by_name(name) is not None:
                raise AgencyInvalid([f"{name!r} is already in the registry."])
            agency = self.store.agencies.add(name, kind, jurisdiction, contact, note,
                                             grant.account.username, self.clock.now_ms())
            log_sharing(self.store, self.clock, grant, "agency.added", agency=name,
                        detail={"agency_id": agency.id, "kind": kind.value,
                                "jurisdiction": jurisdiction.value, "contact": contact})
        return agency

    def approve_agency(self, ctx: AccessContext, agency_id: int) -> Agency:
        """Approve a registered agency as a recipient. A recipient the law does not allow is
        refused (SharingRefused, logged) with the AG bulletin's reason."""
        grant = self._grant(ctx, Action.MANAGE_AGENCIES)
        agency = self.store.agencies.get(int(agency_id))
        if agency is None:
            raise SharingRefused("There is no such agency in the registry.", "no_agency")
        lawless = lawful_kind_refusal(agency.name, agency.kind, agency.jurisdiction)
        if lawless is not None:
            raise self._refuse(grant, "agency.approval_refused",
                               SharingRefused(lawless.message, lawless.reason),
                               agency=agency.name, query={"agency_id": agency.id})
        with self.store.transaction():
            self.store.agencies.approve(agency.id, grant.account.username, self.clock.now_ms())
            log_sharing(self.store, self.clock, grant, "agency.approved", agency=agency.name,
                        detail={"agency_id": agency.id, "kind": agency.kind.value,
                                "jurisdiction": agency.jurisdiction.value})
            approved = self.store.agencies.get(agency.id)
        assert approved is not None
        return approved

    def withdraw_agency(self, ctx: AccessContext, agency_id: int, reason: str) -> Agency:
        grant = self._grant(ctx, Action.MANAGE_AGENCIES)
        reason = " ".join(reason.split())
        if len(reason) < 5 or len(reason) > MAX_NOTE:
            raise AgencyInvalid(["Say why the approval is withdrawn."])
        agency = self.store.agencies.get(int(agency_id))
        if agency is None:
            raise SharingRefused("There is no such agency in the registry.", "no_agency")
        with self.store.transaction():
            self.store.agencies.withdraw(agency.id, grant.account.username,
                                         self.clock.now_ms(), reason)
            log_sharing(self.store, self.clock, grant, "agency.withdrawn", agency=agency.name,
                        detail={"agency_id": agency.id, "reason": reason})
            withdrawn = self.store.agencies.get(agency.id)
        assert withdrawn is not None
        return withdrawn

    # -- requests --------------------------------------------------------------------------------
    def record_request(self, ctx: AccessContext, entry: RequestInput) -> SharingRequest:
        """Record a request as received. Refused (logged) when the agency may not receive
        data; RequestInvalid (logged, nothing saved) when a field or the purpose fails."""
        grant = self._grant(ctx, Action.RECORD_SHARING_REQUEST)
        agency = self.store.agencies.get(int(entry.agency_id))
        refusal = recipient_refusal(agency)
        asked = {"asked_for": " ".join(str(entry.asked_for).split())[:2000],
                 "agency_id": int(entry.agency_id)}
        if refusal is not None:
            raise self._refuse(grant, "sharing.request.refused",
                               SharingRefused(refusal.message, refusal.reason),
                               agency=agency.name if agency else "", query=asked)
        assert agency is not None
        problems = check_request_fields(entry)
        purpose_input = PurposeInput(
            PurposeCategory.AGENCY_REQUEST, entry.offense, entry.case_number, entry.purpose,
            True, agency.name, entry.requester_name)
        try:
            purpose = validate_purpose(purpose_input,
                                       case_formats=self.store.settings.case_formats())
        except PurposeRejected as exc:
            problems = [p.message for p in exc.problems] + problems
            purpose = None
        if problems or purpose is None:
            invalid = RequestInvalidRefusal(problems)
            self._refuse(grant, "sharing.request.refused", invalid, agency=agency.name,
                         query=asked)
            raise invalid.invalid
        with self.store.transaction():
            request = self.store.sharing.add(
                entry, requester_name=purpose.requester_name, case_number=purpose.case_number,
                offense=purpose.offense, purpose=purpose.narrative,
                received_by=grant.account.username, now_ms=self.clock.now_ms())
            log_sharing(self.store, self.clock, grant, "sharing.request.recorded",
                        agency=agency.name, request=request, query=asked,
                        detail={"requester": request.requester,
                                "contact": request.requester_contact,
                                "received_ms": request.received_ms})
        return request

    def requests(self, ctx: AccessContext,
                 statuses: Sequence[RequestStatus] = ()) -> list[SharingRequest]:
        grant = self._grant(ctx, Action.VIEW_SHARING_REQUESTS)
        with self.store.transaction():
            found = self.store.sharing.all(tuple(statuses))
            log_sharing(self.store, self.clock, grant, "sharing.request.list", agency="",
                        query={"statuses": [s.value for s in statuses]},
                        result_count=len(found))
        return found

    def releases(self, ctx: AccessContext, request_id: int) -> list[RequestRelease]:
        """What has left for request ``request_id`` (a package, an extract), for the screen
        that offers what may still leave."""
        grant = self._grant(ctx, Action.VIEW_SHARING_REQUESTS)
        with self.store.transaction():
            found = self.store.sharing.releases(int(request_id))
            log_sharing(self.store, self.clock, grant, "sharing.request.list", agency="",
                        query={"request_id": int(request_id), "releases": True},
                        result_count=len(found))
        return found

    def prepare_response(self, ctx: AccessContext, request_id: int, read_ids: Sequence[int],
                         note: str = "") -> SharingRequest:
        """The analyst's response: the reads that answer the request, chosen under the
        request's own purpose (declare ``request.purpose_input()`` first)."""
        grant = self._grant(ctx, Action.EXPORT_EVIDENCE, purpose=True)
        request = self.store.sharing.get(int(request_id))
        if request is None:
            raise SharingRefused("There is no such request.", "no_request")
        ids = sorted({int(i) for i in read_ids})
        query = {"read_ids": ids}
        problem: SharingRefused | None = None
        if request.status not in (RequestStatus.RECEIVED, RequestStatus.PREPARED,
                                  RequestStatus.REFUSED):
            problem = SharingRefused(f"Request #{request.id} is {request.status.value}; its "
                                     "response can no longer be changed.", "not_open")
        elif not _same_case(grant, request):
            problem = SharingRefused(
                f"Declare the request's purpose (case {request.case_number} for "
                f"{request.agency_name}) before preparing its response.", "purpose_mismatch")
        elif not ids:
            problem = SharingRefused("Choose the reads that answer the request.", "no_reads")
        elif len(ids) > MAX_RESPONSE_READS:
            problem = SharingRefused(f"A response holds at most {MAX_RESPONSE_READS:,} reads.",
                                     "too_many")
        if problem is not None:
            raise self._refuse(grant, "sharing.prepared", problem, agency=request.agency_name,
                               request=request, query=query)
        note = " ".join(note.split())[:MAX_NOTE]
        with self.store.transaction():
            present = self.store.sharing.existing_reads(ids)
            if len(present) != len(ids):
                missing = sorted(set(ids) - set(present))
                raise SharingRefused(
                    f"{len(missing)} of those reads are not in the store (for example #"
                    f"{missing[0]}).", "no_read")
            plates = sorted({r.plate_norm for i in ids if (r := self.store.reads.get(i))})
            self.store.sharing.set_prepared(request.id, ids, grant.account.username,
                                            self.clock.now_ms(), note)
            log_sharing(self.store, self.clock, grant, "sharing.prepared",
                        agency=request.agency_name, request=request,
                        query={"read_ids": ids, "plates": plates}, result_count=len(ids),
                        detail={"note": note})
            prepared = self.store.sharing.get(request.id)
        assert prepared is not None
        return prepared

    def approve(self, ctx: AccessContext, request_id: int, note: str = "") -> SharingRequest:
        """The custodian approves the prepared response; the recipient is checked again."""
        return self._decide(ctx, request_id, RequestStatus.APPROVED, note)

    def refuse(self, ctx: AccessContext, request_id: int, note: str) -> SharingRequest:
        if len(" ".join(note.split())) < 5:
            raise SharingRefused("Say why the response is refused.", "no_reason")
        return self._decide(ctx, request_id, RequestStatus.REFUSED, note)

    def _decide(self, ctx: AccessContext, request_id: int, status: RequestStatus,
                note: str) -> SharingRequest:
        grant = self._grant(ctx, Action.APPROVE_DISCLOSURE)
        request = self.store.sharing.get(int(request_id))
        if request is None:
            raise SharingRefused("There is no such request.", "no_request")
        event = "sharing.approved" if status is RequestStatus.APPROVED else "sharing.refused"
        query = {"read_ids": list(request.read_ids)}
        problem: SharingRefused | None = None
        if request.status is not RequestStatus.PREPARED:
            problem = SharingRefused(f"Request #{request.id} is {request.status.value}; only a "
                                     "prepared response can be decided.", "not_prepared")
        elif request.prepared_by == grant.account.username:
            problem = SharingRefused("You prepared this response; another person must decide "
                                     "it.", "own_response")
        elif status is RequestStatus.APPROVED:
            refusal = recipient_refusal(self.store.agencies.get(request.agency_id))
            if refusal is not None:
                problem = SharingRefused(refusal.message, refusal.reason)
        if problem is not None:
            raise self._refuse(grant, event, problem, agency=request.agency_name,
                               request=request, query=query)
        note = " ".join(note.split())[:MAX_NOTE]
        with self.store.transaction():
            if not self.store.sharing.decide(request.id, status, grant.account.username,
                                             self.clock.now_ms(), note):
                raise SharingRefused("The request changed meanwhile; look again.", "changed")
            log_sharing(self.store, self.clock, grant, event, agency=request.agency_name,
                        request=request, query=query, result_count=len(request.read_ids),
                        detail={"note": note, "prepared_by": request.prepared_by})
            decided = self.store.sharing.get(request.id)
        assert decided is not None
        return decided

    # -- for a release (evidence package, review extract) ---------------------------------------
    def approved_release(self, grant: Grant, request_id: int, event: str,
                         kind: str = PACKAGE) -> ApprovedRelease:
        """The approved request ``request_id`` as a release of ``kind`` (PACKAGE or EXTRACT)
        may use it, checked now: approved by the custodian, no release of this kind made yet
        (a package and an extract may both answer one request, each once), the recipient still
        lawful and approved, and the analyst's purpose the request's own. Otherwise
        SharingRefused, logged as ``event`` with outcome "refused" (own transaction). Call
        outside a transaction; ``mark_disclosed`` settles a race inside it."""
        if kind not in RELEASE_KINDS:
            raise ValueError(f"unknown release kind {kind!r}")
        request = self.store.sharing.get(int(request_id))
        if request is None:
            raise SharingRefused("There is no such request.", "no_request")
        agency = self.store.agencies.get(request.agency_id)
        problem: SharingRefused | None = None
        refusal: RecipientRefusal | None = recipient_refusal(agency)
        done = {r.kind for r in self.store.sharing.releases(request.id)}
        if request.status is RequestStatus.DISCLOSED and kind in done:
            problem = SharingRefused(
                f"Request #{request.id} was already answered with {RELEASE_NAMES[kind]}; a "
                "further one needs a new request and a new approval.", "already_disclosed")
        elif request.status not in (RequestStatus.APPROVED, RequestStatus.DISCLOSED):
            problem = SharingRefused(
                f"Request #{request.id} is {request.status.value}, not approved: nothing may "
                "leave before the custodian approves the response.", "not_approved")
        elif refusal is not None:
            problem = SharingRefused(refusal.message, refusal.reason)
        elif not _same_case(grant, request):
            problem = SharingRefused(
                f"Declare the request's purpose (case {request.case_number} for "
                f"{request.agency_name}) before releasing its response.", "purpose_mismatch")
        if problem is not None:
            raise self._refuse(grant, event, problem, agency=request.agency_name,
                               request=request, query={"read_ids": list(request.read_ids),
                                                       "release": kind})
        assert agency is not None
        return ApprovedRelease(request, agency, request.read_ids, kind)

    def mark_disclosed(self, grant: Grant, release: ApprovedRelease, digest: str) -> None:
        """Inside the release's transaction: this kind of release is recorded (once: the
        store's key refuses a second, whoever wrote first) and the request disclosed."""
        now = self.clock.now_ms()
        if not self.store.sharing.record_release(release.request.id, release.kind,
                                                 grant.account.username, now, digest):
            raise SharingRefused(
                f"Request #{release.request.id} was answered with "
                f"{RELEASE_NAMES[release.kind]} meanwhile (on another workstation?); nothing "
                "was released.", "already_disclosed")
        if not self.store.sharing.set_disclosed(release.request.id, grant.account.username,
                                                now, digest):
            raise SharingRefused("The request changed meanwhile; nothing was released.",
                                 "changed")


class RequestInvalidRefusal(SharingRefused):
    """Carries a RequestInvalid through the logged-refusal path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems), "invalid_request")
        self.invalid = RequestInvalid(problems)


def is_request_purpose(uow: UnitOfWork, entry: PurposeInput) -> bool:
    """Whether ``entry`` is a recorded request's own purpose (its case, agency and text), as
    the analyst declares it to work on that request. The text is the requester's, so another
    analyst declaring it for the same request is not copying a colleague's narrative."""
    if str(entry.category) != PurposeCategory.AGENCY_REQUEST.value:
        return False
    text = " ".join(str(entry.narrative).split())
    agency = " ".join(str(entry.requesting_agency).split()).casefold()
    return any(name.casefold() == agency and " ".join(purpose.split()) == text
               for name, purpose in uow.sharing.request_purposes(str(entry.case_number)))


def _same_case(grant: Grant, request: SharingRequest) -> bool:
    p = grant.purpose.purpose if grant.purpose is not None else None
    return (p is not None and p.category is PurposeCategory.AGENCY_REQUEST
            and p.case_number.strip().upper() == request.case_number.strip().upper()
            and p.requesting_agency.casefold() == request.agency_name.casefold())
