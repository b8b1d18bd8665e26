"""Helpers of the sharing tests: the access tests' world (tests/unit/conftest.py) with real
JPEG images, a registered and approved agency, and steps that walk a request to approval."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import cv2
import numpy as np
from access_helpers import World

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.agencies import Agency, AgencyInput
from alpr_desktop.core.agencies_requests import RequestInput, SharingRequest
from alpr_desktop.core.models import Camera, ImageBlob, NewRead
from alpr_desktop.services.evidence_package import EvidencePackageService
from alpr_desktop.services.sharing import SharingService
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo

T = 1_766_000_000  # 2025-12-17
NARRATIVE = (
    "Long Beach PD case of a grey Toyota Camry stolen from Pine Ave on 12/16/2025 at 22:40; "
    "they ask for reads of plate 7ABC123 from 12/10/2025 to 12/20/2025 to trace its route."
)


def jpeg(w: int, h: int, seed: int) -> bytes:
    img = np.random.default_rng(seed).integers(0, 255, (h, w, 3), dtype=np.uint8)
    return cv2.imencode(".jpg", img)[1].tobytes()


@dataclass
class Sharing:
    world: World
    service: SharingService
    packages: EvidencePackageService
    read_ids: list[int]
    agency: Agency

    def keeper(self) -> AccessContext:
        return self.world.ctx("keeper")

    def request_input(self, **changes: object) -> RequestInput:
        base: dict[str, object] = dict(
            agency_id=self.agency.id, requester_name="Dana Reyes", requester_badge="LB-3321",
            requester_contact="dreyes@longbeach.example, 562-555-0100",
            case_number="LBPD-2025-004512", offense="Vehicle theft", purpose=NARRATIVE,
            asked_for="Reads of 7ABC123 from 12/10/2025 to 12/20/2025",
            received_ms=T * 1000)
        base.update(changes)
        return RequestInput(**base)  # type: ignore[arg-type]

    def analyst_for(self, request: SharingRequest) -> AccessContext:
        ctx = self.world.ctx("officer")
        self.world.purposes.declare(ctx, request.purpose_input())
        return self.world.auth.context(ctx.session)

    def prepared(self, read_ids: list[int] | None = None) -> tuple[SharingRequest,
                                                                   AccessContext]:
        """A request recorded by the custodian and prepared by the analyst, whose context
        (signed in, under the request's purpose) is returned with it."""
        request = self.service.record_request(self.keeper(), self.request_input())
        analyst = self.analyst_for(request)
        request = self.service.prepare_response(analyst, request.id,
                                                read_ids or self.read_ids[:2])
        return request, analyst

    def approved(self, read_ids: list[int] | None = None) -> tuple[SharingRequest,
                                                                   AccessContext]:
        request, _ = self.prepared(read_ids)
        request = self.service.approve(self.keeper(), request.id, "checked")
        return request, self.analyst_for(request)  # one user at a time on a workstation


def make_sharing(world: World) -> Sharing:
    cam = CameraRepo(world.store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
    ids = ReadRepo(world.store).insert_many(
        [NewRead(p, T + i * 60, cam, state="CA", make="Toyota", confidence=0.9)
         for i, p in enumerate(("7ABC123", "7ABC123", "8XYZ999"))])
    blobs = []
    for n, rid in enumerate(ids):
        for kind, (w, h) in (("crop", (120, 40)), ("overview", (320, 180))):
            data = jpeg(w, h, n * 2 + (kind == "crop"))
            blobs.append(ImageBlob(rid, kind, "jpeg", data, hashlib.sha256(data).hexdigest()))
    ImageRepo(world.store).put_many(blobs)
    service = SharingService(world.store, world.clock)
    keeper = world.ctx("keeper")
    agency = service.add_agency(keeper, AgencyInput(
        "Long Beach Police Department", "law_enforcement", "california_local",
        "Records Unit, 400 W Broadway, Long Beach CA"))
    agency = service.approve_agency(keeper, agency.id)
    return Sharing(world, service, EvidencePackageService(world.store, world.clock), ids,
                   agency)
