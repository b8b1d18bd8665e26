"""Issue 20: converting a store to today's format is an administrator's act, refused to every
other role (and logged as a refusal); the one log entry, with both formats and the row
counts, is written before the copy, so the converted store carries it, and a conversion that
fails leaves the original with that entry and a second one saying it failed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from access_helpers import World, log_entries
from old_format import OLD, create_old, dump, fill

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.audit_log import Outcome
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.search import SearchQuery
from alpr_desktop.services.search import SearchService
from alpr_desktop.services.store_format import EVENT, StoreFormatService
from alpr_desktop.storage import Store, StoreBusy, StoreCorrupt
from alpr_desktop.storage import format_convert as fc
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.db import STORE_FORMAT

FROM, TO = "16 KiB pages, HMAC-SHA512", "4 KiB pages, HMAC-SHA256"


@pytest.fixture
def store(store_path: Path, store_key: bytes,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The world's store, made by an earlier version."""
    s = create_old(store_path, store_key, monkeypatch)
    yield s
    s.close()


@pytest.fixture
def filled(world: World) -> World:
    officer = world.store.accounts.get("officer")
    assert officer is not None
    fill(world.store, officer_id=officer.id)
    return world


def _reads_found(world: World, text: str) -> list[int]:
    ctx = world.with_purpose("officer")
    page = SearchService(world.store, world.clock).search(ctx, SearchQuery(text))
    return sorted(r.read.id for r in page.rows)


def _without_log(d: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in d.items() if k not in ("access_log", "sqlite_sequence")}


def test_an_administrator_converts_and_the_converted_log_carries_the_entry(
    filled: World,
) -> None:
    w = filled
    found = _reads_found(w, "7ABC12?")
    assert found
    root = w.ctx("root")
    before = dump(w.store)
    done = StoreFormatService(w.store, w.clock).convert(root)
    assert done.converted and (done.before, done.after) == (FROM, TO)
    assert w.store.cipher_format == STORE_FORMAT  # the same unit of work, on the new file
    (entry,) = log_entries(w.store, EVENT)
    assert entry.outcome == Outcome.OK and entry.username == "root"
    detail = entry.detail
    assert (detail["stage"], detail["from_format"], detail["to_format"]) == ("started", FROM, TO)
    rows = detail["rows"]
    # The counts as the copy began, the entry itself aside; the copy holds the entry too.
    assert rows["reads"] == len(before["reads"])  # type: ignore[arg-type]
    assert rows["access_log"] + 1 == dict(done.rows)["access_log"]
    assert detail["rows_total"] == sum(rows.values())
    assert _without_log(dump(w.store)) == _without_log(before)
    assert AccessLogRepo(w.store).verify().intact
    assert _reads_found(w, "7ABC12?") == found  # searching logs again, on the new file
    assert AccessLogRepo(w.store).verify().intact


@pytest.mark.parametrize("who", ["keeper", "officer", "vendor"])
def test_every_other_role_is_refused_and_the_refusal_logged(filled: World, who: str) -> None:
    w = filled
    ctx = w.ctx(who)
    with pytest.raises(NotAuthorized):
        StoreFormatService(w.store, w.clock).convert(ctx)
    refused = log_entries(w.store, "gate.refused")
    assert refused and refused[-1].username == who
    assert refused[-1].detail["action"] == "manage_security_settings"
    assert not log_entries(w.store, EVENT)
    assert w.store.cipher_format == OLD


def test_a_failed_conversion_leaves_the_original_and_says_so_in_its_log(
    filled: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = filled
    root = w.ctx("root")
    before = dump(w.store)

    def bad_copy(*_args: object) -> None:
        raise StoreCorrupt("The converted copy did not check out (row counts differ in "
                           "reads); the store is unchanged.")

    monkeypatch.setattr(fc._Conversion, "verify", bad_copy)
    with pytest.raises(StoreCorrupt):
        StoreFormatService(w.store, w.clock).convert(root)
    assert w.store.cipher_format == OLD
    started, failed = log_entries(w.store, EVENT)
    assert started.detail["stage"] == "started" and started.outcome == Outcome.OK
    assert failed.outcome == Outcome.FAILED and failed.detail["stage"] == "failed"
    assert "row counts differ" in failed.detail["reason"]
    assert _without_log(dump(w.store)) == _without_log(before)
    assert AccessLogRepo(w.store).verify().intact
    assert not fc.temp_path(w.store.path).exists()


def test_cancel_and_a_busy_store_are_logged_as_failed_attempts(filled: World) -> None:
    w = filled
    service = StoreFormatService(w.store, w.clock)
    with pytest.raises(Cancelled):
        service.convert(w.ctx("root"), cancel=lambda: True)
    worker = w.store.reopen()  # another connection: a worker, another window
    try:
        with pytest.raises(StoreBusy):
            service.convert(w.ctx("root"))
    finally:
        worker.close()
    cancelled, busy = log_entries(w.store, EVENT)
    assert cancelled.outcome == busy.outcome == Outcome.FAILED
    assert cancelled.detail["stage"] == "cancelled"
    assert "open" in busy.detail["reason"]
    assert w.store.cipher_format == OLD
    assert service.convert(w.ctx("root")).converted  # nobody else now: it goes through


def test_a_store_in_todays_format_is_not_converted_and_nothing_is_logged(
    filled: World,
) -> None:
    w = filled
    service = StoreFormatService(w.store, w.clock)
    root = w.ctx("root")
    service.convert(root)
    entries = len(log_entries(w.store))
    done = service.convert(root)
    assert not done.converted and service.formats() == (TO, TO)
    assert "nothing to convert" in done.summary
    assert len(log_entries(w.store)) == entries


def test_the_file_status_says_how_to_convert_an_earlier_store(world: World) -> None:
    """What the administrator's Security settings show: an earlier format with the command
    that converts this very file; after the conversion, today's format in one line."""
    svc = StoreFormatService(world.store, world.clock)
    status = svc.file_status()
    assert status is not None and not status.up_to_date
    assert (status.current, status.today) == (FROM, TO)
    advice = status.advice("root")
    assert f'alpr-desktop store convert --path "{world.store.path}" --user root' in advice
    assert FROM in advice and TO in advice
    svc.convert(world.ctx("root"))
    after = svc.file_status()
    assert after is not None and after.up_to_date
    assert after.advice("root") == f"This store file has today's format ({TO})."
