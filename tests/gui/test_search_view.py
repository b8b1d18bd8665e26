"""The search view end to end: a real store, the session controller's workers, the gated
SearchService and its access-log entries; typing, Enter, paging by scrolling, details,
thumbnails, superseded searches and clearing on purpose end."""

from __future__ import annotations

import hashlib

import pytest
import shiboken6
from gui_access import PASSWORDS, T_DEC, declare, log_events
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage

from alpr_desktop.core.models import ImageBlob, NewRead
from alpr_desktop.core.patterns import Mode
from alpr_desktop.gui.models.read_results_model import THUMB
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.search_view import SearchView
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import ImageRepo, ReadRepo

PAGE = 40
BULK = 130  # reads of 7AB0000..7AB0009 besides the three of 7ABC123


def _jpeg() -> bytes:
    img = QImage(120, 40, QImage.Format.Format_RGB32)
    img.fill(QColor("yellow"))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "JPEG")
    return bytes(data)


@pytest.fixture
def seeded_store(store: Store) -> Store:
    ids = ReadRepo(store).insert_many([
        NewRead(f"7AB{i % 10:04d}", T_DEC - 60 * i, 1, state="CA", make="Toyota")
        for i in range(BULK)
    ])
    crop = _jpeg()
    ImageRepo(store).put_many([
        ImageBlob(rid, "crop", "jpeg", crop, hashlib.sha256(crop).hexdigest())
        for rid in ids[:5]
    ])
    return store


def _sign_in(qtbot, controller: SessionController, who: str = "officer") -> None:
    done: list[object] = []
    controller.sign_in(who, PASSWORDS[who], done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert controller.session is not None, done


@pytest.fixture
def view(qtbot, seeded_store: Store, controller: SessionController) -> SearchView:
    _sign_in(qtbot, controller)
    declare(qtbot, controller)
    v = SearchView(controller, page_size=PAGE)
    qtbot.addWidget(v)
    v.resize(1100, 700)
    v.show()
    qtbot.waitUntil(lambda: v.filters.cameraList.count() == 1, timeout=10_000)
    return v


def _run(qtbot, view: SearchView, text: str, mode: Mode = Mode.AUTO) -> None:
    view.modeCombo.setCurrentIndex(view.modeCombo.findData(mode))
    view.plateEdit.setText(text)
    qtbot.keyClick(view.plateEdit, Qt.Key.Key_Return)
    _wait_counted(qtbot, view)


def _wait_counted(qtbot, view: SearchView) -> None:
    """The rows and, when the first page left more, the count that follows it."""
    qtbot.waitUntil(lambda: "found" in view.statusLabel.text() and not view.searching
                    and not view.counting, timeout=10_000)


def test_search_end_to_end_and_page_by_scrolling(qtbot, view: SearchView, seeded_store):
    _run(qtbot, view, "7ab*")
    assert view.model.rowCount() == PAGE
    assert "133 reads found" in view.statusLabel.text() and " ms" in view.statusLabel.text()
    [entry] = log_events(seeded_store, "search")
    assert entry.query["pattern"] == "7AB*" and entry.result_count == PAGE
    for _ in range(10):  # scrolling to the bottom asks the model for more, page by page
        if view.model.rowCount() == BULK + 3:
            break
        n = view.model.rowCount()
        view.table.scrollToBottom()
        qtbot.waitUntil(lambda n=n: view.model.rowCount() > n, timeout=10_000)
    assert view.model.rowCount() == BULK + 3
    ids = [r.read.id for r in view.model.rows]
    assert len(set(ids)) == len(ids)
    assert len(log_events(seeded_store, "search.page")) == 3  # 40 + 40 + 40 + 13


def test_details_and_open_images(qtbot, view: SearchView):
    _run(qtbot, view, "7ABC123")
    assert view.model.rowCount() == 3 and not view.openImagesButton.isEnabled()
    view.table.selectRow(1)
    assert "7ABC123" in view.details.toPlainText()
    assert "Avalon & 223rd NB" in view.details.toPlainText()
    with qtbot.waitSignal(view.open_images_requested) as sig:
        qtbot.mouseClick(view.openImagesButton, Qt.MouseButton.LeftButton)
    assert sig.args == [view.model.rows[1].read.id]


def test_thumbnails_arrive_from_a_worker_and_are_logged(qtbot, view: SearchView, seeded_store):
    _run(qtbot, view, "7AB0*")
    qtbot.waitUntil(lambda: any(
        view.model.data(view.model.index(r, THUMB), Qt.ItemDataRole.DecorationRole) is not None
        for r in range(view.model.rowCount())), timeout=10_000)
    assert log_events(seeded_store, "image.thumbnails")


def test_nothing_commits_beside_the_kept_connection_while_searching(
    qtbot, view: SearchView, seeded_store
):
    """Issue 20: a commit by any other connection makes SQLite drop the kept connection's
    whole page cache (searches after one took 1.2-1.3x as long). A search with its count
    and thumbnails, all logged, commits on the kept connection only: its data_version,
    which moves when another connection commits, stays put."""

    def thumbs_shown() -> bool:
        return any(view.model.data(view.model.index(r, THUMB),
                                   Qt.ItemDataRole.DecorationRole) is not None
                   for r in range(view.model.rowCount()))

    def data_version() -> int:  # asked on the kept connection, on a worker
        got: list[int] = []
        view.controller.run_dedicated(
            view._pagers[0], lambda s, _ctx: int(s._store.scalar("PRAGMA data_version")),
            got.append, lambda exc: got.append(-1))
        qtbot.waitUntil(lambda: bool(got), timeout=10_000)
        return got[0]

    _run(qtbot, view, "7AB0*")
    qtbot.waitUntil(thumbs_shown, timeout=10_000)
    before, logged = data_version(), len(log_events(seeded_store, "image.thumbnails"))
    _run(qtbot, view, "7AB*")
    qtbot.waitUntil(thumbs_shown, timeout=10_000)
    qtbot.waitUntil(lambda: len(log_events(seeded_store, "image.thumbnails")) > logged,
                    timeout=10_000)
    assert data_version() == before


def test_bad_pattern_is_told_and_nothing_runs(qtbot, view: SearchView, seeded_store):
    view.plateEdit.setText("7AB' OR 1=1")
    qtbot.keyClick(view.plateEdit, Qt.Key.Key_Return)
    assert "cannot appear" in view.problemLabel.text()
    view.plateEdit.setText("*")
    view.search()
    assert "every plate" in view.problemLabel.text()
    assert not view.searching and not log_events(seeded_store, "search")


def test_a_new_search_supersedes_the_running_one(qtbot, view: SearchView):
    view.plateEdit.setText("7AB*")
    view.search()
    view.plateEdit.setText("7ABC123")
    view.search()
    qtbot.waitUntil(lambda: "found" in view.statusLabel.text(), timeout=10_000)
    # the superseded worker has answered too (no task left running): its answer was ignored
    qtbot.waitUntil(lambda: not view.controller.busy, timeout=10_000)
    assert {r.read.plate_norm for r in view.model.rows} == {"7ABC123"}
    assert view.model.rowCount() == 3


def test_ctrl_f_focuses_the_plate_field(qtbot, view: SearchView):
    view.table.setFocus()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.plateEdit.hasFocus)


def test_filters_panel_narrows(qtbot, view: SearchView):
    view.filters.setChecked(True)
    view.filters.makeEdit.setText("honda")
    _run(qtbot, view, "7AB*")
    assert {r.read.plate_norm for r in view.model.rows} == {"7ABC123"}
    view.filters.speedMin.setValue(50)
    view.filters.speedMax.setValue(10)
    view.search()
    assert "lowest speed" in view.problemLabel.text()


def test_purpose_end_clears_results(qtbot, view: SearchView, controller):
    _run(qtbot, view, "7ABC123")
    assert view.model.rowCount() == 3 and "case 123-45678-2026-001" in view.purposeLabel.text()
    controller.set_purpose(None)
    assert view.model.rowCount() == 0 and "No active purpose" in view.purposeLabel.text()
    view.plateEdit.setText("7ABC123")
    view.search()  # without a purpose the dialog opens instead of a search
    qtbot.waitUntil(lambda: view.purpose_dialog is not None
                    and shiboken6.isValid(view.purpose_dialog)
                    and view.purpose_dialog.isVisible(), timeout=10_000)
    view.purpose_dialog.reject()


def test_batch_dialog_groups_by_plate_from_a_file(qtbot, view: SearchView, seeded_store,
                                                  tmp_path):
    csv_file = tmp_path / "plates.csv"
    csv_file.write_text("case,plate\n1,7abc123\n2,9NONE99\n3,bad'one\n", encoding="utf-8")
    dialog = view.open_batch()
    assert dialog is not None
    dialog.load_path(str(csv_file))
    qtbot.mouseClick(dialog.runButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.batch_result is not None, timeout=10_000)
    tree = dialog.tree
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == [
        "7ABC123", "9NONE99"]
    assert tree.topLevelItem(0).childCount() == 3
    assert tree.topLevelItem(1).text(1) == "no reads"
    assert "1 without reads" in dialog.messageLabel.text()
    assert "Skipped 1 line" in dialog.messageLabel.text()
    [entry] = log_events(seeded_store, "search.batch")
    assert entry.query["plates"] == ["7ABC123", "9NONE99"]
    dialog.reject()


def _wait_search(qtbot, view: SearchView, n_before: int) -> None:
    qtbot.waitUntil(lambda: view.model.generation > n_before and not view.searching
                    and not view.counting and "found" in view.statusLabel.text(),
                    timeout=10_000)


def test_header_click_sorts_all_results_in_the_engine(qtbot, view: SearchView, seeded_store):
    """Today only the 40 loaded rows were sorted: the top row changed while scrolling."""
    from alpr_desktop.gui.models.read_results_model import PLATE, TIME

    _run(qtbot, view, "7ab*")
    assert view.model.rowCount() == PAGE
    all_times = [r[0] for r in seeded_store.query(
        "SELECT r.recorded_at FROM reads r JOIN plates p ON p.id = r.plate_id "
        "WHERE p.plate_norm GLOB '7AB*'")]
    gen = view.model.generation
    view.table.horizontalHeader().sectionClicked.emit(TIME)
    _wait_search(qtbot, view, gen)
    times = [r.read.recorded_at for r in view.model.rows]
    assert times[0] == min(all_times) and times == sorted(times)
    assert view.table.horizontalHeader().sortIndicatorSection() == TIME
    gen = view.model.generation
    view.table.horizontalHeader().sectionClicked.emit(TIME)
    _wait_search(qtbot, view, gen)
    assert view.model.rows[0].read.recorded_at == max(all_times)
    assert view.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    # scrolling loads the next page in the same order: the top row stays put
    top = view.model.rows[0].read.id
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > PAGE, timeout=10_000)
    assert view.model.rows[0].read.id == top
    times = [r.read.recorded_at for r in view.model.rows]
    assert times == sorted(times, reverse=True)
    sorted_entries = [e for e in log_events(seeded_store) if e.event.startswith("search")
                      and e.query.get("sort")]
    assert [e.event for e in sorted_entries] == [
        "search", "search.count", "search", "search.count", "search.page"]
    gen = view.model.generation
    view.table.horizontalHeader().sectionClicked.emit(TIME)  # third click: best match
    _wait_search(qtbot, view, gen)
    assert view.table.horizontalHeader().sortIndicatorSection() == -1
    gen = view.model.generation
    view.table.horizontalHeader().sectionClicked.emit(PLATE)
    _wait_search(qtbot, view, gen)
    plates = [r.read.plate_norm for r in view.model.rows]
    assert plates == sorted(plates) and plates[0] == "7AB0000"


def test_selection_stays_on_the_same_read_across_a_re_sort(qtbot, view: SearchView):
    from alpr_desktop.gui.models.read_results_model import PLATE, TIME

    _run(qtbot, view, "7ab*")
    view.table.selectRow(7)
    chosen = view.selected_row().read.id
    for section in (PLATE, PLATE, TIME):
        gen = view.model.generation
        view.table.horizontalHeader().sectionClicked.emit(section)
        _wait_search(qtbot, view, gen)
        qtbot.waitUntil(lambda: view.selected_row() is not None, timeout=10_000)
        assert view.selected_row().read.id == chosen
        assert "Read id" in view.details.toPlainText() and str(chosen) in \
            view.details.toPlainText()


def test_counts_say_reads_and_distinct_plates(qtbot, view: SearchView):
    _run(qtbot, view, "7ABC123")
    assert "3 reads found (1 plate)" in view.statusLabel.text()
    _run(qtbot, view, "7AB*")
    assert "133 reads found (11 plates)" in view.statusLabel.text()


def test_a_substring_search_is_labelled_substring(qtbot, view: SearchView):
    from alpr_desktop.gui.models.read_results_model import MATCH

    _run(qtbot, view, "B000", Mode.SUBSTRING)
    labels = {view.model.data(view.model.index(r, MATCH)) for r in range(view.model.rowCount())}
    assert labels == {"substring"}


def test_a_new_search_or_an_error_clears_the_previous_results(qtbot, view: SearchView):
    _run(qtbot, view, "7ABC123")
    view.table.selectRow(0)
    assert view.model.rowCount() == 3 and view.details.toPlainText()
    view.plateEdit.setText("7AB'1")
    qtbot.keyClick(view.plateEdit, Qt.Key.Key_Return)
    assert view.model.rowCount() == 0 and view.details.toPlainText() == ""
    assert view.problemLabel.text()  # says what to change
    assert "change" in view.statusLabel.text().lower()
    assert "found" not in view.statusLabel.text()


def test_interrupt_stops_a_running_query(store: Store):
    """What a superseding search does to the old one's connection."""
    import threading

    from alpr_desktop.core.clock import FixedClock
    from alpr_desktop.services.cancellation import QueryInterrupt
    from alpr_desktop.services.failures import StoreError

    services = OpenStore.adopt(store).services(FixedClock())
    conn = services._store
    errors: list[BaseException] = []
    stop = QueryInterrupt()
    stop.attach(services)

    def long_query() -> None:
        try:
            conn.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                       "WHERE i < 1000000000) SELECT count(*) FROM n")
        except StoreError as exc:
            errors.append(exc)

    t = threading.Thread(target=long_query)
    t.start()
    # Interrupting before the statement starts does nothing, so ask until it stopped (no
    # sleep-then-hope); a query that cannot be interrupted runs for minutes and fails this.
    for _ in range(400):
        stop.interrupt()
        t.join(0.025)
        if not t.is_alive():
            break
    conn.close()
    assert not t.is_alive() and errors and "interrupt" in str(errors[0])


def test_end_purpose_button_ends_it_and_search_waits_for_one(qtbot, view: SearchView,
                                                            controller):
    assert view.searchButton.isEnabled() and view.endButton.isEnabled()
    _run(qtbot, view, "7ABC123")
    qtbot.mouseClick(view.endButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.purpose is None, timeout=10_000)
    assert view.model.rowCount() == 0
    assert not view.searchButton.isEnabled() and not view.batchButton.isEnabled()


def test_batch_shows_full_times_expands_per_plate_and_opens_the_viewer(
    qtbot, view: SearchView
):
    from alpr_desktop.core.clock import format_local

    dialog = view.open_batch()
    dialog.listEdit.setPlainText("7ABC123\n7AB0001\n")
    qtbot.mouseClick(dialog.runButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.batch_result is not None, timeout=10_000)
    assert not dialog.isModal()  # the viewer it opens is usable beside it
    tree = dialog.tree
    first = tree.topLevelItem(0)
    assert first.isExpanded() and first.childCount() == 3
    rows = {r.read.id: r for r in dialog.rows()}
    child = first.child(0)
    rid = child.data(0, Qt.ItemDataRole.UserRole)
    assert child.text(1) == format_local(rows[rid].read.recorded_at * 1000)  # date, seconds, zone
    assert tree.columnWidth(1) >= tree.fontMetrics().horizontalAdvance(child.text(1))
    # keyboard: fold and unfold a plate, Enter on a read opens it with the batch's reads
    tree.setFocus()
    tree.setCurrentItem(first)
    qtbot.keyClick(tree, Qt.Key.Key_Left)
    assert not first.isExpanded()
    qtbot.keyClick(tree, Qt.Key.Key_Right)
    assert first.isExpanded()
    tree.setCurrentItem(child)
    with qtbot.waitSignal(view.open_rows_requested) as sig:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert sig.args[0] == rid
    assert [r.read.id for r in sig.args[1]] == [r.read.id for r in dialog.rows()]
    dialog.close()


def test_enter_on_a_result_opens_the_viewer_and_alt_r_reaches_the_results(
    qtbot, view: SearchView
):
    _run(qtbot, view, "7ABC123")
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.plateEdit, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(view.table.hasFocus)
    assert view.selected_row() is view.model.rows[0] or \
        view.selected_row().read.id == view.model.rows[0].read.id
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.open_images_requested) as sig:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert sig.args == [view.model.rows[1].read.id]


def test_declaring_a_purpose_puts_the_focus_in_the_plate_field(qtbot, view: SearchView):
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.open_purpose_dialog()
    qtbot.waitUntil(lambda: view.purpose_dialog is not None
                    and view.purpose_dialog.isVisible(), timeout=10_000)
    dialog = view.purpose_dialog
    dialog.accept()  # as the dialog does once the service declared the purpose
    dialog.declared.emit(view.controller.purpose)
    qtbot.waitUntil(view.plateEdit.hasFocus, timeout=5_000)


def test_the_search_flow_works_from_the_keyboard(qtbot, view: SearchView):
    """Type, search, fold the filters open, reach the results and open one: no mouse."""
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.plateEdit.hasFocus)
    qtbot.keyClicks(view.plateEdit, "7abc123")
    qtbot.keyClick(view.plateEdit, Qt.Key.Key_Tab)
    assert view.modeCombo.hasFocus()
    qtbot.keyClick(view.modeCombo, Qt.Key.Key_Tab)
    assert view.searchButton.hasFocus()
    qtbot.keyClick(view.searchButton, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=10_000)
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # Fi&lters
    assert view.filters.isChecked() and view.filters.body.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(view.table.hasFocus)
    with qtbot.waitSignal(view.open_images_requested):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)


def test_searches_and_their_pages_share_one_connection_until_the_lock(
    qtbot, view: SearchView, controller, monkeypatch
):
    """Issue 20: a connection per page parsed the schema and began with a cold page cache.
    The view keeps one for its searches and pages, and closes it at lock."""
    from alpr_desktop.services.search import SEARCH_CACHE_MIB, SearchService

    used: list[object] = []  # the connections themselves (kept alive: ids stay unique)
    caches: list[int] = []
    real = SearchService.search

    def spy(self, *a, **k):
        used.append(self.store)
        caches.append(self.store.scalar("PRAGMA cache_size"))
        return real(self, *a, **k)

    monkeypatch.setattr(SearchService, "search", spy)
    _run(qtbot, view, "7ab*")
    n = view.model.rowCount()
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > n, timeout=10_000)
    _run(qtbot, view, "7ABC123")
    assert len(used) == 3 and len({id(s) for s in used}) == 1
    assert caches == [-SEARCH_CACHE_MIB * 1024] * 3  # the kept connection keeps its pages
    pager = view._pagers[0]
    view.clear_data()  # what the lock and sign-out do
    assert view._pagers == []
    qtbot.waitUntil(lambda: pager._closed, timeout=10_000)


def test_the_kept_connection_is_warmed_before_the_first_search(
    qtbot, seeded_store: Store, controller: SessionController, monkeypatch
):
    """Issue 20: a view opened while signed in opens its kept connection at once and reads
    the big tables' upper index pages into its cache (warm_pages), on a worker, before the
    first search; the search then runs on that same connection. The lock closes it."""
    from alpr_desktop.services.search import SearchService

    events: list[tuple[str, object]] = []
    real_warm, real_search = SearchService.warm_pages, SearchService.search

    def warm(self, stop=lambda: False):
        n = real_warm(self, stop)
        events.append(("warm", self.store))
        return n

    def search(self, *a, **k):
        events.append(("search", self.store))
        return real_search(self, *a, **k)

    monkeypatch.setattr(SearchService, "warm_pages", warm)
    monkeypatch.setattr(SearchService, "search", search)
    _sign_in(qtbot, controller)
    declare(qtbot, controller)
    v = SearchView(controller, page_size=PAGE)
    qtbot.addWidget(v)
    qtbot.waitUntil(lambda: events == [("warm", events[0][1])] if events else False,
                    timeout=10_000)  # no search asked for yet
    _run(qtbot, v, "7AB0001")
    assert [e[0] for e in events][:2] == ["warm", "search"]
    assert events[0][1] is events[1][1]  # one connection
    pager = v._pagers[0]
    v.clear_data()  # the lock
    qtbot.waitUntil(lambda: pager._closed, timeout=10_000)


def test_the_lock_stops_the_warm_up_rather_than_wait_for_it(
    qtbot, seeded_store: Store, controller: SessionController, monkeypatch
):
    """Sign-out waits for tasks in flight before it logs; the warm-up takes seconds on a
    large store out of the OS cache. The lock interrupts the pass running (told here from
    inside its statement, so the interrupt cannot land before it) and no pass follows."""
    import threading
    import time

    from alpr_desktop.services.failures import StoreError
    from alpr_desktop.services.search import SearchService

    running = threading.Event()
    outcome: list[tuple[str, bool]] = []

    until = time.monotonic() + 30

    def still() -> int:
        running.set()
        return int(time.monotonic() < until)

    def warm(self, stop=lambda: False):
        self.store.conn.create_function("running", 0, still)
        try:  # a pass of 30 s unless the connection is interrupted
            self.store.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                             "FROM n WHERE i < 1000000000 AND running()) SELECT count(*) FROM n")
        except StoreError as exc:
            outcome.append((str(exc), stop()))
            raise
        outcome.append(("finished", stop()))
        return 0

    monkeypatch.setattr(SearchService, "warm_pages", warm)
    _sign_in(qtbot, controller)
    declare(qtbot, controller)
    v = SearchView(controller, page_size=PAGE)
    qtbot.addWidget(v)
    assert running.wait(10)  # the warm-up's statement is running
    pager = v._pagers[0]
    v.clear_data()  # the lock
    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)
    [(said, stopped)] = outcome
    assert "interrupt" in said and stopped  # and warm() starts no pass after a stop
    qtbot.waitUntil(lambda: pager._closed, timeout=10_000)


def test_the_kept_connection_commits_without_wal_checkpoints(qtbot, view: SearchView,
                                                             monkeypatch):
    """Issue 20 (step 5): each page's log entry commits on the kept connection; a WAL
    checkpoint landing in that commit made a search's slowest pages. The connection defers
    them to a worker of its own, and closing the view's connection stops that worker."""
    from alpr_desktop.services.search import SearchService
    from alpr_desktop.storage import wal_upkeep

    used: list[tuple[object, int]] = []
    real = SearchService.search

    def spy(self, *a, **k):  # on the worker thread, which owns the connection
        page = real(self, *a, **k)
        used.append((self.store, self.store.scalar("PRAGMA wal_autocheckpoint")))
        return page

    monkeypatch.setattr(SearchService, "search", spy)
    _run(qtbot, view, "7ABC123")
    store, autocheckpoint = used[0]
    assert autocheckpoint == wal_upkeep.CAP_PAGES
    upkeep = store._upkeep
    assert upkeep is not None and upkeep._thread.is_alive()
    pager = view._pagers[0]
    view.clear_data()
    qtbot.waitUntil(lambda: pager._closed, timeout=10_000)
    qtbot.waitUntil(lambda: not upkeep._thread.is_alive(), timeout=10_000)


class _HeldCount:
    """SearchService.count held on its worker until the test lets it go (no sleeps): the
    rows are on screen while the count has not answered. Records every status shown."""

    def __init__(self, monkeypatch, view: SearchView) -> None:
        import threading

        from alpr_desktop.services.search import SearchService

        self.go = threading.Event()
        self.calls: list[tuple[str, object]] = []  # (pattern, connection)
        self.statuses: list[str] = []
        view.status_message.connect(self.statuses.append)
        real = SearchService.count

        def held(svc, ctx, query, cursor):
            self.calls.append((query.text, svc.store))
            assert self.go.wait(20), "the test never let the count go"
            return real(svc, ctx, query, cursor)

        monkeypatch.setattr(SearchService, "count", held)


def test_the_rows_come_first_then_the_count(qtbot, view: SearchView, seeded_store,
                                            monkeypatch):
    """Issue 20: the first page is shown before the total is counted; the count follows on
    the same kept connection and is logged as its own entry."""
    from alpr_desktop.services.search import SearchService

    held = _HeldCount(monkeypatch, view)
    pages: list[object] = []
    real_search = SearchService.search

    def spy(svc, *a, **k):
        pages.append(svc.store)
        return real_search(svc, *a, **k)

    monkeypatch.setattr(SearchService, "search", spy)
    view.plateEdit.setText("7AB*")
    view.search()
    qtbot.waitUntil(lambda: view.model.rowCount() == PAGE and bool(held.calls),
                    timeout=10_000)
    assert view.counting and "40+ reads found, counting…" in view.statusLabel.text()
    [first] = log_events(seeded_store, "search")
    assert first.detail["counted"] is False and "total" not in first.detail
    assert not log_events(seeded_store, "search.count")
    held.go.set()
    qtbot.waitUntil(lambda: not view.counting, timeout=10_000)
    assert "133 reads found (11 plates)" in view.statusLabel.text()
    assert "counting" not in view.statusLabel.text() and view.model.rowCount() == PAGE
    [count] = log_events(seeded_store, "search.count")
    assert count.query == first.query and count.result_count == 133
    assert count.detail["plates_found"] == 11
    assert held.calls[0][1] is pages[0]  # the view's kept connection


def test_a_newer_search_never_shows_an_older_count(qtbot, view: SearchView, seeded_store,
                                                   monkeypatch):
    held = _HeldCount(monkeypatch, view)
    view.plateEdit.setText("7AB*")
    view.search()
    qtbot.waitUntil(lambda: bool(held.calls), timeout=10_000)
    view.plateEdit.setText("7AB0001")  # 13 reads: a page of 40 holds them, no count
    view.search()
    held.go.set()  # the old count answers late, on the connection the new search waits for
    qtbot.waitUntil(lambda: "13 reads found" in view.statusLabel.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not view.controller.busy, timeout=10_000)
    assert not any("133" in text for text in held.statuses)
    assert "13 reads found (1 plate)" in view.statusLabel.text() and not view.counting
    assert [c[0] for c in held.calls] == ["7AB*"]  # the page holding all needs no count


def test_a_count_answering_after_the_lock_is_dropped(qtbot, view: SearchView, monkeypatch):
    held = _HeldCount(monkeypatch, view)
    _start = len(held.statuses)
    view.plateEdit.setText("7AB*")
    view.search()
    qtbot.waitUntil(lambda: bool(held.calls), timeout=10_000)
    view.clear_data()  # what the lock and sign-out do
    held.go.set()
    qtbot.waitUntil(lambda: not view.controller.busy, timeout=10_000)
    assert view.statusLabel.text() == "" and view.model.rowCount() == 0
    assert not any("133" in text for text in held.statuses[_start:])


def test_a_count_that_fails_says_so_and_the_rows_stay(qtbot, view: SearchView, seeded_store,
                                                     monkeypatch):
    from alpr_desktop.services.failures import StoreError
    from alpr_desktop.services.search import SearchService

    def broken(*_a, **_k):
        raise StoreError("disk I/O error")

    monkeypatch.setattr(SearchService, "count", broken)
    view.plateEdit.setText("7AB*")
    view.search()
    qtbot.waitUntil(lambda: "not counted" in view.statusLabel.text(), timeout=10_000)
    text = view.statusLabel.text()
    assert text.startswith("40+ reads found in ")
    assert "; scroll for more. The total was not counted: try again" in text
    assert text.endswith(". This search is logged.") and ".." not in text
    assert "Traceback" not in text and "StoreError" not in text and "counting" not in text
    assert view.model.rowCount() == PAGE and not view.counting
    assert not log_events(seeded_store, "search.count")


def test_a_page_holding_everything_asks_for_no_count(qtbot, view: SearchView, seeded_store):
    _run(qtbot, view, "7AB0001")
    assert "13 reads found (1 plate)" in view.statusLabel.text()
    [entry] = log_events(seeded_store, "search")
    assert entry.detail["total"] == 13 and "counted" not in entry.detail
    assert not log_events(seeded_store, "search.count")


def test_a_pattern_that_cannot_be_searched_keeps_the_kept_connection(
    qtbot, view: SearchView, seeded_store
):
    """Issue 20: a typo clears the results but not the search connection and its cache of
    decrypted pages (it closed it, so the next search started cold); ending the purpose
    still closes it."""
    _run(qtbot, view, "7AB0*")
    pager = view._pagers[0]
    view.plateEdit.setText("7AB' OR 1=1")
    view.search()
    assert "cannot appear" in view.problemLabel.text() and view.model.rowCount() == 0
    assert view._pagers == [pager]
    _run(qtbot, view, "7AB*")
    assert view._pagers == [pager] and view.model.rowCount() == PAGE
    view.end_purpose()
    qtbot.waitUntil(lambda: view.controller.purpose is None, timeout=10_000)
    assert view._pagers == []


def test_thumbnails_are_decoded_off_the_kept_connection(
    qtbot, view: SearchView, seeded_store, monkeypatch: pytest.MonkeyPatch
):
    """Issue 20: the crops are read (and logged) on the kept connection and decoded on a task
    of their own, so the next search does not wait for the pixels: with the decoding held,
    a search runs to its count, and the thumbnails arrive once it is let go."""
    import threading

    from alpr_desktop.gui.views import search_view

    decode = search_view.decode_thumbnails
    go, started = threading.Event(), threading.Event()

    def held(crops):
        started.set()
        go.wait(20)
        return decode(crops)

    monkeypatch.setattr(search_view, "decode_thumbnails", held)
    try:
        _run(qtbot, view, "7AB0*")
        qtbot.waitUntil(started.is_set, timeout=10_000)
        _run(qtbot, view, "7AB0000")  # the pager is not held by the decoding
        assert view.model.rowCount() == BULK // 10
        logged = len(log_events(seeded_store, "image.thumbnails"))
        assert logged >= 1
    finally:
        go.set()
    qtbot.waitUntil(lambda: any(
        view.model.data(view.model.index(r, THUMB), Qt.ItemDataRole.DecorationRole) is not None
        for r in range(view.model.rowCount())), timeout=10_000)
