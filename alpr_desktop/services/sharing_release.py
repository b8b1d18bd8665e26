"""Answering an approved sharing request with an offline review extract (issue 15).

The analyst, under the request's own purpose, releases the reads the custodian approved as an
extract for the requester named on the request, at the requesting agency, until a chosen date.
The same approval covers one evidence package (services.evidence_package) and one extract:
a request may be answered with both kinds, never twice with the same kind (the store's key on
``sharing_releases`` decides, so two workstations releasing at once make one extract, and the
other is refused with nothing left on disk).

The extract file, its key file, the City's release record, the "extract.release" entry, the
"sharing.disclosure" entry (the policy's five elements: date, the requesting agency as element
2, the reads and plates, the analyst and organization, the request's purpose) and the request's
release mark are one unit: a failure anywhere removes the files and rolls the rest back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.extract import ExtractOrder
from alpr_desktop.core.roles import Action
from alpr_desktop.security import extract_keys
from alpr_desktop.services.gate import require
from alpr_desktop.services.progress import ProgressFn
from alpr_desktop.services.review_extract import (
    ExtractRelease,
    OrderRefused,
    extract_path_for,
    remove_extract_files,
    write_extract,
)
from alpr_desktop.services.sharing import EXTRACT, SharingRefused, SharingService, log_sharing
from alpr_desktop.storage.unit_of_work import UnitOfWork

DEFAULT_EXTRACT_DAYS = 90


def suggested_extract_name(request_id: int, now_ms: int) -> str:
    """No plate and no agency in the name: only the request and the time."""
    stamp = dt.datetime.fromtimestamp(now_ms / 1000, dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"extract-request-{int(request_id)}-{stamp}"


class SharingReleaseService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def release_extract(self, ctx: AccessContext, request_id: int, dest: Path | str,
                        expires_on: dt.date, progress: ProgressFn | None = None,
                        ) -> ExtractRelease:
        """Release approved request ``request_id`` as an offline review extract at ``dest``
        (".alprext" added), for the requester at the requesting agency, expiring after
        ``expires_on``. SharingRefused (logged) unless approved, not yet answered with an
        extract, the recipient lawful and approved, and the analyst's purpose the request's
        own, and (reason "extract_order") for a bad expiry or a target that exists; all
        logged as "sharing.disclosure" refused. Cancelled when ``progress`` returns False.
        Nothing is left on disk after any of these."""
        grant = require(self.store, ctx, Action.EXPORT_EVIDENCE, needs_purpose=True,
                        clock=self.clock)
        sharing = SharingService(self.store, self.clock)
        release = sharing.approved_release(grant, request_id, "sharing.disclosure", EXTRACT)
        request = release.request
        order = ExtractOrder(
            read_ids=release.read_ids, recipient_name=release.recipient_name,
            organization=release.recipient_organization, purpose=request.purpose,
            case_number=request.case_number, expires_on=expires_on,
            request_ref=f"request #{request.id}")
        path = extract_path_for(dest)
        # Never remove what was there before (a refused name that already exists).
        ours = not (path.exists() or extract_keys.key_file_path(path).exists())
        try:
            with self.store.transaction():
                out = write_extract(self.store, self.clock, grant, order, path, progress)
                sharing.mark_disclosed(grant, release, out.manifest.extract_id)
                plates = sorted({r.plate_norm for i in release.read_ids
                                 if (r := self.store.reads.get(i)) is not None})
                log_sharing(
                    self.store, self.clock, grant, "sharing.disclosure",
                    agency=request.agency_name, request=request,
                    query={"read_ids": list(release.read_ids), "plates": plates},
                    result_count=len(release.read_ids),
                    detail={"kind": "review_extract", "extract_id": out.manifest.extract_id,
                            "file_name": out.extract_path.name,
                            "recipient": release.recipient_name,
                            "recipient_organization": release.recipient_organization,
                            "expires_on": expires_on.isoformat(),
                            "key_fingerprint": out.manifest.key_fingerprint,
                            "extract_release_seq": out.log_seq})
        except OrderRefused as exc:
            if ours:
                remove_extract_files(path)
            raise sharing._refuse(grant, "sharing.disclosure",
                                  SharingRefused(str(exc), "extract_order"),
                                  agency=request.agency_name, request=request,
                                  query={"read_ids": list(release.read_ids),
                                         "release": EXTRACT}) from None
        except SharingRefused as exc:  # released meanwhile (another workstation won)
            if ours:
                remove_extract_files(path)
            raise sharing._refuse(grant, "sharing.disclosure", exc,
                                  agency=request.agency_name, request=request,
                                  query={"read_ids": list(release.read_ids),
                                         "release": EXTRACT}) from None
        except BaseException:
            if ours:
                remove_extract_files(path)
            raise
        return out
