"""Printing a finished PDF from the program.

PySide6-Essentials has no QtPdf, so the program cannot render a PDF onto a QPrinter. It hands
the file to the system's print spooler instead: CUPS (``lp``, which accepts PDF as is) on Linux
and macOS, the PDF viewer's "print" verb (``os.startfile``) on Windows. The spooler is an object
with two calls so tests inject a fake; both calls may wait on the print system, so the dialog
runs them on a worker, never on the GUI thread.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.gui.workers import run_task

NO_PRINT_SYSTEM = (
    "No print system was found on this computer, so the program cannot print the report. "
    "Open the report and print it from the PDF viewer, or ask your administrator to set up "
    "printing (CUPS)."
)
NO_PRINTER = (
    "The print system lists no printer. Add a printer, or open the report and print it from "
    "the PDF viewer."
)
SPOOL_TIMEOUT_S = 60


class PrintProblem(Exception):
    """Printing cannot go on; ``str(exc)`` is a sentence for the user."""


class NoPrintSystem(PrintProblem):
    def __init__(self, sentence: str = NO_PRINT_SYSTEM) -> None:
        super().__init__(sentence)


@dataclass(frozen=True)
class Printers:
    """What the user may choose from. ``choosable`` is False where the system prints to its
    default printer only (Windows' "print" verb)."""

    names: tuple[str, ...]
    default: str | None
    choosable: bool = True


class Spooler(Protocol):
    def printers(self) -> Printers: ...

    def print_file(self, path: Path, printer: str | None, copies: int = 1) -> str: ...


Run = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def _run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    # A fixed program (lp, lpstat found on PATH) with a list of arguments, never a shell.
    return subprocess.run(list(args), capture_output=True, text=True,  # noqa: S603
                          timeout=SPOOL_TIMEOUT_S, check=False)


class SystemSpooler:
    """The real print system. Every dependency is a parameter so each branch can be tested
    without a printer."""

    def __init__(
        self, *, platform: str = sys.platform, which: Callable[[str], str | None] = shutil.which,
        run: Run = _run, startfile: Callable[..., Any] | None = None,
    ) -> None:
        self.platform = platform
        self.which = which
        self.run = run
        self.startfile = startfile if startfile is not None else getattr(os, "startfile", None)

    @property
    def windows(self) -> bool:
        return self.platform.startswith("win")

    def printers(self) -> Printers:
        if self.windows:
            if self.startfile is None:
                raise NoPrintSystem()
            return Printers((), None, choosable=False)
        if self.which("lp") is None:
            raise NoPrintSystem()
        lpstat = self.which("lpstat")
        if lpstat is None:  # lp without lpstat: the default destination only
            return Printers((), None, choosable=False)
        names: list[str] = []
        listed = self.run([lpstat, "-a"])
        if listed.returncode == 0:
            for line in listed.stdout.splitlines():
                name = line.split(" ", 1)[0].strip()
                if name and name not in names:
                    names.append(name)
        default = None
        shown = self.run([lpstat, "-d"])
        if shown.returncode == 0 and ":" in shown.stdout:
            value = shown.stdout.split(":", 1)[1].strip()
            default = value if value in names else None
        return Printers(tuple(names), default)

    def print_file(self, path: Path, printer: str | None, copies: int = 1) -> str:
        """Spool ``path``; returns what the print system said (CUPS' request id)."""
        path = Path(path).resolve()
        if self.windows:
            if self.startfile is None:
                raise NoPrintSystem()
            try:
                self.startfile(str(path), "print")
            except OSError as exc:
                raise PrintProblem(
                    f"Windows could not print the report ({exc.strerror or exc}). Open it and "
                    "print it from the PDF viewer."
                ) from exc
            return "Sent to the default printer through the PDF viewer."
        lp = self.which("lp")
        if lp is None:
            raise NoPrintSystem()
        args = [lp]
        if printer:
            args += ["-d", printer]
        args += ["-n", str(max(1, int(copies))), "-t", path.name, "--", str(path)]
        try:
            done = self.run(args)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PrintProblem(f"The print system did not answer ({exc}).") from exc
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip() or f"lp exited with status " \
                f"{done.returncode}"
            raise PrintProblem(f"The print system did not accept the report: {said}")
        return done.stdout.strip() or f"Sent to {printer or 'the default printer'}."


def system_spooler() -> Spooler:
    return SystemSpooler()


class PrintDialog(QDialog):
    """Choose a printer and the number of copies, then send the PDF to the spooler. The
    printer list and the spooling both run on workers; problems are told in a sentence."""

    def __init__(self, parent: QWidget | None, path: Path, spooler: Spooler) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print Report")
        self.path = Path(path)
        self.spooler = spooler
        self.busy = False
        self.sent: str | None = None
        self.printerCombo = QComboBox()
        self.printerCombo.setObjectName("printerCombo")
        self.copiesSpin = QSpinBox()
        self.copiesSpin.setRange(1, 20)
        self.statusLabel = QLabel("Looking for printers…")
        self.statusLabel.setObjectName("printStatus")
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        file_label = QLabel(self.path.name)
        file_label.setTextFormat(Qt.TextFormat.PlainText)
        file_label.setToolTip(str(self.path))
        form.addRow("File:", file_label)
        printer_label = QLabel("P&rinter:")
        printer_label.setBuddy(self.printerCombo)
        form.addRow(printer_label, self.printerCombo)
        copies_label = QLabel("&Copies:")
        copies_label.setBuddy(self.copiesSpin)
        form.addRow(copies_label, self.copiesSpin)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.printButton = self.buttons.addButton(
            "&Print", QDialogButtonBox.ButtonRole.AcceptRole)
        self.printButton.setDefault(True)
        self.printButton.setEnabled(False)
        self.printButton.clicked.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.statusLabel)
        layout.addWidget(self.buttons)
        self.resize(420, self.sizeHint().height())
        run_task(spooler.printers, on_result=self._printers, on_error=self._failed)

    def _printers(self, printers: Printers) -> None:
        if not shiboken6.isValid(self):
            return
        self.printerCombo.clear()
        if not printers.choosable:
            self.printerCombo.addItem("The system's default printer", None)
            self.printerCombo.setEnabled(False)
        elif not printers.names:
            self.statusLabel.setText(NO_PRINTER)
            return
        for name in printers.names:
            self.printerCombo.addItem(name + (" (default)" if name == printers.default else ""),
                                      name)
        if printers.default in printers.names:
            self.printerCombo.setCurrentIndex(printers.names.index(printers.default))
        self.statusLabel.setText("Choose the printer and press Print.")
        self.printButton.setEnabled(True)
        self.printButton.setFocus()

    def send(self) -> None:
        if self.busy or not self.printButton.isEnabled():
            return
        self.busy = True
        self.printButton.setEnabled(False)
        printer = self.printerCombo.currentData()
        copies = self.copiesSpin.value()
        self.statusLabel.setText("Sending the report to the printer…")
        run_task(lambda: self.spooler.print_file(self.path, printer, copies),
                 on_result=self._sent, on_error=self._failed)

    def _sent(self, said: str) -> None:
        if not shiboken6.isValid(self):
            return
        self.busy = False
        self.sent = said
        self.printButton.setEnabled(True)
        self.statusLabel.setText(f"Sent to the printer. {said}".strip())

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.busy = False
        if isinstance(exc, PrintProblem):
            self.statusLabel.setText(str(exc))
            self.printButton.setEnabled(self.printerCombo.count() > 0
                                        and not isinstance(exc, NoPrintSystem))
            return
        from alpr_desktop.gui.errors import show_error

        self.statusLabel.setText("The report was not printed.")
        show_error(self, exc, title="Not Printed")
