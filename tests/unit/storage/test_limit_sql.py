"""storage/limit_sql.py: the LIMIT a search writes into its SQL is an int and nothing else."""

from __future__ import annotations

import pytest

from alpr_desktop.storage.limit_sql import limit


def test_an_int_is_written_as_its_digits() -> None:
    assert limit(101) == "LIMIT 101"
    assert limit(True) == "LIMIT 1"


def test_text_never_reaches_the_sql() -> None:
    with pytest.raises(ValueError):
        limit("1; DELETE FROM reads")  # type: ignore[arg-type]
