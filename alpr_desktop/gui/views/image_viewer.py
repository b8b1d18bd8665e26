"""The image viewer: a read's plate crop and overview, enhanced on a copy, checked, disclosed.

Opening a read goes through ImageService.open_read_images on a worker: the gate logs the view
("image.view", read, purpose) in the transaction that fetches the bytes, and only after that
call returns does the same worker decode them (imaging.decode, within limits). The SHA-256 of
each stored image is checked on every open and shown; a mismatch is a red warning.

Enhancements run on a worker over the decoded originals and return new arrays; the originals
and the stored bytes are never touched, and every pane says when what it shows is enhanced.
Slider changes are coalesced by a single-shot timer and at most one enhancement runs at a time,
so a drag never queues work faster than it is done.

An image leaves the viewer in one of two ways, each with its own dialog, logged before
anything is copied or written (issue 12):

* Copy… and Save… keep it for the analyst's own case file: an export under the active purpose.
* Disclose… hands it to another agency: the dialog names the agency and its request, and the
  service logs (or refuses) the disclosure.

Every shortcut is listed in the tooltips and in a help overlay (F1 or ?). The arrow keys move
between reads, except while a slider has the focus (then they move the slider).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSlider,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.accounts import AccessContext, ActivePurpose
from alpr_desktop.core.clock import format_local, format_utc
from alpr_desktop.core.models import Read
from alpr_desktop.core.owner_only import write_private
from alpr_desktop.core.read_display import confidence_text, state_text
from alpr_desktop.core.recipients import check_recipient
from alpr_desktop.gui import palette, purged_reads
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Controller, RunWork
from alpr_desktop.gui.errors import explain, show_error
from alpr_desktop.gui.purged_reads import DELETED_TEXT
from alpr_desktop.gui.widgets.image_pane import ImagePane, to_qimage
from alpr_desktop.gui.workers import run_task
from alpr_desktop.services import enhance
from alpr_desktop.services.enhance import display_bgra
from alpr_desktop.services.images import (
    DisclosureReceipt,
    DisclosureRequest,
    ExportReceipt,
    ExportRequest,
    ImageService,
    NoSuchRead,
    OpenedRead,
    ShownImage,
    default_image_name,
    open_for_viewing,
)

KINDS = ("crop", "overview")
KIND_LABELS = {"crop": "Plate crop", "overview": "Overview"}
COALESCE_MS = 15
OK_STYLE = palette.text_style(palette.GOOD_TEXT)
WARN_STYLE = palette.text_style(palette.ERROR_TEXT, bold=True)
ENHANCED_STYLE = palette.badge_style(palette.ALTERED_BADGE)
ORIGINAL_STYLE = palette.badge_style(palette.GOOD_BADGE)
HELP_STYLE = (f"QFrame#viewerHelp {{ background: {palette.HELP_BACKGROUND}; "
              f"border: 2px solid {palette.HELP_BORDER}; }} "
              + palette.text_style(palette.HELP_TEXT, selector="QLabel"))
# (keys, what they do): registered as shortcuts and listed in the help overlay and tooltips.
SHORTCUT_HELP = (
    ("←  ↑  PgUp  Alt+Left", "Previous result"),
    ("→  ↓  PgDown  Alt+Right", "Next result"),
    ("F", "Fit the image to its pane"),
    ("1", "One stored pixel per screen pixel"),
    ("+  −  (or Ctrl++ / Ctrl+−, the mouse wheel)", "Zoom in / out"),
    ("R", "Rotate 90° clockwise"),
    ("C", "Compare with a second read"),
    ("Ctrl+C", "Copy the selected image for your case file (logged export)"),
    ("Ctrl+S", "Save the selected image for your case file (logged export)"),
    ("Ctrl+D", "Disclose the selected image to another agency (logged disclosure)"),
    ("Ctrl+0", "Reset the enhancements to the original"),
    ("Tab", "Move through the enhancement controls (←/→ then move a slider)"),
    ("?", "Show or hide this list"),
    ("F1", "Open the image viewer's tutorial"),
    ("Esc", "Close this list, then the viewer"),
)


# -- where the viewer gets its data ---------------------------------------------------------------
ServiceWork = Callable[[ImageService, AccessContext], Any]


class ImageSource(Protocol):
    """Runs ``work(image_service, ctx)`` on a worker with its own connection and delivers the
    result on the GUI thread; puts an image on the clipboard marked as this program's."""

    def run(self, work: ServiceWork, on_result: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None: ...

    def copy_image(self, image: QImage, label: str) -> None: ...

    def clear_copy(self) -> None: ...


class ControllerImageSource:
    """The viewer's source in the application: the session controller's workers and lock;
    ``run``, the search screen's kept connection when it opens the viewer (run_kept)."""

    def __init__(self, controller: Controller, run: RunWork | None = None) -> None:
        self.controller = controller
        self._run = controller.run if run is None else run

    def purpose(self) -> ActivePurpose | None:
        """The purpose the export and disclosure dialogs name."""
        return self.controller.purpose

    def run(self, work: ServiceWork, on_result: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        self._run(lambda s, ctx: work(s.images, ctx), on_result, on_error)

    def copy_image(self, image: QImage, label: str) -> None:
        """Copy through the controller, so a lock or sign-out clears it too."""
        self.controller.copy_image(image, label)

    def clear_copy(self) -> None:
        self.controller.clear_own_clipboard()

    def bind(self, viewer: ImageViewer) -> None:
        """A lock, a sign-out or the end of the purpose closes the viewer."""
        c = self.controller
        c.locked.connect(viewer.close)
        c.signed_out.connect(viewer.close)
        c.purpose_changed.connect(viewer.purpose_changed)  # a bound slot: auto-disconnects




def _prepare(images: Mapping[str, np.ndarray | None]) -> dict[str, QImage]:
    """Screen-ready QImages, built on the worker so the GUI thread only wraps them."""
    return {k: to_qimage(display_bgra(a)) for k, a in images.items() if a is not None}


# -- formatting ---------------------------------------------------------------------------------
def _conf(value: float) -> str:
    return confidence_text(value, 1)  # stored 0-1 (migration 0004); 0: unknown, "—"


def read_fields(read: Read, match_kind: str = "") -> list[tuple[str, str]]:
    vehicle = " ".join(x for x in (read.color, read.make, read.model) if x)
    if read.body_type:
        vehicle = f"{vehicle} ({read.body_type})" if vehicle else read.body_type
    alts = ", ".join(f"{p} {_conf(c)}" for p, c in read.candidates) or "none"
    return [
        ("Time", f"{format_local(read.recorded_at * 1000)}  ({format_utc(read.recorded_at)})"),
        ("Plate", read.plate + (f"  [{read.plate_norm}]" if read.plate != read.plate_norm
                                else "")),
        ("State", state_text(read.state)),
        ("Match", match_kind or "—"),
        ("Camera", read.camera_name),
        ("Location", read.location or "—"),
        ("Direction", read.direction or "—"),
        ("Vehicle", vehicle or "—"),
        ("Speed", f"{read.speed:.0f} mph" if read.speed is not None else "—"),
        ("Confidence", _conf(read.confidence)),
        ("Alternates", alts),
    ]


# -- one read on screen -------------------------------------------------------------------------
class ReadPanel(QFrame):
    """Crop and overview side by side, the read's fields and the hash lines."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.read_id: int | None = None
        self.opened: OpenedRead | None = None
        self.originals: dict[str, np.ndarray] = {}
        self.original_images: dict[str, QImage] = {}  # screen-ready, for an instant reset
        self.shown: dict[str, np.ndarray] = {}
        self.header = QLabel()
        self.header.setObjectName("readHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.header.setFont(font)
        self.panes = {k: ImagePane(KIND_LABELS[k]) for k in KINDS}
        self.images = QSplitter(Qt.Orientation.Horizontal)
        self.images.addWidget(self.panes["crop"])
        self.images.addWidget(self.panes["overview"])
        self.images.setStretchFactor(0, 2)
        self.images.setStretchFactor(1, 3)
        self.images.setSizes([380, 620])  # the scene needs the room; the crop is small
        self.fields = QFormLayout()
        self.fields.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.field_labels: dict[str, QLabel] = {}
        for title, _ in read_fields(_BLANK):
            value = QLabel("—")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.field_labels[title] = value
        grid = QGridLayout()
        titles = list(self.field_labels)
        half = (len(titles) + 1) // 2
        for i, title in enumerate(titles):
            col, row = divmod(i, half)
            head = QLabel(f"{title}:")
            head.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(head, row, col * 2)
            grid.addWidget(self.field_labels[title], row, col * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.hash_labels = {k: QLabel() for k in KINDS}
        for k, label in self.hash_labels.items():
            label.setObjectName(f"hash_{k}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.header)
        layout.addWidget(self.images, 1)
        layout.addLayout(grid)
        for k in KINDS:
            layout.addWidget(self.hash_labels[k])

    def show_loading(self, read_id: int) -> None:
        self.read_id = read_id
        self.opened = None
        self.originals, self.shown = {}, {}
        self.header.setText(f"Read #{read_id}: opening…")
        for pane in self.panes.values():
            pane.set_placeholder("Opening…")
        for label in self.hash_labels.values():
            label.setText("")

    def show_failure(self, read_id: int, sentence: str) -> None:
        self.read_id = read_id
        self.opened = None
        self.originals, self.shown = {}, {}
        self.header.setText(f"Read #{read_id}: not shown")
        for pane in self.panes.values():
            pane.set_placeholder(sentence)
        for label in self.hash_labels.values():
            label.setText("")

    def show_deleted(self, read_id: int) -> None:
        """The purge deleted this read while it was shown: no picture, no field, and why."""
        self.drop()
        self.read_id = read_id
        self.header.setText(f"Read #{read_id}: deleted under retention")
        for pane in self.panes.values():
            pane.set_placeholder(DELETED_TEXT)
        for value in self.field_labels.values():
            value.setText("—")
        for label in self.hash_labels.values():
            label.setText("")

    def show_opened(self, opened: OpenedRead, match_kind: str,
                    prepared: Mapping[str, QImage] | None = None) -> None:
        self.opened = opened
        self.read_id = opened.read.id
        read = opened.read
        self.header.setText(f"{read.plate}  ·  {state_text(read.state)}  ·  "
                            f"{format_local(read.recorded_at * 1000)}  ·  read #{read.id}")
        for title, value in read_fields(read, match_kind):
            self.field_labels[title].setText(value)
        self.originals, self.shown = {}, {}
        self.original_images = dict(prepared or {})
        for kind in KINDS:
            shown = opened.image(kind)
            pane = self.panes[kind]
            pane.enhanced = False
            pane.derived = shown.derived
            if shown.decoded.ok and shown.decoded.image is not None:
                self.originals[kind] = shown.decoded.image
                self.shown[kind] = shown.decoded.image
                bbox = shown.checked.blob.bbox if shown.checked and kind == "overview" else None
                pane.set_image(shown.decoded.image, bbox, prepared=(prepared or {}).get(kind))
            else:
                pane.set_placeholder(shown.decoded.message)
            self._show_hash(kind, shown)

    def _show_hash(self, kind: str, shown: ShownImage) -> None:
        label = self.hash_labels[kind]
        if shown.derived:
            label.setText(f"{KIND_LABELS[kind]}: {shown.decoded.message}")
            label.setStyleSheet(WARN_STYLE)
            label.setProperty("verified", False)
            return
        if shown.checked is None:
            label.setText(f"{KIND_LABELS[kind]}: none stored.")
            label.setStyleSheet("")
            return
        integ = shown.checked.integrity
        label.setText(f"{KIND_LABELS[kind]}: {integ.message}")
        label.setStyleSheet(OK_STYLE if integ.ok else WARN_STYLE)
        label.setProperty("verified", integ.ok)

    def show_originals(self) -> None:
        self.show_arrays(dict(self.originals), False, self.original_images)

    def show_arrays(self, arrays: Mapping[str, np.ndarray], enhanced: bool,
                    prepared: Mapping[str, QImage] | None = None) -> None:
        for kind, arr in arrays.items():
            if kind in self.originals:
                self.shown[kind] = arr
                pane = self.panes[kind]
                pane.enhanced = enhanced
                pane.set_image(arr, None, keep_view=True, prepared=(prepared or {}).get(kind))
                pane.viewport().update()

    def drop(self) -> None:
        """Forget the pictures (the viewer closes, the session locks)."""
        self.opened = None
        self.originals, self.shown, self.original_images = {}, {}, {}
        for pane in self.panes.values():
            pane.clear()

    def set_vertical(self, vertical: bool) -> None:
        self.images.setOrientation(Qt.Orientation.Vertical if vertical
                                   else Qt.Orientation.Horizontal)


_BLANK = Read(0, "", "", "", 0, 0, "", "", "", "", "", "", "", None, 0.0)


# -- the disclosure dialog ------------------------------------------------------------------------
class DisclosureDialog(QDialog):
    """Copy or Save as: who receives the image, on whose request, and in which rendition."""

    def __init__(self, kind: str, what: str, enhanced_available: bool, default_path: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName("disclosureDialog")
        self.setWindowTitle("Copy image for another agency — disclosure" if kind == "copy"
                            else "Save image for another agency — disclosure")
        intro = QLabel(
            f"{what}\n\nA disclosure hands ALPR data to another agency. It is logged with the "
            "receiving agency and its request. California law allows only California state or "
            "local law-enforcement and prosecutorial agencies to receive it.\n\nWhat this "
            "dialog does today: it checks the agency name you type against that rule and logs "
            "the disclosure with it. It does not look the agency up in a registry or track "
            "the request (a later version adds both)."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.agencyEdit = QLineEdit()
        self.agencyEdit.setObjectName("agencyEdit")
        self.agencyEdit.setPlaceholderText("e.g. Los Angeles County District Attorney")
        self.requestEdit = QLineEdit()
        self.requestEdit.setObjectName("requestEdit")
        self.requestEdit.setPlaceholderText("their request or case reference")
        self.confirmCheck = QCheckBox(
            "I confirm the recipient is a California state or local law-enforcement or "
            "prosecutorial agency."
        )
        self.originalRadio = QRadioButton("Original as stored (hash-verified bytes)")
        self.enhancedRadio = QRadioButton("As shown, enhanced (a new PNG, named as enhanced)")
        self.originalRadio.setChecked(True)
        self.enhancedRadio.setEnabled(enhanced_available)
        self.pathEdit = QLineEdit(default_path)
        self.pathEdit.setObjectName("pathEdit")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        form = QFormLayout()
        form.addRow("Receiving &agency:", self.agencyEdit)
        form.addRow("&Request reference:", self.requestEdit)
        form.addRow("", self.confirmCheck)
        form.addRow("Image:", self.originalRadio)
        form.addRow("", self.enhancedRadio)
        if kind == "save":
            form.addRow(_path_label(self.pathEdit), _path_row(self.pathEdit, browse))
        self.problem = QLabel()
        self.problem.setObjectName("problemLabel")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(WARN_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Log and copy" if kind == "copy" else "Log and save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for w in (self.agencyEdit, self.requestEdit, self.pathEdit):
            w.textChanged.connect(self._check)
        self.confirmCheck.toggled.connect(self._check)
        self._check()
        name_controls(self)

    @property
    def enhanced(self) -> bool:
        return self.enhancedRadio.isChecked()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save image as", self.pathEdit.text())
        if path:
            self.pathEdit.setText(path)

    def _check(self) -> None:
        d = check_recipient(self.agencyEdit.text(),
                            california_agency_confirmed=self.confirmCheck.isChecked(),
                            request_ref=self.requestEdit.text())
        ok = d.allowed and (self.kind == "copy" or bool(self.pathEdit.text().strip()))
        shown = d.message if (self.agencyEdit.text() or self.requestEdit.text()) else ""
        if d.allowed and not ok:
            shown = "Choose where to save the file."
        self.problem.setText(shown)
        self.ok_button.setEnabled(ok)


def _path_label(edit: QLineEdit) -> QLabel:
    """"Save to:" with its mnemonic going to the path field (a label without a buddy would
    show the '&')."""
    label = QLabel("Save &to:")
    label.setBuddy(edit)
    return label


def _path_row(edit: QLineEdit, browse: QPushButton) -> QWidget:
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(edit, 1)
    lay.addWidget(browse)
    browse.setAccessibleName("Browse for the file")
    return row


class ExportDialog(QDialog):
    """Copy or save an image for the analyst's own case file: an export under the active
    purpose, logged as such. No other agency is involved (that is Disclose…)."""

    def __init__(self, kind: str, what: str, purpose_line: str, enhanced_available: bool,
                 default_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName("exportDialog")
        self.setWindowTitle("Copy image for your case file" if kind == "copy"
                            else "Save image for your case file")
        intro = QLabel(
            f"{what}\n\nThis keeps the image for your own case file under your active "
            f"purpose ({purpose_line}). It is logged as an export with that purpose. It is "
            "not a disclosure: to give the image to another agency, use Disclose… instead.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.originalRadio = QRadioButton("&Original as stored (hash-verified bytes)")
        self.enhancedRadio = QRadioButton("As shown, &enhanced (a new PNG, named as enhanced)")
        self.originalRadio.setChecked(True)
        self.enhancedRadio.setEnabled(enhanced_available)
        self.pathEdit = QLineEdit(default_path)
        self.pathEdit.setObjectName("pathEdit")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        form = QFormLayout()
        form.addRow("Image:", self.originalRadio)
        form.addRow("", self.enhancedRadio)
        if kind == "save":
            form.addRow(_path_label(self.pathEdit), _path_row(self.pathEdit, browse))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Log and copy" if kind == "copy" else "Log and save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.pathEdit.textChanged.connect(self._check)
        self._check()
        name_controls(self)
        self.setMinimumWidth(min(560, self.sizeHint().width()))

    @property
    def enhanced(self) -> bool:
        return self.enhancedRadio.isChecked()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save image for your case file",
                                              self.pathEdit.text())
        if path:
            self.pathEdit.setText(path)

    def _check(self) -> None:
        self.ok_button.setEnabled(self.kind == "copy" or bool(self.pathEdit.text().strip()))


class HelpOverlay(QFrame):
    """The viewer's shortcuts, over the pictures until F1, ? or Esc hides it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("viewerHelp")
        self.setStyleSheet(HELP_STYLE)
        self.setAccessibleName("Keyboard shortcuts of the image viewer")
        from html import escape

        rows = "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(v)}</td></tr>"
                       for k, v in SHORTCUT_HELP)
        self.text = QLabel(f"<h3>Keyboard shortcuts</h3><table>{rows}</table>")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        parent = self.parentWidget()
        self.adjustSize()
        if parent is not None:
            size = self.sizeHint()
            self.setGeometry(max(0, (parent.width() - size.width()) // 2),
                             max(0, (parent.height() - size.height()) // 3),
                             min(size.width(), parent.width()), min(size.height(),
                                                                    parent.height()))
        self.show()
        self.raise_()


# -- the viewer window ----------------------------------------------------------------------------
class ImageViewer(QDialog):
    """Non-modal window over a list of result read ids; ``read_opened`` after each open."""

    read_opened = Signal(int)
    disclosed = Signal(object)  # DisclosureReceipt

    def __init__(self, source: ImageSource, read_id: int, result_ids: Sequence[int] = (),
                 *, match_kinds: Mapping[int, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageViewer")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowMinimizeButtonHint, True)
        self.source = source
        ids = [int(i) for i in result_ids] or [int(read_id)]
        if int(read_id) not in ids:
            ids.insert(0, int(read_id))
        self.result_ids = ids
        self.index = ids.index(int(read_id))
        self.match_kinds = dict(match_kinds or {})
        self._open_token = [0, 0]
        self._enhance_gen = 0
        self._enhance_busy = False
        self._enhance_again = False
        self.disclosure_dialog: DisclosureDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.last_receipt: DisclosureReceipt | None = None
        self.last_export: ExportReceipt | None = None
        self.last_error: str = ""
        self._dropped = False

        self.panels = [ReadPanel("primaryPanel"), ReadPanel("comparePanel")]
        self.panels[1].setVisible(False)
        self.active_pane: ImagePane = self.panels[0].panes["crop"]
        for panel in self.panels:
            for pane in panel.panes.values():
                pane.activated.connect(lambda p=pane: self.set_active_pane(p))
                pane.zoom_changed.connect(lambda _z, p=pane: self._zoom_shown(p))

        self._build_toolbar()
        self._build_enhance_panel()
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.panels[0])
        self.split.addWidget(self.panels[1])
        self.statusLabel = QLabel()
        self.statusLabel.setObjectName("viewerStatus")
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.statusLabel.setWordWrap(True)
        body = QHBoxLayout()
        body.addWidget(self.split, 1)
        body.addWidget(self.enhanceBox)
        layout = QVBoxLayout(self)
        for row in self.toolbarRows:
            layout.addLayout(row)
        layout.addLayout(body, 1)
        layout.addWidget(self.statusLabel)
        self._shortcuts()
        self.enhance_timer = QTimer(self)
        self.enhance_timer.setSingleShot(True)
        self.enhance_timer.setInterval(COALESCE_MS)
        self.enhance_timer.timeout.connect(self._start_enhance)
        self.finished.connect(self._drop)
        self.helpOverlay = HelpOverlay(self)
        name_controls(self)
        self.resize(1380, 860)
        self.set_active_pane(self.active_pane)
        bind = getattr(source, "bind", None)
        if bind is not None:
            bind(self)
        purged_reads.hub().purged.connect(self._reads_purged)
        purged_reads.track(self.shown_read_ids)  # for purges by other processes
        self.open_index(self.index)

    def shown_read_ids(self) -> list[int]:
        return list(self.result_ids)

    # -- building ----------------------------------------------------------------------------
    def _button(self, text: str, name: str, slot: Callable[[], object], tip: str) -> QToolButton:
        b = QToolButton()
        b.setText(text)
        b.setAutoRaise(False)
        b.setObjectName(name)
        b.setToolTip(tip)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        self.toolbar.addWidget(b)
        return b

    def _build_toolbar(self) -> None:
        """Two rows, so the window fits 1024 pixels: moving and zooming, then what leaves."""
        self.toolbar = QHBoxLayout()
        self.toolbarRows = [self.toolbar]
        self.prevButton = self._button("◀ Previous", "prevButton", self.previous,
                                       "Previous result (←, ↑, PgUp, Alt+Left)")
        self.positionLabel = QLabel()
        self.positionLabel.setObjectName("positionLabel")
        self.toolbar.addWidget(self.positionLabel)
        self.nextButton = self._button("Next ▶", "nextButton", self.next,
                                       "Next result (→, ↓, PgDown, Alt+Right)")
        self.toolbar.addSpacing(12)
        self._button("Fit", "fitButton", lambda: self.active_pane.fit(), "Fit to pane (F)")
        self._button("1:1", "actualButton", lambda: self.active_pane.actual_size(),
                     "One stored pixel per screen pixel (1)")
        self._button("+", "zoomInButton", lambda: self.active_pane.zoom_in(), "Zoom in (+)")
        self._button("−", "zoomOutButton", lambda: self.active_pane.zoom_out(), "Zoom out (−)")
        self._button("Rotate", "rotateButton", lambda: self.active_pane.rotate_by(90),
                     "Rotate 90° clockwise (R)")
        self.zoomLabel = QLabel()
        self.zoomLabel.setObjectName("zoomLabel")
        self.zoomLabel.setMinimumWidth(110)
        self.toolbar.addWidget(self.zoomLabel)
        self.toolbar.addSpacing(12)
        self.compareButton = self._button("Compare", "compareButton", self.toggle_compare,
                                          "Show a second read beside this one (C)")
        self.compareButton.setCheckable(True)
        self.compareCombo = QComboBox()
        self.compareCombo.setObjectName("compareCombo")
        self.compareCombo.setToolTip("The read shown beside this one when comparing")
        self.compareCombo.setAccessibleName("Read to compare")
        self.compareCombo.setMinimumContentsLength(16)
        self.compareCombo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for rid in self.result_ids:
            self.compareCombo.addItem(f"Read #{rid}", rid)
        self.compareCombo.setEnabled(len(self.result_ids) > 1)
        self.compareButton.setEnabled(len(self.result_ids) > 1)
        self.compareCombo.activated.connect(self._compare_choice)
        self.toolbar.addWidget(self.compareCombo)
        self.toolbar.addStretch(1)
        self.toolbar = QHBoxLayout()
        self.toolbarRows.append(self.toolbar)
        self._button("Copy…", "copyButton", lambda: self.start_export("copy"),
                     "Copy the selected image for your case file (a logged export; Ctrl+C)")
        self._button("Save…", "saveButton", lambda: self.start_export("save"),
                     "Save the selected image for your case file (a logged export; Ctrl+S)")
        self._button("Disclose…", "discloseButton", lambda: self.start_disclosure("save"),
                     "Give the selected image to another agency (a logged disclosure; "
                     "Ctrl+D)")
        self._button("?", "helpButton", lambda: self.helpOverlay.toggle(),
                     "Keyboard shortcuts (?); F1 opens the tutorial")
        self.toolbar.addStretch(1)
        self.stateLabel = QLabel()
        self.stateLabel.setObjectName("enhancedIndicator")
        self.stateLabel.setMaximumWidth(300)
        self.toolbar.addWidget(self.stateLabel)

    def _slider(self, name: str, lo: int, hi: int, value: int) -> QSlider:
        s = QSlider(Qt.Orientation.Horizontal)
        s.setObjectName(name)
        s.setToolTip("Tab here, then ← / → move the slider (elsewhere they change the read)")
        s.setRange(lo, hi)
        s.setValue(value)
        s.valueChanged.connect(self._controls_changed)
        return s

    def _build_enhance_panel(self) -> None:
        box = QGroupBox("Enhance (a working copy)")
        box.setObjectName("enhanceBox")
        box.setFixedWidth(230)
        self.brightnessSlider = self._slider("brightnessSlider", -100, 100, 0)
        self.contrastSlider = self._slider("contrastSlider", 20, 300, 100)
        self.gammaSlider = self._slider("gammaSlider", 20, 300, 100)
        self.sharpenSlider = self._slider("sharpenSlider", 0, 300, 0)
        self.claheCheck = QCheckBox("Local contrast (CLAHE)")
        self.denoiseCheck = QCheckBox("Denoise")
        self.grayscaleCheck = QCheckBox("Grayscale")
        self.invertCheck = QCheckBox("Invert")
        form = QFormLayout(box)
        self.value_labels: dict[str, QLabel] = {}
        for title, slider in (("Brightness", self.brightnessSlider),
                              ("Contrast", self.contrastSlider),
                              ("Gamma", self.gammaSlider), ("Sharpen", self.sharpenSlider)):
            label = QLabel()
            self.value_labels[title] = label
            form.addRow(f"{title}:", label)
            form.addRow(slider)
            slider.setAccessibleName(title)
        for check in (self.claheCheck, self.denoiseCheck, self.grayscaleCheck, self.invertCheck):
            check.setObjectName(check.text().split()[0].lower() + "Check")
            check.toggled.connect(self._controls_changed)
            form.addRow(check)
        self.resetButton = QPushButton("Reset to original")
        self.resetButton.setToolTip("Back to the original pixels (Ctrl+0)")
        self.resetButton.setObjectName("resetButton")
        self.resetButton.clicked.connect(self.reset_enhancements)
        form.addRow(self.resetButton)
        note = QLabel("The stored image is never changed. Enhanced pictures are marked "
                      "ENHANCED on screen and when copied or saved.")
        note.setWordWrap(True)
        note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        form.addRow(note)
        self.enhanceBox = box
        self._update_value_labels()

    def _shortcuts(self) -> None:
        def key(seqs: Sequence[str | QKeySequence.StandardKey], slot: Callable[[], object]
                ) -> None:
            for seq in seqs:
                sc = QShortcut(QKeySequence(seq), self)
                sc.activated.connect(slot)

        key(["F"], lambda: self.active_pane.fit())
        key(["1"], lambda: self.active_pane.actual_size())
        key(["+", "=", QKeySequence.StandardKey.ZoomIn], lambda: self.active_pane.zoom_in())
        key(["-", QKeySequence.StandardKey.ZoomOut], lambda: self.active_pane.zoom_out())
        key(["R"], lambda: self.active_pane.rotate_by(90))
        key(["PgUp", "Alt+Left"], self.previous)
        key(["PgDown", "Alt+Right"], self.next)
        key(["Left"], lambda: self._arrow(-1))
        key(["Up"], lambda: self._arrow(-1))
        key(["Right"], lambda: self._arrow(1))
        key(["Down"], lambda: self._arrow(1))
        key(["C"], self.compareButton.click)
        key(["Ctrl+C"], lambda: self.start_export("copy"))
        key(["Ctrl+S"], lambda: self.start_export("save"))
        key(["Ctrl+D"], lambda: self.start_disclosure("save"))
        key(["Ctrl+0"], self.reset_enhancements)
        key(["F1", "?", "Shift+?"], lambda: self.helpOverlay.toggle())

    def _arrow(self, step: int) -> None:
        """An arrow key: a focused slider moves; anywhere else the next or previous read."""
        focus = QApplication.focusWidget()
        if isinstance(focus, QSlider) and self.isAncestorOf(focus):
            focus.triggerAction(QSlider.SliderAction.SliderSingleStepAdd if step > 0
                                else QSlider.SliderAction.SliderSingleStepSub)
            return
        if step > 0:
            self.next()
        else:
            self.previous()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes the help list first, then the viewer (closing the window always
        closes it)."""
        if event.key() == Qt.Key.Key_Escape and self.helpOverlay.isVisible():
            self.helpOverlay.hide()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- opening reads -------------------------------------------------------------------------
    def open_index(self, index: int) -> None:
        if not self.result_ids:
            return
        self.index = max(0, min(index, len(self.result_ids) - 1))
        self._open(0, self.result_ids[self.index])
        self.prevButton.setEnabled(self.index > 0)
        self.nextButton.setEnabled(self.index < len(self.result_ids) - 1)
        self.positionLabel.setText(f"{self.index + 1} of {len(self.result_ids)}")

    def previous(self) -> None:
        if self.index > 0:
            self.open_index(self.index - 1)

    def next(self) -> None:
        if self.index < len(self.result_ids) - 1:
            self.open_index(self.index + 1)

    def _open(self, slot: int, read_id: int) -> None:
        """Ask the gated service on a worker; results of an older request are dropped."""
        self._open_token[slot] += 1
        token = self._open_token[slot]
        panel = self.panels[slot]
        panel.show_loading(read_id)
        self._update_indicator()

        def done(result: tuple[OpenedRead, dict[str, QImage]]) -> None:
            opened, prepared = result
            if token != self._open_token[slot] or self._dropped:
                return
            panel.show_opened(opened, self.match_kinds.get(opened.read.id, ""), prepared)
            self._label_compare(opened.read)
            self.statusLabel.setText(self._status_for(opened))
            self._update_indicator()
            if not self.current_settings().is_identity():
                self._schedule_enhance()
            self.read_opened.emit(opened.read.id)

        def failed(exc: BaseException) -> None:
            if token != self._open_token[slot] or self._dropped:
                return
            sentence = str(exc) if isinstance(exc, AccessError | NoSuchRead) \
                else explain(exc).sentence
            panel.show_failure(read_id, sentence)
            self.last_error = sentence
            self.statusLabel.setText(sentence)
            self._update_indicator()

        def work(svc: ImageService, ctx: AccessContext) -> tuple[OpenedRead, dict[str, QImage]]:
            opened = open_for_viewing(svc, ctx, read_id)  # logged before it decodes
            return opened, _prepare({k: opened.image(k).decoded.image for k in KINDS})

        self.source.run(work, done, failed)

    def _status_for(self, opened: OpenedRead) -> str:
        bad = [KIND_LABELS[k] for k in KINDS if not opened.image(k).decoded.ok]
        changed = [KIND_LABELS[k] for k in KINDS
                   if (c := opened.image(k).checked) is not None and not c.integrity.ok]
        parts = []
        if changed:
            parts.append("WARNING: " + " and ".join(changed)
                         + " did not match the hash recorded when stored.")
        if bad:
            parts.append(" and ".join(bad) + " could not be shown.")
        return " ".join(parts) or "Both images verified against their stored SHA-256."

    def _label_compare(self, read: Read) -> None:
        i = self.compareCombo.findData(read.id)
        if i >= 0:
            self.compareCombo.setItemText(
                i, f"#{read.id} {read.plate} {format_local(read.recorded_at * 1000)[:16]}")

    # -- compare -----------------------------------------------------------------------------
    def toggle_compare(self) -> None:
        on = self.compareButton.isChecked()
        self.panels[1].setVisible(on)
        for panel in self.panels:
            panel.set_vertical(on)
        if on:
            if self.compareCombo.currentData() in (None, self.result_ids[self.index]):
                other = self.index + 1 if self.index + 1 < len(self.result_ids) else self.index - 1
                self.compareCombo.setCurrentIndex(max(0, other))
            self._open(1, int(self.compareCombo.currentData()))
        else:
            self._open_token[1] += 1
            self.panels[1].drop()
            if self.active_pane in self.panels[1].panes.values():
                self.set_active_pane(self.panels[0].panes["crop"])
            self._update_indicator()

    def compare_with(self, read_id: int) -> None:
        i = self.compareCombo.findData(int(read_id))
        if i < 0:
            self.compareCombo.addItem(f"Read #{read_id}", int(read_id))
            i = self.compareCombo.count() - 1
        self.compareCombo.setCurrentIndex(i)
        if not self.compareButton.isChecked():
            self.compareButton.setChecked(True)
            self.toggle_compare()
        else:
            self._open(1, int(read_id))

    def _compare_choice(self, _index: int) -> None:
        if self.compareButton.isChecked():
            self._open(1, int(self.compareCombo.currentData()))

    # -- panes and zoom ------------------------------------------------------------------------
    def set_active_pane(self, pane: ImagePane) -> None:
        for panel in self.panels:
            for p in panel.panes.values():
                p.set_active(p is pane)
        self.active_pane = pane
        self._zoom_shown(pane)

    def _zoom_shown(self, pane: ImagePane) -> None:
        if pane is self.active_pane:
            self.zoomLabel.setText(f"{pane.title}: {pane.zoom * 100:.0f}%"
                                   if pane.has_image else pane.title)

    # -- enhancement -----------------------------------------------------------------------------
    def current_settings(self) -> enhance.EnhanceSettings:
        return enhance.EnhanceSettings(
            brightness=self.brightnessSlider.value(),
            contrast=self.contrastSlider.value() / 100.0,
            gamma=self.gammaSlider.value() / 100.0,
            clahe=self.claheCheck.isChecked(),
            sharpen=self.sharpenSlider.value() / 100.0,
            denoise=self.denoiseCheck.isChecked(),
            grayscale=self.grayscaleCheck.isChecked(),
            invert=self.invertCheck.isChecked(),
        )

    def _update_value_labels(self) -> None:
        s = self.current_settings()
        self.value_labels["Brightness"].setText(f"{s.brightness:+d}")
        self.value_labels["Contrast"].setText(f"{s.contrast:.2f}×")
        self.value_labels["Gamma"].setText(f"{s.gamma:.2f}")
        self.value_labels["Sharpen"].setText(f"{s.sharpen:.2f}")

    def _controls_changed(self, *_args: object) -> None:
        self._update_value_labels()
        self._schedule_enhance()

    def _schedule_enhance(self) -> None:
        self.enhance_timer.start()  # restarts: a burst of changes becomes one run

    def reset_enhancements(self) -> None:
        """Back to the original pixels at once (no worker needed: they are kept)."""
        controls = (self.brightnessSlider, self.contrastSlider, self.gammaSlider,
                    self.sharpenSlider, self.claheCheck, self.denoiseCheck,
                    self.grayscaleCheck, self.invertCheck)
        for w in controls:
            w.blockSignals(True)
        self.brightnessSlider.setValue(0)
        self.contrastSlider.setValue(100)
        self.gammaSlider.setValue(100)
        self.sharpenSlider.setValue(0)
        for c in (self.claheCheck, self.denoiseCheck, self.grayscaleCheck, self.invertCheck):
            c.setChecked(False)
        for w in controls:
            w.blockSignals(False)
        self._update_value_labels()
        self.enhance_timer.stop()
        self._enhance_gen += 1  # a run in flight must not repaint over the originals
        for panel in self.panels:
            panel.show_originals()
        self._update_indicator()

    @property
    def enhancing(self) -> bool:
        return self._enhance_busy or self.enhance_timer.isActive()

    def _start_enhance(self) -> None:
        if self._enhance_busy:
            self._enhance_again = True
            return
        settings = self.current_settings()
        self._enhance_gen += 1
        gen = self._enhance_gen
        work = {(i, k): (p.read_id, arr) for i, p in enumerate(self.panels)
                for k, arr in p.originals.items()}
        if settings.is_identity() or not work:
            for panel in self.panels:
                panel.show_originals()
            self._update_indicator()
            return
        self._enhance_busy = True

        def compute() -> dict[tuple[int, str], tuple[int | None, np.ndarray, QImage]]:
            out = {}
            for key, (rid, arr) in work.items():
                enhanced = enhance.apply(arr, settings)
                out[key] = (rid, enhanced, to_qimage(display_bgra(enhanced)))
            return out

        def done(result: dict[tuple[int, str], tuple[int | None, np.ndarray, QImage]]) -> None:
            self._finish_enhance(gen, result)

        def failed(exc: BaseException) -> None:
            self._enhance_busy = False
            self.statusLabel.setText(f"The enhancement failed: {explain(exc).sentence}")

        run_task(compute, on_result=done, on_error=failed)

    def _finish_enhance(self, gen: int, result: Mapping[
            tuple[int, str], tuple[int | None, np.ndarray, QImage]]) -> None:
        self._enhance_busy = False
        if self._dropped:
            return
        if gen == self._enhance_gen:
            for (i, kind), (rid, arr, qimage) in result.items():
                panel = self.panels[i]
                if panel.read_id == rid and kind in panel.originals:
                    panel.show_arrays({kind: arr}, enhanced=True, prepared={kind: qimage})
            self._update_indicator()
        if self._enhance_again:
            self._enhance_again = False
            self._start_enhance()

    def _update_indicator(self) -> None:
        panes = [p for panel in self.panels if panel.isVisibleTo(self) or panel is self.panels[0]
                 for p in panel.panes.values() if p.has_image]
        enhanced = any(p.enhanced for p in panes)
        if enhanced:
            text = f"ENHANCED: {self.current_settings().describe()}"
            self.stateLabel.setStyleSheet(ENHANCED_STYLE)
        else:
            text = "ORIGINAL"
            self.stateLabel.setStyleSheet(ORIGINAL_STYLE)
        metrics = self.stateLabel.fontMetrics()
        self.stateLabel.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, 280))
        self.stateLabel.setToolTip(text)
        self.stateLabel.setProperty("enhanced", enhanced)
        read = self.panels[0].opened.read if self.panels[0].opened else None
        title = f"Images — {read.plate}, read #{read.id}" if read else "Images"
        self.setWindowTitle(title + (" — ENHANCED" if enhanced else ""))

    @property
    def is_enhanced(self) -> bool:
        return bool(self.stateLabel.property("enhanced"))

    # -- disclosure ----------------------------------------------------------------------------
    def _active_target(self) -> tuple[ReadPanel, str] | None:
        for panel in self.panels:
            for kind, pane in panel.panes.items():
                if (pane is self.active_pane and panel.opened and kind in panel.originals
                        and not panel.opened.image(kind).derived):
                    return panel, kind  # a derived crop is no stored image: not evidence
        return None

    def start_export(self, kind: str) -> ExportDialog | None:
        """Copy or save the selected image for the analyst's own case file (an export under
        the active purpose); nothing leaves before the service logs it."""
        target = self._active_target()
        if target is None:
            self.statusLabel.setText("Select an image that is shown (click it) to copy or "
                                     "save it.")
            return None
        panel, image_kind = target
        assert panel.opened is not None
        read = panel.opened.read
        checked = panel.opened.image(image_kind).checked
        assert checked is not None
        ext = "png" if checked.blob.format == "png" else "jpg"
        default = str(Path.home() / default_image_name(read.id, image_kind, ext))
        what = (f"{KIND_LABELS[image_kind]} of read #{read.id} ({read.plate}, "
                f"{format_local(read.recorded_at * 1000)}).")
        purpose = (self.source.purpose() if isinstance(self.source, ControllerImageSource)
                   else None)
        line = (f"case {purpose.purpose.case_number}, {purpose.purpose.offense}"
                if purpose is not None else "the purpose you declared")
        dialog = ExportDialog(kind, what, line, panel.panes[image_kind].enhanced, default,
                              self)
        def finished(code: int) -> None:
            if code == QDialog.DialogCode.Accepted:
                self._export(dialog, panel, image_kind)

        dialog.finished.connect(finished)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _payload(self, panel: ReadPanel, image_kind: str, enhanced: bool, path: str,
                 kind: str) -> tuple[bytes, np.ndarray, str]:
        """The bytes that leave (stored original, or the enhanced picture as PNG), the
        picture for the clipboard, and the file path (an enhanced file says so)."""
        assert panel.opened is not None
        checked = panel.opened.image(image_kind).checked
        assert checked is not None
        if enhanced:
            picture = panel.shown[image_kind]
            data = enhance.encode_png(picture)
        else:
            data = checked.blob.data
            picture = panel.originals[image_kind]
        if kind == "save" and enhanced:
            p = Path(path)
            if "enhanced" not in p.stem.lower():
                p = p.with_name(f"{p.stem}-ENHANCED")
            path = str(p.with_suffix(".png"))
        return data, picture, path

    def _export(self, dialog: ExportDialog, panel: ReadPanel, image_kind: str) -> None:
        if panel.opened is None or image_kind not in panel.originals:
            return
        read = panel.opened.read
        enhanced = dialog.enhanced and panel.panes[image_kind].enhanced
        data, picture, path = self._payload(panel, image_kind, enhanced,
                                            dialog.pathEdit.text().strip(), dialog.kind)
        settings = self.current_settings()
        request = ExportRequest(
            read.id, "copy" if dialog.kind == "copy" else "save", image_kind,
            rendition="enhanced" if enhanced else "original",
            enhancement=settings.describe() if enhanced else "",
            exported_sha256=hashlib.sha256(data).hexdigest(),
            file_name=Path(path).name if dialog.kind == "save" else "",
        )

        def done(receipt: ExportReceipt) -> None:
            self.last_export = receipt
            label = (f"ALPR read #{read.id} {read.plate} {KIND_LABELS[image_kind].lower()}"
                     f"{' (ENHANCED)' if enhanced else ''}, case {receipt.case_number}")
            if request.kind == "copy":
                self.source.copy_image(to_qimage(picture), label)
                self.statusLabel.setText(f"Copied for your case file (logged as entry "
                                         f"#{receipt.seq}).")
                return
            self._write(path, data, receipt.seq, "export")

        def failed(exc: BaseException) -> None:
            self.last_error = str(exc) if isinstance(exc, AccessError | NoSuchRead) \
                else explain(exc).sentence
            self.statusLabel.setText(f"Nothing was copied or saved: {self.last_error}")

        self.source.run(lambda svc, ctx: svc.record_export(ctx, request), done, failed)

    def _write(self, path: str, data: bytes, seq: int, what: str) -> None:
        try:
            write_private(path, data)  # the one deliberate, logged plaintext write
        except OSError as exc:
            show_error(self, exc, title="Image not saved")
            self.statusLabel.setText(f"The {what} was logged (entry #{seq}) but the file "
                                     "could not be written.")
            return
        self.statusLabel.setText(f"Saved {path} (logged as entry #{seq}).")

    def start_disclosure(self, kind: str) -> DisclosureDialog | None:
        """Ask who receives the selected image; nothing leaves before the service logs it."""
        target = self._active_target()
        if target is None:
            self.statusLabel.setText("Select an image that is shown (click it) to copy or "
                                     "save it.")
            return None
        panel, image_kind = target
        assert panel.opened is not None
        read = panel.opened.read
        checked = panel.opened.image(image_kind).checked
        assert checked is not None
        enhanced_now = self.panels[self.panels.index(panel)].panes[image_kind].enhanced
        ext = "png" if checked.blob.format == "png" else "jpg"
        default = str(Path.home() / default_image_name(read.id, f"{image_kind}-disclosure", ext))
        what = (f"{KIND_LABELS[image_kind]} of read #{read.id} ({read.plate}, "
                f"{format_local(read.recorded_at * 1000)}).")
        dialog = DisclosureDialog(kind, what, enhanced_now, default, self)
        def finished(code: int) -> None:
            if code == QDialog.DialogCode.Accepted:
                self._disclose(dialog, panel, image_kind)

        dialog.finished.connect(finished)
        self.disclosure_dialog = dialog
        dialog.open()
        return dialog

    def _disclose(self, dialog: DisclosureDialog, panel: ReadPanel, image_kind: str) -> None:
        if panel.opened is None or image_kind not in panel.originals:
            return
        read = panel.opened.read
        checked = panel.opened.image(image_kind).checked
        assert checked is not None
        enhanced = dialog.enhanced and panel.panes[image_kind].enhanced
        settings = self.current_settings()
        if enhanced:
            shown = panel.shown[image_kind]
            data = enhance.encode_png(shown)
            picture = shown
        else:
            data = checked.blob.data
            picture = panel.originals[image_kind]
        path = dialog.pathEdit.text().strip()
        if dialog.kind == "save" and enhanced:
            p = Path(path)
            if "enhanced" not in p.stem.lower():
                p = p.with_name(f"{p.stem}-ENHANCED")
            path = str(p.with_suffix(".png"))
        request = DisclosureRequest(
            read.id, "copy" if dialog.kind == "copy" else "save", image_kind,
            dialog.agencyEdit.text(), dialog.requestEdit.text(),
            dialog.confirmCheck.isChecked(),
            rendition="enhanced" if enhanced else "original",
            enhancement=settings.describe() if enhanced else "",
            disclosed_sha256=hashlib.sha256(data).hexdigest(),
        )

        def done(receipt: DisclosureReceipt) -> None:
            self.last_receipt = receipt
            self.disclosed.emit(receipt)
            if not receipt.allowed:
                self.statusLabel.setText(f"Refused and logged: {receipt.message}")
                return
            label = (f"ALPR read #{read.id} {read.plate} {KIND_LABELS[image_kind].lower()}"
                     f"{' (ENHANCED)' if enhanced else ''} for {receipt.recipient_agency}")
            if request.kind == "copy":
                self.source.copy_image(to_qimage(picture), label)
                self.statusLabel.setText(f"Copied (logged as entry #{receipt.seq}): {label}.")
                return
            try:
                write_private(path, data)  # the one deliberate, logged plaintext write
            except OSError as exc:
                show_error(self, exc, title="Image not saved")
                self.statusLabel.setText(f"The disclosure was logged (entry #{receipt.seq}) "
                                         "but the file could not be written.")
                return
            self.statusLabel.setText(f"Saved {path} (logged as entry #{receipt.seq}).")

        def failed(exc: BaseException) -> None:
            self.last_error = str(exc) if isinstance(exc, AccessError) \
                else explain(exc).sentence
            self.statusLabel.setText(f"Nothing was copied or saved: {self.last_error}")

        self.source.run(lambda svc, ctx: svc.record_disclosure(ctx, request), done, failed)

    # -- closing -------------------------------------------------------------------------------
    def purpose_changed(self, purpose: object) -> None:
        """The purpose ended: what was opened under it leaves the screen."""
        if purpose is None:
            self.close()

    def _reads_purged(self, ids: frozenset[int]) -> None:
        """The open program's purge deleted some of this window's reads (issue 14): a shown
        one says "deleted under retention" without its pictures; the others leave the list
        that Previous and Next walk."""
        if self._dropped:
            return
        for slot, panel in enumerate(self.panels):
            if panel.read_id in ids:
                self._open_token[slot] += 1  # an open still on its way is dropped
                panel.show_deleted(panel.read_id)
        current = self.result_ids[self.index] if self.result_ids else None
        kept = [i for i in self.result_ids if i not in ids or i == current]
        if kept != self.result_ids:
            self.result_ids = kept
            self.index = kept.index(current) if current in kept else 0
            self.prevButton.setEnabled(self.index > 0)
            self.nextButton.setEnabled(self.index < len(kept) - 1)
            self.positionLabel.setText(f"{self.index + 1} of {len(kept)}")
        if current in ids:
            self.statusLabel.setText(DELETED_TEXT)
        self._update_indicator()

    def _drop(self, *_args: object) -> None:
        """The window closed (or the session locked): forget the pictures and our clipboard."""
        self._dropped = True
        self.enhance_timer.stop()
        for panel in self.panels:
            panel.drop()
        self.source.clear_copy()
