"""The gate (DESIGN rule 3): nothing that returns reads, images or data derived from them runs
without a signed-in user whose role allows it and, for data, an active declared purpose.

``require`` checks an AccessContext against the store (not against what the context claims),
logs every refusal as "gate.refused" (with the query that was attempted, when a gated method
names it through ``gated(..., attempted=...)``: a refused search is on record with its
pattern, mode and filters), and raises a typed AccessError. ``gated`` wraps a service
method: it calls ``require``, runs the method in one transaction with a Grant instead of the
context, and refuses to return results unless the method logged its access in that
transaction (no log entry, no results). Every gated method is listed in GATED_METHODS so a test
can prove each one refuses and logs.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from alpr_desktop.core.access_errors import (
    AccessError,
    NotAuthorized,
    NotSignedIn,
    PasswordChangeRequired,
    PurposeRequired,
)
from alpr_desktop.core.accounts import (
    AccessContext,
    Account,
    ActivePurpose,
    DataWindow,
    Session,
    WrittenPermission,
)
from alpr_desktop.core.audit_log import LogEntry, LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import (
    DATA_ACTIONS,
    Action,
    Entitlement,
    effective_roles,
    entitlement,
)
from alpr_desktop.services import sessions
from alpr_desktop.services.audit import log_event, workstation_id
from alpr_desktop.services.training_gate import training_refusal
from alpr_desktop.storage.unit_of_work import UnitOfWork

ANONYMOUS_USER = "(not signed in)"
# The query a gated call was asked, for its refusal's entry (set by ``gated`` around the check,
# per thread and task, so that ``require`` itself needs no extra argument).
# How to describe the query a refusal logs: evaluated only on a refusal (a granted call, the
# common case, never builds the description).
_ATTEMPTED: ContextVar[Callable[[], dict[str, Any]] | None] = ContextVar(
    "attempted_query", default=None)
E = TypeVar("E", bound=Exception)


@dataclass(frozen=True)
class Grant:
    """What the gate verified: hand it to the work, which logs through it."""

    store: UnitOfWork
    clock: Clock
    action: Action
    session: Session
    account: Account
    purpose: ActivePurpose | None = None
    permission: WrittenPermission | None = None
    _logged: list[int] = field(default_factory=list, repr=False, compare=False)

    @property
    def window(self) -> DataWindow | None:
        """The recorded-at window the data is limited to (a contractor's permission)."""
        return self.permission.window if self.permission else None

    @property
    def logged(self) -> int:
        return len(self._logged)

    def purpose_dict(self) -> dict[str, Any]:
        if self.purpose is None:
            return {}
        d: dict[str, Any] = dict(self.purpose.purpose.as_log_dict())
        if self.permission is not None:
            d["written_permission"] = self.permission.reference
        return d

    def log(
        self,
        event: str,
        *,
        query: dict[str, Any],
        result_count: int | None = None,
        detail: dict[str, Any] | None = None,
        outcome: str = Outcome.OK,
    ) -> LogEntry:
        """Append the access entry with the policy's five elements: date (stamped), agency,
        query elements, username and organization, purpose."""
        info: dict[str, Any] = {"action": self.action.value, **(detail or {})}
        if self.purpose is not None:
            info["purpose_id"] = self.purpose.id
        if self.permission is not None:
            info["permission_reference"] = self.permission.reference
            info["permission_id"] = self.permission.id
            info["data_window"] = self.permission.window.as_dict()
        entry = log_event(
            self.store,
            LogEvent(
                event, outcome, self.account.username,
                organization=self.account.organization, agency=self.account.organization,
                workstation=workstation_id(), purpose=self.purpose_dict(), query=query,
                result_count=result_count, detail=info,
            ),
            self.clock,
        )
        self._logged.append(entry.seq)
        return entry


def _refuse(
    store: UnitOfWork,
    clock: Clock,
    ctx: AccessContext | None,
    action: Action,
    error: E,
    reason: str,
    account: Account | None = None,
) -> E:
    """Log the refusal in its own transaction (it must outlive the exception) and return the
    error for the caller to raise."""
    session = ctx.session if ctx is not None else None
    username = account.username if account else (session.username if session else "")
    organization = account.organization if account else (session.organization if session else "")
    purpose = ctx.purpose.purpose.as_log_dict() if ctx and ctx.purpose else {}
    log_event(
        store,
        LogEvent(
            "gate.refused", Outcome.REFUSED, username or ANONYMOUS_USER,
            organization=organization, agency=organization, purpose=purpose,
            query={**_attempted_query(), "action": action.value},
            detail={"action": action.value, "reason": reason, "message": str(error)},
        ),
        clock,
    )
    return error


def require(
    store: UnitOfWork,
    ctx: AccessContext | None,
    action: Action,
    *,
    needs_purpose: bool | None = None,
    clock: Clock | None = None,
) -> Grant:
    """Check ``ctx`` for ``action`` against the store; log and raise on any refusal.

    ``needs_purpose`` defaults to True for actions on reads and images. Call it outside any
    open transaction: a refusal's log entry must not roll back with the caller's work."""
    clock = clock or SystemClock()
    if needs_purpose is None:
        needs_purpose = action in DATA_ACTIONS
    session = ctx.session if ctx is not None else None
    try:
        state = sessions.live_state(store, clock, session)
    except NotSignedIn as exc:
        raise _refuse(store, clock, ctx, action, exc, "not_signed_in") from None
    account = store.accounts.get_by_id(state.session.user_id)
    err: AccessError
    if account is None or not account.active:
        err = NotAuthorized("This account is disabled.")
        raise _refuse(store, clock, ctx, action, err, "account_disabled", account)
    if account.must_change_password:
        raise _refuse(store, clock, ctx, action, PasswordChangeRequired(),
                      "password_change_required", account)
    roles = effective_roles(account)
    held = entitlement(roles, action)
    if held is None:
        raise _refuse(store, clock, ctx, action, NotAuthorized(), "role", account)
    untrained = training_refusal(store, account, action, clock.now_ms())
    if untrained is not None:
        raise _refuse(store, clock, ctx, action, untrained, "training", account)
    now = clock.now_ms()
    permission: WrittenPermission | None = None
    if held is Entitlement.WITH_WRITTEN_PERMISSION:
        permission = _active_permission(store, ctx, account, now, linked=needs_purpose)
        if permission is None:
            err = NotAuthorized(
                "A contractor may access data only under an active written permission "
                "from the City (policy §2)."
            )
            raise _refuse(store, clock, ctx, action, err, "no_written_permission", account)
    purpose: ActivePurpose | None = None
    if needs_purpose:
        purpose = ctx.purpose if ctx is not None else None
        current = store.purposes.open_for(account.id or 0)
        if purpose is None or current is None or current.id != purpose.id:
            raise _refuse(store, clock, ctx, action, PurposeRequired(), "no_purpose", account)
        if permission is not None and current.permission_id != permission.id:
            not_under = PurposeRequired(
                "Declare a purpose under your written permission before accessing data."
            )
            raise _refuse(store, clock, ctx, action, not_under, "purpose_not_under_permission",
                          account)
        purpose = current
    sessions.touch(store, clock, state.session)
    return Grant(store, clock, action, state.session, account, purpose, permission)


def _active_permission(
    store: UnitOfWork, ctx: AccessContext | None, account: Account, now_ms: int, *, linked: bool
) -> WrittenPermission | None:
    """The contractor's active permission for this access. Data access (``linked``) is
    covered only by the permission the open purpose was declared under; anything else (such
    as declaring a purpose) by the one the context names, or else any active one."""
    repo = store.permissions
    candidate: WrittenPermission | None = None
    if linked:
        purpose = store.purposes.open_for(account.id or 0)
        if purpose is not None and purpose.permission_id is not None:
            candidate = repo.get(purpose.permission_id)
    elif ctx is not None and ctx.permission is not None:
        candidate = repo.get(ctx.permission.id)
    else:
        active = repo.active_for(account.id or 0, now_ms)
        candidate = active[0] if active else None
    if candidate is None or candidate.contractor_user_id != account.id:
        return None
    return candidate if candidate.is_active(now_ms) else None


def refuse_outside_window(grant: Grant, recorded_at: int, what: str) -> None:
    """Refuse (inside a gated method) data recorded outside the contractor's permission
    window: the work rolls back and ``gated`` logs the refusal like any other."""
    if grant.window is not None and not grant.window.contains(recorded_at):
        raise OutsidePermission(what)


def refuse_window_outside(grant: Grant, since: int | None, until: int | None) -> None:
    """Refuse a contractor's search whose asked-for period reaches outside the permission's
    data window (issue 21): answering it with the reads of the overlap, or with none, would
    log an "ok" for a question the permission does not allow. An open end is the window's."""
    w = grant.window
    if w is None:
        return
    if (since is not None and since < w.start) or (until is not None and until > w.end):
        raise OutsidePermission("search period", reaches=True, window=w)


class OutsidePermission(NotAuthorized):
    refusal_reason = "outside_permission_window"

    def __init__(self, what: str, *, reaches: bool = False,
                 window: DataWindow | None = None) -> None:
        if not reaches:
            super().__init__(
                f"The {what} lies outside the data dates your written permission covers.")
            return
        dates = ""
        if window is not None:
            dates = (f" ({_utc_day(window.start)} to {_utc_day(window.end)}, UTC)")
        super().__init__(
            f"The {what} reaches outside the data dates your written permission covers"
            f"{dates}. Search within those dates.")


def _utc_day(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d")


# -- the gated decorator ------------------------------------------------------------------------

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class GatedSpec:
    qualname: str
    action: Action
    needs_purpose: bool


GATED_METHODS: dict[str, GatedSpec] = {}
Attempted = Callable[..., dict[str, Any]]


@contextmanager
def _attempting(attempted: Attempted | None, args: tuple, kwargs: dict) -> Iterator[None]:
    """Make the attempted query (``attempted(*args, **kwargs)``) the one a refusal logs,
    described only if a refusal asks for it. Input too broken to describe is logged as
    such: a description never turns a refusal into a crash."""
    if attempted is None:
        yield
        return

    def describe() -> dict[str, Any]:
        try:
            return attempted(*args, **kwargs)
        except Exception as exc:
            return {"undescribed": type(exc).__name__}

    token = _ATTEMPTED.set(describe)
    try:
        yield
    finally:
        _ATTEMPTED.reset(token)


def _attempted_query() -> dict[str, Any]:
    describe = _ATTEMPTED.get()
    return describe() if describe is not None else {}


class NotLogged(RuntimeError):
    """A gated method tried to return without logging its access: a programming error."""


_Body = Callable[Concatenate[Any, "Grant", P], R]
_Gated = Callable[Concatenate[Any, AccessContext, P], R]


def gated(
    action: Action, *, needs_purpose: bool = True, attempted: Attempted | None = None
) -> Callable[[_Body[P, R]], _Gated[P, R]]:
    """Gate a service method ``def m(self, grant: Grant, ...)`` into ``m(self, ctx, ...)``.

    The service must have ``store`` and ``clock`` attributes. The body runs in one
    transaction and must log through ``grant.log``; results leave only after the commit.
    ``attempted(*args, **kwargs)`` (the method's arguments after the context) describes the
    query for the entry of a refusal."""

    def decorate(fn: _Body[P, R]) -> _Gated[P, R]:
        spec = GatedSpec(f"{fn.__module__}.{fn.__qualname__}", action, needs_purpose)

        @functools.wraps(fn)
        def wrapper(self: Any, ctx: AccessContext, *args: P.args, **kwargs: P.kwargs) -> R:
            store: UnitOfWork = self.store
            clock: Clock = self.clock
            with _attempting(attempted, args, kwargs):
                grant = require(store, ctx, action, needs_purpose=needs_purpose, clock=clock)
            try:
                with store.transaction():
                    result = fn(self, grant, *args, **kwargs)
                    if not grant.logged:
                        raise NotLogged(f"{spec.qualname} returned without logging its access")
            except Exception as exc:
                # Refusals found by the work itself (outside the permission's dates, a
                # pattern too broad) are logged like the gate's own, with the attempt.
                reason = getattr(exc, "refusal_reason", None)
                if not isinstance(reason, str):
                    raise
                with _attempting(attempted, args, kwargs):
                    raise _refuse(store, clock, ctx, action, exc, reason,
                                  grant.account) from None
            return result

        wrapper.__gated__ = spec  # type: ignore[attr-defined]
        GATED_METHODS[spec.qualname] = spec
        return wrapper

    return decorate


def load_service_modules() -> None:
    """Import every services module so that GATED_METHODS is complete."""
    import alpr_desktop.services as pkg

    for info in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + "."):
        importlib.import_module(info.name)
