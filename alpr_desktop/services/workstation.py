"""The services as the GUI holds them: an open store it cannot look inside, and the services
on one worker connection.

DESIGN rule 2 says the GUI calls services and nothing below. The GUI therefore never holds a
connection: it keeps an :class:`OpenStore` (the store's identity, read once on the worker that
opened it) and asks for a :class:`ServiceSet` on a fresh connection inside each worker task
(rule 7: each worker uses its own connection). What the GUI thread itself may do without a
query (note user input for the idle lock, compute the time left) is here too, on the cached
identity, so that no keystroke reaches the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from alpr_desktop.core.accounts import Session
from alpr_desktop.core.clock import Clock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.services import sessions, witness
from alpr_desktop.services.account_hygiene import HygieneService
from alpr_desktop.services.accounts import AccountService
from alpr_desktop.services.approvals import ApprovalService
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.case_file import CaseFileService
from alpr_desktop.services.checkpoints import CheckpointService
from alpr_desktop.services.corrections import CorrectionService
from alpr_desktop.services.evidence_package import EvidencePackageService
from alpr_desktop.services.holds import HoldService
from alpr_desktop.services.images import ImageService
from alpr_desktop.services.imports import ImportService
from alpr_desktop.services.incidents import IncidentService
from alpr_desktop.services.investigator_views import InvestigatorViewsService
from alpr_desktop.services.keyslots import KeySlotService
from alpr_desktop.services.location_analysis import LocationAnalysisService
from alpr_desktop.services.log_archive import LogArchiveService
from alpr_desktop.services.maintenance import MaintenanceService
from alpr_desktop.services.oversight_service import OversightService
from alpr_desktop.services.permissions import PermissionService
from alpr_desktop.services.purge_watch import PurgeWatchService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.services.review_extract_import import ReviewerLogImportService
from alpr_desktop.services.search import SearchService
from alpr_desktop.services.search_index import SearchIndexService
from alpr_desktop.services.settings import SecuritySettingsService
from alpr_desktop.services.sharing import SharingService
from alpr_desktop.services.sharing_release import SharingReleaseService
from alpr_desktop.services.store_format import StoreFormatService
from alpr_desktop.services.training import TrainingService
from alpr_desktop.services.transparency import TransparencyService
from alpr_desktop.services.travel_analysis import TravelAnalysisService
from alpr_desktop.storage.unit_of_work import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True)
class StoreDescription:
    """What a window may show about an open store: identity only, never its data."""

    path: Path
    store_id: str
    schema_version: int
    created_ms: int | None
    is_demo: bool
    witness_warning: str = ""  # set when the log was rolled back or rewritten since last seen
    needs_first_admin: bool = False  # no accounts yet: the first-run dialog comes first
  # set when the log was rolled back or rewritten since last seen


def _describe(store: UnitOfWork) -> StoreDescription:
    created = store.settings.get("created_ms")
    return StoreDescription(
        path=Path(store.location),
        store_id=store.store_id,
        schema_version=store.schema_version(),
        created_ms=int(created) if created and created.isdigit() else None,
        is_demo=store.is_demo,
        needs_first_admin=AuthService(store).needs_first_admin(),
    )


class OpenStore:
    """An open store, opaque to the GUI: its description, worker connections, closing.

    Build it on the thread that opened the store (``adopt`` reads the description)."""

    def __init__(self, store: UnitOfWork, description: StoreDescription) -> None:
        self._store = store
        self.description = description

    @classmethod
    def adopt(cls, store: UnitOfWork) -> OpenStore:
        """Wrap a store opened by a service; reads its identity (a query: not on the GUI
        thread, except in test set-up)."""
        return cls(store, _describe(store))

    @property
    def store_id(self) -> str:
        return self.description.store_id

    @property
    def path(self) -> Path:
        return self.description.path

    def with_warning(self, warning: str) -> OpenStore:
        return OpenStore(self._store, replace(self.description, witness_warning=warning))

    def services(self, clock: Clock) -> ServiceSet:
        """The services on a new connection; the caller closes it (``ServiceSet.close``)."""
        return ServiceSet.on(self._store.reopen(), clock)

    def close(self) -> None:
        self._store.close()


@dataclass
class ServiceSet:
    """Every service the GUI uses, on one connection; built inside a worker for one task."""

    auth: AuthService
    accounts: AccountService
    purposes: PurposeService
    permissions: PermissionService
    settings: SecuritySettingsService
    search: SearchService
    images: ImageService
    approvals: ApprovalService
    audit: AuditService
    imports: ImportService
    checkpoints: CheckpointService
    keyslots: KeySlotService
    retention: RetentionService
    holds: HoldService
    training: TrainingService
    hygiene: HygieneService
    incidents: IncidentService
    transparency: TransparencyService
    oversight: OversightService
    clock: Clock
    _store: UnitOfWork

    @classmethod
    def on(cls, store: UnitOfWork, clock: Clock) -> ServiceSet:
        return cls(
            AuthService(store, clock), AccountService(store, clock), PurposeService(store, clock),
            PermissionService(store, clock), SecuritySettingsService(store, clock),
            SearchService(store, clock), ImageService(store, clock),
            ApprovalService(store, clock), AuditService(store, clock),
            ImportService(store, clock), CheckpointService(store, clock),
            KeySlotService(store, clock), RetentionService(store, clock),
            HoldService(store, clock), TrainingService(store, clock),
            HygieneService(store, clock), IncidentService(store, clock),
            TransparencyService(store, clock), OversightService(store, clock), clock, store,
        )

    @property
    def reviewer_logs(self) -> ReviewerLogImportService:
        """Reviewer logs of offline review extracts, imported by the custodian (issue 15)."""
        return ReviewerLogImportService(self._store, self.clock)

    @property
    def maintenance(self) -> MaintenanceService:
        """The maintenance log and health signals (issue 16)."""
        return MaintenanceService(self._store, self.clock)

    @property
    def corrections(self) -> CorrectionService:
        """Corrections of misreads (issue 16)."""
        return CorrectionService(self._store, self.clock)

    @property
    def purge_watch(self) -> PurgeWatchService:
        """Purges by other processes, noticed by the open program (issue 14)."""
        return PurgeWatchService(self._store, self.clock)

    @property
    def search_index(self) -> SearchIndexService:
        """The recent reads' postings for broad searches, kept after imports (issue 20)."""
        return SearchIndexService(self._store, self.clock)

    def interrupt(self) -> None:
        """Stop the statement running on this connection (from any thread): it raises in
        the thread that runs it."""
        self._store.interrupt()

    def close(self) -> None:
        self._store.close()

    @property
    def sharing(self) -> SharingService:
        """Agencies and requests (issue 15), on this set's connection."""
        return SharingService(self._store, self.clock)

    @property
    def evidence_packages(self) -> EvidencePackageService:
        return EvidencePackageService(self._store, self.clock)

    @property
    def sharing_releases(self) -> SharingReleaseService:
        """Review extracts that answer approved requests (issue 15)."""
        return SharingReleaseService(self._store, self.clock)

    @property
    def views(self) -> InvestigatorViewsService:
        """Plate profile, map sightings, description search, "My searches" (issue 13)."""
        return InvestigatorViewsService(self._store, self.clock)

    @property
    def case_files(self) -> CaseFileService:
        """The analyst's case file (issue 13)."""
        return CaseFileService(self._store, self.clock)

    @property
    def places(self) -> LocationAnalysisService:
        """Location search (stakeout) and common plates (issue 19)."""
        return LocationAnalysisService(self._store, self.clock)

    @property
    def log_archive(self) -> LogArchiveService:
        """The access log's own retention (issue 14)."""
        return LogArchiveService(self._store, self.clock)

    @property
    def store_format(self) -> StoreFormatService:
        """The store file's format, and its conversion to today's (issue 20)."""
        return StoreFormatService(self._store, self.clock)

    @property
    def travel(self) -> TravelAnalysisService:
        """Co-travel, locate and the cloned-plate check (issue 19)."""
        return TravelAnalysisService(self._store, self.clock)


@contextmanager
def services_for(handle: OpenStore, clock: Clock) -> Iterator[ServiceSet]:
    """The services on a connection of their own for the length of a ``with`` block."""
    services = handle.services(clock)
    try:
        yield services
    finally:
        services.close()


class DedicatedServices:
    """One connection and one ServiceSet kept across calls, used by one worker at a time.

    For services that remember between calls: the audit listing logs a listing's first page
    and knows later pages by remembering the last one; sign-in imitates the lockout of unknown
    names for as long as the program runs."""

    def __init__(self, handle: OpenStore, clock: Clock, *, run_after_close: bool = False) -> None:
        self._handle, self._clock = handle, clock
        self._lock = threading.Lock()
        self._services: ServiceSet | None = None
        self._closed = False
        # A write queued before the close but run after it (a sign-out's log entry racing the
        # close on another worker) must still happen: on a connection of its own, then.
        self._run_after_close = run_after_close

    def call(self, fn: Callable[[ServiceSet], T]) -> T:
        with self._lock:
            if self._closed:
                if not self._run_after_close:
                    raise Cancelled("the connection was closed")
                with services_for(self._handle, self._clock) as once:
                    return fn(once)
            if self._services is None:
                self._services = self._handle.services(self._clock)
            return fn(self._services)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._services is not None:
                self._services.close()
            self._services = None


# -- the GUI thread's share: memory only, no query ---------------------------------------------
def note_input(handle: OpenStore, clock: Clock, session: Session) -> None:
    """User input (keys, clicks) for the idle lock; from then on only input counts as
    activity for this session. Touches the in-memory session registry only."""
    if sessions.REGISTRY.live(handle.store_id, session) is not None:
        sessions.REGISTRY.update(handle.store_id, session.token,
                                 last_activity_ms=clock.now_ms(), input_driven=True)


def is_live(handle: OpenStore, session: Session) -> bool:
    """Whether ``session`` is still the live, unlocked session of this store (memory only)."""
    st = sessions.REGISTRY.live(handle.store_id, session)
    return st is not None and not st.locked


def lock_now(handle: OpenStore, session: Session) -> bool:
    """Lock ``session`` in memory at once, so the gate refuses it from this moment; True for
    the one caller that locked it, which then logs it on a worker (``log_locked``)."""
    return sessions.REGISTRY.lock(handle.store_id, session.token)


def end_now(handle: OpenStore, session: Session) -> bool:
    """End ``session`` in memory at once (sign-out); True when it was live, and then the
    caller ends its purpose and logs it on a worker (``log_signed_out``)."""
    live = sessions.REGISTRY.live(handle.store_id, session) is not None
    sessions.REGISTRY.end(handle.store_id, session.token)
    return live


# -- worker functions ----------------------------------------------------------------------------
@dataclass(frozen=True)
class IdleCheck:
    """The idle lock's answer on a worker: locked now, or how long is left."""

    locked: bool
    ms_left: int | None


def check_idle(services: ServiceSet, session: Session) -> IdleCheck:
    """Lock the session when idle too long (logged), else say how long is left."""
    if services.auth.check_idle(session):
        return IdleCheck(True, None)
    return IdleCheck(False, services.auth.idle_ms_left(session))


def log_locked(services: ServiceSet, session: Session, reason: str) -> None:
    """The log entry of a lock already made by ``lock_now``."""
    store = services._store
    with store.transaction():
        log_event(store, sessions.session_event(session, "session.locked", reason=reason),
                  services.clock)


def log_signed_out(services: ServiceSet, session: Session) -> None:
    """End the purpose of a session ended by ``end_now`` and log the sign-out."""
    sessions.close_session(services._store, services.clock, session, "signout", "signed_out")


def check_witness_on_open(handle: OpenStore) -> OpenStore:
    """Hold the opened store's log against this workstation's witness (logs a rollback); the
    handle comes back with the warning to show, if any."""
    report = witness.check_on_open(handle._store)
    return handle.with_warning(report.message) if report.warning else handle


def advance_witness(handle: OpenStore) -> bool:
    """Move the witness on, on a worker with its own connection."""
    conn = handle._store.reopen()
    try:
        return witness.advance(conn)
    finally:
        conn.close()
