"""The non-modal bar shown in the last minute before the idle lock (issue 12): it says when the
session will lock and offers "Stay signed in". It floats over the top of its parent, takes no
focus by itself, and goes away on any input (the session controller clears it)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from alpr_desktop.gui import palette

STYLE = (palette.banner_style("idleWarningBar", palette.NOTICE_BACKGROUND,
                              palette.NOTICE_BORDER) + " "
         + palette.text_style(palette.NOTICE_TEXT, selector="QLabel"))


class IdleWarningBar(QFrame):
    stay_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idleWarningBar")
        self.setStyleSheet(STYLE)
        self.setAccessibleName("Idle lock warning")
        self.messageLabel = QLabel()
        self.messageLabel.setObjectName("idleWarningText")
        self.messageLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.messageLabel.setWordWrap(True)
        self.stayButton = QPushButton("S&tay signed in")
        self.stayButton.setObjectName("stayButton")
        self.stayButton.setAccessibleName("Stay signed in")
        self.stayButton.setToolTip("Keep the session open (any key or click does the same).")
        self.stayButton.clicked.connect(self.stay_requested.emit)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.messageLabel, 1)
        row.addWidget(self.stayButton)
        self.hide()
        parent.installEventFilter(self)

    def show_seconds(self, seconds: int) -> None:
        self.messageLabel.setText(
            f"No input for a while: this session locks in {seconds} seconds to protect the "
            "data on screen. Your purpose and search form are kept.")
        self._place()
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        parent = self.parentWidget()
        width = parent.width() if parent is not None else 600
        self.setGeometry(0, 0, width, self.heightForWidth(width)
                         if self.hasHeightForWidth() else self.sizeHint().height())
