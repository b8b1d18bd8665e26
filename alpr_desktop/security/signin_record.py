"""The sign-in record beside the key file (``<store>.signin``): failed attempts and lockouts per
fingerprint, kept outside the store because the store cannot be read before the unwrap.

- Every entry is keyed by the username's fingerprint (keyslots.fingerprint), real and unknown
  names alike, so an unknown name is counted, locked and remembered across processes and
  restarts exactly like a real one.
- An attempt is counted BEFORE any unwrap is tried, under an exclusive OS file lock held over
  the whole read-modify-write (``begin``), and cleared on success. Twenty parallel attempts
  therefore lock after five, as five sequential ones do: the sixth finds the lock and never
  reaches the KDF.
- The record is authenticated with HMAC-SHA256 under a key derived from the workstation secret.
  A record that fails the check (edited, truncated, from another store, or missing while the
  key file exists) fails closed: every sign-in is refused for the lockout time, the counts
  restart from a fresh record, and the tampering is logged when the store next opens.
- Failures cannot be logged in the store while it is shut, so they wait in ``pending`` (bounded)
  and are written to the access log at the next open.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.security import lockout
from alpr_desktop.security.atomic_file import atomic_write
from alpr_desktop.security.file_lock import exclusive
from alpr_desktop.security.keys import keyfile_path
from alpr_desktop.security.keyslots import record_mac_key

FORMAT = "alpr-desktop-signin"
VERSION = 1
MAX_ENTRIES = 10_000
MAX_PENDING = 500
ALL = "*"  # the entry that locks every name after tampering


def record_path(store_path: Path | str) -> Path:
    return Path(f"{store_path}.signin")


def lock_path(store_path: Path | str) -> Path:
    """Held over every read-modify-write of the key file and the sign-in record."""
    return Path(f"{store_path}.key.lock")


@dataclass(frozen=True)
class Verdict:
    """What ``begin`` decided: go on and try the unwrap, or refused as locked."""

    allowed: bool
    state: lockout.LockState


class SignInRecord:
    def __init__(self, store_path: Path | str, store_id: str, secret: bytes) -> None:
        self.store_path = Path(store_path)
        self.path = record_path(store_path)
        self.store_id = store_id
        self._mac_key = record_mac_key(secret)

    # -- the file ----------------------------------------------------------------------
    def _mac(self, body: dict) -> str:
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        return hmac.new(self._mac_key, canonical, hashlib.sha256).hexdigest()

    def _empty(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "store_id": self.store_id,
                "entries": {}, "pending": [], "dropped": 0}

    def _load(self) -> tuple[dict, bool]:
        """The record and whether it was intact. A missing record counts as tampering once
        the key file exists (it is written together with every v2 key file)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self._empty(), not keyfile_path(self.store_path).exists()
        except OSError:
            return self._empty(), False
        try:
            d = json.loads(raw)
            mac = d.pop("mac")
            ok = (isinstance(mac, str) and hmac.compare_digest(mac, self._mac(d))
                  and d.get("format") == FORMAT and d.get("store_id") == self.store_id
                  and isinstance(d.get("entries"), dict) and isinstance(d.get("pending"), list))
        except (ValueError, KeyError, TypeError, AttributeError):
            ok = False
        return (d, True) if ok else (self._empty(), False)

    def _save(self, d: dict) -> None:
        body = {k: v for k, v in d.items() if k != "mac"}
        atomic_write(self.path, json.dumps({**body, "mac": self._mac(body)}))

    def create(self) -> None:
        """A fresh, empty record (new store, new workstation secret, upgrade)."""
        with exclusive(lock_path(self.store_path)):
            self._save(self._empty())

    # -- attempts ------------------------------------------------------------------------
    def begin(self, fp: str, now_ms: int) -> Verdict:
        """Count one attempt for ``fp`` before any unwrap. Refused (allowed=False) while the
        name, or every name after tampering, is locked."""
        with exclusive(lock_path(self.store_path)):
            d, intact = self._load()
            if not intact:
                until = now_ms + lockout.LOCK_MS
                d["entries"][ALL] = [0, until, now_ms]
                self._pend(d, {"event": "signin.record_tampered", "at_ms": now_ms})
                self._save(d)
                return Verdict(False, lockout.LockState(0, until))
            every = _state(d["entries"].get(ALL))
            if every.is_locked(now_ms):
                return Verdict(False, every)
            state = _state(d["entries"].get(fp))
            if state.is_locked(now_ms):
                return Verdict(False, state)
            new = lockout.after_failure(state, now_ms)
            d["entries"][fp] = [new.failed_attempts, new.locked_until_ms, now_ms]
            _evict(d["entries"], now_ms)
            self._save(d)
            return Verdict(True, new)

    def failed(self, fp: str, verdict: Verdict, now_ms: int) -> None:
        """The unwrap failed: the count stays; note the failure for the access log."""
        with exclusive(lock_path(self.store_path)):
            d, intact = self._load()
            if not intact:
                return  # the next begin() handles it
            self._pend(d, {"event": "signin.failed", "fp": fp, "at_ms": now_ms,
                           "failed": verdict.state.failed_attempts,
                           "locked_until_ms": verdict.state.locked_until_ms})
            self._save(d)

    def clear(self, fp: str) -> None:
        """A success, or an administrator releasing the lockout."""
        with exclusive(lock_path(self.store_path)):
            d, intact = self._load()
            if not intact or fp not in d["entries"]:
                return
            del d["entries"][fp]
            self._save(d)

    def is_intact(self) -> bool:
        return self._load()[1]

    def state(self, fp: str, now_ms: int) -> lockout.LockState:
        d, _ = self._load()
        return _state(d["entries"].get(fp))

    # -- pending log entries -----------------------------------------------------------
    def _pend(self, d: dict, event: dict) -> None:
        if len(d["pending"]) >= MAX_PENDING:
            d["dropped"] = int(d.get("dropped", 0)) + 1
            return
        d["pending"].append(event)

    def pending(self) -> tuple[list[dict], int]:
        d, intact = self._load()
        if not intact:
            return [], 0
        return list(d["pending"]), int(d.get("dropped", 0))

    def forget_pending(self, count: int) -> None:
        """Drop the first ``count`` pending events once they are in the access log."""
        with exclusive(lock_path(self.store_path)):
            d, intact = self._load()
            if not intact:
                return
            d["pending"] = d["pending"][count:]
            d["dropped"] = 0
            self._save(d)


def _state(entry: object) -> lockout.LockState:
    if not isinstance(entry, list) or len(entry) < 2:
        return lockout.CLEAR
    count, until = entry[0], entry[1]
    return lockout.LockState(int(count), int(until) if until is not None else None)


def _evict(entries: dict, now_ms: int) -> None:
    """Keep the record bounded: forget the oldest unlocked entries first."""
    if len(entries) <= MAX_ENTRIES:
        return
    idle = sorted(
        (k for k, v in entries.items() if k != ALL and not _state(v).is_locked(now_ms)),
        key=lambda k: entries[k][2] if len(entries[k]) > 2 else 0,
    )
    for k in idle[: len(entries) - MAX_ENTRIES]:
        del entries[k]
