"""Issue 20: ``alpr-desktop store convert --path P`` converts a store made by an earlier
version: an administrator signs in, each phase is printed, the store is signed out of in its
new format; anyone else, or a busy store, gets one sentence and exit 1 with the store as it
was."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run

from alpr_desktop.core.store_format import PHASE_WORDS, PHASES
from alpr_desktop.services.signin import sign_in_or_recover
from alpr_desktop.storage import db
from alpr_desktop.storage.db import EARLIER_FORMATS, STORE_FORMAT

PASSPHRASE = "copper lantern orbit meadow"
ADMIN, CUSTODIAN = ("ada", "Adm-pass-9x!Q"), ("cora", "Cus-pass-7z!W")
LINES = [PASSPHRASE, PASSPHRASE,
         ADMIN[0], "Ada Admin", "City of Carson IT", ADMIN[1], ADMIN[1],
         CUSTODIAN[0], "Cora Custodian", "City of Carson", CUSTODIAN[1], CUSTODIAN[1]]


@pytest.fixture
def old_store(tmp_path: Path, capsys: pytest.CaptureFixture[str],
              monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store made by ``store create`` of an earlier version (its format)."""
    path = tmp_path / "old.alprdb"
    with monkeypatch.context() as m:
        m.setattr(db, "STORE_FORMAT", EARLIER_FORMATS[0])
        code, _, err = run(["store", "create", "--path", str(path), "--secrets-from-stdin"],
                           capsys, monkeypatch, "\n".join(LINES) + "\n")
    assert (code, err) == (0, "")
    return path


def _format(path: Path, who: tuple[str, str] = ADMIN) -> db.CipherFormat:
    opened = sign_in_or_recover(path, who[0], who[1], lambda _: "")
    try:
        return opened.store.cipher_format  # type: ignore[attr-defined, no-any-return]
    finally:
        opened.store.close()


def test_an_administrator_converts_and_each_phase_is_printed(
        old_store: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(["store", "convert", "--path", str(old_store), "--user", ADMIN[0]],
                         capsys, monkeypatch, ADMIN[1] + "\n")
    assert (code, err) == (0, "")
    assert "from 16 KiB pages, HMAC-SHA512 to 4 KiB pages, HMAC-SHA256" in out
    shown = [p for p in PHASES if PHASE_WORDS[p] in out]
    assert shown == list(PHASES)
    assert out.strip().splitlines()[-1].startswith("Store converted from 16 KiB pages")
    assert ADMIN[1] not in out
    assert _format(old_store) == STORE_FORMAT
    assert not [p for p in old_store.parent.iterdir()
                if p.name.endswith((".converting", ".replaced", "-wal"))]
    code, out, err = run(["store", "convert", "--path", str(old_store), "--user", ADMIN[0]],
                         capsys, monkeypatch, ADMIN[1] + "\n")
    assert (code, err) == (0, "") and "nothing to convert" in out


def test_a_custodian_is_refused_in_one_sentence_and_nothing_changes(
        old_store: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = old_store.read_bytes()
    code, out, err = run(["store", "convert", "--path", str(old_store),
                          "--user", CUSTODIAN[0]], capsys, monkeypatch, CUSTODIAN[1] + "\n")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("alpr-desktop store convert: ")
    assert "Traceback" not in err and "Error" not in lines[0]
    assert "Converting" not in out
    assert _format(old_store) == EARLIER_FORMATS[0]
    assert len(old_store.read_bytes()) == len(before)
    assert not Path(f"{old_store}.converting").exists()


def test_a_missing_store_is_told_before_any_question(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(["store", "convert", "--path", str(tmp_path / "nope.alprdb"),
                        "--user", ADMIN[0]], capsys, monkeypatch, "")
    assert code == 1 and "No store at" in err


def test_a_store_updating_itself_on_the_way_in_says_so_on_stderr(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing in from the terminal to a store written before the newest migration (0025
    rebuilds the access log: ~15 s per million entries) says that the store is being
    updated, on stderr; an up-to-date store signs in without it."""
    path = tmp_path / "before.alprdb"
    everything = db._load_migrations()
    with monkeypatch.context() as m:
        m.setattr(db, "_load_migrations", lambda: everything[:-1])
        code, _, err = run(["store", "create", "--path", str(path), "--secrets-from-stdin"],
                           capsys, monkeypatch, "\n".join(LINES) + "\n")
    assert (code, err) == (0, "")
    argv = ["store", "convert", "--path", str(path), "--user", ADMIN[0]]
    code, out, err = run(argv, capsys, monkeypatch, ADMIN[1] + "\n")
    assert code == 0 and "nothing to convert" in out
    assert err == "alpr-desktop: updating the store for this version…\n"
    code, out, err = run(argv, capsys, monkeypatch, ADMIN[1] + "\n")
    assert (code, err) == (0, "")
