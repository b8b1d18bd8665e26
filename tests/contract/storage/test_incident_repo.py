"""The incident register (uow.incidents): an incident reads back as typed, newest first, and
its notice date is set later."""

from __future__ import annotations

from alpr_desktop.core.incidents import IncidentInput
from alpr_desktop.storage.unit_of_work import UnitOfWork

DAY = 86_400_000


def _input(discovered_ms: int) -> IncidentInput:
    return IncidentInput(
        discovered_ms, discovered_ms - 2 * DAY, discovered_ms - DAY, "  laptop stolen  ",
        "reads of May", encrypted=True, key_exposed=False, people_affected=12,
        california_residents=11, actions_taken="keys rotated", contact="custodian@carson",
    )


def test_an_incident_reads_back_and_takes_its_notice(
    store: UnitOfWork, people: dict[str, int]
) -> None:
    first = store.incidents.add(_input(10 * DAY), people["keeper"], 10 * DAY + 5)
    assert (first.what_happened, first.encrypted, first.key_exposed) == (
        "laptop stolen", True, False)  # trimmed as stored
    assert (first.people_affected, first.california_residents, first.notice_ms) == (12, 11, None)
    assert store.incidents.get(first.id) == first
    later = store.incidents.add(_input(20 * DAY), people["keeper"], 20 * DAY)
    assert [i.id for i in store.incidents.all()] == [later.id, first.id]  # newest first
    store.incidents.set_notice(first.id, 11 * DAY)
    again = store.incidents.get(first.id)
    assert again is not None and again.notice_ms == 11 * DAY
    assert store.incidents.get(later.id + 1) is None
