"""Unknown usernames in the access log: "unknown account" and a keyed fingerprint, never the
text typed (issue 10 §3).

People type a password into the username field by mistake; logging what was typed would put
that password in the log, in every audit report and in every CSV made from it. A plain hash
would not help, since a guesser can hash candidate passwords and compare. The fingerprint is
HMAC-SHA256 under a per-store secret (storage.fingerprint_key), cut to 16 hex digits: repeated
attempts with one name share one fingerprint, so the custodian still sees a run of guesses,
but nobody without the store's secret can test what was typed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.security import keyslots
from alpr_desktop.services.keyslots import slot_access
from alpr_desktop.storage.unit_of_work import UnitOfWork

UNKNOWN_ACCOUNT = "unknown account"
FINGERPRINT_HEX = 16


def name_fingerprint(store: UnitOfWork, name: str) -> str:
    """The keyed fingerprint of a typed username, as the sign-in lookup sees it (trimmed,
    case folded), so "Admin " and "admin" correlate. Under the workstation secret when this
    machine holds it, so entries match those services.signin writes for attempts made while
    the store was shut; else under the store's own fingerprint key."""
    access = slot_access(store)
    if access is not None:
        return keyslots.fingerprint(access.secret, name)[:FINGERPRINT_HEX]
    key = store.settings.name_fingerprint_key()
    digest = hmac.new(key, name.strip().casefold().encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:FINGERPRINT_HEX]


def unknown_account_event(
    store: UnitOfWork, name: str, event: str, outcome: str, detail: Mapping[str, object]
) -> LogEvent:
    """The log entry for a sign-in attempt under a name that is not an account."""
    fingerprint = name_fingerprint(store, name)
    return LogEvent(
        event, outcome, f"{UNKNOWN_ACCOUNT} {fingerprint}",
        detail={**detail, "name_fingerprint": fingerprint},
    )
