"""The QApplication and QSettings the program runs with.

QSettings hold UI preferences and the last store's path only, never data (DESIGN rules 5, 9).
When ``ALPR_DESKTOP_HOME`` is set (tests, portable installs) they live in an INI file there, so
a test run or a USB-stick install never touches the user's own settings.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib import resources

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from alpr_desktop import APP_NAME, __version__
from alpr_desktop.core import paths

ORGANIZATION = "City of Carson"
ORGANIZATION_DOMAIN = "carson.ca.us"
SETTINGS_APP = "ALPR Desktop"


def app_icon() -> QIcon:
    icon_file = resources.files("alpr_desktop").joinpath("resources/app-icon.svg")
    with resources.as_file(icon_file) as p:
        return QIcon(str(p))


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings and the desktop know who we are."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setApplicationName(SETTINGS_APP)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("alpr-desktop")
    app.setWindowIcon(app_icon())
    return app


def open_settings() -> QSettings:
    if os.environ.get("ALPR_DESKTOP_HOME"):
        return QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, SETTINGS_APP)
