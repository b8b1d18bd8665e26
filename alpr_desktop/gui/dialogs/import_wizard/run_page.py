"""Page 3 of the import wizard: the run, with progress and Stop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from alpr_desktop.gui.dialogs.import_wizard.common import (
    wrapped_label,
)

if TYPE_CHECKING:
    from alpr_desktop.gui.dialogs.import_wizard.wizard import ImportWizard


class RunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Importing")
        self.setSubTitle("Good rows go in batch by batch; bad rows go to the reject report. "
                         "Stopping keeps every finished batch: run the same files again to "
                         "finish.")
        self.fileLabel = QLabel()
        self.fileLabel.setObjectName("runFile")
        self.progressBar = QProgressBar()
        self.progressBar.setObjectName("progressBar")
        self.progressBar.setTextVisible(True)
        self.countsLabel = QLabel()
        self.countsLabel.setObjectName("runCounts")
        self.stateLabel = wrapped_label("")
        self.stateLabel.setObjectName("runState")
        self.stopButton = QPushButton("S&top Import")
        self.stopButton.clicked.connect(self.wiz.stop_import)
        self.retryButton = QPushButton("&Run Again")
        self.retryButton.clicked.connect(self.wiz.start_import)
        buttons = QHBoxLayout()
        buttons.addWidget(self.stopButton)
        buttons.addWidget(self.retryButton)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fileLabel)
        layout.addWidget(self.progressBar)
        layout.addWidget(self.countsLabel)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(self.stateLabel)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.wiz.start_import()

    def isComplete(self) -> bool:
        return self.wiz.summary is not None and not self.wiz.running


# -- page 4: summary ------------------------------------------------------------------------
