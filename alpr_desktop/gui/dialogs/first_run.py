"""The first thing a new user sees: create a store, open one, or look at the demo."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from alpr_desktop import APP_NAME


class FirstRunChoice(Enum):
    CREATE = "create"
    OPEN = "open"
    DEMO = "demo"
    QUIT = "quit"


class FirstRunDialog(QDialog):
    """Emits ``chosen`` with a :class:`FirstRunChoice`; Esc just closes it (no store open)."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Welcome to the {APP_NAME}")
        self.setModal(True)
        title = QLabel(f"<h2>{APP_NAME}</h2>")
        text = QLabel(
            "No store is open. A store is one encrypted file that holds the license plate "
            "reads, their images and the access log. Create a new, empty store, or open one "
            "that your administrator gave you (a file ending in .alprdb, with its .key file "
            "beside it). The demo store holds synthetic data for training."
        )
        text.setWordWrap(True)
        self.createButton = QPushButton("&Create a New Store…")
        self.openButton = QPushButton("&Open an Existing Store…")
        self.demoButton = QPushButton("Open the &Demo Store")
        self.quitButton = QPushButton("&Quit")
        self.createButton.setDefault(True)
        for button, choice in (
            (self.createButton, FirstRunChoice.CREATE),
            (self.openButton, FirstRunChoice.OPEN),
            (self.demoButton, FirstRunChoice.DEMO),
            (self.quitButton, FirstRunChoice.QUIT),
        ):
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
        buttons = QHBoxLayout()
        buttons.addWidget(self.createButton)
        buttons.addWidget(self.openButton)
        buttons.addWidget(self.demoButton)
        buttons.addStretch(1)
        buttons.addWidget(self.quitButton)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        self.createButton.setFocus()

    def _choose(self, choice: FirstRunChoice) -> None:
        self.accept()
        self.chosen.emit(choice)
