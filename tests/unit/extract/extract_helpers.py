"""Helpers of the review-extract tests: an order for three of four reads, and a purpose."""

from __future__ import annotations

from datetime import date

from access_helpers import purpose_input

from alpr_desktop.core.extract import ExtractOrder
from alpr_desktop.core.purposes import PurposeInput

EXPIRES = date(2026, 1, 31)  # the world's clock stands at 2026-01-01


def order(ids: list[int], **changes: object) -> ExtractOrder:
    base: dict[str, object] = {
        "read_ids": tuple(ids), "recipient_name": "Dana Prosecutor",
        "organization": "Los Angeles County District Attorney",
        "purpose": "Review of plate reads for the preliminary hearing",
        "case_number": "123-45678-2026-001", "expires_on": EXPIRES,
        "request_ref": "DA request 2026-7",
    }
    base.update(changes)
    return ExtractOrder(**base)  # type: ignore[arg-type]


def reviewer_purpose(**changes: object) -> PurposeInput:
    return purpose_input(**changes)
