"""The help window: contents, full-text search over the tutorials, the page in a text browser,
the policy text (with its resolution number) and printing of whatever page is shown.

A top-level window with no parent, so a window-modal dialog (the purpose dialog, the import
wizard) never blocks it: the user reads the steps while doing them. One window per program;
``show_topic`` raises it at a page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop import APP_NAME
from alpr_desktop.gui.dialogs.about import POLICY_REFERENCE, policy_text
from alpr_desktop.gui.help import topics
from alpr_desktop.gui.help.topics import CONTENTS, POLICY

KEY_ROLE = Qt.ItemDataRole.UserRole
POLICY_TITLE = "The ALPR Usage and Privacy Policy (Resolution 22-253)"


def policy_markdown() -> str:
    return f"# {POLICY_TITLE}\n\n*{POLICY_REFERENCE}.*\n\n{policy_text()}"


class HelpWindow(QWidget):
    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("helpWindow")
        self.setWindowTitle(f"Help — {APP_NAME}")
        self.current = ""
        self.searchEdit = QLineEdit()
        self.searchEdit.setObjectName("helpSearch")
        self.searchEdit.setPlaceholderText("Search the tutorials")
        self.searchEdit.setAccessibleName("Search the tutorials")
        self.searchEdit.setClearButtonEnabled(True)
        self.searchEdit.textChanged.connect(self._search)
        self.searchEdit.returnPressed.connect(self._open_current)  # Enter: the best page
        self.list = QListWidget()
        self.list.setObjectName("helpContents")
        self.list.setAccessibleName("Contents")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(self._picked)
        self.list.itemClicked.connect(self._picked)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpPage")
        self.browser.setAccessibleName("Help page")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.browser.setSearchPaths([str(topics.help_dir())])
        self.printButton = QPushButton("&Print…")
        self.printButton.setAccessibleName("Print this page")
        self.printButton.clicked.connect(self.print_page)
        self.policyButton = QPushButton("The &Policy")
        self.policyButton.setAccessibleName("Show the policy text")
        self.policyButton.clicked.connect(lambda: self.show_topic(POLICY))
        self.closeButton = QPushButton("&Close")
        self.closeButton.clicked.connect(self.close)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.searchEdit)
        lv.addWidget(self.list, 1)
        lv.addWidget(self.status)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 670])
        buttons = QHBoxLayout()
        buttons.addWidget(self.policyButton)
        buttons.addStretch(1)
        buttons.addWidget(self.printButton)
        buttons.addWidget(self.closeButton)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self).activated.connect(
            self.searchEdit.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.close)
        self.resize(1000, 680)
        self._fill_contents()
        self.show_topic(CONTENTS)

    # -- contents and search -------------------------------------------------------------
    def _fill_contents(self) -> None:
        self.list.clear()
        section = None
        for t in topics.load_topics():
            if t.section != section:
                section = t.section
                head = QListWidgetItem(section)
                head.setFlags(Qt.ItemFlag.NoItemFlags)
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                self.list.addItem(head)
            item = QListWidgetItem("   " + t.title)
            item.setData(KEY_ROLE, t.key)
            item.setToolTip(t.title)
            self.list.addItem(item)
        item = QListWidgetItem("   " + POLICY_TITLE)
        item.setData(KEY_ROLE, POLICY)
        self.list.addItem(item)
        self.status.setText("")

    def _search(self, text: str) -> None:
        if not text.strip():
            self._fill_contents()
            self._select(self.current)
            return
        hits = topics.search(text)
        self.list.clear()
        for h in hits:
            item = QListWidgetItem(h.topic.title)
            item.setData(KEY_ROLE, h.topic.key)
            item.setToolTip(h.snippet)
            self.list.addItem(item)
        self.status.setText(
            f"{len(hits)} page{'s' if len(hits) != 1 else ''} found." if hits
            else "No page holds every word; try fewer or shorter words.")
        if hits:
            self.list.setCurrentRow(0)

    def _open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._picked(item)

    def _picked(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        if key:
            self.show_topic(str(key))

    def _select(self, key: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(KEY_ROLE) == key:
                self.list.setCurrentRow(i)
                return

    # -- pages -------------------------------------------------------------------------
    def show_topic(self, key: str) -> None:
        """Show the page ``key`` (an unknown key shows the contents page) and raise."""
        if key == POLICY:
            self.browser.setMarkdown(policy_markdown())
        else:
            t = topics.topic(key) or topics.topic(CONTENTS)
            if t is None:
                self.browser.setPlainText("The help pages are missing from this installation.")
                key = CONTENTS
            else:
                key = t.key
                self.browser.setMarkdown(t.text)
        self.current = key
        self.browser.verticalScrollBar().setValue(0)
        if not self.searchEdit.text().strip():
            self._select(key)
        self.show()
        self.raise_()
        self.activateWindow()

    def _link(self, url: QUrl) -> None:
        name = url.toString()
        if name.endswith(".md"):
            self.show_topic(name.rsplit("/", 1)[-1][:-3])
        elif name == POLICY:
            self.show_topic(POLICY)

    def page_text(self) -> str:
        return self.browser.toPlainText()

    def print_page(self) -> None:
        """Print the page shown (the policy included) on a printer the user picks."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print Help Page")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.browser.document().print_(printer)
