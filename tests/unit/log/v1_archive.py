"""Archive version 1 as main wrote it before session 6 (at c667684): the whole segment sealed
in one AES-GCM message inside one JSON object. ``seal_v1`` is main's ``seal`` and
``archive_v1`` main's ``LogArchiveService.archive`` (its checks trimmed), kept here so that
a test proves the program still reads and verifies archives written by that version."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import GENESIS_HASH
from alpr_desktop.core.clock import Clock
from alpr_desktop.core.log_archive import (
    ARCHIVE_FORMAT,
    ARCHIVE_VERSION_V1,
    Anchor,
    ArchiveHeader,
    archive_name,
)
from alpr_desktop.core.roles import Action
from alpr_desktop.security.checkpoints import SigningKey
from alpr_desktop.security.log_archive_crypto import (
    SIGNATURE_CONTEXT,
    archive_key,
    digest,
    rows_bytes,
    sign_anchor,
)
from alpr_desktop.services.checkpoints import CheckpointService, issuer_of
from alpr_desktop.services.gate import require
from alpr_desktop.services.log_archive import LogArchiveService
from alpr_desktop.storage.unit_of_work import UnitOfWork


def seal_v1(header: ArchiveHeader, plain: bytes, data_key: bytes, signing: SigningKey) -> str:
    nonce = os.urandom(12)
    ciphertext = AESGCM(archive_key(data_key, header.store_id)).encrypt(
        nonce, plain, header.body())
    signed = (SIGNATURE_CONTEXT + header.body() + b"\n"
              + hashlib.sha256(ciphertext).hexdigest().encode("ascii"))
    signature = signing.private.sign(signed)
    return json.dumps({
        "format": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION_V1,
        "header": json.loads(header.body()),
        "public_key": signing.public_raw.hex(),
        "signature": base64.b64encode(signature).decode("ascii"),
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
        "note": "Access-log entries archived after five years. Keep a copy off the "
                "workstation. Verify with: alpr-desktop log-archive --verify FILE",
    }, sort_keys=True, ensure_ascii=False) + "\n"


def archive_v1(store: UnitOfWork, clock: Clock, ctx: AccessContext, password: str,
               folder: Path) -> Path:
    grant = require(store, ctx, Action.REVIEW_RETENTION, needs_purpose=False, clock=clock)
    first, last = LogArchiveService(store, clock).due_until()
    assert last >= first
    signing, _ = CheckpointService(store, clock).signing_key(grant, password)
    key = store.checkpoints.key_by_public(signing.public_raw)
    assert key is not None
    anchors = store.log_archive.anchors()
    prev = anchors[-1].anchor.last_hash if anchors else GENESIS_HASH
    rows = store.log_archive.rows(first, last)
    head_seq, head_hash = store.access_log.head()
    now_ms = clock.now_ms()
    issuer = issuer_of(grant.account)
    plain = rows_bytes(rows)
    header = ArchiveHeader(store.store_id, first, last, prev, str(rows[-1][13]), head_seq,
                           head_hash, now_ms, issuer, signing.fingerprint, digest(plain),
                           ARCHIVE_VERSION_V1)
    text = seal_v1(header, plain, store.data_key(), signing)
    name = archive_name(store.store_id, first, last)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    anchor = Anchor(first, last, header.last_hash, name,
                    hashlib.sha256(text.encode("utf-8")).hexdigest(), now_ms, issuer,
                    signing.fingerprint, store.store_id)
    with store.transaction():
        grant.log("log.archived", query={}, result_count=last - first + 1,
                  detail={"first_seq": first, "last_seq": last, "file": name})
        store.log_archive.add_anchor(anchor, key.id, sign_anchor(signing, anchor.body()))
        store.log_archive.remove_prefix(last)
    return path
