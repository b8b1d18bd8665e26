"""Every audit report prints the pinned checkpoint signing keys and the newest checkpoint, and
says when the log no longer holds the entry that checkpoint vouches for."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from audit_helpers import PASSWORDS, add_people
from test_audit_report_pdf import pdf_pages

from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.security import secret_wrap
from alpr_desktop.security.checkpoints import read_checkpoint_file
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.checkpoints import CheckpointService
from alpr_desktop.storage import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "log"))
from log_attacks import truncate_tail

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture(autouse=True)
def _fast_wrap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secret_wrap, "DEFAULT_COST", secret_wrap.ScryptCost(n=2**12))


def _ctx(store: Store, clock: FixedClock):
    auth = AuthService(store, clock)
    return auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))


def _text(store: Store, clock: FixedClock, out: Path) -> str:
    res = AuditService(store, clock).build_report(_ctx(store, clock), out, AuditFilter())
    return re.sub(r"[ \t]+", " ", "\n".join(pdf_pages(res.path)))


def test_report_prints_the_pinned_key_and_the_newest_checkpoint(log_store: Store,
                                                                tmp_path: Path) -> None:
    clock = FixedClock()
    add_people(log_store, clock)
    text = _text(log_store, clock, tmp_path / "before.pdf")
    assert "Checkpoints and signing keys" in text and "none issued yet" in text
    path = CheckpointService(log_store, clock).issue(
        _ctx(log_store, clock), PASSWORDS["keeper"], tmp_path / "cp.alprcheckpoint").path
    signed = read_checkpoint_file(path)
    text = _text(log_store, clock, tmp_path / "after.pdf")
    assert signed.fingerprint in text
    assert signed.public_key.hex() in text
    assert f"{signed.checkpoint.entry_count} entries, issued" in text
    assert signed.checkpoint.head_hash in text
    assert "the log still holds entry" in text


def test_report_says_when_the_log_ends_before_the_newest_checkpoint(log_store: Store,
                                                                    tmp_path: Path) -> None:
    clock = FixedClock()
    add_people(log_store, clock)
    res = CheckpointService(log_store, clock).issue(
        _ctx(log_store, clock), PASSWORDS["keeper"], tmp_path / "cp.alprcheckpoint")
    truncate_tail(log_store, 4)
    ctx = _ctx(log_store, clock)
    out = AuditService(log_store, clock).build_report(ctx, tmp_path / "r.pdf", AuditFilter())
    text = re.sub(r"\s+", " ", "\n".join(pdf_pages(out.path)))
    assert re.search(rf"entries \d+–{res.checkpoint.entry_count} are missing: the log ends "
                     "before this checkpoint", text), text[-2000:]
