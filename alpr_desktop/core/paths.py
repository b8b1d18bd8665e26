"""Where stores live by default. ``ALPR_DESKTOP_HOME`` overrides (tests, portable installs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_dir() -> Path:
    override = os.environ.get("ALPR_DESKTOP_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "ALPR Desktop"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ALPR Desktop"
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "alpr-desktop"


def default_store_path() -> Path:
    return data_dir() / "stores" / "alpr.alprdb"


def demo_store_path() -> Path:
    return data_dir() / "demo" / "demo.alprdb"
