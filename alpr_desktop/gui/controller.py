"""What a screen needs from the session: the protocol views and dialogs are typed against.

SessionController implements it; tests and layout probes pass smaller fakes. A view asks for
work on a worker (``run``, ``run_with_progress``, ``run_dedicated``), reads who is signed in
and the purpose, and listens to the session's signals; it never reaches the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QImage

from alpr_desktop.core.accounts import AccessContext, ActivePurpose, Session
from alpr_desktop.core.clock import Clock
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.gui.workers import CancelToken, TaskHandle
from alpr_desktop.services.progress import ProgressFn
from alpr_desktop.services.workstation import DedicatedServices, ServiceSet

Work = Callable[[ServiceSet, AccessContext], Any]
ProgressWork = Callable[[ServiceSet, AccessContext, ProgressFn, CancelToken], Any]
OnResult = Callable[[Any], object]
OnError = Callable[[BaseException], object]  # a return value (a message box) is ignored
# run(work, on_result, on_error) on some connection: Controller.run, or the search screen's
# kept connection (SearchView.run_kept) for the windows it opens.
RunWork = Callable[[Work, OnResult, OnError], Any]


class Runner(Protocol):
    """Work on a worker with a context built there: enough for a screen that only loads."""

    @property
    def clock(self) -> Clock: ...

    def run(self, work: Work, on_result: OnResult, on_error: OnError) -> TaskHandle: ...


class Controller(Runner, Protocol):
    """The session as the screens see it."""

    @property
    def session(self) -> Session | None: ...

    @property
    def purpose(self) -> ActivePurpose | None: ...

    @property
    def is_locked(self) -> bool: ...

    @property
    def purpose_changed(self) -> SignalInstance: ...

    @property
    def locked(self) -> SignalInstance: ...

    @property
    def signed_out(self) -> SignalInstance: ...

    def run_with_progress(self, work: ProgressWork, on_result: OnResult, on_error: OnError,
                          on_progress: Callable[[int, int], None]) -> TaskHandle: ...

    def run_dedicated(self, dedicated: DedicatedServices, work: Work, on_result: OnResult,
                      on_error: OnError) -> TaskHandle: ...

    def dedicated(self) -> DedicatedServices: ...

    def declare_purpose(self, entry: PurposeInput, permission_id: int | None,
                        on_result: Callable[[ActivePurpose], None],
                        on_error: OnError) -> TaskHandle: ...

    def end_purpose(self, on_result: Callable[[None], None],
                    on_error: OnError) -> TaskHandle: ...

    def copy_text(self, text: str) -> None: ...

    def copy_image(self, image: QImage, label: str) -> None: ...

    def clear_own_clipboard(self) -> bool: ...
