"""About box and the policy text: who made this, which version, under which policy."""

from __future__ import annotations

from importlib import resources

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop import APP_NAME, __version__

POLICY_REFERENCE = (
    "City of Carson Resolution No. 22-253, Automatic License Plate Readers Usage and "
    "Privacy Policy (California Civil Code § 1798.90.51)"
)


def policy_text() -> str:
    return resources.files("alpr_desktop").joinpath("resources/policy.txt").read_text("utf-8")


def about_text() -> str:
    return (
        f"<h3>{APP_NAME}</h3>"
        f"<p>Version {__version__}</p>"
        "<p>Search, view and audit automatic license plate reader data. Every access is "
        "logged with who, when, which data and why.</p>"
        f"<p>Operated under the {POLICY_REFERENCE}.</p>"
        f"<p><small>Qt {qVersion()} · PySide6 {PySide6.__version__}</small></p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.textLabel = QLabel(about_text())
        self.textLabel.setWordWrap(True)
        self.textLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        icon = QLabel()
        if parent is not None and not parent.windowIcon().isNull():
            icon.setPixmap(parent.windowIcon().pixmap(64, 64))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(icon, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.textLabel)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


class PolicyDialog(QDialog):
    """The policy the program enforces, readable from inside it (users must know the rules)."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("ALPR Usage and Privacy Policy")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(policy_text())
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.printButton = buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole)
        self.printButton.clicked.connect(self.print_policy)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(POLICY_REFERENCE))
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 640)

    def print_policy(self) -> None:
        """Print the policy with its resolution number (issue 17: printable from Help)."""
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            doc = QTextDocument()
            doc.setMarkdown(f"*{POLICY_REFERENCE}*\n\n{policy_text()}")
            doc.print_(printer)
