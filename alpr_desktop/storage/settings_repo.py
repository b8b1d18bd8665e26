"""Settings of one store (the settings table): plain values, the security settings, the key
slot tags and the name-fingerprint key, behind one repository of the unit of work."""

from __future__ import annotations

from alpr_desktop.core.purposes import CaseFormat
from alpr_desktop.storage import fingerprint_key, key_slot_tags, security_settings
from alpr_desktop.storage.db import Store


class SettingsRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.store.get_setting(key, default)

    def put(self, key: str, value: str) -> None:
        self.store.set_setting(key, value)

    def idle_lock_minutes(self) -> int:
        return security_settings.idle_lock_minutes(self.store)

    def set_idle_lock_minutes(self, minutes: int) -> None:
        security_settings.set_idle_lock_minutes(self.store, minutes)

    def case_formats(self) -> tuple[CaseFormat, ...]:
        return security_settings.case_formats(self.store)

    def set_case_formats(self, formats: tuple[CaseFormat, ...]) -> None:
        security_settings.set_case_formats(self.store, formats)

    def key_slot_tag(self, user_id: int) -> str | None:
        return key_slot_tags.get(self.store, user_id)

    def set_key_slot_tag(self, user_id: int, tag: str) -> None:
        key_slot_tags.put(self.store, user_id, tag)

    def delete_key_slot_tag(self, user_id: int) -> None:
        key_slot_tags.delete(self.store, user_id)

    def delete_all_key_slot_tags(self) -> int:
        return key_slot_tags.delete_all(self.store)

    def key_slot_user_ids(self) -> set[int]:
        return key_slot_tags.user_ids(self.store)

    def name_fingerprint_key(self) -> bytes:
        return fingerprint_key.name_fingerprint_key(self.store)
