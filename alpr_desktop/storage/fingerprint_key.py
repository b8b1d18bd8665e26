"""The store's secret for keyed fingerprints of unknown usernames (services/name_fingerprint).

A random 256-bit key kept in the encrypted store's settings: not the data key, never logged or
shown. It is created on first use; ``INSERT … DO NOTHING`` lets two workstations race to
create it and both end up with the one that was stored first."""

from __future__ import annotations

import secrets

from alpr_desktop.storage.db import Store

SETTING = "security.name_fingerprint_key"


def name_fingerprint_key(store: Store) -> bytes:
    value = store.get_setting(SETTING)
    if not value:
        with store.transaction() as c:
            c.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                (SETTING, secrets.token_hex(32)),
            )
        value = store.get_setting(SETTING)
    assert value
    return bytes.fromhex(value)
