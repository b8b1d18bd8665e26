"""Who is signed in at this workstation, and the steps shared by sign-out, session lock and
the gate's idle lock.

One workstation process has one session per store: another user signing in ends the first
(issue "Access"). The registry is keyed by the store's id, not by a connection, so worker
threads that reopen the store see the same session. Sessions are in memory on purpose: a
restart signs everyone out (account lockout, which must survive a restart, is in the store).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from alpr_desktop.core.access_errors import NotSignedIn, SessionLocked
from alpr_desktop.core.accounts import AccessContext, Account, ActivePurpose, Session
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock
from alpr_desktop.core.roles import Role
from alpr_desktop.security import idle
from alpr_desktop.services.audit import log_event
from alpr_desktop.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SessionState:
    """One live session's state. Frozen: the registry replaces it whole, so it can hand out
    the object itself (the gate asks twice per call) instead of a copy."""

    session: Session
    last_activity_ms: int
    locked: bool = False
    # The GUI reports input events itself (AuthService.touch): from then on only those count
    # as activity, not its background work (issue 10 §4). A CLI command has no input events:
    # there each service call is the user's action.
    input_driven: bool = False


class SessionRegistry:
    """Thread-safe map of store id → the one live session on it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_store: dict[str, SessionState] = {}

    def current(self, store_id: str) -> SessionState | None:
        with self._lock:
            return self._by_store.get(store_id)

    def live(self, store_id: str, session: Session | None) -> SessionState | None:
        """The state when ``session`` is the live session of this store, else None."""
        if session is None:
            return None
        st = self.current(store_id)
        return st if st is not None and st.session.token == session.token else None

    def start(self, store_id: str, session: Session, now_ms: int) -> None:
        with self._lock:
            self._by_store[store_id] = SessionState(session, now_ms)

    def end(self, store_id: str, token: str) -> None:
        with self._lock:
            st = self._by_store.get(store_id)
            if st is not None and st.session.token == token:
                del self._by_store[store_id]

    def lock(self, store_id: str, token: str) -> bool:
        """Mark the session locked; True only for the one caller that locked it (two workers
        finding it idle at once must not both log the lock)."""
        with self._lock:
            st = self._by_store.get(store_id)
            if st is None or st.session.token != token or st.locked:
                return False
            self._by_store[store_id] = replace(st, locked=True)
            return True

    def update(self, store_id: str, token: str, **changes: object) -> None:
        with self._lock:
            st = self._by_store.get(store_id)
            if st is not None and st.session.token == token:
                self._by_store[store_id] = replace(st, **changes)  # type: ignore[arg-type]


REGISTRY = SessionRegistry()


def session_event(
    session: Session, event: str, outcome: str = Outcome.OK, **detail: object
) -> LogEvent:
    return LogEvent(
        event, outcome, session.username, organization=session.organization,
        agency=session.organization, detail=dict(detail),
    )


def end_open_purpose(
    store: UnitOfWork, clock: Clock, who: Session | Account, reason: str
) -> ActivePurpose | None:
    """End the user's open purpose (if any) and log it; joins the caller's transaction."""
    user_id = who.user_id if isinstance(who, Session) else who.id
    if user_id is None:
        return None
    with store.transaction():
        ended = store.purposes.end_open(user_id, reason, clock.now_ms())
        if ended is not None:
            log_event(
                store,
                LogEvent(
                    "purpose.ended", Outcome.OK, who.username,
                    organization=who.organization, agency=who.organization,
                    purpose=ended.purpose.as_log_dict(),
                    detail={"purpose_id": ended.id, "reason": reason},
                ),
                clock,
            )
    return ended


def close_session(
    store: UnitOfWork, clock: Clock, session: Session, event: str, reason: str
) -> None:
    """Sign ``session`` out: end its purpose, log ``event``, forget it.

    The session is forgotten even when the log cannot be written (LogUnavailable is raised
    after): refusing to sign out would leave data reachable, which the log is there to stop."""
    try:
        with store.transaction():
            end_open_purpose(store, clock, session, reason)
            log_event(store, session_event(session, event, reason=reason), clock)
    finally:
        REGISTRY.end(store.store_id, session.token)


def lock_session(store: UnitOfWork, clock: Clock, session: Session, reason: str) -> None:
    """Lock ``session`` (manual or idle); unlocking needs the same user's password. The
    purpose stays declared (nothing can use it while locked: the gate refuses a locked
    session) and ends with sign-out, another user's sign-in or the user ending it."""
    if not REGISTRY.lock(store.store_id, session.token):
        return
    with store.transaction():
        log_event(store, session_event(session, "session.locked", reason=reason), clock)


def live_state(store: UnitOfWork, clock: Clock, session: Session | None) -> SessionState:
    """The live, unlocked state of ``session``; locks it first when idle too long.

    Raises NotSignedIn (no such live session) or SessionLocked."""
    st = REGISTRY.live(store.store_id, session)
    if st is None or session is None:
        raise NotSignedIn()
    if st.locked:
        raise SessionLocked()
    now = clock.now_ms()
    if idle.is_idle(st.last_activity_ms, now, store.settings.idle_lock_minutes()):
        lock_session(store, clock, session, "idle")
        raise SessionLocked("The session locked after inactivity; enter your password.")
    return st


def touch(store: UnitOfWork, clock: Clock, session: Session, *, user_input: bool = False) -> None:
    """Activity for the idle lock. ``user_input`` (the GUI's input events) also marks the
    session as input-driven, after which service calls alone no longer count."""
    if user_input:
        REGISTRY.update(store.store_id, session.token, last_activity_ms=clock.now_ms(),
                        input_driven=True)
        return
    st = REGISTRY.live(store.store_id, session)
    if st is not None and not st.input_driven:
        REGISTRY.update(store.store_id, session.token, last_activity_ms=clock.now_ms())


def idle_ms_left(store: UnitOfWork, clock: Clock, session: Session) -> int | None:
    """Milliseconds until the idle lock, or None when the session is not live and unlocked."""
    st = REGISTRY.live(store.store_id, session)
    if st is None or st.locked:
        return None
    limit = store.settings.idle_lock_minutes() * 60_000
    return st.last_activity_ms + limit - clock.now_ms()


def build_context(store: UnitOfWork, clock: Clock, session: Session | None) -> AccessContext:
    """The AccessContext of a live session: its open purpose and, for a contractor, the
    written permission that purpose was declared under (or the first active one)."""
    st = live_state(store, clock, session)
    s = st.session
    purpose = store.purposes.open_for(s.user_id)
    permission = None
    if Role.CONTRACTOR in s.roles:
        repo = store.permissions
        if purpose is not None and purpose.permission_id is not None:
            permission = repo.get(purpose.permission_id)
        else:
            active = repo.active_for(s.user_id, clock.now_ms())
            permission = active[0] if active else None
    touch(store, clock, s)
    return AccessContext(session=s, purpose=purpose, permission=permission)
