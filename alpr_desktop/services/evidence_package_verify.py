"""Checking an evidence package: every file's SHA-256, the manifest's Ed25519 signature and
the PDF's PAdES signature, saying exactly what differs (``alpr-desktop verify-package``).

It needs no store and no sign-in: a recipient runs it on what they were given. The key it
checks against is the one the manifest names; ``expected_fingerprint`` (given to the recipient
out of band) pins it, since a forger could replace key and signatures together.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

from alpr_desktop.security.checkpoints import fingerprint
from alpr_desktop.services.evidence_package import (
    KEY_PEM,
    MANIFEST,
    PACKAGE_FORMAT,
    PDF_NAME,
    SIGNATURE,
)

MAX_MANIFEST_BYTES = 16 * 1024 * 1024


@dataclass
class PackageCheck:
    folder: Path
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    fingerprint: str = ""
    manifest_signature_ok: bool = False
    pdf_signature_ok: bool = False

    @property
    def intact(self) -> bool:
        return not self.problems and self.manifest_signature_ok and self.pdf_signature_ok

    def lines(self) -> list[str]:
        if self.intact:
            return [f"Intact: {self.files_checked} files match the manifest; the manifest "
                    f"signature and the PDF signature are valid (key {self.fingerprint})."]
        return [f"NOT INTACT: {p}" for p in self.problems]


def _sha_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_package(folder: Path | str, expected_fingerprint: str = "") -> PackageCheck:
    """Check the package in ``folder``; never raises on a damaged package (every problem is a
    sentence in ``problems``). FileNotFoundError when there is no such folder."""
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(2, "No package folder", str(root))
    check = PackageCheck(root)
    manifest_path = root / MANIFEST
    try:
        if manifest_path.stat().st_size > MAX_MANIFEST_BYTES:
            check.problems.append(f"{MANIFEST} is too large to be a package manifest.")
            return check
        raw = manifest_path.read_bytes()
        manifest = json.loads(raw)
        if manifest.get("format") != PACKAGE_FORMAT:
            raise ValueError("format")
        public_raw = bytes.fromhex(manifest["signing_key"]["public_key"])
        listed = {str(f["path"]): str(f["sha256"]) for f in manifest["files"]}
    except FileNotFoundError:
        check.problems.append(f"{MANIFEST} is missing: this is not an evidence package, or "
                              "its manifest was removed.")
        return check
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        check.problems.append(f"{MANIFEST} cannot be read as a package manifest (damaged or "
                              "altered).")
        return check
    check.fingerprint = fingerprint(public_raw)
    _check_manifest_signature(check, root, raw, public_raw)
    if expected_fingerprint and _norm(expected_fingerprint) != _norm(check.fingerprint):
        check.problems.append(f"The package is signed with key {check.fingerprint}, not with "
                              f"the expected key {expected_fingerprint}.")
    _check_key_file(check, root, public_raw)
    for rel, want in sorted(listed.items()):
        path = (root / rel)
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            check.problems.append(f"The manifest names a file outside the package: {rel}.")
            continue
        if not path.is_file():
            check.problems.append(f"{rel} is listed in the manifest but missing.")
            continue
        got = _sha_file(path)
        check.files_checked += 1
        if got != want:
            check.problems.append(f"{rel} differs from the manifest: SHA-256 is {got}, the "
                                  f"manifest says {want}.")
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    for extra in sorted(present - set(listed) - {MANIFEST, SIGNATURE}):
        check.problems.append(f"{extra} is in the folder but not in the manifest (added after "
                              "the package was made).")
    if PDF_NAME in listed and (root / PDF_NAME).is_file():
        _check_pdf(check, root / PDF_NAME, public_raw)
    else:
        check.problems.append(f"{PDF_NAME} is not in the package; its signature cannot be "
                              "checked.")
    return check


def _norm(fp: str) -> str:
    return "".join(fp.split()).upper()


def _check_manifest_signature(check: PackageCheck, root: Path, raw: bytes,
                              public_raw: bytes) -> None:
    try:
        sig = (root / SIGNATURE).read_bytes()
    except FileNotFoundError:
        check.problems.append(f"{SIGNATURE} is missing: the manifest is not signed.")
        return
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(sig, raw)
    except (InvalidSignature, ValueError):
        check.problems.append(f"The manifest signature ({SIGNATURE}) is not valid for "
                              f"{MANIFEST}: the manifest or its signature was changed.")
        return
    check.manifest_signature_ok = True


def _check_key_file(check: PackageCheck, root: Path, public_raw: bytes) -> None:
    try:
        key = load_pem_public_key((root / KEY_PEM).read_bytes())
        raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    except FileNotFoundError:
        return  # listed files are checked against the manifest separately
    except (ValueError, TypeError):
        check.problems.append(f"{KEY_PEM} is not a public key.")
        return
    if raw != public_raw:
        check.problems.append(f"{KEY_PEM} holds another key than the manifest names.")


def _check_pdf(check: PackageCheck, pdf: Path, public_raw: bytes) -> None:
    """The PDF's embedded signature: intact, covering the whole file, by the manifest's key."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        with pdf.open("rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            sigs = reader.embedded_signatures
            if not sigs:
                check.problems.append(f"{PDF_NAME} carries no signature.")
                return
            sig = sigs[-1]
            cert = sig.signer_cert
            status = validate_pdf_signature(
                sig, ValidationContext(trust_roots=[cert]))
            coverage = status.coverage.name if status.coverage is not None else ""
            signer_key = bytes(cert.public_key["public_key"])
    except Exception as exc:  # a damaged PDF is a finding, not a crash
        check.problems.append(f"{PDF_NAME} cannot be read as a signed PDF ({type(exc).__name__}"
                              "): it was damaged or altered.")
        return
    if not status.intact or not status.valid:
        check.problems.append(f"The signature of {PDF_NAME} does not match its content: the "
                              "PDF was changed after it was signed.")
    elif coverage != "ENTIRE_FILE":
        check.problems.append(f"{PDF_NAME} has content added after its signature.")
    elif signer_key != public_raw:
        check.problems.append(f"{PDF_NAME} is signed by another key than the manifest names.")
    else:
        check.pdf_signature_ok = True
