"""Correct a misread (policy §7, issue 16): from the results' context menu or from the image
viewer, where the misread is seen (Ctrl+Shift+E in both), the analyst (or a contractor under
written permission) gives the right plate, state or vehicle, the image that shows it and why.
The read as the camera saw it stays; the history of the read's corrections is listed, and the
one in force can be reverted. The service checks the purpose and logs each step; this dialog
only asks."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.corrections import Correction, CorrectionInput
from alpr_desktop.core.models import Read
from alpr_desktop.core.search import SearchRow
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.account_edit import _ServiceDialog, labelled_form
from alpr_desktop.gui.dialogs.sign_in import failure_sentence

FIELDS = (("plate", "&Plate:"), ("state", "&State:"), ("make", "&Make:"), ("model", "M&odel:"),
          ("color", "Co&lor:"), ("body_type", "&Body type:"))


def history_line(c: Correction) -> str:
    end = ""
    if c.end_kind is not None:
        end = f" — {c.end_kind.value} {format_local(c.ended_ms or 0)[:16]} by {c.ended_by}"
        if c.end_reason:
            end += f" ({c.end_reason})"
    return (f"{format_local(c.corrected_ms)[:16]} {c.corrected_by}: {c.describe()} "
            f"[{c.evidence_kind}]. {c.reason}{end}")


class CorrectionDialog(_ServiceDialog):
    def __init__(self, parent: QWidget | None, controller: Controller, row: SearchRow | Read,
                 evidence: str = "crop") -> None:
        super().__init__(parent, controller)
        r = row.read if isinstance(row, SearchRow) else row
        self.read = r
        self.setWindowTitle(f"Correct Read #{r.id}")
        self.in_force: Correction | None = None
        original = {"plate": r.plate_norm, "state": r.state, "make": r.make, "model": r.model,
                    "color": r.color, "body_type": r.body_type}
        self.original = original
        vehicle = " / ".join(x for x in (r.make, r.model, r.color, r.body_type) if x)
        seen = QLabel(
            f"Read #{r.id}, {format_local(r.recorded_at * 1000)[:19]} at {r.camera_name}. "
            f"The camera read: plate {r.plate_norm or '—'}, state {r.state or '—'}, "
            f"{vehicle or 'no vehicle'}."
            " That reading stays; a correction is kept beside it and search finds both.")
        seen.setWordWrap(True)
        self.edits: dict[str, QLineEdit] = {}
        rows: list[tuple[str, QWidget]] = []
        for name, label in FIELDS:
            edit = QLineEdit(original[name])
            edit.setMaxLength(40)
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            self.edits[name] = edit
            rows.append((label, edit))
        self.evidenceCombo = QComboBox()
        self.evidenceCombo.addItem("The plate crop", "crop")
        self.evidenceCombo.addItem("The overview", "overview")
        self.evidenceCombo.setCurrentIndex(max(0, self.evidenceCombo.findData(evidence)))
        self.reasonEdit = QPlainTextEdit()
        self.reasonEdit.setTabChangesFocus(True)
        self.reasonEdit.setFixedHeight(58)
        self.reasonEdit.setPlaceholderText("What the image shows, and why the reading is wrong")
        self.historyList = QListWidget()
        self.historyList.setAccessibleName("Corrections of this read")
        self.historyList.setFixedHeight(80)
        self.revertButton = QPushButton("Re&vert Correction")
        self.revertButton.setEnabled(False)
        self.revertButton.setToolTip("End the correction in force (give the reason above): "
                                     "the read stands as the camera read it.")
        self.revertButton.clicked.connect(self.revert)
        form = labelled_form((*rows, ("&Evidence (image looked at):", self.evidenceCombo),
                              ("&Reason:", self.reasonEdit), ("&History:", self.historyList)))
        form.addRow("", self.revertButton)
        self._lay_out(seen, form, ok_text="&Record Correction")
        self.load_history()

    def load_history(self) -> None:
        rid = self.read.id
        self.controller.run(lambda s, ctx: s.corrections.history(ctx, rid), self._history,
                            self._history_failed)

    def _history_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self.historyList):  # not closed before the answer came
            self.show_failure(failure_sentence(exc))

    def _history(self, found: list[Correction]) -> None:
        if not shiboken6.isValid(self.historyList):
            return  # the dialog was closed (and deleted) before the history came
        self.historyList.clear()
        for c in found:
            self.historyList.addItem(history_line(c))
        if not found:
            self.historyList.addItem("No correction yet.")
        self.in_force = next((c for c in found if c.in_force), None)
        self.revertButton.setEnabled(self.in_force is not None)

    def value(self) -> CorrectionInput:
        changed = {n: e.text().strip() for n, e in self.edits.items()
                   if e.text().strip() and e.text().strip() != self.original[n]}
        return CorrectionInput(self.read.id, self.reasonEdit.toPlainText(),
                               str(self.evidenceCombo.currentData()), **changed)

    def work(self) -> Any:
        value = self.value()
        return lambda s, ctx: s.corrections.correct(ctx, value)

    def revert(self) -> None:
        rid, reason = self.read.id, self.reasonEdit.toPlainText()
        self._set_busy(True)
        self.controller.run(lambda s, ctx: s.corrections.revert(ctx, rid, reason),
                            self._done, self._failed)


def install_correction(view: Any) -> QAction:
    """Add Correct Read… to the results table's context menu (Ctrl+Shift+E)."""
    action = QAction("&Correct Read…", view)
    action.setShortcut(QKeySequence("Ctrl+Shift+E"))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def open_dialog() -> CorrectionDialog | None:
        row = view.selected_row()
        if row is None:
            view.statusLabel.setText("Select a read first: a correction is of one read.")
            return None
        dialog = CorrectionDialog(view, view.controller, row)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda c: view.statusLabel.setText(
            f"Read #{row.read.id}: correction {'reverted' if c.end_kind else 'recorded'}. "
            "Search again to see it in the results."))
        view.correction_dialog = dialog
        dialog.open()
        return dialog

    action.triggered.connect(lambda: open_dialog() if view.controller else None)
    view.open_correction = open_dialog
    view.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    view.table.addAction(action)
    view.addAction(action)
    return action


def install_viewer_correction(viewer: Any, controller: Controller) -> QToolButton:
    """Add Correct Read… to the image viewer (a button beside Disclose…, Ctrl+Shift+E): the
    read corrected is the one shown in the main panel, and the evidence offered first is
    the image looked at (a derived crop is no stored image: then the overview). Gated and
    logged by the service as from the results."""
    button = QToolButton()
    button.setText("Correct Read…")
    button.setObjectName("correctButton")
    button.setAccessibleName("Correct Read")
    button.setToolTip("Correct a misread of the read shown, with the image as evidence "
                      "(Ctrl+Shift+E)")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    row = viewer.toolbarRows[-1]
    row.insertWidget(max(0, row.indexOf(viewer.findChild(QToolButton, "helpButton"))), button)

    def evidence() -> str:
        panel = viewer.panels[0]
        derived = panel.opened is not None and panel.opened.image("crop").derived
        return "overview" if derived or viewer.active_pane is panel.panes["overview"] \
            else "crop"

    def open_dialog() -> CorrectionDialog | None:
        opened = viewer.panels[0].opened
        if opened is None:
            viewer.statusLabel.setText("The read is not shown yet: a correction rests on the "
                                       "image of the read shown.")
            return None
        read = opened.read
        dialog = CorrectionDialog(viewer, controller, read, evidence())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda c: viewer.statusLabel.setText(
            f"Read #{read.id}: correction {'reverted' if c.end_kind else 'recorded'}. "
            "Search again to see it in the results."))
        viewer.correction_dialog = dialog
        dialog.open()
        return dialog

    button.clicked.connect(open_dialog)
    shortcut = QShortcut(QKeySequence("Ctrl+Shift+E"), viewer)
    shortcut.activated.connect(open_dialog)
    viewer.open_correction = open_dialog
    return button


__all__ = ["CorrectionDialog", "history_line", "install_correction",
           "install_viewer_correction", "show_problem"]
