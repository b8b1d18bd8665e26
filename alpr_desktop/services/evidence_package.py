"""Building the evidence package of an approved request, or of the analyst's own prosecution
case (issue 15), as a folder or as one ZIP file.

The analyst, under the request's purpose, builds a folder holding the signed PDF, the original
images exactly as stored, enhanced copies marked as such, ``manifest.json`` (every file with
its SHA-256) and ``manifest.json.sig`` (a detached Ed25519 signature with the store's package
key), plus the key and its self-signed certificate. Nothing is built for a request the
custodian has not approved (refused and logged). The disclosure entry, the package's files and
the request's "disclosed" mark are one unit: the files are written in an owner-only staging
folder inside the transaction and renamed into place last, so a failure leaves no package and
no entry, and a package always has its entry. The ZIP form packs that finished folder into an
owner-only ZIP with the same paths, renamed into place last in the same way.

An approved request is answered with at most one package (and at most one review extract:
services.sharing_release); the analyst's own case needs no request, but the analyst's active
purpose and a recipient the custodian has approved in the registry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.agencies import recipient_refusal
from alpr_desktop.core.agencies_requests import MAX_NOTE, MAX_RESPONSE_READS, SharingRequest
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.clock import Clock, SystemClock, format_local
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.models import ImageBlob, Read
from alpr_desktop.core.owner_only import make_private_dir
from alpr_desktop.core.plates import PlateError, normalize_plate
from alpr_desktop.core.purposes import PurposeCategory
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
from alpr_desktop.services.gate import Grant, refuse_outside_window, require
from alpr_desktop.services.sharing import (
    PACKAGE,
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
MAX_RECIPIENT = 200


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
        answers = (f"request #{self.request_id}" if self.request_id else "your own case")
        return (f"Evidence package for {answers} written to {self.folder}: "
                f"{self.read_count} reads, {self.file_count} files, signed with key "
                f"{self.key_fingerprint}.")


def zip_path(target: Path | str) -> Path:
    """The ZIP form's file name: ``target`` with ".zip" added when missing."""
    path = Path(target)
    return path if path.suffix.lower() == ".zip" else path.with_name(path.name + ".zip")


def _zip_folder(folder: Path, out: Path) -> None:
    """The finished package folder as one ZIP (same relative paths), owner-only from its first
    byte. Images are stored as they are (already compressed), the rest deflated."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            method = zipfile.ZIP_STORED if rel.startswith("images/") else zipfile.ZIP_DEFLATED
            zf.write(path, rel, compress_type=method)
        fh.flush()
        os.fsync(fh.fileno())


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


@dataclass(frozen=True)
class OwnCaseOrder:
    """The analyst's own prosecution package (no sharing request): the reads chosen from the
    results or the case file, for a registered and approved recipient (the analyst's own agency
    or the prosecutor), under the analyst's active purpose."""

    read_ids: tuple[int, ...]
    agency_id: int
    recipient_name: str
    note: str = ""


@dataclass(frozen=True)
class _Subject:
    """What a package answers: an approved request, or the analyst's own case (request None)."""

    request: SharingRequest | None
    release: ApprovedRelease | None
    read_ids: tuple[int, ...]
    agency: str
    recipient: str
    recipient_contact: str
    case_number: str
    offense: str
    purpose: str
    asked_for: str
    received: str
    prepared_by: str
    approved_by: str
    approved_ms: int

    @property
    def request_id(self) -> int:
        return self.request.id if self.request is not None else 0


class EvidencePackageService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def build(self, ctx: AccessContext, request_id: int, folder: Path | str,
              progress: Progress | None = None, *, as_zip: bool = False) -> PackageResult:
        """Write the package of approved request ``request_id`` as the new ``folder`` (or, with
        ``as_zip``, the new ZIP file ``folder`` + ".zip"). Raises SharingRefused (logged)
        unless the request is approved and not yet answered with a package, its recipient
        lawful and approved, and the analyst's purpose the request's own."""
        grant = require(self.store, ctx, Action.EXPORT_EVIDENCE, needs_purpose=True,
                        clock=self.clock)
        target = check_target(zip_path(folder) if as_zip else folder)
        sharing = SharingService(self.store, self.clock)
        release = sharing.approved_release(grant, request_id, "sharing.disclosure", PACKAGE)
        r = release.request
        subject = _Subject(
            r, release, release.read_ids, r.agency_name, release.recipient_name,
            r.requester_contact, r.case_number, r.offense, r.purpose, r.asked_for,
            f"by {r.received_by}, {format_local(r.received_ms)}", r.prepared_by,
            r.decided_by, r.decided_ms or 0)
        return self._build(grant, sharing, subject, target, progress, as_zip)

    def build_own_case(self, ctx: AccessContext, order: OwnCaseOrder, folder: Path | str,
                       progress: Progress | None = None, *,
                       as_zip: bool = False) -> PackageResult:
        """The analyst's own prosecution package: no request, so no custodian approval, but
        the analyst's active purpose (an investigation or prosecution of their own, not an
        agency request) and a recipient the registry approves; refused and logged otherwise."""
        grant = require(self.store, ctx, Action.EXPORT_EVIDENCE, needs_purpose=True,
                        clock=self.clock)
        target = check_target(zip_path(folder) if as_zip else folder)
        sharing = SharingService(self.store, self.clock)
        agency = self.store.agencies.get(int(order.agency_id))
        ids = tuple(sorted({int(i) for i in order.read_ids}))
        recipient = " ".join(order.recipient_name.split())[:MAX_RECIPIENT]
        assert grant.purpose is not None
        p = grant.purpose.purpose
        problem: SharingRefused | None = None
        refusal = recipient_refusal(agency)
        if refusal is not None:
            problem = SharingRefused(refusal.message, refusal.reason)
        elif p.category is PurposeCategory.AGENCY_REQUEST:
            problem = SharingRefused(
                "Your purpose is another agency's request: answer it from Sharing requests, "
                "where the custodian approves the response.", "request_purpose")
        elif not ids:
            problem = SharingRefused("Choose the reads for the package.", "no_reads")
        elif len(ids) > MAX_RESPONSE_READS:
            problem = SharingRefused(f"A package holds at most {MAX_RESPONSE_READS:,} reads.",
                                     "too_many")
        elif len(recipient) < 3:
            problem = SharingRefused("Name the person at the receiving agency (for example "
                                     "the deputy district attorney).", "no_recipient")
        if problem is not None:
            raise sharing._refuse(grant, "sharing.disclosure", problem,
                                  agency=agency.name if agency else "",
                                  query={"read_ids": list(ids), "own_case": True})
        assert agency is not None
        who = f"{grant.account.full_name} ({grant.account.username}, " \
              f"{grant.account.organization})"
        subject = _Subject(
            None, None, ids, agency.name, recipient, agency.contact, p.case_number, p.offense,
            p.narrative, " ".join(order.note.split())[:MAX_NOTE]
            or "Reads chosen by the analyst for the prosecution of their own case",
            "no request: the analyst's own case", who,
            "not required (the analyst's own case, under the declared purpose)", 0)
        return self._build(grant, sharing, subject, target, progress, as_zip)

    def _build(self, grant: Grant, sharing: SharingService, subject: _Subject, target: Path,
               progress: Progress | None, as_zip: bool) -> PackageResult:
        staging = target.parent / f".{target.name}.partial-{secrets.token_hex(4)}"
        packed = staging.with_name(staging.name + ".zip")
        placed = False
        try:
            with self.store.transaction():
                for read_id in subject.read_ids:
                    read = self.store.reads.get(read_id)
                    if read is not None:
                        refuse_outside_window(grant, read.recorded_at, "read")
                key = package_signing_key(self.store, self.clock)
                make_private_dir(staging)
                result = self._write(grant, sharing, subject, key, staging, target.name,
                                     progress)
                if as_zip:
                    _zip_folder(staging, packed)
                    packed.rename(target)  # last: a failed commit removes it below
                else:
                    staging.rename(target)
                placed = True
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            packed.unlink(missing_ok=True)
            if placed:
                if as_zip:
                    target.unlink(missing_ok=True)
                else:
                    shutil.rmtree(target, ignore_errors=True)
            if isinstance(exc, SharingRefused):  # e.g. released meanwhile elsewhere
                raise sharing._refuse(grant, "sharing.disclosure", exc, agency=subject.agency,
                                      request=subject.request,
                                      query={"read_ids": list(subject.read_ids),
                                             "release": PACKAGE}) from None
            raise
        shutil.rmtree(staging, ignore_errors=True)  # the ZIP form's working folder
        return PackageResult(target, *result)

    # -- the work, inside the transaction ---------------------------------------------------------
    def _write(self, grant: Grant, sharing: SharingService, subject: _Subject,
               key: PackageSigningKey, out: Path, name: str, progress: Progress | None,
               ) -> tuple[int, int, int, str, str, int]:
        request = subject.request
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
        total = len(subject.read_ids)
        for n, read_id in enumerate(subject.read_ids, 1):
            read = self.store.reads.get(read_id)
            if read is None:
                raise SharingRefused(f"Read #{read_id} is no longer in the store (purged?); "
                                     "the response must be prepared again.", "no_read")
            plates.add(read.plate_norm)
            images: list[PackageImage] = []
            for blob in sorted(self.store.images.for_read(read_id),
                               key=lambda b: (b.kind != "overview", b.kind)):
                images += self._images(read, blob, put, out)
            reads.append(PackageRead(read, match_kind(read, subject.asked_for), tuple(images)))
            _step(progress, n, total + 2)
        kind = "evidence_package" if request is not None else "evidence_package_own_case"
        disclosure = log_sharing(
            self.store, self.clock, grant, "sharing.disclosure", agency=subject.agency,
            request=request, query={"read_ids": list(subject.read_ids),
                                    "plates": sorted(plates)},
            result_count=len(reads),
            detail={"kind": kind, "package": name, "recipient": subject.recipient,
                    "recipient_organization": subject.agency,
                    "image_files": len(files), "key_fingerprint": key.fingerprint})
        events = self._custody_events(request.id if request is not None else None,
                                      subject.case_number, name)
        now_ms = self.clock.now_ms()
        cover = PackageCover(
            subject.request_id, subject.case_number, subject.offense, subject.purpose,
            subject.asked_for, subject.agency, subject.recipient, subject.recipient_contact,
            subject.received,
            f"{grant.account.full_name} ({grant.account.username}, "
            f"{grant.account.organization})",
            subject.prepared_by, subject.approved_by, subject.approved_ms, now_ms,
            self.store.store_id, key.fingerprint, key.public_raw.hex(),
            disclosure.seq, disclosure.hash, own_case=request is None)
        pdf = build_evidence_pdf(cover, reads, events)
        cert = key.self_signed_certificate(f"ALPR store {self.store.store_id[:8]} evidence key",
                                           dt.datetime.fromtimestamp(now_ms / 1000, dt.UTC))
        signed_pdf = pades_sign(pdf, key, cert, reason=f"Evidence package for case "
                                f"{subject.case_number}, released to {subject.agency}",
                                location="City of Carson, California")
        put(PDF_NAME, signed_pdf, "report")
        put(KEY_PEM, key.public_pem(), "key")
        put(CERT_PEM, _pem(cert), "certificate")
        _step(progress, total + 1, total + 2)
        manifest = json.dumps({
            "format": PACKAGE_FORMAT, "version": PACKAGE_VERSION,
            "request_id": request.id if request is not None else None,
            "own_case": request is None, "case_number": subject.case_number,
            "recipient_agency": subject.agency, "requester": subject.recipient,
            "released_by": grant.account.username,
            "approved_by": request.decided_by if request is not None else "",
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
        if subject.release is not None:
            sharing.mark_disclosed(grant, subject.release, manifest_sha)
        log_sharing(self.store, self.clock, grant, "sharing.package.sealed",
                    agency=subject.agency, request=request,
                    query={"read_ids": list(subject.read_ids)}, result_count=len(reads),
                    detail={"package": name, "manifest_sha256": manifest_sha,
                            "pdf_sha256": files[PDF_NAME][0], "files": len(files) + 2,
                            "key_fingerprint": key.fingerprint})
        if progress is not None:
            progress(total + 2, total + 2)
        return (subject.request_id, len(reads), len(files) + 2, manifest_sha, key.fingerprint,
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

    def _custody_events(self, request_id: int | None, case_number: str,
                        package: str) -> list[CustodyEvent]:
        """Every entry of this package: the request's steps, or (own case) the package's."""
        f = AuditFilter(events=SHARING_EVENTS, case_number=case_number)
        out: list[CustodyEvent] = []
        for e in self.store.audit.iter_entries(f):
            mine = (_request_of(e) == request_id if request_id is not None
                    else e.detail.get("package") == package)
            if mine:
                out.append(CustodyEvent(e.seq, e.ts_ms, e.event, e.username, e.organization,
                                        e.agency, e.outcome, e.hash))
        return out


def _step(progress: Progress | None, done: int, total: int) -> None:
    """Report progress; a callback that returns False cancels (nothing is released)."""
    if progress is not None and progress(done, total) is False:
        raise Cancelled("Cancelled: nothing was released.")


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
