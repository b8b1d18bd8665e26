"""The custodian's audit view shows a failed sign-in under a name that is not an account as
"unknown account" and its keyed fingerprint, never what was typed (issue 10 §3). On today's
code the typed text (here a password) was the entry's username, shown in the view."""

from __future__ import annotations

import pytest
from gui_access import sign_in

from alpr_desktop.core.access_errors import BadCredentials
from alpr_desktop.gui.views.audit_view import AuditView
from alpr_desktop.gui.views.workspace import AUDIT
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.name_fingerprint import name_fingerprint

SECRET = "Quince-Harbor-Lantern-42"


def test_audit_view_shows_the_fingerprint_not_the_typed_name(qtbot, workspace, store, clock):
    auth = AuthService(store, clock)
    for _ in range(2):
        with pytest.raises(BadCredentials):
            auth.sign_in(SECRET, "whatever")
    sign_in(qtbot, workspace, "keeper")
    view = workspace.views[AUDIT]
    assert isinstance(view, AuditView)
    workspace.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: not view.loading and view.total is not None, timeout=15_000)
    model = view.model
    cells = [str(model.index(r, c).data() or "")
             for r in range(model.rowCount()) for c in range(model.columnCount())]
    assert cells and not any(SECRET.lower() in cell.lower() for cell in cells)
    label = f"unknown account {name_fingerprint(store, SECRET)}"
    assert sum(label in cell for cell in cells) == 2
