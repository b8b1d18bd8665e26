"""The help tutorials' pictures come from the real program (issue 17): the script drives the
program on a fresh demo store under a real X server (Xvfb, 1024x700) and writes every picture
the pages show, each a real, non-blank PNG. A page that names a picture the script does not
make, or a screen the script can no longer reach, fails here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_screenshot import xvfb

from alpr_desktop.gui.help import topics

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def test_the_script_makes_every_picture_the_pages_show(tmp_path: Path) -> None:
    try:
        display_cm = xvfb(1024, 700)
        display = display_cm.__enter__()
    except FileNotFoundError:
        pytest.skip("Xvfb is not installed")
    try:
        home = tmp_path / "home"
        home.mkdir()
        out = tmp_path / "pictures"
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "ALPR_DESKTOP_HOME": str(home), "TMPDIR": str(home), "HOME": str(home),
               "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
               "PYTHONPATH": str(REPO)}
        run = subprocess.run([sys.executable, str(REPO / "scripts" / "help_screenshots.py"),
                              str(out)], env=env, capture_output=True, text=True,
                             timeout=600, check=False)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    finally:
        display_cm.__exit__(None, None, None)
    wanted = {Path(name).name for t in topics.load_topics()
              for name in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", t.text)}
    made = {p.name for p in out.glob("*.png")}
    assert wanted <= made, sorted(wanted - made)
    from PySide6.QtGui import QImage

    for name in wanted:
        image = QImage(str(out / name))
        assert image.width() >= 200 and image.height() >= 100, name
        grays = {QImage.pixelColor(image, x, y).lightness()
                 for x in range(0, image.width(), 17) for y in range(0, image.height(), 13)}
        assert max(grays) - min(grays) > 50, f"{name} looks blank"
