"""What every page of the import wizard shares: page ids, field labels, the choices offered,
the injectable pickers and small helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QWidget,
)

from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.services.import_files import (
    DELIMITER_NAMES,
    Mapping,
    guess_columns,  # noqa: F401  (re-exported)
)
from alpr_desktop.services.imports import ImportService
from alpr_desktop.services.workstation import ServiceSet as Services

FilePicker = Callable[[QWidget], Sequence[str]]
ImagesPicker = Callable[[QWidget, bool], str]  # (parent, folder?) -> path or ''
NamePrompt = Callable[[QWidget, str], str | None]
UrlOpener = Callable[[QUrl], Any]

PAGE_FILES, PAGE_MAPPING, PAGE_RUN, PAGE_SUMMARY = range(4)
FORMAT_NAMES = {"delimited": "Delimited text", "openalpr": "OpenALPR JSON",
                "genetec": "Genetec XML"}
NEW_MAPPING = "(new mapping)"
NOT_MAPPED = "—"
DATA_FILTER = (
    "Exports (*.csv *.tsv *.txt *.psv *.json *.jsonl *.ndjson *.xml);;All files (*)"
)

FIELD_LABELS: dict[str, str] = {
    "plate": "P&late:", "datetime": "Date and &time:", "date": "Date (own column):",
    "time": "Time (own column):", "camera": "Ca&mera:", "state": "State:",
    "direction": "Direction:", "make": "Make:", "model": "Model:", "color": "Color:",
    "body_type": "Body type:", "speed": "Speed:", "confidence": "Confidence:",
    "latitude": "Latitude:", "longitude": "Longitude:", "location": "Location:",
    "vendor_id": "Vendor read ID:", "crop_image": "Plate crop image:",
    "overview_image": "Overview image:", "plate_x": "Plate box x (px):",
    "plate_y": "Plate box y (px):", "plate_width": "Plate box width:",
    "plate_height": "Plate box height:", "camera_id": "Vendor camera ID:",
}

# MM is the month and mm the minutes, here as in the parser and the README.
DATETIME_FORMATS = (
    "iso8601", "MM/DD/YYYY - HH:mm:SS", "MM/DD/YYYY HH:mm:SS", "MM/DD/YYYY hh:mm:SS AM/PM",
    "YYYY-MM-DD HH:mm:SS", "DD.MM.YYYY HH:mm:SS", "epoch_s", "epoch_ms",
)
# The site's zone first: it is the default of a new mapping.
TIME_ZONES = (
    SITE_ZONE.key, "UTC", "America/Phoenix", "America/Denver", "America/Chicago",
    "America/New_York",
)
DELIMITER_CHOICES = (("Detect", None), *((n.capitalize(), d) for n, d in
                                         DELIMITER_NAMES.items()))


def fitted_size(widget: QWidget, wanted: QSize) -> QSize:
    """``wanted``, made smaller to fit the screen's free area (a 1024 x 700 screen, or 200 %
    scaling of a small one, leaves less)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    free = screen.availableGeometry().size()
    return QSize(min(wanted.width(), free.width() - 24), min(wanted.height(), free.height() - 48))


def new_mapping() -> Mapping:
    """A new mapping's defaults: times without an offset are in the site's zone."""
    return Mapping(timezone=SITE_ZONE.key)


def import_service(services: Services) -> ImportService:
    """The import service on a worker's connection."""
    return services.imports


def ask_files(parent: QWidget) -> Sequence[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, "Choose Export Files", "", DATA_FILTER)
    return files


def ask_images(parent: QWidget, folder: bool) -> str:
    if folder:
        return QFileDialog.getExistingDirectory(parent, "Choose the Image Folder")
    path, _ = QFileDialog.getOpenFileName(parent, "Choose the Image Archive", "",
                                          "ZIP archives (*.zip)")
    return path


def ask_mapping_name(parent: QWidget, current: str) -> str | None:
    name, ok = QInputDialog.getText(parent, "Save Mapping As", "Name of the mapping:",
                                    text=current)
    return name if ok else None


def count_lines(path: Path) -> int:
    """Physical lines (the run's progress estimate for delimited text; quoted newlines make it
    an upper bound)."""
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return n


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def wrapped_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


# -- page 1: files ---------------------------------------------------------------------------
