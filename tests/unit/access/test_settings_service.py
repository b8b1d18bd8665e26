"""Security settings (DESIGN rule 9): admin only, bounded, logged, and in force."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries, purpose_input

from alpr_desktop.core.access_errors import NotAuthorized, SessionLocked
from alpr_desktop.core.purpose_rules import PurposeRejected
from alpr_desktop.core.purposes import DEFAULT_CASE_FORMATS, CaseFormat
from alpr_desktop.services.settings import SecuritySettingsService, SettingRejected


@pytest.fixture
def settings(world: World) -> SecuritySettingsService:
    return SecuritySettingsService(world.store, world.clock)


def test_default_idle_is_15(settings: SecuritySettingsService) -> None:
    assert settings.idle_lock_minutes() == 15


@pytest.mark.parametrize("who", ["officer", "keeper", "vendor"])
def test_only_admin_changes(world: World, settings: SecuritySettingsService, who: str) -> None:
    with pytest.raises(NotAuthorized):
        settings.set_idle_lock_minutes(world.ctx(who), 5)
    with pytest.raises(NotAuthorized):
        settings.set_case_formats(world.ctx(who), DEFAULT_CASE_FORMATS)
    assert settings.idle_lock_minutes() == 15
    assert not log_entries(world.store, "settings.changed")


@pytest.mark.parametrize("minutes", [0, 31, -1])
def test_idle_bounds(world: World, settings: SecuritySettingsService, minutes: int) -> None:
    with pytest.raises(SettingRejected):
        settings.set_idle_lock_minutes(world.ctx("root"), minutes)
    assert settings.idle_lock_minutes() == 15


def test_idle_change_is_logged_and_in_force(
    world: World, settings: SecuritySettingsService
) -> None:
    settings.set_idle_lock_minutes(world.ctx("root"), 30)
    [entry] = log_entries(world.store, "settings.changed")
    assert entry.username == "root"
    assert entry.detail == {"key": "security.idle_lock_minutes", "from": 15, "to": 30}
    settings.set_idle_lock_minutes(world.ctx("root"), 2)
    s = world.sign_in("officer")
    world.clock.advance(2 * 60)
    with pytest.raises(SessionLocked):
        world.auth.context(s)


def test_case_formats(world: World, settings: SecuritySettingsService) -> None:
    admin = world.ctx("root")
    with pytest.raises(SettingRejected):
        settings.set_case_formats(admin, [CaseFormat("anything", r"^.*$")])
    with pytest.raises(SettingRejected):
        settings.set_case_formats(admin, [CaseFormat("broken", r"^(\d+$")])
    with pytest.raises(SettingRejected):
        settings.set_case_formats(admin, [])
    assert settings.case_formats() == DEFAULT_CASE_FORMATS
    only = CaseFormat("Carson CR", r"^CR\d{6}$", ("CR123456",))
    settings.set_case_formats(admin, [only])
    assert settings.case_formats() == (only,)
    assert log_entries(world.store, "settings.changed")[-1].detail["to"] == [r"^CR\d{6}$"]
    # the purpose gate now uses the configured formats
    ctx = world.ctx("officer")
    with pytest.raises(PurposeRejected):
        world.purposes.declare(ctx, purpose_input())
    assert world.purposes.declare(ctx, purpose_input(case_number="cr123456"))
