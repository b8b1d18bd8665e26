"""Contractor written permissions (policy §2): scope, expiry, revocation, reference in log."""

from __future__ import annotations

import pytest
from access_helpers import DAY, READ_TIMES, World, log_entries, purpose_input, seed_reads

from alpr_desktop.core.access_errors import NotAuthorized, PermissionInvalid
from alpr_desktop.core.accounts import AccessContext, WrittenPermission
from alpr_desktop.core.models import Read
from alpr_desktop.core.patterns import Mode
from alpr_desktop.core.purpose_rules import PurposeRejected
from alpr_desktop.core.search import SearchQuery
from alpr_desktop.services.images import ImageService
from alpr_desktop.services.search import SearchService


def _search(world: World, ctx: AccessContext, plate: str = "7ABC123") -> tuple[Read, ...]:
    """The reads of exactly ``plate`` (SearchService, exact mode), in page order."""
    page = SearchService(world.store, world.clock).search(ctx, SearchQuery(plate, Mode.EXACT))
    return tuple(row.read for row in page.rows)


def _grant(world: World, **changes: object) -> WrittenPermission:
    args: dict[str, object] = {
        "reference": "CARSON-ACM-2026-014",
        "contractor_username": "vendor",
        "purpose": "Help LASD collect evidence for a vehicle theft at Carson Mall.",
        "data_from": READ_TIMES[1] - DAY,
        "data_to": READ_TIMES[2] + DAY,
        "expires_ms": world.clock.now_ms() + 7 * DAY * 1000,
    }
    args.update(changes)
    return world.permissions.record(world.ctx("keeper"), **args)  # type: ignore[arg-type]


def test_only_the_custodian_records(world: World) -> None:
    for who in ("officer", "vendor", "root"):
        with pytest.raises(NotAuthorized):
            world.permissions.record(
                world.ctx(who), reference="X-1", contractor_username="vendor",
                purpose="Help LASD collect evidence for a case.", data_from=0, data_to=1,
                expires_ms=world.clock.now_ms() + 1000,
            )
    assert not log_entries(world.store, "permission.granted")


def test_record_is_logged_with_reference(world: World) -> None:
    p = _grant(world)
    assert p.is_active(world.clock.now_ms())
    [entry] = log_entries(world.store, "permission.granted")
    assert entry.username == "keeper"
    assert entry.detail["reference"] == "CARSON-ACM-2026-014"
    assert entry.detail["contractor"] == "vendor"


@pytest.mark.parametrize(
    "changes",
    [
        {"reference": " "},
        {"purpose": "short"},
        {"contractor_username": "officer"},
        {"data_from": 10, "data_to": 5},
        {"expires_ms": 0},
        {"expires_ms": 1_767_225_600_000 + 400 * DAY * 1000},
    ],
)
def test_invalid_permissions(world: World, changes: dict[str, object]) -> None:
    with pytest.raises(PermissionInvalid):
        _grant(world, **changes)


def test_contractor_without_permission_is_refused(world: World) -> None:
    seed_reads(world.store)
    ctx = world.ctx("vendor")
    with pytest.raises(NotAuthorized):
        world.purposes.declare(ctx, purpose_input())
    with pytest.raises(NotAuthorized):
        _search(world, ctx)
    reasons = [e.detail["reason"] for e in log_entries(world.store, "gate.refused")]
    assert reasons == ["no_written_permission", "no_written_permission"]


def test_contractor_searches_inside_scope_with_reference_logged(world: World) -> None:
    seed_reads(world.store)
    _grant(world)
    ctx = world.with_purpose("vendor")
    assert ctx.permission is not None and ctx.purpose is not None
    assert ctx.purpose.permission_id == ctx.permission.id
    reads = _search(world, ctx, "7abc-123")
    assert sorted(r.recorded_at for r in reads) == sorted(READ_TIMES[1:])  # not the oldest
    [entry] = log_entries(world.store, "search")
    assert entry.username == "vendor" and entry.organization == "Acme ALPR Services"
    assert entry.detail["permission_reference"] == "CARSON-ACM-2026-014"
    assert entry.purpose["written_permission"] == "CARSON-ACM-2026-014"
    assert entry.query["time_window"] == {"from": READ_TIMES[1] - DAY, "to": READ_TIMES[2] + DAY}
    declared = log_entries(world.store, "purpose.declared")[-1]
    assert declared.detail["permission_reference"] == "CARSON-ACM-2026-014"


def test_contractor_refused_outside_the_window(world: World) -> None:
    ids = seed_reads(world.store)
    _grant(world)
    ctx = world.with_purpose("vendor")
    svc = ImageService(world.store, world.clock)
    with pytest.raises(NotAuthorized):
        svc.open_read_images(ctx, ids[0])  # recorded 20 days before: outside
    assert svc.open_read_images(ctx, ids[1]) is not None
    # the thumbnails of a list of reads leave out those outside the window
    crops = SearchService(world.store, world.clock).plate_crops(ctx, ids[:2])
    assert set(crops) == {ids[1]}
    refused = log_entries(world.store, "gate.refused")
    assert [e.detail["reason"] for e in refused] == ["outside_permission_window"]
    assert [e.event for e in log_entries(world.store) if e.event == "image.view"] == \
        ["image.view"]


def test_expiry_ends_access(world: World) -> None:
    seed_reads(world.store)
    _grant(world, expires_ms=world.clock.now_ms() + 600_000)
    ctx = world.with_purpose("vendor")
    assert _search(world, ctx)
    world.clock.advance(599)
    assert _search(world, ctx)
    world.clock.advance(1)
    with pytest.raises(NotAuthorized):
        _search(world, ctx)


def test_revocation_ends_access_and_the_purpose(world: World) -> None:
    seed_reads(world.store)
    p = _grant(world)
    vendor_ctx = world.with_purpose("vendor")
    keeper = world.ctx("keeper")  # ends the vendor's session (one workstation)
    with pytest.raises(PermissionInvalid):
        world.permissions.revoke(keeper, p.id, " ")
    revoked = world.permissions.revoke(keeper, p.id, "Evidence collected")
    assert revoked.revoked_by == "keeper" and not revoked.is_active(world.clock.now_ms())
    assert log_entries(world.store, "permission.revoked")[-1].detail["reason"] == \
        "Evidence collected"
    ctx = world.ctx("vendor")
    assert ctx.purpose is None and ctx.permission is None
    with pytest.raises(NotAuthorized):
        _search(world, ctx)
    assert vendor_ctx.purpose is not None


def test_permission_for_one_case_only(world: World) -> None:
    _grant(world, case_number="123-45678-2026-001")
    ctx = world.ctx("vendor")
    with pytest.raises(PurposeRejected, match="covers case"):
        world.purposes.declare(ctx, purpose_input(case_number="26-004512"))
    world.purposes.declare(ctx, purpose_input())
    assert log_entries(world.store, "purpose.rejected")


def test_lists(world: World) -> None:
    p = _grant(world)
    assert [x.id for x in world.permissions.list_permissions(world.ctx("keeper"))] == [p.id]
    assert [x.id for x in world.permissions.my_active_permissions(world.ctx("vendor"))] == [p.id]
    with pytest.raises(NotAuthorized):
        world.permissions.list_permissions(world.ctx("vendor"))


def test_contractor_accounts_for_the_custodian_only(world: World) -> None:
    from access_helpers import add_account

    from alpr_desktop.core.accounts import Account
    from alpr_desktop.core.roles import Role

    add_account(world.store, world.clock,
                Account(None, "avendor", "Ann Vendor", "Other Vendor LLC",
                        roles=frozenset({Role.CONTRACTOR})), "Second-Vendor-Pass-11")
    add_account(world.store, world.clock,
                Account(None, "oldvendor", "Old Vendor", "Gone LLC",
                        roles=frozenset({Role.CONTRACTOR}), active=False),
                "Third-Vendor-Pass-22")
    listed = world.permissions.contractor_accounts(world.ctx("keeper"))
    assert [a.username for a in listed] == ["avendor", "vendor"]
    for who in ("officer", "root"):
        before = len(log_entries(world.store, "gate.refused"))
        with pytest.raises(NotAuthorized):
            world.permissions.contractor_accounts(world.ctx(who))
        refused = log_entries(world.store, "gate.refused")
        assert len(refused) == before + 1
        assert any(e.username == who for e in refused)


def test_new_permission_after_the_old_one_expired(world: World) -> None:
    seed_reads(world.store)
    _grant(world, expires_ms=world.clock.now_ms() + 60_000)
    ctx = world.with_purpose("vendor")
    world.clock.advance(60)
    second = _grant(world, reference="CARSON-ACM-2026-015")
    ctx = world.ctx("vendor")
    # the old purpose is tied to the expired permission; declaring anew uses the active one
    world.purposes.declare(ctx, purpose_input(), permission_id=second.id)
    ctx = world.auth.context(ctx.session)
    assert ctx.permission is not None and ctx.permission.id == second.id
    assert _search(world, ctx)
    assert log_entries(world.store, "search")[-1].detail["permission_reference"] == \
        "CARSON-ACM-2026-015"


def test_cannot_declare_under_someone_elses_permission(world: World) -> None:
    from access_helpers import add_account

    from alpr_desktop.core.accounts import Account
    from alpr_desktop.core.roles import Role

    add_account(world.store, world.clock,
                Account(None, "vendor2", "Vic Two", "Other Vendor LLC",
                        roles=frozenset({Role.CONTRACTOR})), "Second-Vendor-Pass-11")
    theirs = _grant(world, contractor_username="vendor2")
    ctx = world.ctx("vendor")
    with pytest.raises(NotAuthorized):
        world.purposes.declare(ctx, purpose_input(), permission_id=theirs.id)
    with pytest.raises(PermissionInvalid):
        world.purposes.declare(ctx, purpose_input(), permission_id=9999)
