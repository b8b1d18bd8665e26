"""Issue 10 §4: when the access log cannot be written, the action is refused rather than done
unlogged; sign-in included. Restrictive actions (lock, sign-out) still take effect: refusing
them would leave data on the screen. The log write is made to fail with a trigger, as a full
disk or a damaged log table would."""

from __future__ import annotations

import pytest
from access_helpers import PASSWORDS, World, log_entries, purpose_input

from alpr_desktop.core.access_errors import NotSignedIn, SessionLocked
from alpr_desktop.services import sessions
from alpr_desktop.storage import Store
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.errors import LogUnavailable
from alpr_desktop.storage.purposes import PurposeRepo


def _break_log(store: Store, event_like: str) -> None:
    store.execute("CREATE TEMP TRIGGER log_broken BEFORE INSERT ON access_log "
                  f"WHEN NEW.event LIKE '{event_like}' "
                  "BEGIN SELECT RAISE(ABORT, 'no room for the entry'); END")


def _mend_log(store: Store) -> None:
    store.execute("DROP TRIGGER temp.log_broken")


def test_sign_in_is_refused_when_it_cannot_be_logged(world: World) -> None:
    before = AccountRepo(world.store).record("officer")
    assert before is not None
    _break_log(world.store, "signin.ok")
    with pytest.raises(LogUnavailable) as caught:
        world.auth.sign_in("officer", PASSWORDS["officer"])
    assert "refused" in str(caught.value)
    assert world.auth.current() is None  # no session
    after = AccountRepo(world.store).record("officer")
    assert after is not None and after.account == before.account  # not even "last sign-in"
    assert log_entries(world.store, "signin.ok") == []
    _mend_log(world.store)
    assert world.sign_in("officer").username == "officer"


def test_declaring_a_purpose_is_refused_when_it_cannot_be_logged(world: World) -> None:
    ctx = world.ctx("officer")
    _break_log(world.store, "purpose.declared")
    with pytest.raises(LogUnavailable):
        world.purposes.declare(ctx, purpose_input())
    assert PurposeRepo(world.store).open_for(ctx.session.user_id) is None
    assert world.auth.context(ctx.session).purpose is None


def test_a_lock_takes_effect_even_when_it_cannot_be_logged(world: World) -> None:
    session = world.sign_in("officer")
    _break_log(world.store, "session.locked")
    with pytest.raises(LogUnavailable):
        world.auth.lock_session(session, "manual")
    assert world.auth.is_locked(session)
    with pytest.raises(SessionLocked):
        world.auth.context(session)


def test_a_sign_out_takes_effect_even_when_it_cannot_be_logged(world: World) -> None:
    session = world.sign_in("officer")
    _break_log(world.store, "signout")
    with pytest.raises(LogUnavailable):
        world.auth.sign_out(session)
    assert sessions.REGISTRY.live(world.store.store_id, session) is None
    with pytest.raises(NotSignedIn):
        world.auth.context(session)
