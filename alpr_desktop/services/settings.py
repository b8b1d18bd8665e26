"""Security settings (DESIGN rule 9): idle lock and case-number formats, kept in the store,
changed only by an admin, every change logged."""

from __future__ import annotations

from collections.abc import Sequence

from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.purpose_rules import compile_case_formats
from alpr_desktop.core.purposes import CaseFormat
from alpr_desktop.core.roles import Action
from alpr_desktop.security import idle
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.security_settings import CASE_FORMATS, IDLE_LOCK_MINUTES
from alpr_desktop.storage.unit_of_work import UnitOfWork

IDLE_DEFAULT_MINUTES = idle.DEFAULT_MINUTES
IDLE_MIN_MINUTES = idle.MIN_MINUTES
IDLE_MAX_MINUTES = idle.MAX_MINUTES


def check_idle_minutes(minutes: object) -> int:
    """The idle lock as a whole number of minutes in range; ValueError with a sentence."""
    return idle.check_minutes(minutes)


class SettingRejected(AccessError):
    """A value outside what the rules allow; the message says which values are."""


class SecuritySettingsService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def idle_lock_minutes(self) -> int:
        return self.store.settings.idle_lock_minutes()

    def set_idle_lock_minutes(self, ctx: AccessContext, minutes: int) -> None:
        """Admin only; 1 to 30 minutes (CJIS 5.5.5). Raises SettingRejected."""
        grant = self._admin(ctx)
        try:
            minutes = idle.check_minutes(minutes)
        except ValueError as exc:
            raise SettingRejected(str(exc)) from None
        old = self.idle_lock_minutes()
        with self.store.transaction():
            self.store.settings.set_idle_lock_minutes(minutes)
            self._log(grant, IDLE_LOCK_MINUTES, old, minutes)

    def case_formats(self) -> tuple[CaseFormat, ...]:
        return self.store.settings.case_formats()

    def set_case_formats(self, ctx: AccessContext, formats: Sequence[CaseFormat]) -> None:
        """Admin only; each format must compile and not be overbroad (purpose_rules)."""
        grant = self._admin(ctx)
        formats = tuple(formats)
        try:
            compile_case_formats(formats)
        except ValueError as exc:
            raise SettingRejected(str(exc)) from None
        for f in formats:
            if not f.label.strip():
                raise SettingRejected("Every case-number format needs a label.")
        old = [f.pattern for f in self.case_formats()]
        with self.store.transaction():
            self.store.settings.set_case_formats(formats)
            self._log(grant, CASE_FORMATS, old, [f.pattern for f in formats])

    def _admin(self, ctx: AccessContext) -> Grant:
        return require(self.store, ctx, Action.MANAGE_SECURITY_SETTINGS, needs_purpose=False,
                       clock=self.clock)

    def _log(self, grant: Grant, key: str, old: object, new: object) -> None:
        log_event(
            self.store,
            LogEvent(
                "settings.changed", Outcome.OK, grant.account.username,
                organization=grant.account.organization, agency=grant.account.organization,
                detail={"key": key, "from": old, "to": new},
            ),
            self.clock,
        )
