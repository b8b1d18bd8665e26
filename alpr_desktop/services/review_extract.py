"""Releasing an offline review extract (issue 15): the released reads and images copied into a
small encrypted store of their own, its key wrapped under a passphrase that is shown once and
printed on the release record, and the release recorded and logged in the City's store.

``release_extract`` goes through the gate like any export of reads (an analyst under a
declared purpose, action EXPORT_EVIDENCE); the lead connects it to approved sharing requests
through ``ExtractOrder.request_ref``. The recipient's agency is checked by the same rules as a
disclosure (core.recipients): federal, out-of-state and private recipients are refused.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import SITE_ZONE, Clock, SystemClock
from alpr_desktop.core.extract import (
    EXTRACT_KEY_BYTES,
    EXTRACT_SUFFIX,
    ExtractManifest,
    ExtractOrder,
    new_passphrase,
)
from alpr_desktop.core.extract import OrderRefused as _OrderRefused
from alpr_desktop.core.recipients import check_recipient
from alpr_desktop.core.roles import Action
from alpr_desktop.security import extract_keys
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, gated, refuse_outside_window
from alpr_desktop.storage.extract_store import create_extract_file
from alpr_desktop.storage.unit_of_work import UnitOfWork


class OrderRefused(_OrderRefused):
    """Refused by the work inside the gate: logged by ``gated`` as a refusal."""

    refusal_reason = "extract_order"


@dataclass(frozen=True)
class ExtractRelease:
    """What the person releasing gets back, once: the passphrase is in nothing else the
    program keeps, so show it and print the release record now."""

    manifest: ExtractManifest
    extract_path: Path
    key_path: Path
    passphrase: str
    log_seq: int

    @property
    def read_count(self) -> int:
        return len(self.manifest.read_ids)


def order_attempt(order: ExtractOrder, dest: Path | str) -> dict[str, Any]:
    return {"extract_reads": len(order.read_ids), "recipient_agency": order.organization,
            "case_number": order.case_number, "request_ref": order.request_ref or ""}


def _today(clock: Clock) -> Any:
    return datetime.fromtimestamp(clock.now_ms() / 1000, tz=UTC).astimezone(SITE_ZONE).date()


def extract_path_for(dest: Path | str) -> Path:
    path = Path(dest)
    return path if path.name.endswith(EXTRACT_SUFFIX) else path.with_name(
        path.name + EXTRACT_SUFFIX)


class ExtractReleaseService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    @gated(Action.EXPORT_EVIDENCE, attempted=order_attempt)
    def release_extract(self, grant: Grant, order: ExtractOrder,
                        dest: Path | str) -> ExtractRelease:
        """Write the extract for ``order`` at ``dest`` (``.alprext`` added) and its key file
        beside it; record the release and log "extract.release". Nothing is left behind when
        anything fails."""
        problems = order.problems(_today(self.clock))
        decision = check_recipient(order.organization, california_agency_confirmed=True,
                                   request_ref=order.request_ref or order.case_number)
        if not decision.allowed:
            problems.append(decision.message)
        if problems:
            raise OrderRefused(" ".join(problems))
        path = extract_path_for(dest)
        key_path = extract_keys.key_file_path(path)
        if path.exists() or key_path.exists():
            raise OrderRefused(f"{path.name} already exists; choose another name.")
        wanted = tuple(dict.fromkeys(int(i) for i in order.read_ids))
        rows = self.store.extract_releases.released_rows(wanted)
        missing = sorted(set(wanted) - set(rows.read_ids))
        if missing:
            raise OrderRefused(
                f"{len(missing)} of the reads are not in the store (first: {missing[0]}); "
                "they may have been purged. Nothing was released.")
        for read_id in wanted:
            read = self.store.reads.get(read_id)
            if read is not None:
                refuse_outside_window(grant, read.recorded_at, "read")
        now = self.clock.now_ms()
        signing = extract_keys.new_signing_key()
        manifest = ExtractManifest(
            extract_id=str(uuid.uuid4()), recipient_name=" ".join(order.recipient_name.split()),
            organization=decision.agency, purpose=order.purpose.strip(),
            case_number=order.case_number.strip(), request_ref=order.request_ref,
            expires_on=order.expires_on, released_by=grant.account.username,
            released_at_ms=now, read_ids=wanted, public_key_hex=signing.public_raw.hex(),
            key_fingerprint=signing.fingerprint, source_store_id=self.store.store_id)
        passphrase = new_passphrase()
        key = secrets.token_bytes(EXTRACT_KEY_BYTES)
        try:
            ext = create_extract_file(path, key)
            try:
                ext.extract_content.put_rows(rows)
                ext.extract_content.set_description(manifest.to_json(),
                                                    extract_keys.private_raw(signing))
                log_event(ext, LogEvent(
                    "extract.created", Outcome.OK, grant.account.username,
                    organization=grant.account.organization,
                    agency=grant.account.organization,
                    query={"read_ids": list(wanted)}, result_count=len(wanted),
                    detail={"extract_id": manifest.extract_id,
                            "recipient": manifest.recipient_name,
                            "recipient_agency": manifest.organization,
                            "expires_on": manifest.expires_on.isoformat()}), self.clock)
            finally:
                ext.close()
            extract_keys.write_key_file(path, key, passphrase, manifest.extract_id,
                                        manifest.expires_on)
            self.store.extract_releases.record_release(manifest, now)
            entry = grant.log(
                "extract.release",
                query={"read_ids": list(wanted), "extract_id": manifest.extract_id},
                result_count=len(wanted),
                detail={"recipient": manifest.recipient_name,
                        "recipient_agency": manifest.organization,
                        "case_number": manifest.case_number,
                        "request_ref": manifest.request_ref or "",
                        "expires_on": manifest.expires_on.isoformat(),
                        "file_name": path.name,
                        "key_fingerprint": manifest.key_fingerprint,
                        "images": rows.count("images")})
        except BaseException:
            for part in (path, key_path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                part.unlink(missing_ok=True)
            raise
        return ExtractRelease(manifest, path, key_path, passphrase, entry.seq)


__all__ = ["ExtractRelease", "ExtractReleaseService", "OrderRefused", "extract_path_for",
           "write_release_record"]


def write_release_record(release: ExtractRelease, out: Path | str,
                         released_by_name: str = "") -> Path:
    """The one-page release record with the passphrase (reports.extract_release_record),
    owner-only. It holds no read data, only what the release says."""
    from alpr_desktop.reports.extract_release_record import (
        ReleaseRecordInput,
        build_release_record,
    )

    return build_release_record(out, ReleaseRecordInput(
        release.manifest, release.extract_path.name, release.key_path.name, release.passphrase,
        released_by_name or release.manifest.released_by, release.log_seq))
