"""A store whose access log has known content, and accounts for the audit tests.

The log (times in America/Los_Angeles; 2026-01-05 is a Monday, PST = UTC-8):

 seq event            user       notes
  1  signin.ok        officer
  2  search           officer    7ABC123, good purpose, Mon 10:00
  3  search           officer    7ABC123, good purpose, Mon 11:00
  4  search           officer    7-abc 123 (same plate), good purpose, Mon 12:00
  5  search           officer2   8XYZ999, purpose "investigation" (vague), Mon 13:00
  6  search           officer2   9DEF456, no case number (vague), Mon 23:30 (off hours)
  7  signin.failed    officer2   wrong password
  8  signin.failed    officer2
  9  account.locked   officer2
 10  gate.refused     vendor     search_reads without permission
 11  search           vendor     contractor under permission WP-2026-007, Sat 10:00 (off hours)
 12  disclosure       officer    to Long Beach Police Department
 13  image.view       officer    read 42, plate 7ABC123, non-Latin narrative
 14  search           officer    5QQQ555 refused outcome, 100%_literal filter text
"""

from __future__ import annotations

from datetime import datetime

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.core.clock import SITE_ZONE, FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.security import passwords
from alpr_desktop.services.keyslots import slot_access, write_account_slot
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo

PASSWORDS = {
    "keeper": "Civic-Center-Ledger-5M",
    "officer": "Avalon-Night-Patrol-3K",
}
GOOD = (
    "A silver Honda Civic was stolen from the Carson Mall parking lot on Avalon Blvd at "
    "23:10 Friday; seeking to identify the suspect vehicle and its direction of travel."
)
NON_LATIN = "Robo en 21900 S Avalon Blvd; testigo: 中文 Ελληνικά עברית — seeking the grey Camry."


def local_ms(y: int, m: int, d: int, hh: int, mm: int = 0) -> int:
    return int(datetime(y, m, d, hh, mm, tzinfo=SITE_ZONE).timestamp() * 1000)


def purpose(narrative: str = GOOD, case: str = "123-45678-2026-001", **extra: str) -> dict:
    p = {"category": "criminal_investigation", "offense": "Vehicle theft",
         "case_number": case, "narrative": narrative}
    p.update(extra)
    return p


def search(user: str, plate: str, p: dict, org: str = "LASD Carson Station",
           outcome: str = "ok", **kw: object) -> LogEvent:
    return LogEvent("search", outcome, user, org, "LASD", "ws1/test", purpose=p,
                    query={"pattern": plate, "mode": "exact", "filters": {"state": "CA"}},
                    result_count=kw.pop("result_count", 3), **kw)  # type: ignore[arg-type]


def known_events() -> list[tuple[LogEvent, int]]:
    mon = (2026, 1, 5)
    return [
        (LogEvent("signin.ok", "ok", "officer", "LASD Carson Station"), local_ms(*mon, 9)),
        (search("officer", "7ABC123", purpose()), local_ms(*mon, 10)),
        (search("officer", "7ABC123", purpose()), local_ms(*mon, 11)),
        (search("officer", "7-abc 123", purpose()), local_ms(*mon, 12)),
        (search("officer2", "8XYZ999", purpose("investigation", "123-45678-2026-002"),
                org="LASD Lakewood Station"), local_ms(*mon, 13)),
        (search("officer2", "9DEF456", purpose(GOOD.replace("Friday", "Sunday"), ""),
                org="LASD Lakewood Station"), local_ms(*mon, 23, 30)),
        (LogEvent("signin.failed", "failed", "officer2", "LASD Lakewood Station",
                  detail={"reason": "wrong_password"}), local_ms(2026, 1, 6, 8)),
        (LogEvent("signin.failed", "failed", "officer2", "LASD Lakewood Station",
                  detail={"reason": "wrong_password"}), local_ms(2026, 1, 6, 8, 1)),
        (LogEvent("account.locked", "ok", "officer2", "LASD Lakewood Station",
                  detail={"minutes": 10}), local_ms(2026, 1, 6, 8, 1)),
        (LogEvent("gate.refused", "refused", "vendor", "Acme ALPR Services",
                  query={"action": "search_reads"},
                  detail={"action": "search_reads", "reason": "no_written_permission"}),
         local_ms(2026, 1, 7, 9)),
        (search("vendor", "4JKL321", purpose(case="123-45678-2026-009",
                                             written_permission="WP-2026-007"),
                org="Acme ALPR Services",
                detail={"permission_reference": "WP-2026-007"}), local_ms(2026, 1, 10, 10)),
        (LogEvent("disclosure", "ok", "officer", "LASD Carson Station", "LASD", "ws1/test",
                  purpose=purpose(), query={"read_ids": [42, 43], "plate": "7ABC123"},
                  result_count=2,
                  detail={"recipient_agency": "Long Beach Police Department",
                          "request": "LBPD request 26-004512"}), local_ms(2026, 1, 12, 14)),
        (LogEvent("image.view", "ok", "officer", "LASD Carson Station", "LASD", "ws1/test",
                  purpose=purpose(NON_LATIN, "123-45678-2026-003"),
                  query={"read_id": 42, "plate": "7ABC123"}, result_count=2),
         local_ms(2026, 1, 12, 15)),
        (search("officer", "5QQQ555", purpose(), outcome="refused",
                detail={"note": "100%_literal"}), local_ms(2026, 1, 12, 16)),
    ]


def fill_log(store: Store) -> None:
    repo = AccessLogRepo(store)
    with store.transaction():
        for ev, ts in known_events():
            repo.append(ev, ts)


def add_people(store: Store, clock: FixedClock) -> None:
    people = [
        Account(None, "keeper", "Kim Keeper", "City of Carson",
                roles=frozenset({Role.CUSTODIAN})),
        Account(None, "officer", "Olivia Officer", "LASD Carson Station", badge_number="4471",
                sworn=True, roles=frozenset({Role.ANALYST})),
    ]
    repo = AccountRepo(store)
    with store.transaction():
        for person in people:
            added = repo.add(person, passwords.hash_password(PASSWORDS[person.username]),
                             clock.now_ms())
            # Signing in opens the store through the account's key slot (when it has a key
            # file with a workstation secret, as a store made by create_new_store has).
            if slot_access(store) is not None:
                write_account_slot(store, added, PASSWORDS[person.username], reason="test",
                                   clock=clock)


def drop_triggers(s: Store) -> None:
    s.execute("DROP TRIGGER access_log_no_update")
    s.execute("DROP TRIGGER access_log_no_delete")


def restore_triggers(s: Store) -> None:
    s.execute(
        "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN "
        "SELECT RAISE(ABORT, 'access_log is append-only'); END"
    )
    s.execute(
        "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN "
        "SELECT RAISE(ABORT, 'access_log is append-only'); END"
    )


def tamper_purpose(s: Store, seq: int, narrative: str = "personal") -> None:
    drop_triggers(s)
    s.execute(
        "UPDATE access_log SET purpose = json_set(purpose, '$.narrative', ?) WHERE seq = ?",
        (narrative, seq),
    )
    restore_triggers(s)


def open_quietly(path, passphrase: str) -> Store:
    """Open a store as a test inspects it: the data key from the recovery slot, no log entry
    written (the program itself never opens a store without a sign-in or a logged recovery)."""
    from alpr_desktop.security import keyslots
    from alpr_desktop.storage import open_store

    kf = keyslots.read_any(path)
    assert isinstance(kf, keyslots.KeyFileV2)
    return open_store(path, kf.unwrap_recovery(passphrase))
