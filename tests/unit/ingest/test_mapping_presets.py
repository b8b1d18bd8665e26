"""Named mappings saved in the store: save, list, load, replace, delete; built-ins protected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_delimited_reader import EXPORT_MAPPING

from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.presets import BUILTIN, PresetError, PresetStore
from alpr_desktop.storage import Store, open_store


def test_save_list_load_round_trip(store: Store) -> None:
    presets = PresetStore(store)
    assert presets.names() == sorted(BUILTIN)
    presets.save(EXPORT_MAPPING)
    assert presets.names() == sorted([*BUILTIN, "acme"])
    assert presets.get("acme") == EXPORT_MAPPING


def test_presets_live_in_the_encrypted_store(tmp_path: Path) -> None:
    from alpr_desktop.storage import create_store

    key = os.urandom(32)
    s = create_store(tmp_path / "p.alprdb", key)
    PresetStore(s).save(Mapping(**{**EXPORT_MAPPING.__dict__, "name": "kept"}))
    s.close()
    with open_store(tmp_path / "p.alprdb", key) as again:
        assert PresetStore(again).get("kept").columns == EXPORT_MAPPING.columns
    assert b"Read Date" not in (tmp_path / "p.alprdb").read_bytes()  # encrypted at rest


def test_saving_again_replaces(store: Store) -> None:
    presets = PresetStore(store)
    presets.save(EXPORT_MAPPING)
    presets.save(Mapping(**{**EXPORT_MAPPING.__dict__, "timezone": "UTC"}))
    assert presets.get("acme").timezone == "UTC"


def test_delete(store: Store) -> None:
    presets = PresetStore(store)
    presets.save(EXPORT_MAPPING)
    assert presets.delete("acme") is True
    assert presets.delete("acme") is False
    with pytest.raises(PresetError, match="no saved mapping"):
        presets.get("acme")


@pytest.mark.parametrize("name", ["", " ", "../x", "a" * 65, "semi;colon"])
def test_bad_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(PresetError, match="name"):
        PresetStore(store).save(Mapping(**{**EXPORT_MAPPING.__dict__, "name": name}))


def test_builtins_cannot_be_replaced_or_deleted(store: Store) -> None:
    presets = PresetStore(store)
    with pytest.raises(PresetError, match="built in"):
        presets.save(Mapping(**{**EXPORT_MAPPING.__dict__, "name": "generic"}))
    with pytest.raises(PresetError, match="built in"):
        presets.delete("generic")
    assert presets.get("generic").columns["plate"] == "plate"


def test_unusable_mapping_is_not_saved(store: Store) -> None:
    with pytest.raises(PresetError, match="date and time"):
        PresetStore(store).save(Mapping(name="half", columns={"plate": "P", "camera": "C"}))
    assert "half" not in PresetStore(store).names()


def test_damaged_saved_mapping_is_reported(store: Store) -> None:
    store.set_setting("import.mapping.broken", "{not json")
    with pytest.raises(PresetError, match="damaged"):
        PresetStore(store).get("broken")
