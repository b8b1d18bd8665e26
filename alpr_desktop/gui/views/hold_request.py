"""The analyst's way to ask for an evidence hold from the Investigation screen: the results
table's context menu (and Ctrl+Shift+H) asks the custodian to keep the selected read, or every
result loaded so far, past retention. The service checks the purpose and logs the request."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from alpr_desktop.core.retention import RetentionError
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.dialogs.retention_dialogs import HoldRequestDialog
from alpr_desktop.gui.views.search_view import SearchView


def request_hold(view: SearchView, read_ids: list[int]) -> HoldRequestDialog | None:
    if not read_ids:
        view.statusLabel.setText("Select a read (or search) first: a hold names its reads.")
        return None
    purpose = view.controller.purpose
    case = purpose.purpose.case_number if purpose is not None else ""
    dialog = HoldRequestDialog(len(read_ids), case, view)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def submit(case_number: str, reason: str) -> None:
        def done(_hold: object) -> None:
            dialog.accept()
            view.statusLabel.setText(
                f"Hold requested for {len(read_ids):,} read{'s' if len(read_ids) != 1 else ''}"
                " (case " + case_number + "): the custodian decides.")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RetentionError):
                dialog.show_problem(str(exc))
            else:
                dialog.reject()
                show_problem(view, exc)

        view.controller.run(
            lambda s, ctx: s.holds.request(
                ctx, read_ids, case_number, reason), done, failed)

    dialog.saved.connect(submit)
    dialog.open()
    view.hold_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def install_hold_request(view: SearchView) -> tuple[QAction, QAction]:
    """Add the two hold actions to the results table's context menu."""
    one = QAction("Request Evidence &Hold for This Read…", view)
    one.setShortcut(QKeySequence("Ctrl+Shift+H"))
    one.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    every = QAction("Request Evidence Hold for All &Loaded Results…", view)
    one.triggered.connect(lambda: request_hold(
        view, [row.read.id] if (row := view.selected_row()) is not None else []))
    every.triggered.connect(lambda: request_hold(
        view, sorted({r.read.id for r in view.model.rows})))
    view.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    view.table.addAction(one)
    view.table.addAction(every)
    view.addAction(one)
    return one, every
