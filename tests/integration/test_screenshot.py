"""The real program on a real X server (Xvfb): start it on a store, wait for the main window,
grab the screen, check the picture is not empty.

This file is also its own driver: ``python tests/integration/test_screenshot.py --driver …``
runs inside the X session, starts the program through ``alpr_desktop.app.launch`` (the same
composition root ``alpr-desktop`` uses) and saves the screenshot once the store is open.
Without ``--driver`` it starts Xvfb itself and runs the driver, which is how
``scripts/screenshot.sh`` refreshes ``docs/screenshots/main_window.png``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

SCREEN_W, SCREEN_H = 1280, 800
REPO = Path(__file__).resolve().parents[2]


# -- Xvfb --------------------------------------------------------------------------------------
@contextlib.contextmanager
def xvfb(width: int = SCREEN_W, height: int = SCREEN_H) -> Iterator[str]:
    """Start Xvfb on a display number it picks itself (-displayfd: no race with other servers)
    and yield ``":N"``; stop it afterwards."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise FileNotFoundError("Xvfb")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        number = b""
        deadline = time.monotonic() + 15
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                chunk = pipe.read(16)
                if not chunk:
                    break
                number += chunk
        if not number.strip().isdigit():
            raise RuntimeError(f"Xvfb did not report a display (exit code {proc.poll()})")
        yield f":{int(number)}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


ADMIN_PASSWORD = "Harbor-Lights-88x!"


# -- driver (runs in the child process, inside the X session) -----------------------------------
class SeededKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring filled from a JSON file, so the child never touches the user's."""

    priority = 1

    def __init__(self, secrets: dict[str, str]) -> None:
        super().__init__()
        self.secrets = dict(secrets)

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[f"{service}\n{username}"] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop(f"{service}\n{username}", None)


def driver(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", type=Path, required=True, help="PNG of the whole screen")
    p.add_argument("--window-out", type=Path, help="PNG of the main window only")
    p.add_argument("--store", type=Path)
    p.add_argument("--demo", action="store_true")
    p.add_argument("--keyring-json", type=Path)
    p.add_argument("--user", help="sign in as this user (password in ALPR_SCREENSHOT_PASSWORD)")
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args(argv)
    secrets = json.loads(args.keyring_json.read_text()) if args.keyring_json else {}
    keyring.set_keyring(SeededKeyring(secrets))

    from PySide6.QtCore import QTimer

    from alpr_desktop.app import launch

    app, shell = launch(store=args.store, demo=args.demo)

    def shoot() -> None:
        screen = app.primaryScreen()
        pixmap = screen.grabWindow(0)
        pixmap.save(str(args.out), "PNG")
        if args.window_out:
            screen.grabWindow(shell.window.winId()).save(str(args.window_out), "PNG")
        print(f"screenshot {pixmap.width()}x{pixmap.height()} {args.out}", flush=True)
        app.quit()

    def on_opened(_info: object) -> None:
        QTimer.singleShot(800, shoot)  # let the window map and paint

    def give_up() -> None:
        print(f"timeout: no store opened; waiting on {shell.dialog!r}", flush=True)
        app.exit(3)

    def sign_in_when_asked() -> None:
        """Signing in opens the store: answer the shell's sign-in dialog as a user would."""
        from alpr_desktop.gui.dialogs.sign_in import SignInDialog

        dialog = shell.dialog
        if isinstance(dialog, SignInDialog) and dialog.isVisible():
            if not dialog.acknowledged:
                dialog.acknowledge()
                dialog.ui.usernameEdit.setText(args.user)
                dialog.ui.passwordEdit.setText(os.environ["ALPR_SCREENSHOT_PASSWORD"])
                dialog.ok_button.click()
            return
        if shell.store is None:
            QTimer.singleShot(200, sign_in_when_asked)

    shell.store_opened.connect(on_opened)
    if args.user:
        QTimer.singleShot(200, sign_in_when_asked)
    QTimer.singleShot(int(args.timeout * 1000), give_up)
    return app.exec()


def run_driver(
    display: str, home: Path, *extra: str, timeout: float = 90, password: str = ADMIN_PASSWORD
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "ALPR_SCREENSHOT_PASSWORD": password,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "ALPR_DESKTOP_HOME": str(home),
    }
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--driver", *extra],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# -- the test ----------------------------------------------------------------------------------
@pytest.mark.integration
def test_real_program_under_xvfb_shows_main_window(tmp_path: Path, monkeypatch, memory_keyring):
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (scripts/setup.sh installs it)")
    import numpy as np
    from PySide6.QtGui import QImage

    from alpr_desktop.security import keys
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.services.first_accounts import FirstAccount
    from alpr_desktop.services.stores import create_new_store

    # the program's floor: the driver (another process) reads this key file
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**15))
    store_path = tmp_path / "home" / "stores" / "screenshot.alprdb"
    with create_new_store(store_path, "screenshot passphrase") as store:
        AuthService(store).create_first_accounts(
            FirstAccount("root", "Robin Root", "City IT", ADMIN_PASSWORD),
            FirstAccount("custodian1", "Casey Records", "City of Carson", "Ledger-Harbor-Quill-82"))
    secrets = {f"{s}\n{u}": v for (s, u), v in memory_keyring.secrets.items()}
    keyring_json = tmp_path / "keyring.json"
    keyring_json.write_text(json.dumps(secrets))
    out = tmp_path / "screen.png"

    with xvfb() as display:
        proc = run_driver(
            display,
            tmp_path / "home",
            "--out", str(out),
            "--store", str(store_path),
            "--keyring-json", str(keyring_json),
            "--user", "root",
        )
    assert proc.returncode == 0, f"driver failed:\n{proc.stdout}\n{proc.stderr}"
    assert out.is_file()

    image = QImage(str(out)).convertToFormat(QImage.Format.Format_RGB32)
    assert (image.width(), image.height()) == (SCREEN_W, SCREEN_H)
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    pixels = raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]
    rgb = pixels.reshape(image.height(), image.width(), 4)[:, :, :3]
    assert rgb.std() > 10, "the screenshot is uniform: nothing was drawn"
    covered = (rgb.sum(axis=2) > 0).mean()
    assert covered > 0.5, f"the window covers only {covered:.0%} of the screen"
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 20  # text, widgets, not a flat fill


def main(argv: list[str]) -> int:
    """Standalone: start Xvfb, run the driver, copy the PNGs where asked."""
    if argv and argv[0] == "--driver":
        return driver(argv[1:])
    p = argparse.ArgumentParser(description="screenshot the program under Xvfb")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--window-out", type=Path)
    p.add_argument("--home", type=Path, required=True, help="ALPR_DESKTOP_HOME for the run")
    p.add_argument("--demo", action="store_true")
    p.add_argument("--store", type=Path)
    p.add_argument("--timeout", type=float, default=300)
    args = p.parse_args(argv)
    extra = ["--out", str(args.out.resolve()), "--timeout", str(args.timeout)]
    if args.window_out:
        extra += ["--window-out", str(args.window_out.resolve())]
    password = ADMIN_PASSWORD
    if args.demo:
        # Signing in opens the demo store (issue 10): as its analyst, as a user would.
        from alpr_desktop.services.demo_accounts import DEMO_ACCOUNTS

        extra += ["--demo", "--user", "analyst"]
        password = next(pw for a, pw in DEMO_ACCOUNTS if a.username == "analyst")
    if args.store:
        extra += ["--store", str(args.store)]
    with xvfb() as display:
        proc = run_driver(display, args.home, *extra, timeout=args.timeout + 30,
                          password=password)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
