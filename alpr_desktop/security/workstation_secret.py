"""The per-store workstation secret in the OS keyring (service "alpr-desktop").

Half of every account slot's key: without it a copied key file and a password open nothing.
It is never written anywhere else; with no usable keyring the store opens only with its
recovery passphrase. The raw data key, which v1 kept here, is deleted at the upgrade.
"""

from __future__ import annotations

from enum import Enum

import keyring
import keyring.errors

from alpr_desktop.security.keys import KEYRING_SERVICE
from alpr_desktop.security.keyslots import SECRET_BYTES

_ERRORS = (keyring.errors.KeyringError, RuntimeError, OSError)


class SecretState(Enum):
    FOUND = "found"
    ABSENT = "absent"  # the keyring works but holds no secret for this store
    NO_KEYRING = "no_keyring"  # locked, missing or broken


def account_name(store_id: str) -> str:
    return f"workstation-secret:{store_id}"


def get(store_id: str) -> tuple[SecretState, bytes | None]:
    try:
        value = keyring.get_password(KEYRING_SERVICE, account_name(store_id))
    except _ERRORS:
        return SecretState.NO_KEYRING, None
    if not value:
        return SecretState.ABSENT, None
    try:
        secret = bytes.fromhex(value)
    except ValueError:
        return SecretState.ABSENT, None
    if len(secret) != SECRET_BYTES:
        return SecretState.ABSENT, None
    return SecretState.FOUND, secret


def put(store_id: str, secret: bytes) -> bool:
    """Keep the secret in the keyring; False when there is no usable keyring."""
    try:
        keyring.set_password(KEYRING_SERVICE, account_name(store_id), secret.hex())
        return keyring.get_password(KEYRING_SERVICE, account_name(store_id)) == secret.hex()
    except _ERRORS:
        return False


def forget(store_id: str) -> None:
    try:
        keyring.delete_password(KEYRING_SERVICE, account_name(store_id))
    except _ERRORS:
        pass
