"""Building the evidence package of an approved request (issue 15).

The analyst, under the request's purpose, builds a folder holding the signed PDF, the original
images exactly as stored, enhanced copies marked as such, ``manifest.json`` (every file with
its SHA-256) and ``manifest.json.sig`` (a detached Ed25519 signature with the store's package
key), plus the key and its self-signed certificate. Nothing is built for a request the
custodian has not approved (refused and logged). The disclosure entry, the package's files and
the request's "disclosed" mark are one unit: the files are written in an owner-only staging
folder inside the transaction and renamed into place last, so a failure leaves no package and
no entry, and a package always has its entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.clock import Clock, SystemClock, format_local
from alpr_desktop.core.models import ImageBlob, Read
from alpr_desktop.core.owner_only import make_private_dir
from alpr_desktop.core.plates import PlateError, normalize_plate
from alpr_desktop.core.roles import Action
from alpr_desktop.imaging.decode import decode_image
from alpr_desktop.imaging.enhance import EnhanceSettings, apply, encode_png
from alpr_desktop.reports.evidence_package import (
    CustodyEvent,
    PackageCover,
    PackageImage,
    PackageRead,
    build_evidence_pdf,
    image_size,
)
from alpr_desktop.security.package_signing import PackageSigningKey, pades_sign
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.services.sharing import (
    SHARING_EVENTS,
    ApprovedRelease,
    SharingRefused,
    SharingService,
    log_sharing,
)
from alpr_desktop.storage.unit_of_work import UnitOfWork

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
PDF_NAME = "evidence.pdf"
KEY_PEM = "signing-key.pem"
CERT_PEM = "signing-certificate.pem"
PACKAGE_FORMAT = "alpr-evidence-package"
PACKAGE_VERSION = 1
ENHANCEMENT = EnhanceSettings(clahe=True, sharpen=1.0)
_EXT = {"jpeg": "jpg", "jpg": "jpg", "png": "png"}

Progress = Callable[[int, int], object]


class PackageTargetInvalid(AccessError):
    """The folder chosen for a package cannot be used (told as a sentence)."""


@dataclass(frozen=True)
class PackageResult:
    folder: Path
    request_id: int
    read_count: int
    file_count: int
    manifest_sha256: str
    key_fingerprint: str
    disclosure_seq: int

    def summary(self) -> str:
        return (f"Evidence package for request #{self.request_id} written to {self.folder}: "
                f"{self.read_count} reads, {self.file_count} files, signed with key "
                f"{self.key_fingerprint}.")


def check_target(folder: Path | str) -> Path:
    folder = Path(folder)
    if folder.exists():
        raise PackageTargetInvalid(f"{folder.name} already exists; choose a new folder name.")
    if not folder.parent.is_dir():
        raise PackageTargetInvalid(f"There is no folder {folder.parent}.")
    return folder


def suggested_folder_name(request_id: int, now_ms: int) -> str:
    """No plate and no agency in the name: only the request and the time."""
    stamp = dt.datetime.fromtimestamp(now_ms / 1000, dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"evidence-request-{int(request_id)}-{stamp}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def match_kind(read: Read, asked_for: str) -> str:
    """How the read answers the request, for the analyst's and the recipient's check."""
    asked = {_plate_or_none(w) for w in asked_for.replace(",", " ").split()} - {""}
    if read.plate_norm in asked:
        return "exact: the plate the request names"
    if any(_plate_or_none(p) in asked for p, _c in read.candidates):
        return "OCR candidate: a reader's alternate reading is the plate the request names"
    return "chosen by the analyst (check the image: the plate is not one the request names)"


def _plate_or_none(word: str) -> str:
    try:
        return normalize_plate(word)
    except PlateError:
        return ""


def package_signing_key(uow: UnitOfWork, clock: Clock) -> PackageSigningKey:
    """The store's package key, created (and its public half kept) on first use."""
    stored = uow.sharing.signing_key()
    if stored is not None:
        return PackageSigningKey.unwrap(stored.wrapped, stored.public_key, uow.data_key(),
                                        uow.store_id)
    key = PackageSigningKey.generate()
    uow.sharing.add_signing_key(key.public_raw, key.fingerprint,
                                key.wrap(uow.data_key(), uow.store_id), clock.now_ms())
    return key


class EvidencePackageService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def build(self, ctx: AccessContext, request_id: int, folder: Path | str,
              progress: Progress | None = None) -> PackageResult:
        """Write the package of approved request ``request_id`` as the new ``folder``.
        Raises SharingRefused (logged) unless the request is approved and undisclosed, its
        recipient lawful and approved, and the analyst's purpose the request's own."""
        grant = require(self.store, ctx, Action.EXPORT_EVIDENCE, needs_purpose=True,
                        clock=self.clock)
        target = check_target(folder)
        sharing = SharingService(self.store, self.clock)
        release = sharing.approved_release(grant, request_id, "sharing.disclosure")
        staging = target.parent / f".{target.name}.partial-{secrets.token_hex(4)}"
        placed = False
        try:
            with self.store.transaction():
                key = package_signing_key(self.store, self.clock)
                make_private_dir(staging)
                result = self._write(grant, sharing, release, key, staging, target.name,
                                     progress)
                staging.rename(target)  # last: a failed commit removes it below
                placed = True
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if placed:
                shutil.rmtree(target, ignore_errors=True)
            raise
        return PackageResult(target, *result)

    # -- the work, inside the transaction ---------------------------------------------------------
    def _write(self, grant: Grant, sharing: SharingService, release: ApprovedRelease,
               key: PackageSigningKey, out: Path, name: str, progress: Progress | None,
               ) -> tuple[int, int, int, str, str, int]:
        request = release.request
        files: dict[str, tuple[str, int, str]] = {}  # path -> (sha256, bytes, role)

        def put(rel: str, data: bytes, role: str) -> str:
            path = out / rel
            make_private_dir(path.parent)
            _write_new(path, data)
            digest = _sha(data)
            files[rel] = (digest, len(data), role)
            return digest

        reads: list[PackageRead] = []
        plates: set[str] = set()
        total = len(release.read_ids)
        for n, read_id in enumerate(release.read_ids, 1):
            read = self.store.reads.get(read_id)
            if read is None:
                raise SharingRefused(f"Read #{read_id} is no longer in the store (purged?); "
                                     "the response must be prepared again.", "no_read")
            plates.add(read.plate_norm)
            images: list[PackageImage] = []
            for blob in sorted(self.store.images.for_read(read_id),
                               key=lambda b: (b.kind != "overview", b.kind)):
                images += self._images(read, blob, put, out)
            reads.append(PackageRead(read, match_kind(read, request.asked_for), tuple(images)))
            if progress is not None:
                progress(n, total + 2)
        disclosure = log_sharing(
            self.store, self.clock, grant, "sharing.disclosure", agency=request.agency_name,
            request=request, query={"read_ids": list(release.read_ids),
                                    "plates": sorted(plates)},
            result_count=len(reads),
            detail={"kind": "evidence_package", "package": name,
                    "recipient": release.recipient_name,
                    "recipient_organization": release.recipient_organization,
                    "image_files": len(files), "key_fingerprint": key.fingerprint})
        events = self._custody_events(request.id, request.case_number)
        now_ms = self.clock.now_ms()
        cover = PackageCover(
            request.id, request.case_number, request.offense, request.purpose,
            request.asked_for, request.agency_name, request.requester,
            request.requester_contact,
            f"by {request.received_by}, {format_local(request.received_ms)}",
            f"{grant.account.full_name} ({grant.account.username}, "
            f"{grant.account.organization})",
            request.prepared_by, request.decided_by, request.decided_ms or 0, now_ms,
            self.store.store_id, key.fingerprint, key.public_raw.hex(),
            disclosure.seq, disclosure.hash)
        pdf = build_evidence_pdf(cover, reads, events)
        cert = key.self_signed_certificate(f"ALPR store {self.store.store_id[:8]} evidence key",
                                           dt.datetime.fromtimestamp(now_ms / 1000, dt.UTC))
        signed_pdf = pades_sign(pdf, key, cert, reason=f"Evidence package for case "
                                f"{request.case_number}, released to {request.agency_name}",
                                location="City of Carson, California")
        put(PDF_NAME, signed_pdf, "report")
        put(KEY_PEM, key.public_pem(), "key")
        put(CERT_PEM, _pem(cert), "certificate")
        if progress is not None:
            progress(total + 1, total + 2)
        manifest = json.dumps({
            "format": PACKAGE_FORMAT, "version": PACKAGE_VERSION,
            "request_id": request.id, "case_number": request.case_number,
            "recipient_agency": request.agency_name, "requester": request.requester,
            "released_by": grant.account.username, "approved_by": request.decided_by,
            "created_ms": now_ms, "store_id": self.store.store_id,
            "disclosure_entry": {"seq": disclosure.seq, "hash": disclosure.hash},
            "signing_key": {"algorithm": "Ed25519", "public_key": key.public_raw.hex(),
                            "fingerprint": key.fingerprint},
            "files": [{"path": p, "sha256": d, "bytes": b, "role": r}
                      for p, (d, b, r) in sorted(files.items())],
        }, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"
        _write_new(out / MANIFEST, manifest)
        _write_new(out / SIGNATURE, key.sign(manifest))
        _flush_to_disk()
        manifest_sha = _sha(manifest)
        sharing.mark_disclosed(grant, release, manifest_sha)
        log_sharing(self.store, self.clock, grant, "sharing.package.sealed",
                    agency=request.agency_name, request=request,
                    query={"read_ids": list(release.read_ids)}, result_count=len(reads),
                    detail={"package": name, "manifest_sha256": manifest_sha,
                            "pdf_sha256": files[PDF_NAME][0], "files": len(files) + 2,
                            "key_fingerprint": key.fingerprint})
        if progress is not None:
            progress(total + 2, total + 2)
        return (request.id, len(reads), len(files) + 2, manifest_sha, key.fingerprint,
                disclosure.seq)

    def _images(self, read: Read, blob: ImageBlob, put: Callable[[str, bytes, str], str],
                root: Path) -> list[PackageImage]:
        if _sha(blob.data) != blob.sha256:
            raise SharingRefused(
                f"The {blob.kind} image of read #{read.id} does not match the hash taken when "
                "it was stored; it is not released. Report it to the custodian.",
                "image_changed")
        ext = _EXT.get(blob.format.lower(), "bin")
        label = "Overview" if blob.kind == "overview" else "Plate crop"
        rel = f"images/read-{read.id}-{blob.kind}.{ext}"
        digest = put(rel, blob.data, "original")
        try:
            w, h = image_size(blob.data)
        except Exception:  # an undecodable original is released as stored, shown by name
            w, h = blob.width or 0, blob.height or 0
        out = [PackageImage(label, rel, str(root / rel), digest, w, h)]
        if blob.kind == "crop":
            decoded = decode_image(blob.data, blob.format)
            if decoded.ok and decoded.image is not None:
                data = encode_png(apply(decoded.image, ENHANCEMENT))
                erel = f"images/enhanced/read-{read.id}-{blob.kind}-enhanced.png"
                edigest = put(erel, data, "enhanced")
                ew, eh = image_size(data)
                out.append(PackageImage(label, erel, str(root / erel), edigest, ew, eh,
                                        True, ENHANCEMENT.describe(), rel))
        return out

    def _custody_events(self, request_id: int, case_number: str) -> list[CustodyEvent]:
        f = AuditFilter(events=SHARING_EVENTS, case_number=case_number)
        out: list[CustodyEvent] = []
        for e in self.store.audit.iter_entries(f):
            if _request_of(e) == request_id:
                out.append(CustodyEvent(e.seq, e.ts_ms, e.event, e.username, e.organization,
                                        e.agency, e.outcome, e.hash))
        return out


def _write_new(path: Path, data: bytes) -> None:
    """A new file, owner-only from its first byte, inside the owner-only staging folder (whose
    access list new files inherit on Windows). Not synced one by one: ``_flush_to_disk`` once
    at the end (an interrupted package is never renamed into place)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _flush_to_disk() -> None:
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()


def _request_of(e: LogEntry) -> int | None:
    with contextlib.suppress(ValueError, TypeError):
        v = e.detail.get("request_id")
        return int(v) if v is not None else None
    return None


def _pem(der: bytes) -> bytes:
    import base64
    import textwrap

    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode("ascii"), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n".encode()
