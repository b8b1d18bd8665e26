"""The investigator's views reached from the Investigation screen (issue 13): a "Views" menu
button beside Batch… and the results table's context menu open the plate profile, the map
and route, the description search, "My searches" and the case-file export.

Every window gets its data from a gated, logged service call on a worker; this module only
wires windows together (a profile's map, a description result's profile, a past search run
again) and keeps them until they close.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from alpr_desktop.core.description_query import DescriptionQuery
from alpr_desktop.core.past_searches import BatchRerun, PastSearch
from alpr_desktop.core.patterns import MatchKind, Mode
from alpr_desktop.core.plate_profile import PlateProfile, ProfileRequest
from alpr_desktop.core.search import SearchQuery, SearchRow
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.dialogs.case_file_dialog import CaseFileDialog
from alpr_desktop.gui.map.map_window import MapWindow, open_map
from alpr_desktop.gui.views.description_search import DescriptionSearchDialog
from alpr_desktop.gui.views.my_searches import MySearchesDialog
from alpr_desktop.gui.views.plate_profile import PlateProfileWindow
from alpr_desktop.gui.views.search_view import SearchView

OpenViewer = Callable[[int, list[Any]], Any]


def _kind_label(row: SearchRow) -> str:
    return row.kind.label


class InvestigatorViews(QObject):
    """The actions and the open windows of one Investigation screen."""

    def __init__(self, view: SearchView, open_viewer: OpenViewer) -> None:
        super().__init__(view)
        self.view = view
        self.controller = view.controller
        self.open_viewer = open_viewer
        self.windows: list[QWidget] = []
        self.picked: dict[int, SearchRow] = {}
        self.profileAction = self._action("All &Sightings of This Plate…", "Ctrl+Shift+P",
                                          self.profile_of_selected)
        self.mapAction = self._action("&Map of Results…", "Ctrl+Shift+M", self.map_of_results)
        self.describeAction = self._action("Search by &Description…", "Ctrl+Shift+D",
                                           self.open_description)
        self.mySearchesAction = self._action("M&y Searches…", "Ctrl+Shift+Y",
                                             self.open_my_searches)
        self.caseAction = self._action("Export Results to &Case File…", "Ctrl+Shift+E",
                                       self.case_file_of_results)
        self.pickAction = self._action("&Pick Read for Case File", "Ctrl+Shift+K",
                                       self.pick_selected)
        self.casePickedAction = self._action("Export P&icked Reads to Case File…", None,
                                             self.case_file_of_picked)
        self.ownPackageAction = self._action(
            "Evidence Package for &Prosecution…", None, self.own_package)  # issue 15
        self.menu = QMenu("Views", view)
        for a in (self.profileAction, self.mapAction, self.describeAction,
                  self.mySearchesAction):
            self.menu.addAction(a)
        self.menu.addSeparator()
        for a in (self.caseAction, self.pickAction, self.casePickedAction,
                  self.ownPackageAction):
            self.menu.addAction(a)
        self.button = QToolButton()
        self.button.setObjectName("viewsButton")
        self.button.setText("&Views")
        self.button.setToolTip("Plate profile, map and route, description search, my "
                               "searches and the case file")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self.menu)
        for lay in view.findChildren(QHBoxLayout):
            if lay.indexOf(view.batchButton) >= 0:
                lay.insertWidget(lay.indexOf(view.batchButton) + 1, self.button)
                break
        for a in (self.profileAction, self.mapAction, self.pickAction, self.caseAction):
            view.table.addAction(a)
        self.button.setAccessibleName("Views: profile, map, description search, case file")
        name_controls(view)
        self.controller.locked.connect(self._forget)
        self.controller.signed_out.connect(self._forget)
        self.controller.purpose_changed.connect(self._purpose_changed)

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self.view)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _c=False: slot())
        self.view.addAction(action)
        return action

    def _keep(self, w: QWidget) -> None:
        w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.windows.append(w)
        w.destroyed.connect(lambda _o=None, w=w: self.windows.remove(w)
                            if w in self.windows else None)

    def _purpose_changed(self, _purpose: object) -> None:
        self._forget()

    def _forget(self) -> None:
        self.picked.clear()
        self.casePickedAction.setText("Export P&icked Reads to Case File…")

    def _say(self, text: str) -> None:
        self.view.statusLabel.setText(text)

    def _need_purpose(self) -> bool:
        if self.controller.purpose is None:
            self.view.open_purpose_dialog()
            return True
        return False

    # -- the plate profile ---------------------------------------------------------------
    def profile_of_selected(self) -> PlateProfileWindow | None:
        row = self.view.selected_row()
        if row is None:
            self._say("Select a read first: the profile is of its plate.")
            return None
        return self.open_profile(row.read.plate_norm)

    def open_profile(self, plate: str, request: ProfileRequest | None = None
                     ) -> PlateProfileWindow | None:
        if self._need_purpose():
            return None
        w = PlateProfileWindow(self.controller, plate,
                               lookalikes=bool(request and request.lookalikes),
                               parent=self.view, run=self.view.run_kept)
        if request is not None:
            w.gapSpin.setValue(request.gap_hours)
        self._keep(w)
        w.open_read_requested.connect(lambda rid, rows: self.open_viewer(rid, list(rows)))
        w.map_requested.connect(self.map_of_profile)
        w.case_file_requested.connect(self.case_file_of_profile)
        w.show()
        w.load()
        return w

    # -- the map -------------------------------------------------------------------------------
    def _open_map(self, rows: list[SearchRow], title: str, route_plate: str | None
                  ) -> MapWindow | None:
        if not rows:
            self._say("There are no reads to show on a map.")
            return None
        by_id = {r.read.id: r for r in rows}

        def open_read(rid: int, ids: list[int]) -> None:
            self.open_viewer(rid, [by_id[i] for i in ids if i in by_id])

        w = open_map(self.controller, self.view, list(by_id), title=title,
                     kinds={r.read.id: _kind_label(r) for r in rows},
                     route_plate=route_plate, open_read=open_read, run=self.view.run_kept)
        self.windows.append(w)
        w.destroyed.connect(lambda _o=None, w=w: self.windows.remove(w)
                            if w in self.windows else None)
        return w

    def map_of_results(self) -> MapWindow | None:
        rows = self.view.model.rows
        plates = {r.read.plate_norm for r in rows}
        return self._open_map(rows, "Map of the results",
                              next(iter(plates)) if len(plates) == 1 else None)

    def map_of_profile(self, profile: PlateProfile) -> MapWindow | None:
        return self._open_map(list(profile.rows), f"Map and route of {profile.plate}",
                              profile.plate)

    # -- the case file ---------------------------------------------------------------------------
    def _case_file(self, rows: list[SearchRow], source: str, words: str
                   ) -> CaseFileDialog | None:
        if self._need_purpose():
            return None
        if not rows:
            self._say("There are no reads for a case file.")
            return None
        kinds = {r.read.id: (f"candidate (read as {r.read.plate_norm})"
                             if r.kind is MatchKind.CANDIDATE else r.kind.label) for r in rows}
        d = CaseFileDialog(self.controller, [r.read.id for r in rows], source=source,
                           query_words=words, kinds=kinds, parent=self.view)
        self._keep(d)
        d.exported.connect(lambda rc: self._say(
            f"Case file written: {rc.pdf_path} and {rc.csv_path.name} ({rc.read_count:,} "
            f"reads; logged as entry #{rc.log_seq})."))
        d.show()
        return d

    def case_file_of_results(self) -> CaseFileDialog | None:
        q = self.view._last_query
        words = ""
        if q is not None:
            words = q.pattern().describe()
            filters = q.filters.as_log_dict()
            if filters:
                words += " with " + ", ".join(
                    f"{k.replace('_', ' ')} {v}" for k, v in sorted(filters.items()))
        return self._case_file(self.view.model.rows, "results", words)

    def case_file_of_profile(self, profile: PlateProfile) -> CaseFileDialog | None:
        words = f"All sightings of {profile.plate}" + (
            " with look-alikes and candidates" if profile.lookalikes else "")
        return self._case_file(list(profile.rows), "profile", words)

    def pick_selected(self) -> None:
        row = self.view.selected_row()
        if row is None:
            self._say("Select a read to pick it for the case file.")
            return
        if row.read.id in self.picked:
            del self.picked[row.read.id]
            self._say(f"Read #{row.read.id} taken off the picks ({len(self.picked)} picked).")
        else:
            self.picked[row.read.id] = row
            self._say(f"Read #{row.read.id} picked for the case file ({len(self.picked)} "
                      "picked; Views › Export Picked Reads).")
        self.casePickedAction.setText(
            f"Export P&icked Reads to Case File ({len(self.picked)})…")

    def case_file_of_picked(self) -> CaseFileDialog | None:
        return self._case_file(list(self.picked.values()), "picked", "")

    def own_package(self) -> QWidget | None:
        """The analyst's own prosecution package of the picked reads, else of the results
        (gui/dialogs/own_package_dialog.py)."""
        from alpr_desktop.gui.dialogs.own_package_dialog import OwnPackageDialog

        if self._need_purpose():
            return None
        picked = list(self.picked)
        ids = picked or [r.read.id for r in self.view.model.rows]
        if not ids:
            self._say("There are no reads for an evidence package.")
            return None
        d = OwnPackageDialog(self.controller, ids, "picked" if picked else "results",
                             parent=self.view)
        self._keep(d)
        d.built.connect(lambda result: self._say(result.summary()))
        d.open()
        return d

    def case_file_of_ids(self, read_ids: list[int], words: str, rows: list[SearchRow]
                         ) -> CaseFileDialog | None:
        by_id = {r.read.id: r for r in rows}
        return self._case_file([by_id[i] for i in read_ids if i in by_id], "results", words)

    # -- description search and my searches -------------------------------------------------------
    def open_description(self, query: DescriptionQuery | None = None
                         ) -> DescriptionSearchDialog | None:
        if self._need_purpose():
            return None
        d = DescriptionSearchDialog(self.controller, self.view)
        self._keep(d)
        d.open_read_requested.connect(lambda rid, rows: self.open_viewer(rid, list(rows)))
        d.profile_requested.connect(self.open_profile)
        d.map_requested.connect(lambda ids, title, d=d: self._open_map(
            [r for r in d.model.rows if r.read.id in set(ids)], title, None))
        d.case_file_requested.connect(lambda ids, words, d=d: self.case_file_of_ids(
            ids, words, d.model.rows))
        d.show()
        d.load_settings()
        if query is not None:
            d.set_query(query)
            d.search(query)
        return d

    def open_my_searches(self) -> MySearchesDialog | None:
        if self._need_purpose():
            return None
        d = MySearchesDialog(self.controller, self.view)
        self._keep(d)
        d.rerun_requested.connect(self.rerun)
        d.show()
        d.load()
        return d

    def rerun(self, past: PastSearch) -> None:
        r = past.rerun
        if isinstance(r, SearchQuery):
            self.view.plateEdit.setText(r.text)
            i = self.view.modeCombo.findData(Mode(r.mode))
            if i >= 0:
                self.view.modeCombo.setCurrentIndex(i)
            self.view._run_query(r)
        elif isinstance(r, ProfileRequest):
            self.open_profile(r.plate, r)
        elif isinstance(r, DescriptionQuery):
            self.open_description(r)
        elif isinstance(r, BatchRerun):
            batch = self.view.open_batch()
            if batch is not None:
                batch.listEdit.setPlainText("\n".join(r.plates))
                batch.run(r.filters)


def install_investigator_views(view: SearchView, open_viewer: OpenViewer) -> InvestigatorViews:
    views = InvestigatorViews(view, open_viewer)
    view.investigator_views = views  # type: ignore[attr-defined]
    return views

