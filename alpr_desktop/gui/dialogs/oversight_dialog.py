"""The custodian's oversight window (issue 21): the users to look at first, ranked as page 1 of
the audit report ranks them, each reason in words with its entries; a finding can be marked
reviewed with a note (logged), and the oversight settings (working hours, night, thresholds)
are edited here, each change logged.

The analysis and every change run on workers (SessionController.run); listing the findings is
itself logged by the service ("audit.oversight").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import time as dtime
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.oversight import Finding, OversightResult, review_words
from alpr_desktop.core.oversight_config import OversightConfig, OversightSettingError
from alpr_desktop.gui.access_feedback import show_problem

AskNote = Callable[[QWidget, str], str | None]
KEY_ROLE = Qt.ItemDataRole.UserRole


def ask_note(parent: QWidget, finding: str) -> str | None:
    """The review note, or None when cancelled."""
    text, ok = QInputDialog.getMultiLineText(
        parent, "Mark Reviewed",
        f"{finding}\n\nWhat did the review find? (Saved with your name; logged.)")
    return text if ok else None


class OversightDialog(QDialog):
    def __init__(self, parent: QWidget | None, controller: Any, *,
                 ask: AskNote | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Oversight: Users to Look at First")
        self.controller = controller
        self.ask = ask or ask_note
        self.findings: OversightResult | None = None
        self.settings_dialog: OversightSettingsDialog | None = None

        self.summary = QLabel("Reading the access log…")
        self.summary.setObjectName("oversightSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.tree = QTreeWidget()
        self.tree.setObjectName("oversightTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["User and why", "Entries", "Review"])
        self.tree.setColumnWidth(0, 640)
        self.tree.setColumnWidth(1, 70)
        self.tree.setWordWrap(True)
        self.tree.setAccessibleName("Users to look at first")
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.detail = QLabel("Select a reason to read all of it.")
        self.detail.setObjectName("oversightDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(70)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.reviewButton = QPushButton("Mark &Reviewed…")
        self.reviewButton.setObjectName("reviewButton")
        self.reviewButton.setToolTip("Record that you looked at the selected finding, with a "
                                     "note (logged); the next report shows it.")
        self.reviewButton.clicked.connect(self.mark_reviewed)
        self.settingsButton = QPushButton("&Settings…")
        self.settingsButton.setObjectName("oversightSettingsButton")
        self.settingsButton.clicked.connect(self.edit_settings)
        self.refreshButton = QPushButton("Re&fresh")
        self.refreshButton.clicked.connect(self.refresh)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.reviewButton)
        row.addWidget(self.settingsButton)
        row.addWidget(self.refreshButton)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(row)
        self.resize(980, 620)
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.summary.setText("Reading the access log…")

        def work(s: Any, ctx: Any) -> OversightResult:
            return s.oversight.findings(ctx)

        self.controller.run(work, self.show_result, self._failed)

    def show_result(self, result: OversightResult) -> None:
        if not shiboken6.isValid(self):
            return
        self.findings = result
        self.tree.clear()
        open_ = [r for r in result.ranking if r.score > 0]
        c = result.config
        self.summary.setText(
            f"{len(open_)} user{'' if len(open_) == 1 else 's'} to look at, most serious "
            f"first; a reason to look, not a finding of misuse. Working hours "
            f"{c.describe_hours()}, night {c.describe_night()}.")
        for n, rank in enumerate(result.ranking, 1):
            state = "" if rank.score > 0 else " (reviewed, nothing new since)"
            top = QTreeWidgetItem([f"{n}. {rank.user}{state}",
                                   str(sum(len(f.seqs) for f in rank.findings)), ""])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setToolTip(0, rank.line)
            for f in rank.findings:
                top.addChild(self._finding_item(f))
            self.tree.addTopLevelItem(top)
            top.setExpanded(n <= 3)
        if result.explained:
            group = QTreeWidgetItem([f"Repeats with their context ({len(result.explained)})",
                                     "", ""])
            for f in result.explained:
                item = self._finding_item(f)
                item.setText(0, f"{f.user}: {item.text(0)}")
                group.addChild(item)
            self.tree.addTopLevelItem(group)
        if not result.ranking:
            self.tree.addTopLevelItem(QTreeWidgetItem(
                ["Nobody: no check found anything unexplained.", "", ""]))
        self._update_buttons()

    @staticmethod
    def _finding_item(f: Finding) -> QTreeWidgetItem:
        text = f.sentence[:1].upper() + f.sentence[1:]
        item = QTreeWidgetItem([text, f"{len(f.seqs):,}", review_words(f) or "not reviewed"])
        item.setData(0, KEY_ROLE, f.key)
        entries = ", ".join(f"#{s}" for s in f.seqs[:40]) + (" …" if len(f.seqs) > 40 else "")
        item.setToolTip(0, f"{text}.\nEntries: {entries}")
        item.setToolTip(2, review_words(f))
        return item

    # -- actions -------------------------------------------------------------------------------
    def selected_key(self) -> str | None:
        item = self.tree.currentItem()
        key = item.data(0, KEY_ROLE) if item is not None else None
        return key if isinstance(key, str) else None

    def _update_buttons(self) -> None:
        self.reviewButton.setEnabled(self.selected_key() is not None)
        item = self.tree.currentItem()
        if item is not None:
            full = item.toolTip(0) or item.text(0)
            review = item.toolTip(2)
            self.detail.setText(full + (f"\n{review}" if review else ""))

    def mark_reviewed(self) -> None:
        key = self.selected_key()
        item = self.tree.currentItem()
        if key is None or item is None:
            return
        note = self.ask(self, item.text(0))
        if note is None:
            return

        def work(s: Any, ctx: Any) -> object:
            return s.oversight.mark_reviewed(ctx, key, note)

        self.controller.run(work, lambda _r: self.refresh(), self._failed)

    def edit_settings(self) -> None:
        """Read the stored settings on a worker, then offer them for editing."""

        def work(s: Any, _ctx: Any) -> OversightConfig:
            return s.oversight.config()

        self.controller.run(work, self.open_settings, self._failed)

    def open_settings(self, current: OversightConfig) -> OversightSettingsDialog | None:
        if not shiboken6.isValid(self):
            return None
        dialog = OversightSettingsDialog(self, current)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.save_settings(dialog))
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def save_settings(self, dialog: OversightSettingsDialog) -> None:
        try:
            chosen = dialog.config()
        except OversightSettingError as exc:
            show_problem(self, exc, title="Oversight Settings")
            return

        def work(s: Any, ctx: Any) -> object:
            return s.oversight.set_config(ctx, chosen)

        self.controller.run(work, lambda _r: self.refresh(), self._failed)

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.summary.setText("The oversight findings could not be read.")
            show_problem(self, exc, title="Oversight")


class OversightSettingsDialog(QDialog):
    """Working hours, night and the thresholds most often tuned; the rest keep their values."""

    def __init__(self, parent: QWidget | None, current: OversightConfig) -> None:
        super().__init__(parent)
        self.setWindowTitle("Oversight Settings")
        self.current = current
        self.workStart = _time_edit(current.work_start, "Working hours start")
        self.workEnd = _time_edit(current.work_end, "Working hours end")
        self.nightStart = _time_edit(current.night_start, "Night starts")
        self.nightEnd = _time_edit(current.night_end, "Night ends")
        self.repeat = _spin(current.repeat_threshold, 2, 1000, " look-ups")
        self.span = _spin(current.legit_span_days, 0, 365, " days")
        self.reusePlates = _spin(current.reuse_plates, 1, 1000, " plates")
        self.offHours = _spin(current.off_hours_threshold, 1, 100_000, " accesses")
        form = QFormLayout()
        hours = QHBoxLayout()
        hours.addWidget(self.workStart)
        hours.addWidget(QLabel("to"))
        hours.addWidget(self.workEnd)
        hours.addWidget(QLabel(current.work_day_names()))
        form.addRow("Working &hours:", hours)
        night = QHBoxLayout()
        night.addWidget(self.nightStart)
        night.addWidget(QLabel("to"))
        night.addWidget(self.nightEnd)
        night.addStretch(1)
        form.addRow("&Night:", night)
        form.addRow("Repeated look-ups of one plate flagged &at:", self.repeat)
        form.addRow("Repeats under one case and purpose explained &within:", self.span)
        form.addRow("One case number or narrative flagged from:", self.reusePlates)
        form.addRow("Use outside working hours flagged from:", self.offHours)
        note = QLabel("Every report and listing uses these settings; each change is written "
                      "to the access log.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def config(self) -> OversightConfig:
        """The settings as chosen; raises OversightSettingError with the reason."""
        return replace(
            self.current,
            work_start=_time_of(self.workStart), work_end=_time_of(self.workEnd),
            night_start=_time_of(self.nightStart), night_end=_time_of(self.nightEnd),
            repeat_threshold=self.repeat.value(), legit_span_days=self.span.value(),
            reuse_plates=self.reusePlates.value(), off_hours_threshold=self.offHours.value(),
        )


def _time_edit(t: Any, name: str) -> QTimeEdit:
    edit = QTimeEdit(QTime(t.hour, t.minute))
    edit.setDisplayFormat("HH:mm")
    edit.setAccessibleName(name)
    return edit


def _time_of(edit: QTimeEdit) -> dtime:
    t = edit.time()
    return dtime(t.hour(), t.minute())


def _spin(value: int, lo: int, hi: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(lo, hi)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin
