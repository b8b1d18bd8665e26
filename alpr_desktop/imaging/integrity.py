"""Is this the image the camera recorded? The SHA-256 of the stored bytes, taken when they were
stored, is recomputed on every open; a mismatch is reported, never hidden or repaired."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class IntegrityResult:
    ok: bool
    stored: str
    computed: str

    @property
    def message(self) -> str:
        if self.ok:
            return f"SHA-256 {self.computed} verified: the bytes are those stored on import."
        if not self.stored:
            return (f"WARNING: no hash was recorded when this image was stored; SHA-256 now "
                    f"{self.computed}. Its integrity cannot be shown.")
        return (f"WARNING: this image has changed since it was stored. Recorded SHA-256 "
                f"{self.stored}, now {self.computed}. Do not rely on it; report it to the "
                f"custodian.")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(data: bytes, stored_sha256: str | None) -> IntegrityResult:
    """Recompute the hash of ``data`` and compare it with the one recorded at storage."""
    computed = sha256_hex(data)
    stored = (stored_sha256 or "").strip().lower()
    ok = bool(stored) and hmac.compare_digest(stored, computed)
    return IntegrityResult(ok, stored, computed)
