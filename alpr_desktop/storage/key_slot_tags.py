"""Which key slot each account may open the store with: the slot's tag per user id, kept in
the settings table. A slot found in the key file but not named here (a key file restored from
an old copy, a slot of a disabled account) does not sign anyone in."""

from __future__ import annotations

from alpr_desktop.storage.db import Store

_PREFIX = "keyslot.tag:"


def get(store: Store, user_id: int) -> str | None:
    return store.get_setting(f"{_PREFIX}{user_id}")


def put(store: Store, user_id: int, tag: str) -> None:
    store.set_setting(f"{_PREFIX}{user_id}", tag)


def delete(store: Store, user_id: int) -> None:
    with store.transaction() as c:
        c.execute("DELETE FROM settings WHERE key = ?", (f"{_PREFIX}{user_id}",))


def delete_all(store: Store) -> int:
    with store.transaction() as c:
        cur = c.execute("DELETE FROM settings WHERE substr(key, 1, ?) = ?",
                        (len(_PREFIX), _PREFIX))
        return int(cur.rowcount or 0)


def user_ids(store: Store) -> set[int]:
    rows = store.query(
        "SELECT substr(key, ?) FROM settings WHERE substr(key, 1, ?) = ?",
        (len(_PREFIX) + 1, len(_PREFIX), _PREFIX),
    )
    return {int(r[0]) for r in rows if str(r[0]).isdigit()}
