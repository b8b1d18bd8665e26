"""Who is signed in, and the session's lock (CJIS 5.5.5) seen from the GUI.

The controller owns the session and runs every service call on a worker (gui/workers.py),
each on its own connection (services.workstation) with a context built there: the GUI thread
never runs a query or a write (DESIGN rule 7), not even for the idle lock or signing out.
Sign-in, unlock and password changes share one long-lived AuthService on a dedicated
connection, used by one worker at a time, so that the service's imitation lockout of unknown
usernames lasts as long as the program (the dialog must answer the same for a name that does
not exist).

Idle lock: an application-wide event filter notes user input in memory
(``workstation.note_input``: keys, mouse buttons, wheel, touch, tablet, and mouse moves that
come from the window system) and a timer runs the idle check on a worker. Only input counts:
once the session reports input, service calls on
workers (camera lists, thumbnails, pages, polling, ``context()``) no longer postpone the lock
(services.sessions ``input_driven``). ``idle_warning`` fires 60 seconds before the lock so the
window can offer "Stay signed in".

Locking closes every dialog, clears the clipboard when it still holds what this program put
there, and tells the views (``locked``) to drop their data. The purpose stays declared across
a lock of the same user (the gate refuses everything while locked); sign-out or another user's
sign-in ends it. Results of work started before a lock or sign-out are thrown away (``_epoch``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog

from alpr_desktop.core.access_errors import NotSignedIn, SessionLocked
from alpr_desktop.core.accounts import AccessContext, ActivePurpose, Session
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.in_flight import InFlight
from alpr_desktop.gui.workers import CancelToken, TaskHandle, run_task
from alpr_desktop.services import workstation
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.first_accounts import FirstAccount
from alpr_desktop.services.progress import ProgressFn
from alpr_desktop.services.workstation import (
    DedicatedServices,
    IdleCheck,
    OpenStore,
    ServiceSet,
)

log = logging.getLogger(__name__)

CLIPBOARD_MARK = "application/x-alpr-desktop-mark"
IDLE_CHECK_MS = 15_000
IDLE_WARNING_MS = 60_000  # the warning shows this long before the idle lock
_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
})
# Mouse moves count only when the window system sent them: Qt also synthesizes moves (and
# hover events) when a widget appears or moves under a resting pointer, which is no input.
_MOVE_EVENTS = frozenset({QEvent.Type.MouseMove})


Services = ServiceSet  # the name the views use for the services of one task


Work = Callable[[ServiceSet, AccessContext], Any]
ProgressWork = Callable[[ServiceSet, AccessContext, ProgressFn, CancelToken], Any]


def describe_roles(roles: frozenset[Role]) -> str:
    return ", ".join(r.label for r in sorted(roles)) or "no role"


def describe_purpose(purpose: ActivePurpose | None) -> str:
    """One line for the status bar and the investigation banner."""
    if purpose is None:
        return "No active purpose"
    p = purpose.purpose
    text = f"{p.category.label} · {p.offense} · case {p.case_number}"
    if p.requesting_agency:
        text += f" · for {p.requesting_agency}"
    return text


class SessionController(QObject):
    signed_in = Signal(object)  # Session: a new session (first sign-in or another user)
    session_changed = Signal(object)  # Session: same user, new facts (password changed)
    signed_out = Signal()
    sign_out_logged = Signal()  # the sign-out's log entry is written (the witness follows it)
    locked = Signal()
    unlocked = Signal()
    purpose_changed = Signal(object)  # ActivePurpose | None
    idle_warning = Signal(int)  # seconds left before the idle lock
    idle_warning_cleared = Signal()

    def __init__(
        self,
        store: OpenStore,
        clock: Clock | None = None,
        parent: QObject | None = None,
        *,
        check_interval_ms: int = IDLE_CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self._first_admin_needed = store.description.needs_first_admin
        self.session: Session | None = None
        self.purpose: ActivePurpose | None = None
        self.is_locked = False
        self._epoch = 0
        # sign-in, unlock, password, and the lock and sign-out entries (which still run after close)
        self._auth = DedicatedServices(store, self.clock, run_after_close=True)
        self._idle_check: TaskHandle | None = None
        self._tasks: set[TaskHandle] = set()
        self._keep_tasks: set[TaskHandle] = set()  # sign-in work that outlives a lock
        self._in_flight = InFlight()  # run() tasks holding the session: sign-out waits
        self._clip_token: bytes | None = None
        self._clip_text: str | None = None
        self.warning_shown = False
        self._check_interval_ms = check_interval_ms
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(check_interval_ms)
        self.idle_timer.timeout.connect(self.check_idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- activity ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.session is not None and not self.is_locked and (
                kind in _INPUT_EVENTS or (kind in _MOVE_EVENTS and event.spontaneous())):
            self.user_active()
        return False

    def user_active(self) -> None:
        """The user did something: the idle clock starts again and any warning goes."""
        if self.session is None or self.is_locked:
            return
        workstation.note_input(self.store, self.clock, self.session)
        if self.warning_shown:
            self.warning_shown = False
            self.idle_warning_cleared.emit()

    def check_idle(self) -> None:
        """The timer's tick: ask on a worker whether the session was idle too long (the
        service locks and logs it); then lock the GUI, or warn in the last minute, and tick
        again in time for the next of those."""
        if self.session is None or self.is_locked or self.idle_checking:
            return
        session = self.session

        def done(answer: IdleCheck) -> None:
            self._idle_check = None
            if self.session is not session or self.is_locked:
                return
            if answer.locked:
                self._enter_locked()
                return
            self._schedule_idle(answer.ms_left)

        def failed(exc: BaseException) -> None:
            self._idle_check = None
            log.warning("idle check failed: %s", exc)

        self._idle_check = self._start(
            lambda: self._auth.call(lambda s: workstation.check_idle(s, session)),
            done, failed, keep_across_epochs=True)

    @property
    def idle_checking(self) -> bool:
        return self._idle_check is not None

    def _schedule_idle(self, left: int | None) -> None:
        if left is None:
            return
        if left <= IDLE_WARNING_MS:
            self.warning_shown = True
            self.idle_warning.emit(max(1, (left + 999) // 1000))
            next_ms = min(self._check_interval_ms, max(1000, left))
        else:
            next_ms = min(self._check_interval_ms, max(1000, left - IDLE_WARNING_MS))
        self.idle_timer.setInterval(int(next_ms))

    # -- work on workers ---------------------------------------------------------------------
    def run(
        self,
        work: Work,
        on_result: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
    ) -> TaskHandle:
        """Run ``work(services, ctx)`` on a worker with its own connection and a context built
        there (a user action, so it counts as activity). A result that arrives after a lock or
        sign-out is dropped; a SessionLocked error locks the GUI too."""
        session, store, clock = self.session, self.store, self.clock

        def task() -> Any:
            with self._in_flight.holding(), workstation.services_for(store, clock) as services:
                return work(services, services.auth.context(session))

        return self._start(task, on_result, on_error)

    def run_with_progress(
        self,
        work: ProgressWork,
        on_result: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
        on_progress: Callable[[int, int], None],
    ) -> TaskHandle:
        """``run`` for long jobs: ``work(services, ctx, progress, cancel)`` reports
        ``progress(done, total)`` (delivered to ``on_progress`` on the GUI thread, the latest
        value only, so a fast job never floods the event loop) and stops when ``cancel()``
        turns true (the returned handle's ``cancel``, or a lock or sign-out)."""
        session, store, clock = self.session, self.store, self.clock

        def task(progress: ProgressFn, cancel: CancelToken) -> Any:
            with self._in_flight.holding(), workstation.services_for(store, clock) as services:
                return work(services, services.auth.context(session), progress, cancel)

        return self._start(task, on_result, on_error, on_progress=on_progress)

    def run_dedicated(
        self,
        dedicated: DedicatedServices,
        work: Work,
        on_result: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
    ) -> TaskHandle:
        """``run`` on a connection kept across tasks (``dedicated``), for services that
        remember between calls (the audit listing's paging)."""
        session = self.session

        def task() -> Any:
            with self._in_flight.holding():
                return dedicated.call(lambda s: work(s, s.auth.context(session)))

        return self._start(task, on_result, on_error)

    def dedicated(self) -> DedicatedServices:
        """A connection of its own for a view's paging; close it on a worker when done."""
        return DedicatedServices(self.store, self.clock)

    def run_auth(
        self,
        work: Callable[[AuthService], Any],
        on_result: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
    ) -> TaskHandle:
        """Run ``work(auth)`` on the long-lived sign-in AuthService (one task at a time)."""
        return self._start(lambda: self._auth.call(lambda s: work(s.auth)),
                           on_result, on_error, keep_across_epochs=True)

    def _start(
        self,
        task: Callable[..., Any],  # may take progress and cancel (gui.workers)
        on_result: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
        *,
        keep_across_epochs: bool = False,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> TaskHandle:
        epoch = self._epoch
        handle: TaskHandle

        def stale() -> bool:
            return not keep_across_epochs and epoch != self._epoch

        def result(value: Any) -> None:
            self._tasks.discard(handle)
            self._keep_tasks.discard(handle)
            if not stale():
                on_result(value)

        def error(exc: BaseException) -> None:
            self._tasks.discard(handle)
            self._keep_tasks.discard(handle)
            if isinstance(exc, SessionLocked) and self.session is not None:
                self._enter_locked()
            if not stale():
                on_error(exc)

        def progress(done: int, total: int) -> None:
            if on_progress is not None and not stale():
                on_progress(done, total)

        handle = run_task(task, on_result=result, on_error=error,
                          on_progress=progress if on_progress is not None else None)
        self._tasks.add(handle)
        if keep_across_epochs:
            self._keep_tasks.add(handle)
        return handle

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    # -- signing in and out ------------------------------------------------------------------
    def needs_first_admin(self) -> bool:
        """Whether the store has no accounts yet: read when it was opened (on a worker) and
        kept up to date by ``create_first_accounts``; no query here."""
        return self._first_admin_needed

    def create_first_accounts(
        self, admin: FirstAccount, custodian: FirstAccount,
        on_result: Callable[[Any], object], on_error: Callable[[BaseException], object],
    ) -> TaskHandle:
        def done(value: Any) -> None:
            self._first_admin_needed = False
            on_result(value)

        return self.run_auth(lambda a: a.create_first_accounts(admin, custodian),
                             done, on_error)

    def sign_in(
        self, username: str, password: str,
        on_result: Callable[[Session], None], on_error: Callable[[BaseException], object],
    ) -> TaskHandle:
        """Sign in on a worker (PBKDF2); on success the previous session (if any) has ended."""

        def done(session: Session) -> None:
            self._adopt(session)
            on_result(session)

        return self.run_auth(lambda a: a.sign_in(username, password), done, on_error)

    def adopt_session(self, session: Session) -> None:
        """A session started elsewhere on this store: signing in opened the store
        (services/signin.py) before this controller existed."""
        self._adopt(session)

    def _adopt(self, session: Session) -> None:
        self._epoch += 1
        self.session = session
        self.purpose = None
        self.is_locked = False
        # signing in was input: from now on only input counts
        workstation.note_input(self.store, self.clock, session)
        self._restart_idle_timer()
        self.signed_in.emit(session)
        self.purpose_changed.emit(None)

    def unlock(
        self, password: str,
        on_result: Callable[[None], None], on_error: Callable[[BaseException], object],
    ) -> TaskHandle:
        """Unlock with the same user's password (counts toward the account lockout)."""
        session = self.session
        if session is None:
            raise NotSignedIn()

        def done(_value: None) -> None:
            if self.session is session:
                self.is_locked = False
                workstation.note_input(self.store, self.clock, session)
                self._restart_idle_timer()
                self.unlocked.emit()
                self.purpose_changed.emit(self.purpose)
            on_result(None)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NotSignedIn) and not isinstance(exc, SessionLocked):
                self._enter_signed_out()
            on_error(exc)

        return self.run_auth(lambda a: a.unlock_session(session, password), done, failed)

    def change_password(
        self, old: str, new: str,
        on_result: Callable[[Session], None], on_error: Callable[[BaseException], object],
    ) -> TaskHandle:
        session = self.session
        if session is None:
            raise NotSignedIn()

        def done(updated: Session) -> None:
            if self.session is not None and self.session.token == updated.token:
                self.session = updated
                self.session_changed.emit(updated)
            on_result(updated)

        return self.run_auth(lambda a: a.change_password(session, old, new), done, on_error)

    def _restart_idle_timer(self) -> None:
        self.idle_timer.setInterval(self._check_interval_ms)
        self.idle_timer.start()
        if self.warning_shown:
            self.warning_shown = False
            self.idle_warning_cleared.emit()

    def lock(self, reason: str = "manual") -> None:
        """Lock now (Ctrl+L): the views drop their data; the purpose stays declared."""
        if self.session is None or self.is_locked:
            return
        session = self.session
        # Hide the data and stop running work first: the lock's own log write then waits for
        # at most one batch of a running import, and nothing is shown meanwhile.
        self._cancel_tasks()
        self._enter_locked()
        if workstation.lock_now(self.store, session):  # the gate refuses it from now on
            self._write(lambda s: workstation.log_locked(s, session, reason))

    def sign_out(self) -> None:
        if self.session is None:
            return
        session, store, in_flight = self.session, self.store, self._in_flight
        self._cancel_tasks()
        self._enter_signed_out()

        def end(services: ServiceSet) -> None:
            # Tasks already running finish under the live session first.
            in_flight.wait_idle()
            if workstation.end_now(store, session):
                workstation.log_signed_out(services, session)

        self._write(end, self._sign_out_logged)

    def _sign_out_logged(self, _result: object) -> None:
        # The write may finish after the window (and this controller) is gone.
        if shiboken6.isValid(self):
            self.sign_out_logged.emit()

    def _write(self, work: Callable[[ServiceSet], Any],
               on_done: Callable[[Any], None] = lambda _r: None) -> TaskHandle:
        """A session write (lock, sign-out) on the sign-in connection, on a worker; the GUI
        already shows its outcome. A log that cannot be written is told in the log file."""
        return self._start(lambda: self._auth.call(work), on_done,
                           lambda exc: log.error("session write failed: %s", exc),
                           keep_across_epochs=True)

    def _cancel_tasks(self) -> None:
        for handle in list(self._tasks):
            if handle not in self._keep_tasks:
                handle.cancel()

    def _enter_locked(self) -> None:
        if self.is_locked:
            return
        self.is_locked = True
        self._epoch += 1
        self.idle_timer.stop()
        if self.warning_shown:
            self.warning_shown = False
            self.idle_warning_cleared.emit()
        close_dialogs()
        self.clear_own_clipboard()
        self.locked.emit()

    def _enter_signed_out(self) -> None:
        self._epoch += 1
        self.idle_timer.stop()
        self.session = None
        self.purpose = None
        self.is_locked = False
        if self.warning_shown:
            self.warning_shown = False
            self.idle_warning_cleared.emit()
        close_dialogs()
        self.clear_own_clipboard()
        self.signed_out.emit()
        self.purpose_changed.emit(None)

    # -- the purpose -------------------------------------------------------------------------
    def declare_purpose(
        self, entry: PurposeInput, permission_id: int | None,
        on_result: Callable[[ActivePurpose], None], on_error: Callable[[BaseException], object],
    ) -> TaskHandle:
        def done(purpose: ActivePurpose) -> None:
            self.set_purpose(purpose)
            on_result(purpose)

        return self.run(
            lambda s, ctx: s.purposes.declare(ctx, entry, permission_id=permission_id),
            done, on_error,
        )

    def end_purpose(
        self, on_result: Callable[[None], None], on_error: Callable[[BaseException], object]
    ) -> TaskHandle:
        def done(_ended: object) -> None:
            self.set_purpose(None)
            on_result(None)

        return self.run(lambda s, ctx: s.purposes.end(ctx), done, on_error)

    def set_purpose(self, purpose: ActivePurpose | None) -> None:
        self.purpose = purpose
        self.purpose_changed.emit(purpose)

    # -- the clipboard -----------------------------------------------------------------------
    def copy_text(self, text: str) -> None:
        """Put ``text`` on the clipboard, marked as ours so a lock may clear it (and only it)."""
        token = secrets.token_hex(16).encode("ascii")
        mime = QMimeData()
        mime.setText(text)
        mime.setData(CLIPBOARD_MARK, QByteArray(token))
        QApplication.clipboard().setMimeData(mime)
        self._clip_token, self._clip_text = token, text

    def copy_image(self, image: QImage, label: str) -> None:
        """Put an image (and its label as text) on the clipboard, marked as ours."""
        token = secrets.token_hex(16).encode("ascii")
        mime = QMimeData()
        mime.setImageData(image)
        mime.setText(label)
        mime.setData(CLIPBOARD_MARK, QByteArray(token))
        QApplication.clipboard().setMimeData(mime)
        self._clip_token, self._clip_text = token, label

    def clear_own_clipboard(self) -> bool:
        """Clear the clipboard if it still holds what we put there; True when cleared."""
        if self._clip_token is None:
            return False
        clipboard = QApplication.clipboard()
        mime = clipboard.mimeData()
        ours = (
            mime is not None
            and bytes(mime.data(CLIPBOARD_MARK).data()) == self._clip_token
            and mime.text() == self._clip_text
        )
        self._clip_token = self._clip_text = None
        if ours:
            clipboard.clear()
        return ours

    # -- teardown ----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Sign out, stop the timer and the filter, close the sign-in connection: the sign-out
        entry and the close run as one task on a worker, in that order."""
        session, store, in_flight = self.session, self.store, self._in_flight
        if session is not None:
            self._cancel_tasks()
            self._enter_signed_out()
        self.idle_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for handle in list(self._tasks):
            if handle not in self._keep_tasks:
                handle.cancel()
        auth = self._auth

        def finish() -> None:
            try:
                if session is not None:
                    in_flight.wait_idle()  # as sign_out: running tasks end first
                    if workstation.end_now(store, session):
                        auth.call(lambda s: workstation.log_signed_out(s, session))
            finally:
                auth.close()

        self._start(finish, lambda _r: None,
                    lambda exc: log.error("sign-out at shutdown failed: %s", exc),
                    keep_across_epochs=True)


def close_dialogs() -> int:
    """Close every open dialog and popup (a lock must leave nothing on screen); returns how
    many dialogs were closed."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return 0
    while (popup := QApplication.activePopupWidget()) is not None:
        popup.close()
        if QApplication.activePopupWidget() is popup:
            break
    closed = 0
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(QDialog.DialogCode.Rejected)
            if widget.isVisible():
                widget.hide()
            closed += 1
    return closed
