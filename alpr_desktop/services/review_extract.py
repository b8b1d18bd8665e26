"""Releasing an offline review extract (issue 15): the released reads and images copied into a
small encrypted store of their own, its key wrapped under a passphrase that is shown once and
printed on the release record, and the release recorded and logged in the City's store.

``release_extract`` goes through the gate like any export of reads (an analyst under a
declared purpose, action EXPORT_EVIDENCE); the lead connects it to approved sharing requests
through ``ExtractOrder.request_ref``. The recipient's agency is checked by the same rules as a
disclosure: it must be an agency the custodian approved in the registry (core.agencies), and
federal, out-of-state and private recipients are refused. An extract that answers an approved
sharing request is made by services.sharing_release, which uses ``write_extract`` under the
request's approval.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alpr_desktop.core.agencies import recipient_refusal
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import SITE_ZONE, Clock, SystemClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.extract import (
    EXTRACT_KEY_BYTES,
    EXTRACT_SUFFIX,
    ExtractManifest,
    ExtractOrder,
    new_passphrase,
)
from alpr_desktop.core.extract import OrderRefused as _OrderRefused
from alpr_desktop.core.recipients import RecipientDecision, check_recipient, clean_name
from alpr_desktop.core.roles import Action
from alpr_desktop.security import extract_keys
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, gated, refuse_outside_window
from alpr_desktop.services.progress import ProgressFn
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
    def release_extract(self, grant: Grant, order: ExtractOrder, dest: Path | str,
                        progress: ProgressFn | None = None) -> ExtractRelease:
        """Write the extract for ``order`` at ``dest`` (``.alprext`` added) and its key file
        beside it; record the release and log "extract.release". The organization must be an
        agency the custodian approved in the registry. Nothing is left behind when anything
        fails; ``progress`` returning False cancels (core.errors.Cancelled)."""
        check_order(order, self.clock)
        agency = self.store.agencies.by_name(clean_name(order.organization))
        refusal = recipient_refusal(agency)
        if refusal is not None:
            raise OrderRefused(f"{refusal.message}")
        return write_extract(self.store, self.clock, grant, order, dest, progress)


def check_order(order: ExtractOrder, clock: Clock) -> RecipientDecision:
    """OrderRefused listing every problem of ``order`` (its fields, and a recipient whose name
    says federal, private or out of state); the recipient decision otherwise."""
    problems = order.problems(_today(clock))
    decision = check_recipient(order.organization, california_agency_confirmed=True,
                               request_ref=order.request_ref or order.case_number)
    if not decision.allowed:
        problems.append(decision.message)
    if problems:
        raise OrderRefused(" ".join(problems))
    return decision


def write_extract(store: UnitOfWork, clock: Clock, grant: Grant, order: ExtractOrder,
                  dest: Path | str, progress: ProgressFn | None = None) -> ExtractRelease:
    """The release's work, inside the caller's transaction (after the gate and the
    recipient's checks): the extract file, its key file, the release record and the
    "extract.release" entry. Removes what it wrote when anything fails."""
    decision = check_order(order, clock)
    path = extract_path_for(dest)
    key_path = extract_keys.key_file_path(path)
    if path.exists() or key_path.exists():
        raise OrderRefused(f"{path.name} already exists; choose another name.")
    wanted = tuple(dict.fromkeys(int(i) for i in order.read_ids))
    _step(progress, 0, 4)
    rows = store.extract_releases.released_rows(wanted)
    missing = sorted(set(wanted) - set(rows.read_ids))
    if missing:
        raise OrderRefused(
            f"{len(missing)} of the reads are not in the store (first: {missing[0]}); "
            "they may have been purged. Nothing was released.")
    for read_id in wanted:
        read = store.reads.get(read_id)
        if read is not None:
            refuse_outside_window(grant, read.recorded_at, "read")
    _step(progress, 1, 4)
    now = clock.now_ms()
    signing = extract_keys.new_signing_key()
    manifest = ExtractManifest(
        extract_id=str(uuid.uuid4()), recipient_name=" ".join(order.recipient_name.split()),
        organization=decision.agency, purpose=order.purpose.strip(),
        case_number=order.case_number.strip(), request_ref=order.request_ref,
        expires_on=order.expires_on, released_by=grant.account.username,
        released_at_ms=now, read_ids=wanted, public_key_hex=signing.public_raw.hex(),
        key_fingerprint=signing.fingerprint, source_store_id=store.store_id)
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
                        "expires_on": manifest.expires_on.isoformat()}), clock)
        finally:
            ext.close()
        _step(progress, 2, 4)
        extract_keys.write_key_file(path, key, passphrase, manifest.extract_id,
                                    manifest.expires_on)
        _step(progress, 3, 4)
        store.extract_releases.record_release(manifest, now)
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
        remove_extract_files(path)
        raise
    return ExtractRelease(manifest, path, key_path, passphrase, entry.seq)


def remove_extract_files(path: Path) -> None:
    """The extract, its key file and SQLite's side files: what a failed release leaves."""
    for part in (path, extract_keys.key_file_path(path), Path(f"{path}-wal"),
                 Path(f"{path}-shm")):
        part.unlink(missing_ok=True)


def _step(progress: ProgressFn | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise Cancelled("Cancelled: nothing was released.")


__all__ = ["ExtractRelease", "ExtractReleaseService", "OrderRefused", "extract_path_for",
           "remove_extract_files", "write_extract", "write_release_record"]


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
