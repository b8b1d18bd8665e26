"""The Analysis menu of the Investigation screen (issue 19): a menu button beside Views, its
actions also on the screen's keyboard shortcuts.

THE HOOK for every analysis: ``menu_actions()`` lists (label, opener[, shortcut]) entries;
an opener takes the AnalysisHost (session, purpose check, viewer, map, case file) and opens
its form (co-travel, locate and the cloned-plate check through travel_menu.py);
``add_analysis_actions`` turns any such list into menu actions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from alpr_desktop.gui.analysis.analysis_form import COMMON, LOCATION, AnalysisForm
from alpr_desktop.gui.analysis.host import AnalysisHost, OpenViewer
from alpr_desktop.gui.analysis.travel_menu import (
    open_cloned_for,
    open_cotravel_for,
    open_locate_for,
)

Opener = Callable[[AnalysisHost], Any]


class AnalysisAction(NamedTuple):
    label: str
    open: Opener
    shortcut: str | None = None


def open_form(host: AnalysisHost, kind: str) -> AnalysisForm | None:
    if host.need_purpose():
        return None
    form = AnalysisForm(host, kind, host.view)
    host.keep(form)
    form.show()
    form.load()
    return form


def open_location_search(host: AnalysisHost) -> AnalysisForm | None:
    return open_form(host, LOCATION)


def open_common_plates(host: AnalysisHost) -> AnalysisForm | None:
    return open_form(host, COMMON)


def menu_actions() -> list[AnalysisAction]:
    """Every analysis on the menu, in order. Add an entry here to add an analysis."""
    return [
        AnalysisAction("&Location Search (Stakeout)…", open_location_search, "Ctrl+Shift+L"),
        AnalysisAction("&Common Plates…", open_common_plates, "Ctrl+Shift+O"),
        AnalysisAction("Co-&travel…", open_cotravel_for),
        AnalysisAction("L&ocate…", open_locate_for),
        AnalysisAction("Cloned-&Plate Check…", open_cloned_for),
    ]


def add_analysis_actions(host: AnalysisHost, menu: QMenu,
                         actions: Sequence[tuple[str, Opener] | tuple[str, Opener, str | None]]
                         ) -> list[QAction]:
    """Append (label, opener[, shortcut]) entries to ``menu``; each shortcut works anywhere on
    the Investigation screen."""
    made = []
    for entry in actions:
        label, opener = entry[0], entry[1]
        shortcut = entry[2] if len(entry) > 2 else None
        action = QAction(label, host.view)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            host.view.addAction(action)
        action.triggered.connect(lambda _c=False, o=opener: o(host))
        menu.addAction(action)
        made.append(action)
    return made


class AnalysisMenu:
    """The menu button and its actions on one Investigation screen."""

    def __init__(self, view: QWidget, open_viewer: OpenViewer) -> None:
        controller = getattr(view, "controller")  # noqa: B009 (a SearchView's)
        self.host = AnalysisHost(view, controller, open_viewer)
        self.menu = QMenu("Analysis", view)
        self.actions = add_analysis_actions(self.host, self.menu, menu_actions())
        self.button = QToolButton()
        self.button.setObjectName("analysisButton")
        self.button.setText("&Analysis")
        self.button.setToolTip("Location search, common plates and the other investigative "
                               "analyses: each under your purpose, each logged in full")
        self.button.setAccessibleName("Analysis: location search, common plates")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self.menu)
        anchor = getattr(view, "investigator_views", None)
        anchor_button = getattr(anchor, "button", None) or getattr(view, "batchButton", None)
        for lay in view.findChildren(QHBoxLayout):
            if anchor_button is not None and lay.indexOf(anchor_button) >= 0:
                lay.insertWidget(lay.indexOf(anchor_button) + 1, self.button)
                break


def install_analysis_menu(view: QWidget, open_viewer: OpenViewer) -> AnalysisMenu:
    """Put the Analysis menu on an Investigation screen (after install_investigator_views)."""
    menu = AnalysisMenu(view, open_viewer)
    view.analysis_menu = menu  # type: ignore[attr-defined]
    return menu
