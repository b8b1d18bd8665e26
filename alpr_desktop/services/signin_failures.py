"""Sign-in failures noted while the store was shut, written to its access log when it next
opens (by signing in, or with the recovery passphrase). Its own module so that the sign-in
service and the store service both use it without importing each other."""

from __future__ import annotations

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock
from alpr_desktop.security import keyslots
from alpr_desktop.security.signin_record import SignInRecord
from alpr_desktop.services.audit import SYSTEM_USER, log_event
from alpr_desktop.storage.unit_of_work import UnitOfWork

UNKNOWN_ACCOUNT = "unknown account"


def flush_pending(store: UnitOfWork, record: SignInRecord, secret: bytes, clock: Clock) -> int:
    """Write the failures (and any tampering) noted while the store was shut to the access
    log. A fingerprint of an existing account is logged under its username; any other as
    "unknown account" with the fingerprint, so repeated guesses still correlate."""
    events, dropped = record.pending()
    if not events and not dropped:
        return 0
    names = {keyslots.fingerprint(secret, a.username): a for a in store.accounts.all()}
    with store.transaction():
        for ev in events:
            kind = str(ev.get("event", ""))
            at = int(ev.get("at_ms", 0))
            if kind == "signin.record_tampered":
                log_event(store, LogEvent(
                    "signin.record_tampered", Outcome.FAILED, SYSTEM_USER,
                    detail={"at_ms": at, "action": "every sign-in refused for the lockout time; "
                            "counts restarted"},
                ), clock)
                continue
            fp = str(ev.get("fp", ""))
            account = names.get(fp)
            user = account.username if account else f"{UNKNOWN_ACCOUNT} {fp[:16]}"
            org = account.organization if account else ""
            detail: dict[str, object] = {
                "reason": "wrong_password", "at_ms": at, "failed_attempts": ev.get("failed"),
                "while_store_closed": True,
            }
            if account is None:
                detail["name_fingerprint"] = fp[:16]
            log_event(store, LogEvent("signin.failed", Outcome.FAILED, user, organization=org,
                                      agency=org, detail=detail), clock)
            if ev.get("locked_until_ms"):
                log_event(store, LogEvent(
                    "account.locked", Outcome.OK, user, organization=org, agency=org,
                    detail={**({"name_fingerprint": fp[:16]} if account is None else {}),
                            "until_ms": ev.get("locked_until_ms")},
                ), clock)
        if dropped:
            log_event(store, LogEvent("signin.failures_not_recorded", Outcome.FAILED,
                                      SYSTEM_USER, detail={"count": dropped}), clock)
    record.forget_pending(len(events))
    return len(events)
