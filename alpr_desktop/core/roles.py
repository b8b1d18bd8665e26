"""Roles, the actions they allow, and the invariants an account must keep (policy §2, §6).

The matrix is enforced by the gate in services/, never only by the GUI. A contractor's search
and image rights are conditional: they exist only under an active written permission from the
City (policy §2), which the gate checks separately.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum, StrEnum
from typing import Protocol


class Role(StrEnum):
    ANALYST = "analyst"  # sworn LASD officer: searches reads, views images, exports evidence
    CUSTODIAN = "custodian"  # Assistant City Manager or designee: audit, permissions
    CONTRACTOR = "contractor"  # maintains the system; data only under written permission
    ADMIN = "admin"  # accounts and security settings; no data

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]

    @classmethod
    def parse_many(cls, values: Iterable[str | Role]) -> frozenset[Role]:
        """Roles from their names; ValueError names the first unknown one."""
        out = set()
        for v in values:
            try:
                out.add(cls(str(v).strip().lower()))
            except ValueError:
                raise ValueError(f"unknown role {v!r}") from None
        return frozenset(out)


_ROLE_LABELS = {
    Role.ANALYST: "Analyst (sworn officer)",
    Role.CUSTODIAN: "Custodian (City)",
    Role.CONTRACTOR: "Contractor (maintenance)",
    Role.ADMIN: "Administrator",
}


class Action(Enum):
    SEARCH_READS = "search_reads"
    VIEW_IMAGES = "view_images"
    EXPORT_EVIDENCE = "export_evidence"
    CORRECT_READS = "correct_reads"
    DECLARE_PURPOSE = "declare_purpose"
    READ_AUDIT_LOG = "read_audit_log"
    PRINT_AUDIT_REPORT = "print_audit_report"
    RECORD_PERMISSION = "record_permission"
    REVIEW_RETENTION = "review_retention"
    RECORD_INCIDENT = "record_incident"
    RECORD_MAINTENANCE = "record_maintenance"
    VIEW_MAINTENANCE = "view_maintenance"
    IMPORT_DATA = "import_data"
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_SECURITY_SETTINGS = "manage_security_settings"
    APPROVE_ACCOUNTS = "approve_accounts"
    REQUEST_HOLD = "request_hold"  # ask that reads be kept past retention as evidence
    REVIEW_OVERSIGHT = "review_oversight"  # oversight settings, findings marked reviewed
    MANAGE_AGENCIES = "manage_agencies"  # the registry of agencies that may receive data
    RECORD_SHARING_REQUEST = "record_sharing_request"  # another agency's request, as received
    VIEW_SHARING_REQUESTS = "view_sharing_requests"
    APPROVE_DISCLOSURE = "approve_disclosure"  # a response to a request, before it leaves


class Entitlement(Enum):
    """How a role holds an action: outright, or only under a written permission."""

    ALWAYS = "always"
    WITH_WRITTEN_PERMISSION = "with_written_permission"


_A, _W = Entitlement.ALWAYS, Entitlement.WITH_WRITTEN_PERMISSION

# The permission matrix. An action absent from a role's row is refused.
MATRIX: dict[Role, dict[Action, Entitlement]] = {
    Role.ANALYST: {
        Action.SEARCH_READS: _A,
        Action.VIEW_IMAGES: _A,
        Action.EXPORT_EVIDENCE: _A,
        Action.CORRECT_READS: _A,
        Action.DECLARE_PURPOSE: _A,
        Action.REQUEST_HOLD: _A,
        Action.RECORD_SHARING_REQUEST: _A,
        Action.VIEW_SHARING_REQUESTS: _A,
    },
    Role.CUSTODIAN: {
        Action.READ_AUDIT_LOG: _A,
        Action.PRINT_AUDIT_REPORT: _A,
        Action.RECORD_PERMISSION: _A,
        Action.REVIEW_RETENTION: _A,
        Action.RECORD_INCIDENT: _A,
        Action.VIEW_MAINTENANCE: _A,
        Action.APPROVE_ACCOUNTS: _A,
        Action.REVIEW_OVERSIGHT: _A,
        Action.MANAGE_AGENCIES: _A,
        Action.RECORD_SHARING_REQUEST: _A,
        Action.VIEW_SHARING_REQUESTS: _A,
        Action.APPROVE_DISCLOSURE: _A,
    },
    Role.CONTRACTOR: {
        Action.SEARCH_READS: _W,
        Action.VIEW_IMAGES: _W,
        Action.DECLARE_PURPOSE: _W,
        Action.CORRECT_READS: _W,  # a misread, under the City's written permission (§7)
        Action.RECORD_MAINTENANCE: _A,
        Action.VIEW_MAINTENANCE: _A,
        Action.IMPORT_DATA: _A,
    },
    Role.ADMIN: {
        Action.MANAGE_ACCOUNTS: _A,
        Action.MANAGE_SECURITY_SETTINGS: _A,
        Action.IMPORT_DATA: _A,
        Action.RECORD_INCIDENT: _A,
        Action.VIEW_MAINTENANCE: _A,
    },
}

# Actions that touch reads, images or data derived from them: always need a declared purpose.
DATA_ACTIONS = frozenset(
    {Action.SEARCH_READS, Action.VIEW_IMAGES, Action.EXPORT_EVIDENCE, Action.CORRECT_READS}
)


def entitlement(roles: Iterable[Role], action: Action) -> Entitlement | None:
    """The strongest entitlement any of ``roles`` has for ``action``, or None."""
    held = {MATRIX[r].get(action) for r in roles} - {None}
    if Entitlement.ALWAYS in held:
        return Entitlement.ALWAYS
    return Entitlement.WITH_WRITTEN_PERMISSION if held else None


def allowed(
    roles: Iterable[Role], action: Action, *, written_permission: bool = False
) -> bool:
    """Whether ``roles`` may perform ``action``; conditional grants need ``written_permission``."""
    held = entitlement(roles, action)
    if held is Entitlement.ALWAYS:
        return True
    return held is Entitlement.WITH_WRITTEN_PERMISSION and written_permission


# Separation of duties (CJIS least privilege, State Auditor 2019-118): an analyst account holds
# no other role (admins and custodians see no reads); the custodian who grants contractor
# permissions is never the contractor; and the administrator who creates accounts is never the
# custodian who approves them, so no one person can give themselves or a friend access to data.
INCOMPATIBLE: tuple[frozenset[Role], ...] = (
    frozenset({Role.ANALYST, Role.CUSTODIAN}),
    frozenset({Role.ANALYST, Role.CONTRACTOR}),
    frozenset({Role.ANALYST, Role.ADMIN}),
    frozenset({Role.CUSTODIAN, Role.CONTRACTOR}),
    frozenset({Role.CUSTODIAN, Role.ADMIN}),
)

# Roles an administrator cannot give alone: a custodian (a second person) approves each new
# account holding them, each role change adding them, and each re-enabled account holding them.
NEEDS_APPROVAL = frozenset({Role.ANALYST, Role.CUSTODIAN})

class AccountFields(Protocol):
    """What the rules below read of an account (core.accounts.Account has it). A protocol, so
    that roles need not import accounts, which imports Role from here."""

    @property
    def username(self) -> str: ...
    @property
    def full_name(self) -> str: ...
    @property
    def organization(self) -> str: ...
    @property
    def badge_number(self) -> str: ...
    @property
    def sworn(self) -> bool: ...
    @property
    def roles(self) -> frozenset[Role]: ...
    @property
    def active(self) -> bool: ...


USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")
MAX_TEXT = 200


def check_account(account: AccountFields) -> list[str]:
    """Every reason ``account`` may not be saved as it is; empty when it may."""
    problems: list[str] = []
    if not USERNAME_RE.match(account.username):
        problems.append(
            "The username must be 3 to 64 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    if not account.full_name.strip():
        problems.append("The full name is required.")
    for label, value in (
        ("full name", account.full_name),
        ("organization", account.organization),
        ("badge number", account.badge_number),
    ):
        if len(value) > MAX_TEXT:
            problems.append(f"The {label} is longer than {MAX_TEXT} characters.")
    if not account.organization.strip():
        problems.append("The organization (agency) is required: the access log records it.")
    if not account.roles:
        problems.append("An account needs at least one role.")
    if Role.ANALYST in account.roles:
        if not account.sworn:
            problems.append("Only a sworn officer may hold the analyst role (policy §2).")
        if not account.badge_number.strip():
            problems.append("An analyst needs a badge number (policy §2).")
    problems += duty_conflicts(account.roles)
    return problems


def duty_conflicts(roles: frozenset[Role]) -> list[str]:
    """Why ``roles`` may not be held by one account (separation of duties); empty when fine.
    Accounts saved before a rule existed may still hold such roles: the accounts screen flags
    them and no change that keeps the combination is saved."""
    out = []
    for pair in INCOMPATIBLE:
        if pair <= roles:
            a, b = sorted(pair)
            out.append(f"One account may not be both {a} and {b} (separation of duties).")
    return out


def approval_needed(before: AccountFields | None, after: AccountFields) -> str | None:
    """Which custodian approval a change needs, or None: "create" for a new account holding
    an analyst or custodian role, "enable" for re-enabling one, "roles" for adding either."""
    if before is None:
        return "create" if after.roles & NEEDS_APPROVAL else None
    if after.active and not before.active and after.roles & NEEDS_APPROVAL:
        return "enable"
    if (after.roles - before.roles) & NEEDS_APPROVAL:
        return "roles"
    return None


def effective_roles(account: AccountFields) -> frozenset[Role]:
    """The roles an account may use now: none when disabled, and analyst only while the
    account is sworn with a badge number (checked again at use, not only when saved)."""
    if not account.active:
        return frozenset()
    roles = set(account.roles)
    if Role.ANALYST in roles and not (account.sworn and account.badge_number.strip()):
        roles.discard(Role.ANALYST)
    return frozenset(roles)
