"""Key custody against a real Secret Service: gnome-keyring inside its own D-Bus session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

_SCRIPT = r"""
import sys
from pathlib import Path
import keyring
from alpr_desktop.security import keys
from alpr_desktop.services import stores

keys.DEFAULT_KDF = keys.KDF_FLOOR = keys.KdfParams(n=2**12)
backend = type(keyring.get_keyring()).__module__
path = Path(sys.argv[1])
mode = sys.argv[2]
if mode == "create":
    stores.create_new_store(path, "correct horse battery staple").close()
    stores.unlock_store(path).close()  # by keyring, no passphrase
    print("OK", backend)
else:
    try:
        stores.unlock_store(path).close()
        print("OPENED-WITHOUT-PASSPHRASE", backend)
    except stores.PassphraseRequired:
        stores.unlock_store(path, "correct horse battery staple", remember=False).close()
        print("PASSPHRASE", backend)
"""


def _in_keyring_session(tmp_path: Path, *args: str) -> str:
    inner = (
        "echo -n unlock-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        f'"{sys.executable}" "{tmp_path / "probe.py"}" ' + " ".join(f'"{a}"' for a in args)
    )
    env = {"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin",
           "XDG_DATA_HOME": str(tmp_path / "home" / "data")}
    out = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", inner],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.skipif(
    not (shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session")),
    reason="gnome-keyring and dbus are installed by scripts/setup.sh",
)
def test_store_key_round_trips_through_secret_service(tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    (tmp_path / "probe.py").write_text(_SCRIPT)
    store = tmp_path / "real.alprdb"
    first = _in_keyring_session(tmp_path, str(store), "create")
    assert first.startswith("OK"), first
    assert "SecretService" in first
    # A fresh session whose keyring lacks the entry falls back to the passphrase, no crash.
    shutil.rmtree(tmp_path / "home" / "data" / "keyrings", ignore_errors=True)
    second = _in_keyring_session(tmp_path, str(store), "reopen")
    assert second.startswith("PASSPHRASE"), second
