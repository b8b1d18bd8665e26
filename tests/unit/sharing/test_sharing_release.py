"""Answering an approved request with an offline review extract (and a package: one of each
kind, never two of one), two workstations releasing at once, the package's ZIP form, the
analyst's own prosecution package, and a second analyst working under a request's purpose."""

from __future__ import annotations

import hashlib
import json
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from access_helpers import PASSWORDS, add_account, log_entries
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sharing_helpers import Sharing

from alpr_desktop.core.access_errors import PurposeRequired
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.agencies import AgencyInput
from alpr_desktop.core.agencies_requests import RequestStatus
from alpr_desktop.core.purpose_problems import PurposeRejected
from alpr_desktop.core.roles import Role
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.evidence_package import EvidencePackageService, OwnCaseOrder
from alpr_desktop.services.evidence_package_verify import verify_package
from alpr_desktop.services.review_extract_mode import ReviewSession
from alpr_desktop.services.sharing import SharingRefused, SharingService
from alpr_desktop.services.sharing_release import SharingReleaseService
from alpr_desktop.storage import Store, open_store

EXPIRES = date(2026, 3, 31)  # the world's clock stands at 2026-01-01


def _extract(sharing: Sharing, tmp_path: Path, request_id: int, analyst: object,
             name: str = "x") -> object:
    return SharingReleaseService(sharing.world.store, sharing.world.clock).release_extract(
        analyst, request_id, tmp_path / name, EXPIRES)  # type: ignore[arg-type]


def _disclosures(store: Store, kind: str) -> list:
    return [e for e in log_entries(store, "sharing.disclosure")
            if e.outcome == "ok" and e.detail.get("kind") == kind]


def test_an_approved_request_is_released_as_an_extract_with_the_five_elements(
    sharing: Sharing, tmp_path: Path
) -> None:
    request, analyst = sharing.approved()
    out = _extract(sharing, tmp_path, request.id, analyst)
    assert out.extract_path.is_file() and out.key_path.is_file()  # type: ignore[attr-defined]
    manifest = out.manifest  # type: ignore[attr-defined]
    assert (manifest.recipient_name, manifest.organization) == (
        "Dana Reyes", "Long Beach Police Department")
    assert manifest.read_ids == tuple(request.read_ids)
    assert manifest.request_ref == f"request #{request.id}"
    [e] = _disclosures(sharing.world.store, "review_extract")
    w = sharing.world
    assert e.ts_ms == w.clock.now_ms()  # (1) date
    assert e.agency == "Long Beach Police Department"  # (2) the receiving agency
    assert e.query["read_ids"] == list(request.read_ids)  # (3) data elements
    assert e.query["plates"] == ["7ABC123"]
    assert (e.username, e.organization) == ("officer", "LASD Carson Station")  # (4)
    assert e.purpose["case_number"] == "LBPD-2025-004512"  # (5) the request's purpose
    assert e.purpose["category"] == "agency_request"
    assert e.detail["request_id"] == request.id and e.detail["expires_on"] == "2026-03-31"
    assert w.store.sharing.get(request.id).status is RequestStatus.DISCLOSED  # type: ignore[union-attr]
    # the recipient can open it, as the person and agency on the request
    session = ReviewSession.open(out.extract_path, out.passphrase, w.clock)  # type: ignore[attr-defined]
    try:
        assert session.manifest.organization == "Long Beach Police Department"
    finally:
        session.close()


def test_nothing_is_extracted_before_approval(sharing: Sharing, tmp_path: Path) -> None:
    request, analyst = sharing.prepared()
    with pytest.raises(SharingRefused) as exc:
        _extract(sharing, tmp_path, request.id, analyst)
    assert exc.value.reason == "not_approved"
    assert not list(tmp_path.glob("x*"))
    [e] = log_entries(sharing.world.store, "sharing.disclosure")
    assert e.outcome == "refused" and e.detail["reason"] == "not_approved"


def test_a_request_gets_one_package_and_one_extract_never_two_of_a_kind(
    sharing: Sharing, tmp_path: Path
) -> None:
    request, analyst = sharing.approved()
    sharing.packages.build(analyst, request.id, tmp_path / "pkg")
    _extract(sharing, tmp_path, request.id, analyst)
    with pytest.raises(SharingRefused, match="already answered with an offline review") as a:
        _extract(sharing, tmp_path, request.id, analyst, "again")
    with pytest.raises(SharingRefused, match="already answered with an evidence package") as b:
        sharing.packages.build(analyst, request.id, tmp_path / "pkg2", as_zip=True)
    assert a.value.reason == b.value.reason == "already_disclosed"
    assert not list(tmp_path.glob("again*")) and not list(tmp_path.glob("pkg2*"))
    kinds = [r.kind for r in sharing.world.store.sharing.releases(request.id)]
    assert sorted(kinds) == ["extract", "package"]


def test_an_extract_with_a_past_expiry_is_refused_and_logged(
    sharing: Sharing, tmp_path: Path
) -> None:
    request, analyst = sharing.approved()
    with pytest.raises(SharingRefused, match="after today"):
        SharingReleaseService(sharing.world.store, sharing.world.clock).release_extract(
            analyst, request.id, tmp_path / "x", date(2025, 12, 1))
    assert not list(tmp_path.glob("x*"))
    assert sharing.world.store.sharing.get(request.id).status is RequestStatus.APPROVED  # type: ignore[union-attr]
    assert log_entries(sharing.world.store, "sharing.disclosure")[-1].outcome == "refused"


def test_a_cancelled_extract_leaves_nothing(sharing: Sharing, tmp_path: Path) -> None:
    from alpr_desktop.core.errors import Cancelled

    request, analyst = sharing.approved()
    seen: list[int] = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return done < 2  # cancel once the extract file is written
    with pytest.raises(Cancelled):
        SharingReleaseService(sharing.world.store, sharing.world.clock).release_extract(
            analyst, request.id, tmp_path / "x", EXPIRES, progress)
    assert seen and not list(tmp_path.glob("x*"))
    assert not sharing.world.store.sharing.releases(request.id)
    assert not _disclosures(sharing.world.store, "review_extract")


# -- two workstations at once -----------------------------------------------------------------
def test_a_release_that_lost_the_race_is_refused_and_leaves_nothing(
    sharing: Sharing, tmp_path: Path, store_path: Path, store_key: bytes,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workstation A checks the request (approved, no extract yet); before A writes, B (its
    own connection to the store) releases the extract. A must then release nothing."""
    request, analyst = sharing.approved()
    other = open_store(store_path, store_key)
    original = SharingService.approved_release
    raced: list[object] = []

    def check_then_race(self: SharingService, *args: object, **kw: object) -> object:
        got = original(self, *args, **kw)  # type: ignore[arg-type]
        if not raced and self.store is sharing.world.store:
            raced.append(SharingReleaseService(other, sharing.world.clock).release_extract(
                analyst, request.id, tmp_path / "b", EXPIRES))
        return got
    monkeypatch.setattr(SharingService, "approved_release", check_then_race)
    try:
        with pytest.raises(SharingRefused, match="meanwhile") as exc:
            _extract(sharing, tmp_path, request.id, analyst, "a")
    finally:
        other.close()
    assert exc.value.reason == "already_disclosed" and raced
    assert not list(tmp_path.glob("a*")) and list(tmp_path.glob("b*.alprext"))
    assert len(_disclosures(sharing.world.store, "review_extract")) == 1
    assert len(sharing.world.store.extract_releases.releases()) == 1
    assert log_entries(sharing.world.store, "sharing.disclosure")[-1].outcome == "refused"


def test_two_threads_with_their_own_connections_release_once(
    sharing: Sharing, tmp_path: Path, store_path: Path, store_key: bytes
) -> None:
    request, analyst = sharing.approved()
    stores = [open_store(store_path, store_key) for _ in range(2)]
    start = threading.Barrier(2)
    results: list[str] = []

    def release(n: int) -> None:
        start.wait()
        try:
            SharingReleaseService(stores[n], sharing.world.clock).release_extract(
                analyst, request.id, tmp_path / f"t{n}", EXPIRES)
            results.append("released")
        except SharingRefused as exc:
            results.append(exc.reason)
    threads = [threading.Thread(target=release, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert sorted(results) == ["already_disclosed", "released"]
    assert len(list(tmp_path.glob("t*.alprext"))) == 1
    assert len(_disclosures(sharing.world.store, "review_extract")) == 1


# -- the ZIP form ---------------------------------------------------------------------------------
def test_the_zip_form_verifies_and_a_flipped_byte_is_named(sharing: Sharing,
                                                          tmp_path: Path) -> None:
    request, analyst = sharing.approved()
    result = sharing.packages.build(analyst, request.id, tmp_path / "pkg", as_zip=True)
    assert result.folder == tmp_path / "pkg.zip" and result.folder.is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left
    assert result.folder.stat().st_mode & 0o077 == 0
    check = verify_package(result.folder)
    assert check.intact, check.problems
    # independently: the manifest's signature and every member's hash
    with zipfile.ZipFile(result.folder) as zf:
        raw = zf.read("manifest.json")
        manifest = json.loads(raw)
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(
            manifest["signing_key"]["public_key"])).verify(zf.read("manifest.json.sig"), raw)
        for f in manifest["files"]:
            assert hashlib.sha256(zf.read(f["path"])).hexdigest() == f["sha256"]
        names = zf.namelist()
    victim = next(n for n in names if n.startswith("images/read-"))
    data = bytearray(result.folder.read_bytes())
    with zipfile.ZipFile(result.folder) as zf:
        info = zf.getinfo(victim)
        at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10
    data[at] ^= 0x01
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(bytes(data))
    bad = verify_package(flipped)
    assert not bad.intact and any(victim in p for p in bad.problems), bad.problems


def test_a_file_added_to_the_zip_is_named(sharing: Sharing, tmp_path: Path) -> None:
    request, analyst = sharing.approved()
    result = sharing.packages.build(analyst, request.id, tmp_path / "pkg.zip", as_zip=True)
    with zipfile.ZipFile(result.folder, "a") as zf:
        zf.writestr("images/extra.jpg", b"not from the City")
    check = verify_package(result.folder)
    assert not check.intact
    assert any("images/extra.jpg is in the ZIP but not in the manifest" in p
               for p in check.problems)


# -- the analyst's own prosecution package ---------------------------------------------------
def _register_da(sharing: Sharing) -> int:
    keeper = sharing.keeper()
    da = sharing.service.add_agency(keeper, AgencyInput(
        "Los Angeles County District Attorney", "prosecutorial", "california_local",
        "Hall of Justice, 211 W Temple St, Los Angeles"))
    return sharing.service.approve_agency(keeper, da.id).id or 0


def test_own_case_package_goes_to_an_approved_prosecutor_under_the_purpose(
    sharing: Sharing, tmp_path: Path
) -> None:
    da = _register_da(sharing)
    ctx = sharing.world.with_purpose("officer", category="prosecution")
    result = sharing.packages.build_own_case(
        ctx, OwnCaseOrder(tuple(sharing.read_ids[:2]), da, "DDA Sam Ortiz"),
        tmp_path / "own", as_zip=True)
    assert verify_package(result.folder).intact
    [e] = _disclosures(sharing.world.store, "evidence_package_own_case")
    assert e.agency == "Los Angeles County District Attorney"
    assert e.purpose["case_number"] == "123-45678-2026-001"
    assert e.purpose["category"] == "prosecution" and e.username == "officer"
    assert e.detail["recipient"] == "DDA Sam Ortiz" and "request_id" not in e.detail
    with zipfile.ZipFile(result.folder) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["own_case"] is True and manifest["request_id"] is None


@pytest.mark.parametrize("who", ["unregistered", "unapproved", "federal"])
def test_own_case_package_refuses_a_recipient_the_registry_does_not_approve(
    sharing: Sharing, tmp_path: Path, who: str
) -> None:
    keeper = sharing.keeper()
    agency_id = 9999
    if who != "unregistered":
        kind, where = (("law_enforcement", "federal") if who == "federal"
                       else ("prosecutorial", "california_local"))
        agency_id = sharing.service.add_agency(keeper, AgencyInput(
            f"Agency {who}", kind, where, "Records unit")).id or 0
    ctx = sharing.world.with_purpose("officer")
    with pytest.raises(SharingRefused) as exc:
        sharing.packages.build_own_case(
            ctx, OwnCaseOrder(tuple(sharing.read_ids[:1]), agency_id, "DDA Sam Ortiz"),
            tmp_path / "own")
    assert exc.value.reason in {"not_registered", "not_approved", "federal"}
    assert not list(tmp_path.glob("own*"))
    [e] = log_entries(sharing.world.store, "sharing.disclosure")
    assert e.outcome == "refused" and e.detail["reason"] == exc.value.reason


def test_own_case_package_needs_a_purpose_and_not_a_request_purpose(
    sharing: Sharing, tmp_path: Path
) -> None:
    da = _register_da(sharing)
    svc = EvidencePackageService(sharing.world.store, sharing.world.clock)
    order = OwnCaseOrder(tuple(sharing.read_ids[:1]), da, "DDA Sam Ortiz")
    with pytest.raises(PurposeRequired):
        svc.build_own_case(sharing.world.ctx("officer"), order, tmp_path / "own")
    _request, analyst = sharing.approved()  # declared under the request's purpose
    with pytest.raises(SharingRefused) as exc:
        svc.build_own_case(analyst, order, tmp_path / "own")
    assert exc.value.reason == "request_purpose" and not list(tmp_path.glob("own*"))


# -- a second analyst under the request's purpose ----------------------------------------------
def test_a_second_analyst_may_declare_the_requests_own_purpose(sharing: Sharing) -> None:
    w = sharing.world
    with w.store.transaction():
        add_account(w.store, w.clock, Account(
            None, "deputy", "Dan Deputy", "LASD Carson Station", badge_number="5120",
            sworn=True, roles=frozenset({Role.ANALYST})), PASSWORDS["officer"])
    request, _first = sharing.prepared()  # the first analyst declared the request's purpose
    auth = AuthService(w.store, w.clock)
    second = auth.context(auth.sign_in("deputy", PASSWORDS["officer"]))
    declared = w.purposes.declare(second, request.purpose_input())
    assert declared.purpose.case_number == request.case_number
    # the rule still refuses a copied narrative that is not the request's own text
    from access_helpers import purpose_input

    w.purposes.declare(w.ctx("officer"), purpose_input())
    second = auth.context(auth.sign_in("deputy", PASSWORDS["officer"]))  # one user at a time
    with pytest.raises(PurposeRejected) as exc:
        w.purposes.declare(second, purpose_input(case_number="123-45678-2026-002"))
    assert "narrative_copied" in [p.code for p in exc.value.problems]
