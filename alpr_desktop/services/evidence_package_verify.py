"""Checking an evidence package (a folder or its ZIP form): every file's SHA-256, the
manifest's Ed25519 signature and the PDF's PAdES signature, saying exactly what differs
(``alpr-desktop verify-package``).

It needs no store and no sign-in: a recipient runs it on what they were given. The key it
checks against is the one the manifest names; ``expected_fingerprint`` (given to the recipient
out of band) pins it, since a forger could replace key and signatures together.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
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


class _Folder:
    """The files of a package folder, by path relative to it."""

    where = "folder"

    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> set[str]:
        return {p.relative_to(self.root).as_posix() for p in self.root.rglob("*")
                if p.is_file()}

    def size(self, rel: str) -> int:
        return (self.root / rel).stat().st_size

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def sha(self, rel: str) -> str:
        h = hashlib.sha256()
        with (self.root / rel).open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()

    def has(self, rel: str) -> bool:
        return (self.root / rel).is_file()


class _Zip:
    """The files of a package ZIP, read in memory (nothing is unpacked to disk). A name that
    occurs twice, or that points outside the package, is a finding."""

    where = "ZIP"

    def __init__(self, zf: zipfile.ZipFile, check: PackageCheck) -> None:
        self.zf = zf
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = info.filename
            if name in self.members:
                check.problems.append(f"{name} occurs twice in the ZIP (one copy was added "
                                      "after the package was made).")
            self.members[name] = info

    def names(self) -> set[str]:
        return set(self.members)

    def size(self, rel: str) -> int:
        return self.members[rel].file_size

    def read(self, rel: str) -> bytes:
        if rel not in self.members:
            raise FileNotFoundError(2, "not in the ZIP", rel)
        return self.zf.read(self.members[rel])

    def sha(self, rel: str) -> str:
        """The member's SHA-256, or "" when its bytes fail the ZIP's own CRC check."""
        h = hashlib.sha256()
        try:
            with self.zf.open(self.members[rel]) as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            return ""
        return h.hexdigest()

    def has(self, rel: str) -> bool:
        return rel in self.members


_Source = _Folder | _Zip


def verify_package(folder: Path | str, expected_fingerprint: str = "") -> PackageCheck:
    """Check the package in ``folder`` (a package folder or its ZIP form); never raises on a
    damaged package (every problem is a sentence in ``problems``). FileNotFoundError when
    there is no such folder or file."""
    root = Path(folder)
    if root.is_dir():
        check = PackageCheck(root)
        _verify(check, _Folder(root), expected_fingerprint)
        return check
    if not root.is_file():
        raise FileNotFoundError(2, "No package folder or ZIP file", str(root))
    check = PackageCheck(root)
    try:
        with zipfile.ZipFile(root) as zf:
            _verify(check, _Zip(zf, check), expected_fingerprint)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        check.problems.append(f"{root.name} cannot be read as a ZIP file: it is not a package, "
                              "or it was damaged or cut short.")
        check.manifest_signature_ok = check.pdf_signature_ok = False
    return check


def _verify(check: PackageCheck, src: _Source, expected_fingerprint: str) -> None:
    try:
        if src.size(MANIFEST) > MAX_MANIFEST_BYTES:
            check.problems.append(f"{MANIFEST} is too large to be a package manifest.")
            return
        raw = src.read(MANIFEST)
        manifest = json.loads(raw)
        if manifest.get("format") != PACKAGE_FORMAT:
            raise ValueError("format")
        public_raw = bytes.fromhex(manifest["signing_key"]["public_key"])
        listed = {str(f["path"]): str(f["sha256"]) for f in manifest["files"]}
    except (FileNotFoundError, KeyError) as exc:
        if isinstance(exc, KeyError) and src.has(MANIFEST):
            check.problems.append(f"{MANIFEST} cannot be read as a package manifest (damaged "
                                  "or altered).")
        else:
            check.problems.append(f"{MANIFEST} is missing: this is not an evidence package, "
                                  "or its manifest was removed.")
        return
    except (ValueError, TypeError, AttributeError, UnicodeDecodeError):
        check.problems.append(f"{MANIFEST} cannot be read as a package manifest (damaged or "
                              "altered).")
        return
    check.fingerprint = fingerprint(public_raw)
    _check_manifest_signature(check, src, raw, public_raw)
    if expected_fingerprint and _norm(expected_fingerprint) != _norm(check.fingerprint):
        check.problems.append(f"The package is signed with key {check.fingerprint}, not with "
                              f"the expected key {expected_fingerprint}.")
    _check_key_file(check, src, public_raw)
    for rel, want in sorted(listed.items()):
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            check.problems.append(f"The manifest names a file outside the package: {rel}.")
            continue
        if not src.has(rel):
            check.problems.append(f"{rel} is listed in the manifest but missing.")
            continue
        got = src.sha(rel)
        check.files_checked += 1
        if not got:
            check.problems.append(f"{rel} is damaged in the ZIP (its bytes fail the ZIP's own "
                                  "check): it was changed after the package was made.")
        elif got != want:
            check.problems.append(f"{rel} differs from the manifest: SHA-256 is {got}, the "
                                  f"manifest says {want}.")
    for extra in sorted(src.names() - set(listed) - {MANIFEST, SIGNATURE}):
        check.problems.append(f"{extra} is in the {src.where} but not in the manifest (added "
                              "after the package was made).")
    if PDF_NAME in listed and src.has(PDF_NAME):
        _check_pdf(check, src.read(PDF_NAME), public_raw)
    else:
        check.problems.append(f"{PDF_NAME} is not in the package; its signature cannot be "
                              "checked.")


def _norm(fp: str) -> str:
    return "".join(fp.split()).upper()


def _check_manifest_signature(check: PackageCheck, src: _Source, raw: bytes,
                              public_raw: bytes) -> None:
    try:
        sig = src.read(SIGNATURE)
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


def _check_key_file(check: PackageCheck, src: _Source, public_raw: bytes) -> None:
    try:
        key = load_pem_public_key(src.read(KEY_PEM))
        raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    except FileNotFoundError:
        return  # listed files are checked against the manifest separately
    except (ValueError, TypeError):
        check.problems.append(f"{KEY_PEM} is not a public key.")
        return
    if raw != public_raw:
        check.problems.append(f"{KEY_PEM} holds another key than the manifest names.")


def _check_pdf(check: PackageCheck, pdf: bytes, public_raw: bytes) -> None:
    """The PDF's embedded signature: intact, covering the whole file, by the manifest's key."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        with io.BytesIO(pdf) as fh:
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
