"""Key custody against a real Secret Service: gnome-keyring inside its own D-Bus session. The
workstation secret lives there; a fresh keyring without it needs the recovery passphrase."""

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
from alpr_desktop.security import keys, passwords
from alpr_desktop.services import signin, stores
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.first_accounts import FirstAccount

keys.DEFAULT_KDF = keys.KDF_FLOOR = keys.KdfParams(n=2**12)
passwords.ITERATIONS = 1000
backend = type(keyring.get_keyring()).__module__
path = Path(sys.argv[1])
mode = sys.argv[2]
PASSWORD = "Harbor-Lights-88x!"
if mode == "create":
    with stores.create_new_store(path, "correct horse battery staple") as store:
        AuthService(store).create_first_accounts(
            FirstAccount("root", "Robin Root", "City IT", PASSWORD),
            FirstAccount("custodian1", "Casey Records", "City of Carson", "Ledger-Harbor-Quill-82"))
    signin.sign_in(path, "root", PASSWORD).store.close()  # the secret from the Secret Service
    print("OK", backend)
else:
    try:
        signin.sign_in(path, "root", PASSWORD).store.close()
        print("OPENED-WITHOUT-PASSPHRASE", backend)
    except stores.RecoveryRequired:
        with stores.recover_store(path, "correct horse battery staple") as store:
            AuthService(store).sign_in("root", PASSWORD)  # writes root's slot for the new secret
        signin.sign_in(path, "root", PASSWORD).store.close()
        print("PASSPHRASE", backend)
    except Exception as exc:
        print("REFUSED", type(exc).__name__, backend)
"""


def _in_keyring_session(tmp_path: Path, *args: str) -> str:
    inner = (
        "echo -n unlock-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        f'"{sys.executable}" "{tmp_path / "probe.py"}" ' + " ".join(f'"{a}"' for a in args)
    )
    env = {"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2]),  # this tree's package
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
    # A fresh keyring without the workstation secret: the passphrase, then sign-in again.
    shutil.rmtree(tmp_path / "home" / "data" / "keyrings", ignore_errors=True)
    second = _in_keyring_session(tmp_path, str(store), "reopen")
    assert second.startswith("PASSPHRASE"), second
