"""What an analysis window needs of the Investigation screen: the session, the purpose check,
the image viewer, the map and the case file of the investigator's views, and a place to keep
its windows until they close. Every analysis of the menu (this helper's and the co-travel,
locate and cloned-plate ones) opens through one AnalysisHost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from alpr_desktop.core.search import SearchRow
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.case_file_dialog import CaseFileDialog
from alpr_desktop.gui.map.map_window import MapWindow, open_map

OpenViewer = Callable[[int, list[Any]], Any]


class AnalysisHost(QObject):
    def __init__(self, view: QWidget, controller: Controller, open_viewer: OpenViewer) -> None:
        super().__init__(view)
        self.view = view
        self.controller = controller
        self.open_viewer = open_viewer
        self.windows: list[QWidget] = []

    def say(self, text: str) -> None:
        label = getattr(self.view, "statusLabel", None)
        if label is not None:
            label.setText(text)

    def need_purpose(self) -> bool:
        """True (and the purpose dialog opened) when no purpose is active."""
        if self.controller.purpose is None:
            ask = getattr(self.view, "open_purpose_dialog", None)
            if callable(ask):
                ask()
            else:
                self.say("Declare a purpose first.")
            return True
        return False

    def keep(self, w: QWidget) -> None:
        w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.windows.append(w)
        w.destroyed.connect(lambda _o=None, w=w: self.windows.remove(w)
                            if w in self.windows else None)

    def open_map(self, rows: list[SearchRow], title: str) -> MapWindow | None:
        if not rows:
            self.say("There are no reads to show on a map.")
            return None
        by_id = {r.read.id: r for r in rows}

        def open_read(rid: int, ids: list[int]) -> None:
            self.open_viewer(rid, [by_id[i] for i in ids if i in by_id])

        plates = {r.read.plate_norm for r in rows}
        w = open_map(self.controller, self.view, list(by_id), title=title,
                     kinds={r.read.id: r.kind.label for r in rows},
                     route_plate=next(iter(plates)) if len(plates) == 1 else None,
                     open_read=open_read)
        self.windows.append(w)
        w.destroyed.connect(lambda _o=None, w=w: self.windows.remove(w)
                            if w in self.windows else None)
        return w

    def case_file(self, rows: list[SearchRow], words: str) -> CaseFileDialog | None:
        if self.need_purpose():
            return None
        if not rows:
            self.say("There are no reads for a case file.")
            return None
        d = CaseFileDialog(self.controller, [r.read.id for r in rows], source="results",
                           query_words=words[:500], kinds={r.read.id: r.kind.label
                                                           for r in rows},
                           parent=self.view)
        self.keep(d)
        d.exported.connect(lambda rc: self.say(
            f"Case file written: {rc.pdf_path} and {rc.csv_path.name} ({rc.read_count:,} "
            f"reads; logged as entry #{rc.log_seq})."))
        d.show()
        return d

    def open_profile(self, plate: str) -> Any:
        views = getattr(self.view, "investigator_views", None)
        return views.open_profile(plate) if views is not None else None
