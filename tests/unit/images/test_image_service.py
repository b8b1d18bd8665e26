"""services.images: a read's images open only through the gate, the "image.view" entry exists
before any pixel is decoded, hashes are checked on every open, and disclosures name a lawful
California recipient or are refused (and the refusal is logged)."""

from __future__ import annotations

import hashlib

import cv2
import numpy as np
import pytest
from access_helpers import World, approve_agencies, log_entries

from alpr_desktop.core.access_errors import NotAuthorized, PurposeRequired
from alpr_desktop.core.models import BBox, Camera, ImageBlob, NewRead
from alpr_desktop.core.oversight import analyze
from alpr_desktop.imaging.decode import DecodeResult
from alpr_desktop.services import images as images_mod
from alpr_desktop.services.images import (
    DisclosureRequest,
    ImageService,
    NoSuchRead,
    open_for_viewing,
)
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo

T = 1_766_000_000


def _jpeg(w: int, h: int, seed: int) -> bytes:
    img = np.random.default_rng(seed).integers(0, 255, (h, w, 3), dtype=np.uint8)
    return cv2.imencode(".jpg", img)[1].tobytes()


def _blob(rid: int, kind: str, data: bytes, sha: str | None = None) -> ImageBlob:
    bbox = BBox(10, 20, 30, 15) if kind == "overview" else None
    return ImageBlob(rid, kind, "jpeg", data, sha or hashlib.sha256(data).hexdigest(),
                     bbox=bbox)


@pytest.fixture
def reads(world: World) -> dict[str, int]:
    """good: both images fine; tampered: overview changed after storing; broken: crop
    truncated; bare: no images."""
    approve_agencies(world.store, world.clock, "Los Angeles County District Attorney",
                     "Long Beach Police Department")
    cam = CameraRepo(world.store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
    ids = ReadRepo(world.store).insert_many(
        [NewRead(p, T, cam, state="CA", confidence=0.9) for p in
         ("7ABC123", "7ABC124", "7ABC125", "7ABC126")]
    )
    good, tampered, broken, bare = ids
    crop, over = _jpeg(120, 60, 1), _jpeg(320, 180, 2)
    changed = bytearray(over)
    changed[len(changed) // 2] ^= 0xFF
    ImageRepo(world.store).put_many([
        _blob(good, "crop", crop), _blob(good, "overview", over),
        _blob(tampered, "crop", crop),
        _blob(tampered, "overview", bytes(changed), hashlib.sha256(over).hexdigest()),
        _blob(broken, "crop", crop[: len(crop) // 2]), _blob(broken, "overview", over),
    ])
    return {"good": good, "tampered": tampered, "broken": broken, "bare": bare}


def test_open_returns_read_images_and_logs_the_view(world: World, reads: dict[str, int]
                                                    ) -> None:
    ctx = world.with_purpose("officer")
    opened = ImageService(world.store, world.clock).open_read_images(ctx, reads["good"])
    assert opened is not None and opened.read.plate == "7ABC123"
    assert opened.crop and opened.overview and opened.overview.blob.bbox == BBox(10, 20, 30, 15)
    assert opened.crop.integrity.ok and opened.overview.integrity.ok
    [e] = log_entries(world.store, "image.view")
    assert e.query == {"read_id": reads["good"], "plate": "7ABC123"}
    assert e.purpose["case_number"] == "123-45678-2026-001"
    assert e.username == "officer" and e.result_count == 2
    assert e.detail["integrity"] == {"crop": "ok", "overview": "ok"}


def test_log_entry_exists_before_any_decode(
    world: World, reads: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = world.with_purpose("officer")
    seen: list[int] = []
    real = images_mod.decode_image

    def spy(data: bytes, fmt: str = "") -> DecodeResult:
        # a separate connection sees only committed entries
        other = world.store.reopen()
        try:
            views = [e for e in AccessLogRepo(other).entries(limit=1000)
                     if e.event == "image.view" and e.query.get("read_id") == reads["good"]]
        finally:
            other.close()
        assert len(views) == 1, "decoding began before the image view was logged"
        seen.append(len(data))
        return real(data, fmt)

    monkeypatch.setattr(images_mod, "decode_image", spy)
    shown = open_for_viewing(ImageService(world.store, world.clock), ctx, reads["good"])
    assert len(seen) == 2 and shown.crop.decoded.ok and shown.overview.decoded.ok


def test_refused_open_decodes_nothing(
    world: World, reads: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bytes] = []
    monkeypatch.setattr(images_mod, "decode_image", lambda d, f="": calls.append(d))
    with pytest.raises(PurposeRequired):
        open_for_viewing(ImageService(world.store, world.clock), world.ctx("officer"),
                         reads["good"])
    assert calls == [] and log_entries(world.store, "image.view") == []
    assert log_entries(world.store, "gate.refused")[-1].detail["reason"] == "no_purpose"


def test_changed_byte_in_store_is_reported_and_logged(world: World, reads: dict[str, int]
                                                      ) -> None:
    ctx = world.with_purpose("officer")
    shown = open_for_viewing(ImageService(world.store, world.clock), ctx, reads["tampered"])
    assert shown.crop.checked and shown.crop.checked.integrity.ok
    over = shown.overview.checked
    assert over is not None and not over.integrity.ok
    assert over.integrity.computed == hashlib.sha256(over.blob.data).hexdigest()
    assert over.integrity.message.startswith("WARNING")
    assert shown.overview.decoded.ok  # still shown, with the warning, never hidden
    [e] = log_entries(world.store, "image.view")
    assert e.detail["integrity"] == {"crop": "ok", "overview": "mismatch"}


def test_one_bad_image_does_not_stop_the_other(world: World, reads: dict[str, int]) -> None:
    ctx = world.with_purpose("officer")
    shown = open_for_viewing(ImageService(world.store, world.clock), ctx, reads["broken"])
    assert not shown.crop.decoded.ok and shown.crop.decoded.reason == "image_truncated"
    assert shown.overview.decoded.ok and shown.overview.decoded.image is not None


def test_read_without_images_and_missing_read(world: World, reads: dict[str, int]) -> None:
    ctx = world.with_purpose("officer")
    svc = ImageService(world.store, world.clock)
    shown = open_for_viewing(svc, ctx, reads["bare"])
    assert shown.crop.checked is None and not shown.crop.decoded.ok
    assert "No image" in shown.overview.decoded.message
    with pytest.raises(NoSuchRead):
        open_for_viewing(svc, ctx, 999_999)
    assert log_entries(world.store, "image.view")[-1].result_count == 0


def _request(rid: int, agency: str, confirmed: bool = True, **kw: object) -> DisclosureRequest:
    kind, image = kw.pop("kind", "save"), kw.pop("image_kind", "crop")
    return DisclosureRequest(rid, kind, image, agency,  # type: ignore[arg-type]
                             "DA request 2026-0042", confirmed, **kw)  # type: ignore[arg-type]


def test_disclosure_to_a_california_agency_is_logged(world: World, reads: dict[str, int]
                                                     ) -> None:
    ctx = world.with_purpose("officer")
    svc = ImageService(world.store, world.clock)
    receipt = svc.record_disclosure(
        ctx, _request(reads["good"], "  Los Angeles County District Attorney ",
                      disclosed_sha256="ab" * 32))
    assert receipt.allowed and receipt.recipient_agency == "Los Angeles County District Attorney"
    [e] = log_entries(world.store, "disclosure")
    assert e.outcome == "ok" and e.seq == receipt.seq
    assert e.detail["recipient_agency"] == "Los Angeles County District Attorney"
    assert e.detail["request_ref"] == "DA request 2026-0042"
    assert e.detail["kind"] == "save" and e.detail["image"] == "crop"
    assert e.detail["rendition"] == "original" and e.detail["sha256"] == "ab" * 32
    assert e.query["read_id"] == reads["good"] and e.purpose["case_number"]


@pytest.mark.parametrize(
    ("agency", "confirmed", "reason"),
    [("FBI Los Angeles", True, "federal"), ("ICE ERO", True, "federal"),
     ("Arizona Department of Public Safety", True, "out_of_state"),
     ("Acme Recovery LLC", True, "private"), ("Long Beach Police Department", False,
                                               "unconfirmed"), ("", True, "empty")],
)
def test_unlawful_recipients_are_refused_and_the_refusal_logged(
    world: World, reads: dict[str, int], agency: str, confirmed: bool, reason: str
) -> None:
    ctx = world.with_purpose("officer")
    receipt = ImageService(world.store, world.clock).record_disclosure(
        ctx, _request(reads["good"], agency, confirmed, kind="copy"))
    assert not receipt.allowed and receipt.message
    [e] = log_entries(world.store, "disclosure")
    assert e.outcome == "refused" and e.detail["refused"] == reason and e.result_count == 0


def test_an_unregistered_agency_is_refused_even_when_confirmed(
    world: World, reads: dict[str, int]
) -> None:
    """Issue 15: a lawful-sounding name the analyst confirms is not enough; before, a name
    missing from the registry went through as an "ok" disclosure."""
    ctx = world.with_purpose("officer")
    receipt = ImageService(world.store, world.clock).record_disclosure(
        ctx, _request(reads["good"], "Torrance Police Department", kind="copy"))
    assert not receipt.allowed and "not in the agency registry" in receipt.message
    assert "2023-DLE-06" in receipt.message
    [e] = log_entries(world.store, "disclosure")
    assert e.outcome == "refused" and e.detail["refused"] == "not_registered"
    assert e.result_count == 0


def test_refused_disclosures_do_not_count_as_disclosures_in_the_audit(
    world: World, reads: dict[str, int]
) -> None:
    ctx = world.with_purpose("officer")
    svc = ImageService(world.store, world.clock)
    svc.record_disclosure(ctx, _request(reads["good"], "FBI"))
    svc.record_disclosure(ctx, _request(reads["good"], "Long Beach Police Department"))
    result = analyze(AccessLogRepo(world.store).entries(limit=1000))
    assert dict(result.summary.disclosures_by_agency) == {"Long Beach Police Department": 1}


def test_contractor_and_custodian_cannot_disclose(world: World, reads: dict[str, int]) -> None:
    svc = ImageService(world.store, world.clock)
    for who in ("vendor", "keeper"):
        with pytest.raises(NotAuthorized):
            svc.record_disclosure(world.ctx(who), _request(reads["good"], "Long Beach PD"))
    assert log_entries(world.store, "disclosure") == []


def test_disclosure_of_a_missing_read_is_refused(world: World) -> None:
    approve_agencies(world.store, world.clock, "Long Beach Police Department")
    ctx = world.with_purpose("officer")
    r = ImageService(world.store, world.clock).record_disclosure(
        ctx, _request(424242, "Long Beach Police Department"))
    assert not r.allowed and "no longer exists" in r.message


def test_bad_request_values_are_rejected(world: World, reads: dict[str, int]) -> None:
    ctx = world.with_purpose("officer")
    svc = ImageService(world.store, world.clock)
    with pytest.raises(ValueError):
        svc.record_disclosure(ctx, _request(reads["good"], "LBPD", kind="email"))
    with pytest.raises(ValueError):
        svc.record_disclosure(ctx, _request(reads["good"], "LBPD", image_kind="face"))
