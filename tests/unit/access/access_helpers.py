"""Helpers shared by the access tests (and the search and image tests): passwords, purposes,
the log, and the "world" of services with one account per role. The fixtures are in
tests/unit/conftest.py."""

from __future__ import annotations

from dataclasses import dataclass

from alpr_desktop.core.accounts import AccessContext, Account, Session
from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.security import passwords
from alpr_desktop.services.accounts import AccountService
from alpr_desktop.services.approvals import ApprovalService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.permissions import PermissionService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo

PASSWORDS = {
    "root": "Harbor-Keys-Admin-Q7x",
    "officer": "Avalon-Night-Patrol-3K",
    "keeper": "Civic-Center-Ledger-5M",
    "vendor": "Pole-Ladder-Service-8W",
}

GOOD_NARRATIVE = (
    "A silver Honda Civic was stolen from the Carson Mall parking lot on Avalon Blvd at "
    "23:10 Friday; seeking to identify the suspect vehicle and its direction of travel."
)


def purpose_input(**changes: object) -> PurposeInput:
    base: dict[str, object] = {
        "category": "criminal_investigation",
        "offense": "Vehicle theft",
        "case_number": "123-45678-2026-001",
        "narrative": GOOD_NARRATIVE,
        "acknowledged": True,
    }
    base.update(changes)
    return PurposeInput(**base)  # type: ignore[arg-type]


def log_entries(store: Store, event: str | None = None) -> list[LogEntry]:
    entries = AccessLogRepo(store).entries(limit=100_000)
    return [e for e in entries if event is None or e.event == event]


@dataclass
class World:
    store: Store
    clock: FixedClock
    auth: AuthService
    accounts: AccountService
    purposes: PurposeService
    permissions: PermissionService

    @property
    def approvals(self) -> ApprovalService:
        """The custodian's approvals of account requests (separation of duties)."""
        return ApprovalService(self.store, self.clock)

    def sign_in(self, username: str) -> Session:
        return self.auth.sign_in(username, PASSWORDS[username])

    def ctx(self, username: str) -> AccessContext:
        return self.auth.context(self.sign_in(username))

    def with_purpose(self, username: str, **changes: object) -> AccessContext:
        ctx = self.ctx(username)
        self.purposes.declare(ctx, purpose_input(**changes))
        return self.auth.context(ctx.session)


def add_account(store: Store, clock: FixedClock, account: Account, password: str) -> Account:
    return AccountRepo(store).add(account, passwords.hash_password(password), clock.now_ms())


# Reads of plate 7ABC123 on three days (UTC seconds) and one of another plate.
DAY = 86_400
T_JAN1 = 1_767_225_600  # 2026-01-01T00:00:00Z
READ_TIMES = (T_JAN1 - 20 * DAY, T_JAN1 - 10 * DAY, T_JAN1 - 2 * DAY)


def seed_reads(store: Store) -> list[int]:
    """Three reads of 7ABC123 (20, 10 and 2 days before 2026) with images, one of 8XYZ999."""
    import hashlib

    from alpr_desktop.core.models import Camera, ImageBlob, NewRead
    from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo

    cam = CameraRepo(store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
    new = [NewRead("7ABC123", t, cam, state="CA", make="Honda") for t in READ_TIMES]
    new.append(NewRead("8XYZ999", READ_TIMES[0], cam))
    ids = ReadRepo(store).insert_many(new)
    blobs = []
    for rid in ids:
        for kind in ("crop", "overview"):
            data = f"{kind}-{rid}".encode()
            blobs.append(ImageBlob(rid, kind, "jpeg", data, hashlib.sha256(data).hexdigest()))
    ImageRepo(store).put_many(blobs)
    return ids


def approve_agencies(store: Store, clock: FixedClock | None, *names: str) -> None:
    """Register ``names`` in the agency registry and approve them (as the custodian would):
    since issue 15 nothing leaves for an agency that is not there."""
    from alpr_desktop.core.agencies import AgencyKind, Jurisdiction
    from alpr_desktop.storage.agencies import AgencyRepo

    repo = AgencyRepo(store)
    now = clock.now_ms() if clock is not None else 1_767_225_600_000
    with store.transaction():
        for name in names:
            kind = (AgencyKind.PROSECUTORIAL if "attorney" in name.lower()
                    else AgencyKind.LAW_ENFORCEMENT)
            agency = repo.add(name, kind, Jurisdiction.CALIFORNIA_LOCAL, "Records unit", "",
                              "keeper", now)
            repo.approve(agency.id or 0, "keeper", now)
