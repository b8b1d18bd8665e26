"""Accounts, sessions, written permissions and the AccessContext passed to every service.

These dataclasses cross layers (storage → services → gui/cli) and carry no password hash: the
hash lives only in storage's internal record, so the GUI can never display or leak it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from alpr_desktop.core.roles import Role

if TYPE_CHECKING:
    from alpr_desktop.core.purposes import Purpose


@dataclass(frozen=True)
class Account:
    """A person who may sign in. ``roles`` are the roles held; see roles.effective_roles."""

    id: int | None
    username: str
    full_name: str
    organization: str
    badge_number: str = ""
    sworn: bool = False
    roles: frozenset[Role] = field(default_factory=frozenset)
    active: bool = True
    must_change_password: bool = False
    failed_attempts: int = 0
    locked_until_ms: int | None = None
    last_sign_in_ms: int | None = None
    created_ms: int = 0
    updated_ms: int = 0
    pending: str = ""  # kind of the open approval request: "create", "enable", "roles" or ""

    def is_locked(self, now_ms: int) -> bool:
        return self.locked_until_ms is not None and now_ms < self.locked_until_ms

    def summary(self) -> dict[str, object]:
        """The fields an admin may change, for the log's before/after record."""
        return {
            "full_name": self.full_name,
            "organization": self.organization,
            "badge_number": self.badge_number,
            "sworn": self.sworn,
            "roles": sorted(str(r) for r in self.roles),
            "active": self.active,
        }


@dataclass(frozen=True)
class Session:
    """One signed-in user at this workstation; ``token`` identifies it to the gate."""

    token: str
    user_id: int
    username: str
    full_name: str
    organization: str
    roles: frozenset[Role]
    started_ms: int
    must_change_password: bool = False


@dataclass(frozen=True)
class DataWindow:
    """Recorded-at bounds (UTC seconds, inclusive) a contractor's permission allows."""

    start: int
    end: int

    def contains(self, recorded_at: int) -> bool:
        return self.start <= recorded_at <= self.end

    def as_dict(self) -> dict[str, int]:
        return {"from": self.start, "to": self.end}


@dataclass(frozen=True)
class WrittenPermission:
    """The City's written permission for a contractor to access data (policy §2)."""

    id: int
    reference: str  # the document's reference, carried on every access it allows
    contractor_user_id: int
    contractor_username: str
    purpose: str  # what it covers, in the document's words
    window: DataWindow
    expires_ms: int
    granted_by: str
    granted_ms: int
    case_number: str = ""  # when set, declared purposes must carry this case number
    revoked_ms: int | None = None
    revoked_by: str | None = None
    revoke_reason: str = ""

    def is_active(self, now_ms: int) -> bool:
        return self.revoked_ms is None and self.granted_ms <= now_ms < self.expires_ms


@dataclass(frozen=True)
class ActivePurpose:
    """A declared purpose as stored: which user declared it, when, and under what permission."""

    id: int
    user_id: int
    purpose: Purpose
    declared_ms: int
    ended_ms: int | None = None
    ended_reason: str = ""
    permission_id: int | None = None


@dataclass(frozen=True)
class AccessContext:
    """Who is asking and why: built by AuthService.context() and passed to every service.

    The gate checks each part against the store again (session live, account active, purpose
    not ended, permission not expired), so a stale or hand-made context gains nothing."""

    session: Session | None = None
    purpose: ActivePurpose | None = None
    permission: WrittenPermission | None = None

    @property
    def username(self) -> str:
        return self.session.username if self.session else ""


ANONYMOUS = AccessContext()
