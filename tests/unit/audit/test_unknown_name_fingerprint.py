"""A secret typed into the username field never reaches the log or a report in clear (issue 10
§3): an unknown username is logged as "unknown account" with a keyed fingerprint, so repeated
attempts still correlate. Before, the typed name itself was the entry's username: in the log
table, on the audit report's pages and in anything exported from the log."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from audit_helpers import PASSWORDS, add_people

from alpr_desktop.core.access_errors import BadCredentials
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.name_fingerprint import name_fingerprint
from alpr_desktop.storage import Store, create_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.fingerprint_key import name_fingerprint_key

# What a hurried user types in the username field: their password.
SECRET = "Quince-Harbor-Lantern-42"
GENERATED_MS = 1_771_178_400_000


@pytest.fixture
def store(tmp_path: Path) -> Store:
    import os

    s = create_store(tmp_path / "s.alprdb", os.urandom(32))
    yield s
    s.close()


def _fail_twice(store: Store, clock: FixedClock, name: str = SECRET) -> None:
    auth = AuthService(store, clock)
    for typed in (name, f"  {name.upper()} "):
        with pytest.raises(BadCredentials):
            auth.sign_in(typed, "whatever they typed")


def _log_as_csv(store: Store) -> str:
    """Every column of every row of the log table, as a CSV export of it would hold."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in AccessLogRepo(store).iter_rows():
        writer.writerow(row)
    return buf.getvalue()


def test_typed_secret_is_not_in_the_log_and_attempts_share_a_fingerprint(
    store: Store,
) -> None:
    clock = FixedClock(GENERATED_MS - 3_600_000)
    _fail_twice(store, clock)
    entries = [e for e in AccessLogRepo(store).entries() if e.event == "signin.failed"]
    assert len(entries) == 2
    fingerprint = name_fingerprint(store, SECRET)
    assert len(fingerprint) == 16 and int(fingerprint, 16) >= 0
    for e in entries:
        assert e.username == f"unknown account {fingerprint}"
        assert e.detail["name_fingerprint"] == fingerprint
        assert e.detail["reason"] == "unknown_user"
    dump = _log_as_csv(store)
    for form in (SECRET, SECRET.lower(), SECRET.upper()):
        assert form not in dump
    assert dump.count(fingerprint) >= 4  # username column and detail of both entries


def test_fingerprint_is_keyed_per_store(store: Store, tmp_path: Path) -> None:
    """A guesser cannot test candidate passwords against a plain hash, and another store's
    log does not correlate with this one's."""
    import hashlib
    import os

    fp = name_fingerprint(store, SECRET)
    plain = hashlib.sha256(SECRET.casefold().encode()).hexdigest()
    assert fp not in plain
    other = create_store(tmp_path / "other.alprdb", os.urandom(32))
    try:
        assert name_fingerprint(other, SECRET) != fp
        assert name_fingerprint_key(other) != name_fingerprint_key(store)
    finally:
        other.close()
    assert name_fingerprint_key(store) != store.data_key()
    assert name_fingerprint(store, "someone-else") != fp


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_typed_secret_is_not_in_the_audit_report(store: Store, tmp_path: Path) -> None:
    clock = FixedClock(GENERATED_MS - 3_600_000)
    _fail_twice(store, clock)
    add_people(store, clock)
    clock = FixedClock(GENERATED_MS)
    auth = AuthService(store, clock)
    ctx = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
    out = tmp_path / "report.pdf"
    AuditService(store, clock).build_report(ctx, out, AuditFilter())
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout
    assert SECRET.lower() not in text.lower()
    assert f"unknown account {name_fingerprint(store, SECRET)}" in " ".join(text.split())
