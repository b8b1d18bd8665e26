"""One declaration of the read fields (core/read_fields.DESCRIPTION): the dataclasses that
carry a read through the program, the insert protocol and the storage row mapping agree with
it, so a field added in one place and forgotten in another fails here."""

from __future__ import annotations

import dataclasses

import pytest

from alpr_desktop.core.models import NewRead, Read
from alpr_desktop.core.read_fields import DESCRIPTION, ReadFields
from alpr_desktop.ingest.records import ValidRecord
from alpr_desktop.storage.read_rows import READ_COLUMNS


@pytest.mark.parametrize("cls", [NewRead, Read, ValidRecord])
def test_each_read_dataclass_carries_the_declared_description(cls: type) -> None:
    declared = {f.name: f.type for f in dataclasses.fields(cls)}
    assert {n: declared.get(n) for n in DESCRIPTION} == DESCRIPTION
    order = [n for n in declared if n in DESCRIPTION]
    assert order == list(DESCRIPTION)  # the same order everywhere


def test_the_insert_protocol_asks_for_the_declared_description() -> None:
    def returns(name: str) -> object:
        member = getattr(ReadFields, name, None)
        return member.fget.__annotations__["return"] if isinstance(member, property) else None

    assert {n: returns(n) for n in DESCRIPTION} == DESCRIPTION


def test_storage_selects_every_field_of_read() -> None:
    selected = [c.strip().split(".")[-1] for c in READ_COLUMNS.split(",")]
    renamed = {"name": "camera_name"}
    assert [renamed.get(c, c) for c in selected] == [f.name for f in dataclasses.fields(Read)]
