"""First run of a store: the first administrator and the first custodian, created together.

An administrator cannot give the custodian role alone (separation of duties), so a new store
starts with both, two different people, each active at once. Refused once any account exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alpr_desktop.core.access_errors import AccountInvalid, FirstAdminExists, PasswordRejected
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock
from alpr_desktop.core.roles import Role, check_account
from alpr_desktop.security import passwords
from alpr_desktop.services.audit import SYSTEM_USER, log_event
from alpr_desktop.services.keyslots import write_account_slot
from alpr_desktop.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class FirstAccount:
    """What the first-run dialog collects for one person."""

    username: str
    full_name: str
    organization: str
    password: str = field(repr=False)

    def account(self, role: Role) -> Account:
        return Account(None, self.username.strip(), self.full_name.strip(),
                       self.organization.strip(), roles=frozenset({role}))


def _problems(admin: FirstAccount, custodian: FirstAccount) -> tuple[list[str], list[str]]:
    """(account problems, password problems), each prefixed with whose they are."""
    problems: list[str] = []
    weak: list[str] = []
    for label, person, role in (("Administrator", admin, Role.ADMIN),
                                ("Custodian", custodian, Role.CUSTODIAN)):
        problems += [f"{label}: {p}" for p in check_account(person.account(role))]
        weak += [f"{label}: {p}"
                 for p in passwords.check_password_rules(person.password, person.username)]
    a, c = admin.account(Role.ADMIN), custodian.account(Role.CUSTODIAN)
    if a.username.casefold() == c.username.casefold():
        problems.append("The administrator and the custodian need different usernames.")
    if a.full_name and a.full_name.casefold() == c.full_name.casefold():
        problems.append("The administrator and the custodian must be two different people "
                        "(separation of duties).")
    if admin.password == custodian.password:
        weak.append("The administrator and the custodian need different passwords.")
    return problems, weak


def check_first_accounts(admin: FirstAccount, custodian: FirstAccount) -> None:
    """Raise AccountInvalid or PasswordRejected as ``create_first_accounts`` would, without a
    store: a command that creates the store first checks the people, so that bad input
    leaves nothing behind."""
    problems, weak = _problems(admin, custodian)
    if problems:
        raise AccountInvalid(problems + weak)
    if weak:
        raise PasswordRejected(weak)


def create_first_accounts(
    store: UnitOfWork, clock: Clock, admin: FirstAccount, custodian: FirstAccount
) -> tuple[Account, Account]:
    """Create both accounts, active, in one transaction; raises FirstAdminExists once any
    account exists, AccountInvalid or PasswordRejected (nothing is created)."""
    repo = store.accounts
    if repo.count():
        raise FirstAdminExists()
    problems, weak = _problems(admin, custodian)
    if problems:
        raise AccountInvalid(problems + weak)
    if weak:
        raise PasswordRejected(weak)
    hashes = [passwords.hash_password(p.password) for p in (admin, custodian)]
    created = []
    with store.transaction():
        if repo.count():  # re-checked under the write lock
            raise FirstAdminExists()
        for person, role, pw_hash in zip((admin, custodian), (Role.ADMIN, Role.CUSTODIAN),
                                         hashes, strict=True):
            account = repo.add(person.account(role), pw_hash, clock.now_ms())
            created.append(account)
            log_event(
                store,
                LogEvent("account.created", Outcome.OK, SYSTEM_USER,
                         detail={"account": account.username, "first_run": True,
                                 "values": account.summary()}),
                clock,
            )
            write_account_slot(store, account, person.password, reason="created", clock=clock)
    return created[0], created[1]
