"""Opening a read's images for the viewer, and recording what leaves it (copy, save as).

``open_read_images`` is gated (VIEW_IMAGES, active purpose) and writes its "image.view" entry
in the same transaction that fetches the bytes, so the entry exists before the caller can
decode a single pixel; ``open_for_viewing`` (run by the viewer's worker) decodes only after
that call has returned. The stored SHA-256 of each image is checked here on every open, and
the outcome is logged with the view: a changed image is visible in the audit trail too.

Two different ways an image leaves the viewer (issue 12), both gated (EXPORT_EVIDENCE) and
logged before the GUI acts:

* ``record_export``: the analyst keeps a copy for their own case file, under the active
  purpose (event "export"). No other agency is involved.
* ``record_disclosure``: the image goes to another agency, named with its request (event
  "disclosure"). A recipient California law does not allow (core.recipients), or one the
  custodian has not registered and approved (core.agencies, issue 15), is refused, and
  the refusal is logged (outcome "refused") rather than raised, so it outlives the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.agencies import recipient_refusal
from alpr_desktop.core.audit_log import Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.models import ImageBlob, Read
from alpr_desktop.core.recipients import RecipientDecision, check_recipient
from alpr_desktop.core.roles import Action
from alpr_desktop.imaging.decode import DecodeResult, decode_image
from alpr_desktop.imaging.integrity import IntegrityResult, verify
from alpr_desktop.imaging.plate_crop import cut_plate
from alpr_desktop.services.attempted import disclosure_attempt, export_attempt, image_attempt
from alpr_desktop.services.gate import Grant, gated, refuse_outside_window
from alpr_desktop.storage.unit_of_work import UnitOfWork

DisclosureKind = Literal["copy", "save"]
IMAGE_KINDS = ("crop", "overview")
RENDITIONS = ("original", "enhanced")


@dataclass(frozen=True)
class CheckedImage:
    """Stored bytes with the outcome of re-hashing them on this open."""

    blob: ImageBlob
    integrity: IntegrityResult


@dataclass(frozen=True)
class ReadImages:
    """A read and its images as opened for viewing; an image is None when none is stored."""

    read: Read
    crop: CheckedImage | None
    overview: CheckedImage | None

    def image(self, kind: str) -> CheckedImage | None:
        return self.crop if kind == "crop" else self.overview if kind == "overview" else None


@dataclass(frozen=True)
class DisclosureRequest:
    read_id: int
    kind: DisclosureKind
    image_kind: str  # 'crop' or 'overview'
    recipient_agency: str
    request_ref: str
    california_agency_confirmed: bool
    rendition: str = "original"  # or 'enhanced' (with what, in ``enhancement``)
    enhancement: str = ""
    disclosed_sha256: str = ""  # hash of the bytes that leave (the rendition's, if enhanced)


@dataclass(frozen=True)
class ExportRequest:
    """An image kept for the analyst's own case file (copy or saved file)."""

    read_id: int
    kind: DisclosureKind
    image_kind: str
    rendition: str = "original"
    enhancement: str = ""
    exported_sha256: str = ""
    file_name: str = ""  # the name only (no folder), for the log


@dataclass(frozen=True)
class ExportReceipt:
    seq: int
    case_number: str


@dataclass(frozen=True)
class DisclosureReceipt:
    """``allowed`` False: refused (``message`` says why), and nothing may leave."""

    allowed: bool
    seq: int
    recipient_agency: str
    message: str = ""


class ImageService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    @gated(Action.VIEW_IMAGES, attempted=image_attempt)
    def open_read_images(self, grant: Grant, read_id: int) -> ReadImages | None:
        """The read, its crop and overview with their hashes checked; None when no such read.
        Logged as "image.view" before anything is returned."""
        read = self.store.reads.get(int(read_id))
        if read is None:
            grant.log("image.view", query={"read_id": int(read_id)}, result_count=0)
            return None
        refuse_outside_window(grant, read.recorded_at, "read")
        found = {b.kind: CheckedImage(b, verify(b.data, b.sha256))
                 for b in self.store.images.for_read(read.id)}
        grant.log(
            "image.view",
            query={"read_id": read.id, "plate": read.plate_norm},
            result_count=len(found),
            detail={
                "kinds": sorted(found),
                "sha256": [found[k].integrity.computed for k in sorted(found)],
                "integrity": {k: "ok" if c.integrity.ok else "mismatch"
                              for k, c in sorted(found.items())},
            },
        )
        return ReadImages(read, found.get("crop"), found.get("overview"))

    @gated(Action.EXPORT_EVIDENCE, attempted=export_attempt)
    def record_export(self, grant: Grant, request: ExportRequest) -> ExportReceipt:
        """Log an image kept for the analyst's own case file under the active purpose."""
        if request.kind not in ("copy", "save"):
            raise ValueError(f"unknown export kind {request.kind!r}")
        if request.image_kind not in IMAGE_KINDS or request.rendition not in RENDITIONS:
            raise ValueError("unknown image or rendition")
        read = self.store.reads.get(int(request.read_id))
        if read is None:
            raise NoSuchRead(int(request.read_id))
        refuse_outside_window(grant, read.recorded_at, "read")
        detail: dict[str, object] = {
            "kind": request.kind, "image": request.image_kind, "rendition": request.rendition,
            "destination": "own case file",
        }
        if request.enhancement:
            detail["enhancement"] = request.enhancement[:200]
        if request.exported_sha256:
            detail["sha256"] = request.exported_sha256
        if request.file_name:
            detail["file_name"] = request.file_name[:120]
        entry = grant.log("export", query={"read_id": read.id, "plate": read.plate_norm},
                          result_count=1, detail=detail)
        case = grant.purpose.purpose.case_number if grant.purpose is not None else ""
        return ExportReceipt(entry.seq, case)

    @gated(Action.EXPORT_EVIDENCE, attempted=disclosure_attempt)
    def record_disclosure(self, grant: Grant, request: DisclosureRequest) -> DisclosureReceipt:
        """Log a copy or save of one image to a named agency, or refuse it (also logged)."""
        if request.kind not in ("copy", "save"):
            raise ValueError(f"unknown disclosure kind {request.kind!r}")
        if request.image_kind not in IMAGE_KINDS or request.rendition not in RENDITIONS:
            raise ValueError("unknown image or rendition")
        read = self.store.reads.get(int(request.read_id))
        if read is not None:
            refuse_outside_window(grant, read.recorded_at, "read")
        decision = check_recipient(
            request.recipient_agency,
            california_agency_confirmed=request.california_agency_confirmed,
            request_ref=request.request_ref,
        )
        if decision.allowed:  # only an agency the custodian approved in the registry
            refusal = recipient_refusal(self.store.agencies.by_name(decision.agency))
            if refusal is not None:
                decision = RecipientDecision(False, decision.agency, refusal.reason,
                                             refusal.message)
        message = decision.message
        if decision.allowed and read is None:
            message = "The read no longer exists (it may have been purged)."
        allowed = decision.allowed and read is not None
        detail: dict[str, object] = {
            "kind": request.kind,
            "image": request.image_kind,
            "recipient_agency": decision.agency,
            "request_ref": " ".join(request.request_ref.split())[:120],
            "rendition": request.rendition,
        }
        if request.enhancement:
            detail["enhancement"] = request.enhancement[:200]
        if request.disclosed_sha256:
            detail["sha256"] = request.disclosed_sha256
        if not allowed:
            detail["refused"] = decision.reason or "no_read"
        entry = grant.log(
            "disclosure",
            query={"read_id": int(request.read_id),
                   "plate": read.plate_norm if read else None},
            result_count=1 if allowed else 0,
            detail=detail,
            outcome=Outcome.OK if allowed else Outcome.REFUSED,
        )
        return DisclosureReceipt(allowed, entry.seq, decision.agency, message)


def default_image_name(read_id: int, image_kind: str, ext: str) -> str:
    """The file name a save suggests: the read number and the kind, never the plate (a name
    shows in folder listings, recent-files lists and backups that the log does not cover)."""
    return f"alpr-read-{int(read_id)}-{image_kind}.{ext}"


# -- for the viewer's worker: the logged fetch, then the decode ----------------------------------
@dataclass(frozen=True)
class ShownImage:
    checked: CheckedImage | None
    decoded: DecodeResult
    # Cut from the overview at the plate's box because no crop is stored: not an image the
    # camera recorded, so the viewer marks it "derived" and nothing hashes it as evidence.
    derived: bool = False


@dataclass(frozen=True)
class OpenedRead:
    read: Read
    crop: ShownImage
    overview: ShownImage

    def image(self, kind: str) -> ShownImage:
        return self.crop if kind == "crop" else self.overview


_MISSING = DecodeResult(False, None, "No image of this kind is stored for the read.", "missing")


class NoSuchRead(LookupError):
    def __init__(self, read_id: int) -> None:
        super().__init__(f"Read #{read_id} no longer exists (it may have been purged).")


def decode_opened(images: ReadImages) -> OpenedRead:
    """Decode both images; each failure becomes its own sentence (one bad image never stops
    the other). Only for what the gated service returned: the view is logged by then."""

    def one(checked: CheckedImage | None) -> ShownImage:
        if checked is None:
            return ShownImage(None, _MISSING)
        return ShownImage(checked, decode_image(checked.blob.data, checked.blob.format))

    overview = one(images.overview)
    crop = one(images.crop) if images.crop is not None else derived_crop(overview)
    return OpenedRead(images.read, crop, overview)


DERIVED_MESSAGE = ("Derived: cut from the overview at the plate's box (the export gave no "
                   "plate crop).")


def derived_crop(overview: ShownImage) -> ShownImage:
    """The crop cut from a decoded overview at its stored plate box; the "missing" image when
    there is no box or nothing of it is inside the picture."""
    box = overview.checked.blob.bbox if overview.checked is not None else None
    image = overview.decoded.image if overview.decoded.ok else None
    if box is None or image is None:
        return ShownImage(None, _MISSING)
    cut = cut_plate(image, box.x, box.y, box.w, box.h)
    if cut is None:
        return ShownImage(None, _MISSING)
    return ShownImage(None, DecodeResult(True, cut, DERIVED_MESSAGE, "derived"), derived=True)


def open_for_viewing(service: ImageService, ctx: AccessContext, read_id: int) -> OpenedRead:
    """The viewer worker's body: the gated, committed "image.view" first, then the decode.
    Raises the gate's AccessError, or NoSuchRead."""
    images = service.open_read_images(ctx, read_id)
    if images is None:
        raise NoSuchRead(read_id)
    return decode_opened(images)
