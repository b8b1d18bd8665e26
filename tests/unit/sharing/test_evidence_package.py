"""services.evidence_package and verify-package: nothing leaves without the custodian's
approval; the package's hashes and both signatures check out with code that is not the
program's writer (pypdf, pyHanko's validator, ``cryptography``); one flipped byte in any file
is found and named."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from access_helpers import log_entries
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from sharing_helpers import Sharing

from alpr_desktop.cli.failures import EXIT_NOT_INTACT, EXIT_OK
from alpr_desktop.cli.program import main
from alpr_desktop.core.agencies_requests import RequestStatus
from alpr_desktop.services.evidence_package import PackageTargetInvalid
from alpr_desktop.services.evidence_package_verify import verify_package
from alpr_desktop.services.sharing import SharingRefused


def _build(sharing: Sharing, tmp_path: Path) -> tuple[Path, int]:
    request, analyst = sharing.approved()
    result = sharing.packages.build(analyst, request.id, tmp_path / "pkg")
    return result.folder, request.id


def test_disclosure_without_approval_is_refused_and_logged(sharing: Sharing,
                                                           tmp_path: Path) -> None:
    request, analyst = sharing.prepared()
    with pytest.raises(SharingRefused, match="not approved") as exc:
        sharing.packages.build(analyst, request.id, tmp_path / "pkg")
    assert exc.value.reason == "not_approved"
    assert not [p for p in tmp_path.iterdir() if "pkg" in p.name]  # no staging left either
    [e] = log_entries(sharing.world.store, "sharing.disclosure")
    assert e.outcome == "refused" and e.agency == "Long Beach Police Department"
    assert e.detail["reason"] == "not_approved" and e.username == "officer"
    assert sharing.world.store.sharing.get(request.id).status is RequestStatus.PREPARED  # type: ignore[union-attr]


def test_withdrawn_recipient_after_approval_gets_nothing(sharing: Sharing,
                                                         tmp_path: Path) -> None:
    request, _ = sharing.approved()
    sharing.service.withdraw_agency(sharing.keeper(), sharing.agency.id, "Agreement ended")
    analyst = sharing.analyst_for(request)
    with pytest.raises(SharingRefused) as exc:
        sharing.packages.build(analyst, request.id, tmp_path / "pkg")
    assert exc.value.reason == "withdrawn" and not (tmp_path / "pkg").exists()


def test_custodian_cannot_build_and_a_package_leaves_once(sharing: Sharing,
                                                          tmp_path: Path) -> None:
    folder, request_id = _build(sharing, tmp_path)
    analyst = sharing.analyst_for(sharing.world.store.sharing.get(request_id))  # type: ignore[arg-type]
    with pytest.raises(SharingRefused) as exc:
        sharing.packages.build(analyst, request_id, tmp_path / "again")
    assert exc.value.reason == "already_disclosed"
    with pytest.raises(PackageTargetInvalid):
        sharing.packages.build(analyst, request_id, folder)
    from alpr_desktop.core.access_errors import NotAuthorized

    with pytest.raises(NotAuthorized):
        sharing.packages.build(sharing.keeper(), request_id, tmp_path / "keeper")


def test_package_checks_out_with_independent_code(sharing: Sharing, tmp_path: Path) -> None:
    folder, request_id = _build(sharing, tmp_path)
    manifest_bytes = (folder / "manifest.json").read_bytes()
    manifest = json.loads(manifest_bytes)
    public = bytes.fromhex(manifest["signing_key"]["public_key"])
    # the manifest's detached signature, with cryptography alone
    Ed25519PublicKey.from_public_bytes(public).verify(
        (folder / "manifest.json.sig").read_bytes(), manifest_bytes)
    with pytest.raises(InvalidSignature):
        Ed25519PublicKey.from_public_bytes(public).verify(
            (folder / "manifest.json.sig").read_bytes(), manifest_bytes + b" ")
    # every listed file's SHA-256, with hashlib; originals are the stored bytes unchanged
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    for rel, digest in listed.items():
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest
    for rid in sharing.read_ids[:2]:
        for blob in sharing.world.store.images.for_read(rid):
            assert (folder / f"images/read-{rid}-{blob.kind}.jpg").read_bytes() == blob.data
    assert any(p.startswith("images/enhanced/") for p in listed)
    # the PDF: pypdf reads it; pyHanko's validator finds the signature intact and whole
    pdf = (folder / "evidence.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Page 1 of" in text and "Long Beach Police Department" in text
    assert "LBPD-2025-004512" in text and "SELF-SIGNED" in text
    assert manifest["signing_key"]["fingerprint"] in text
    for rid in sharing.read_ids[:2]:
        for blob in sharing.world.store.images.for_read(rid):
            assert blob.sha256 in text
    fields = reader.get_fields() or {}
    assert any(f.get("/FT") == "/Sig" for f in fields.values())
    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[sig.signer_cert]))
    assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"
    assert bytes(sig.signer_cert.public_key["public_key"]) == public
    # the chain-of-custody page lists the request's log entries with their hashes
    events = [e for e in log_entries(sharing.world.store)
              if e.detail.get("request_id") == request_id and e.event != "sharing.package.sealed"]
    assert [e.event for e in events] == ["sharing.request.recorded", "sharing.prepared",
                                         "sharing.approved", "sharing.disclosure"]
    for e in events:
        assert e.hash in text.replace("\n", "")


def test_disclosure_is_logged_with_the_five_elements(sharing: Sharing, tmp_path: Path) -> None:
    folder, request_id = _build(sharing, tmp_path)
    [d] = log_entries(sharing.world.store, "sharing.disclosure")
    assert d.outcome == "ok" and d.agency == "Long Beach Police Department"
    assert d.query == {"read_ids": sharing.read_ids[:2], "plates": ["7ABC123"]}
    assert (d.username, d.organization) == ("officer", "LASD Carson Station")
    assert d.purpose["case_number"] == "LBPD-2025-004512" and d.ts_ms > 0
    [sealed] = log_entries(sharing.world.store, "sharing.package.sealed")
    manifest_sha = hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
    assert sealed.detail["manifest_sha256"] == manifest_sha
    request = sharing.world.store.sharing.get(request_id)
    assert request is not None and request.status is RequestStatus.DISCLOSED
    assert request.manifest_sha256 == manifest_sha


def test_verify_package_finds_a_flipped_byte_in_any_file(sharing: Sharing,
                                                        tmp_path: Path) -> None:
    folder, _ = _build(sharing, tmp_path)
    assert verify_package(folder).intact
    assert main(["verify-package", str(folder)]) == EXIT_OK
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert len(files) >= 10
    for rel in files:
        copy = tmp_path / f"flip-{rel.replace('/', '_')}"
        shutil.copytree(folder, copy)
        data = bytearray((copy / rel).read_bytes())
        data[len(data) // 2] ^= 0x01
        (copy / rel).write_bytes(bytes(data))
        check = verify_package(copy)
        assert not check.intact, rel
        said = " ".join(check.problems)
        if rel in ("manifest.json", "manifest.json.sig"):
            assert "manifest" in said, said
        else:
            assert rel in said, said
        if rel == "evidence.pdf":
            assert not check.pdf_signature_ok
        shutil.rmtree(copy)


def test_verify_package_cli_says_what_differs(sharing: Sharing, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = _build(sharing, tmp_path)
    (folder / "images" / "read-1-overview.jpg").unlink()
    (folder / "extra.txt").write_text("added")
    assert main(["verify-package", str(folder), "--fingerprint", "0000"]) == EXIT_NOT_INTACT
    out = capsys.readouterr().out
    assert "images/read-1-overview.jpg is listed in the manifest but missing" in out
    assert "extra.txt is in the folder but not in the manifest" in out
    assert "not with the expected key 0000" in out
    assert main(["verify-package", str(tmp_path / "nothing")]) == 1
