"""Demo accounts for a demo store, with published passwords (printed, marked DEMO).

Never used for a real store: the caller checks ``store.is_demo``. Passwords follow the same
rules as real ones, and demo users are not forced to change them so a demo starts quickly.
"""

from __future__ import annotations

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.agencies import AgencyKind, Jurisdiction
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import Role, check_account
from alpr_desktop.security import passwords
from alpr_desktop.security.keys import KdfParams
from alpr_desktop.services.audit import SYSTEM_USER, log_event
from alpr_desktop.services.keyslots import write_account_slot
from alpr_desktop.storage.unit_of_work import UnitOfWork

DEMO_ACCOUNTS: tuple[tuple[Account, str], ...] = (
    (Account(None, "admin", "Dana Admin (DEMO)", "City of Carson IT",
             roles=frozenset({Role.ADMIN})), "Demo-Keys-Harbor-7Q"),
    (Account(None, "analyst", "Alex Rivera (DEMO)", "LASD Carson Station",
             badge_number="DEMO-4471", sworn=True, roles=frozenset({Role.ANALYST})),
     "Demo-Avalon-Patrol-3K"),
    (Account(None, "custodian", "Casey Morgan (DEMO)", "City of Carson",
             roles=frozenset({Role.CUSTODIAN})), "Demo-Civic-Center-5M"),
    (Account(None, "contractor", "Chris Vendor (DEMO)", "Demo ALPR Services Inc.",
             roles=frozenset({Role.CONTRACTOR})), "Demo-Pole-Ladder-8W"),
)


def add_demo_accounts(
    store: UnitOfWork, clock: Clock | None = None, kdf: KdfParams | None = None
) -> list[tuple[str, str, frozenset[Role]]]:
    """Create the demo accounts, each with its key slot (so the published passwords open the
    demo store by signing in); returns (username, password, roles) for each, to print."""
    if not store.is_demo:
        raise ValueError("demo accounts go only into a demo store")
    clock = clock or SystemClock()
    repo = store.accounts
    out = []
    with store.transaction():
        for account, password in DEMO_ACCOUNTS:
            problems = check_account(account) + passwords.check_password_rules(
                password, account.username
            )
            if problems:
                raise ValueError(f"demo account {account.username}: {problems}")
            if repo.get(account.username) is None:
                created = repo.add(account, passwords.hash_password(password), clock.now_ms())
                write_account_slot(store, created, password, reason="demo_account",
                                   clock=clock, kdf=kdf)
                log_event(
                    store,
                    LogEvent("account.created", Outcome.OK, SYSTEM_USER,
                             detail={"account": account.username, "demo": True,
                                     "values": account.summary()}),
                    clock,
                )
            out.append((account.username, password, account.roles))
        _train_demo_analysts(store, clock)
        _register_demo_agencies(store, clock)
    return out


DEMO_AGENCIES = (
    ("Long Beach Police Department", AgencyKind.LAW_ENFORCEMENT, "Records Unit, Long Beach"),
    ("Los Angeles County District Attorney", AgencyKind.PROSECUTORIAL, "Hall of Justice"),
)


def _register_demo_agencies(store: UnitOfWork, clock: Clock) -> None:
    """Two approved California recipients, so the demo's sharing and Copy/Save to an agency
    work (issue 15: nothing leaves for an agency that is not in the registry)."""
    for name, kind, contact in DEMO_AGENCIES:
        if store.agencies.by_name(name) is None:
            agency = store.agencies.add(name, kind, Jurisdiction.CALIFORNIA_LOCAL, contact, "",
                                        SYSTEM_USER, clock.now_ms())
            store.agencies.approve(agency.id or 0, SYSTEM_USER, clock.now_ms())
            log_event(store, LogEvent("agency.approved", Outcome.OK, SYSTEM_USER, agency=name,
                                      detail={"agency_id": agency.id, "demo": True}), clock)


def _train_demo_analysts(store: UnitOfWork, clock: Clock) -> None:
    """Demo analysts come with confirmed policy training (recorded by the demo admin,
    confirmed by the demo custodian), so the demo can search at once."""
    repo, training = store.accounts, store.training
    admin, custodian = repo.get("admin"), repo.get("custodian")
    if admin is None or custodian is None:
        return
    for account, _pw in DEMO_ACCOUNTS:
        found = repo.get(account.username)
        if found is None or Role.ANALYST not in found.roles or training.for_user(found.id or 0):
            continue
        att = training.add(found.id or 0, clock.now_ms(), "Carson ALPR policy (DEMO)",
                           admin.id or 0, clock.now_ms())
        training.confirm(att.id, custodian.id or 0, clock.now_ms())


def ensure_demo_slots(store: UnitOfWork, clock: Clock | None = None) -> int:
    """Write the key slot of every demo account that has none (after the demo store was
    upgraded from v1 or opened on a machine with a new workstation secret): their passwords
    are published, so the README's demo passwords keep signing in. Returns how many."""
    from alpr_desktop.services.keyslots import slot_access

    if not store.is_demo or slot_access(store) is None:
        return 0
    repo = store.accounts
    written = 0
    for account, password in DEMO_ACCOUNTS:
        existing = repo.get(account.username)
        if existing is None or existing.id is None or not existing.active:
            continue
        if store.settings.key_slot_tag(existing.id) is None:
            write_account_slot(store, existing, password, reason="demo_account", clock=clock)
            written += 1
    return written
