"""The offline review extract as data: what is released to whom, until when, and the errors a
reviewer meets. Pure Python (no Qt, no SQL, no cryptography).

An extract is a small encrypted store holding only the released reads and images (issue 15);
the City keeps the release record, the recipient gets the file and, out of band, a passphrase.
"""

from __future__ import annotations

import json
import secrets
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from alpr_desktop.core.clock import SITE_ZONE

EXTRACT_SUFFIX = ".alprext"
EXTRACT_KEY_BYTES = 32  # a SQLCipher raw key, as the store's
KEY_SUFFIX = ".key"  # the wrapped key beside the extract: NAME.alprext.key
MANIFEST_FORMAT = "alpr-extract-v1"
MAX_EXTRACT_READS = 5000
# 24 characters from a 31-symbol alphabet without look-alikes (no 0/O, 1/I/L): 118 bits, far
# beyond guessing, so the key derivation can be cheaper than an account's and an extract still
# opens in well under a second.
_PASS_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 (an alphabet)
_PASS_GROUPS, _PASS_GROUP_LEN = 6, 4


class ExtractError(Exception):
    """An extract cannot be made or used; ``str()`` is a sentence for the user."""


class NotAnExtract(ExtractError):
    pass


class WrongExtractPassphrase(ExtractError):
    def __init__(self) -> None:
        super().__init__(
            "The passphrase does not open this extract. Type it exactly as printed on the "
            "release record (capitals and dashes do not matter).")


class ExtractExpired(ExtractError):
    def __init__(self, expires_on: date) -> None:
        super().__init__(
            f"This extract expired at the end of {expires_on.isoformat()} and can no longer "
            "be opened. Ask the City of Carson's custodian for a new release if you still "
            "need the evidence.")
        self.expires_on = expires_on


class ClockBehind(ExtractError):
    def __init__(self) -> None:
        super().__init__(
            "This computer's clock is earlier than the extract's last log entry, so its "
            "expiry cannot be trusted. Correct the date and time, then open it again.")


class ReviewerRefused(ExtractError):
    """The reviewer's name, organization or purpose does not fit the release."""


class ReadNotInExtract(ExtractError):
    def __init__(self, read_id: object) -> None:
        super().__init__(
            f"Read {read_id} is not part of this extract. An extract shows only the reads "
            "released with it.")


class OrderRefused(ExtractError):
    """An ExtractOrder that cannot be released (no reads, a past expiry, no recipient)."""


class ReviewerLogRefused(ExtractError):
    """A reviewer log file that cannot be imported: unreadable, badly signed, a broken chain,
    or for an extract the City never released."""


@dataclass(frozen=True)
class ExtractOrder:
    """What is to be released, to whom, why and until when: the input of a release. The lead
    builds it from an approved sharing request (``request_ref``)."""

    read_ids: tuple[int, ...]
    recipient_name: str
    organization: str
    purpose: str
    case_number: str
    expires_on: date
    request_ref: str | None = None

    def problems(self, today: date) -> list[str]:
        out: list[str] = []
        if not self.read_ids:
            out.append("An extract needs at least one read.")
        if len(set(self.read_ids)) > MAX_EXTRACT_READS:
            out.append(f"An extract holds at most {MAX_EXTRACT_READS:,} reads.")
        if not self.recipient_name.strip():
            out.append("Name the person who will review the extract.")
        if not self.organization.strip():
            out.append("Name the reviewer's organization.")
        if not self.case_number.strip():
            out.append("Give the case number the extract is released for.")
        if not self.purpose.strip():
            out.append("Say what the extract is released for.")
        if self.expires_on <= today:
            out.append("The expiry date must be after today.")
        elif self.expires_on > today + timedelta(days=366):
            out.append("An extract may be released for at most one year.")
        return out


def expiry_ms(expires_on: date, zone: ZoneInfo = SITE_ZONE) -> int:
    """The first millisecond after ``expires_on`` in the site's zone: the extract opens on its
    expiry date and not after it."""
    end = datetime.combine(expires_on + timedelta(days=1), time(0), tzinfo=zone)
    return int(end.timestamp() * 1000)


def new_passphrase() -> str:
    """A random passphrase for one extract, in groups for reading aloud: 120 bits."""
    chars = "".join(secrets.choice(_PASS_ALPHABET) for _ in range(
        _PASS_GROUPS * _PASS_GROUP_LEN))
    return "-".join(chars[i:i + _PASS_GROUP_LEN] for i in range(0, len(chars), _PASS_GROUP_LEN))


def normalize_passphrase(text: str) -> str:
    """What is typed, as generated: capitals, no spaces, dashes in their places. Typing it in
    lower case or without dashes is not a reason to fail."""
    flat = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(flat) != _PASS_GROUPS * _PASS_GROUP_LEN:
        return text.strip()
    return "-".join(flat[i:i + _PASS_GROUP_LEN] for i in range(0, len(flat), _PASS_GROUP_LEN))


def same_name(a: str, b: str) -> bool:
    """Names compared as people write them: case, accents' forms and spacing do not matter."""
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", s).casefold().split())
    return norm(a) == norm(b) and bool(norm(a))


@dataclass(frozen=True)
class ExtractManifest:
    """What an extract says about itself (kept inside the encrypted file, and as the release
    record in the City's store)."""

    extract_id: str
    recipient_name: str
    organization: str
    purpose: str
    case_number: str
    request_ref: str | None
    expires_on: date
    released_by: str
    released_at_ms: int
    read_ids: tuple[int, ...]
    public_key_hex: str
    key_fingerprint: str
    source_store_id: str = ""
    zone: str = field(default=SITE_ZONE.key)

    @property
    def expires_at_ms(self) -> int:
        return expiry_ms(self.expires_on, ZoneInfo(self.zone))

    def to_json(self) -> str:
        d: dict[str, Any] = asdict(self)
        d["format"] = MANIFEST_FORMAT
        d["expires_on"] = self.expires_on.isoformat()
        d["read_ids"] = list(self.read_ids)
        return json.dumps(d, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ExtractManifest:
        try:
            d = json.loads(text)
            if d.pop("format", None) != MANIFEST_FORMAT:
                raise NotAnExtract("The file is not an extract this program understands.")
            d["expires_on"] = date.fromisoformat(d["expires_on"])
            d["read_ids"] = tuple(int(i) for i in d["read_ids"])
            return cls(**d)
        except NotAnExtract:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise NotAnExtract("The extract's description is damaged.") from exc


@dataclass(frozen=True)
class Reviewer:
    """Who signed in to an extract and why (the purpose as the log records it)."""

    name: str
    organization: str
    purpose: dict[str, Any]
    signed_in_ms: int
    token: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
