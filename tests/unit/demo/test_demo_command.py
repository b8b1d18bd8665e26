"""`alpr-desktop demo` and ensure_demo_store (`--demo`): output, refusal, reuse, Ctrl+C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alpr_desktop import cli
from alpr_desktop.core.paths import demo_store_path
from alpr_desktop.security import keys
from alpr_desktop.services import signin
from alpr_desktop.services.demo_accounts import DEMO_ACCOUNTS
from alpr_desktop.services.demo_store import DEMO_PASSPHRASE, ensure_demo_store
from alpr_desktop.services.stores import RecoveryRequired, recover_store
from alpr_desktop.storage.reads import ImageRepo, ReadRepo


def test_command_builds_prints_demo_marks_and_opens_without_keyring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], memory_keyring
) -> None:
    path = tmp_path / "d.alprdb"
    assert cli.main(["demo", "--store", str(path), "--reads", "150", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "demo:     150/150 reads (100%)" in out  # progress lines
    assert f"DEMO recovery passphrase (published, demo only): {DEMO_PASSPHRASE}" in out
    assert "DEMO store (synthetic data)" in out
    assert "DEMO account 'analyst'" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "d.alprdb", "d.alprdb.images", "d.alprdb.key", "d.alprdb.key.lock", "d.alprdb.signin"]
    assert (tmp_path / "d.alprdb.images").is_dir()  # the images moved in with the store
    # Each demo account's published password opens the store by signing in (its key slot).
    for account, password in DEMO_ACCOUNTS:
        opened = signin.sign_in(path, account.username, password)
        assert opened.session.username == account.username
        opened.store.close()
    memory_keyring.locked = True  # a machine with no keyring: the published passphrase opens it
    with pytest.raises(RecoveryRequired):
        signin.sign_in(path, "analyst", DEMO_ACCOUNTS[1][1])
    store = recover_store(path, DEMO_PASSPHRASE)
    try:
        assert store.is_demo
        assert ReadRepo(store).count() == 150 and ImageRepo(store).count() == 300
        assert store.get_setting("demo_seed") == "4"
    finally:
        store.close()


def test_quiet_and_no_images(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.alprdb"
    assert cli.main(["demo", "--store", str(path), "--reads", "80", "--no-images",
                     "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "demo:" not in out and "80 reads, 0 images" in out


def test_command_refuses_an_existing_path(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "taken.alprdb"
    path.write_bytes(b"keep me")
    assert cli.main(["demo", "--store", str(path), "--reads", "10", "--quiet"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_bytes() == b"keep me"
    assert cli.main(["demo", "--store", str(tmp_path / "n.alprdb"), "--reads", "-1"]) == 2


def test_ensure_builds_once_then_reuses(app_home: Path) -> None:
    calls: list[int] = []
    path = ensure_demo_store(reads=60, progress=lambda d, t: calls.append(d))
    assert path == demo_store_path() and path.is_relative_to(app_home)
    assert calls and calls[-1] == 60
    stamp = path.stat().st_mtime_ns
    assert ensure_demo_store(reads=60, progress=lambda d, t: calls.append(-1)) == path
    assert -1 not in calls and path.stat().st_mtime_ns == stamp


def test_ensure_rebuilds_a_store_without_key_and_clears_leftovers(tmp_path: Path) -> None:
    path = tmp_path / "demo.alprdb"
    path.write_bytes(b"half")  # no key file: cannot be opened, so it is not a demo store
    Path(f"{path}.partial").write_bytes(b"left from a crash")
    assert ensure_demo_store(path, reads=40) == path
    assert keys.keyfile_path(path).is_file()
    assert not Path(f"{path}.partial").exists()
    store = recover_store(path, DEMO_PASSPHRASE)
    try:
        assert ReadRepo(store).count() == 40
    finally:
        store.close()


@pytest.mark.slow
def test_ctrl_c_deletes_the_half_built_store(tmp_path: Path) -> None:
    path = tmp_path / "big.alprdb"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
           "ALPR_DESKTOP_HOME": str(tmp_path / "home")}
    with subprocess.Popen(
        [sys.executable, "-m", "alpr_desktop", "demo", "--store", str(path), "--reads",
         "20000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        # A test run started in the background by a shell ignores SIGINT, and an ignored
        # signal stays ignored across exec (Python then never raises KeyboardInterrupt):
        # the child gets the default, as a program started from a terminal has.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as proc:
        try:
            first = proc.stdout.readline()
            assert first.startswith("demo:"), first
            deadline = time.monotonic() + 30
            while not Path(f"{path}.partial").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert list(tmp_path.glob("big.alprdb*")) == []
