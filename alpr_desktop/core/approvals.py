"""Requests for a custodian's approval of an account change (separation of duties).

An administrator cannot give the analyst or custodian role alone: the new account, the
re-enabled account or the role change waits as an AccountRequest until a custodian, a
different person from the administrator who asked, approves or rejects it with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alpr_desktop.core.roles import Role

MAX_REASON = 500


class RequestKind(StrEnum):
    CREATE = "create"  # a new account holding analyst or custodian
    ENABLE = "enable"  # re-enabling an account holding analyst or custodian
    ROLES = "roles"  # a role change adding analyst or custodian

    @property
    def label(self) -> str:
        return {
            RequestKind.CREATE: "New account",
            RequestKind.ENABLE: "Re-enable account",
            RequestKind.ROLES: "Role change",
        }[self]


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the account was disabled before a decision


def describe_roles(roles: frozenset[Role]) -> str:
    return ", ".join(r.label for r in sorted(roles)) or "no role"


@dataclass(frozen=True)
class AccountRequest:
    id: int
    kind: RequestKind
    user_id: int
    username: str
    full_name: str
    organization: str
    badge_number: str
    sworn: bool
    roles_from: frozenset[Role]
    roles_to: frozenset[Role]
    requested_by_id: int
    requested_by: str
    requested_ms: int
    decision: Decision | None = None
    decided_by: str = ""
    decided_ms: int | None = None
    reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.decision is None

    def change_text(self) -> str:
        """What would change, in words: for the custodian's list and the log."""
        if self.kind is RequestKind.ROLES:
            return f"{describe_roles(self.roles_from)} → {describe_roles(self.roles_to)}"
        return describe_roles(self.roles_to)


def check_reason(reason: str, *, required: bool) -> list[str]:
    text = reason.strip()
    if required and not text:
        return ["Give the reason for the decision; it is written to the access log."]
    if len(text) > MAX_REASON:
        return [f"The reason is longer than {MAX_REASON} characters."]
    return []
