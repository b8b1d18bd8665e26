"""Storage for the oversight checks (issue 21): the custodian's reviews of findings, the
checks' settings, the two look-ups the checks need from the reads (plate names by id for a
search's entry, and the words that describe each plate's vehicle), and the kept verdicts of the
purpose rules on logged purposes (migration 0021)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from alpr_desktop.core.oversight import Review
from alpr_desktop.core.oversight_config import OversightConfig
from alpr_desktop.storage.db import Store

if TYPE_CHECKING:
    from alpr_desktop.storage.protocols import UnitOfWork

OVERSIGHT_SETTINGS = "oversight.config"
_CHUNK = 500


def oversight_config(uow: UnitOfWork) -> OversightConfig:
    """The stored settings, or the defaults."""
    return OversightConfig.from_json(uow.settings.get(OVERSIGHT_SETTINGS))


def set_oversight_config(uow: UnitOfWork, config: OversightConfig) -> None:
    uow.settings.put(OVERSIGHT_SETTINGS, config.to_json())


class ReviewRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, review: Review) -> None:
        self.store.execute(
            "INSERT INTO oversight_reviews(finding_key, reviewed_by, reviewed_ms, note, "
            "through_seq) VALUES (?, ?, ?, ?, ?)",
            (review.key, review.reviewed_by, review.reviewed_ms, review.note,
             review.through_seq),
        )

    def latest(self) -> dict[str, Review]:
        """The newest review of each finding."""
        rows = self.store.query(
            "SELECT finding_key, reviewed_by, reviewed_ms, note, through_seq "
            "FROM oversight_reviews ORDER BY id"
        )
        return {r[0]: Review(*r) for r in rows}


def _chunks(values: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


class OversightQueries:
    def __init__(self, store: Store) -> None:
        self.store = store

    def plate_names(self, plate_ids: Collection[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for part in _chunks(sorted(plate_ids)):
            marks = ",".join("?" * len(part))
            for pid, plate in self.store.query(
                f"SELECT id, plate_norm FROM plates WHERE id IN ({marks})", tuple(part)
            ):
                out[int(pid)] = str(plate)
        return out

    def vehicle_words(self, plates: Collection[str]) -> dict[str, frozenset[str]]:
        """Upper-case words of the make and model the reads of each plate record."""
        found: dict[str, set[str]] = {}
        for part in _chunks(sorted(plates)):
            marks = ",".join("?" * len(part))
            rows = self.store.query(
                "SELECT p.plate_norm, r.make, r.model FROM plates p "
                "JOIN reads r ON r.plate_id = p.id "
                f"WHERE p.plate_norm IN ({marks}) GROUP BY p.plate_norm, r.make, r.model",
                tuple(part),
            )
            for plate, make, model in rows:
                words = found.setdefault(str(plate), set())
                for text in (make, model):
                    words.update(w for w in str(text or "").upper().split() if len(w) > 1)
        return {k: frozenset(v) for k, v in found.items()}

    def purpose_verdicts(self, rules: str) -> dict[str, tuple[str, ...]]:
        """The kept verdicts of the rules named ``rules``, by logged purpose text."""
        rows = self.store.query(
            "SELECT purpose, problems FROM purpose_verdicts WHERE rules = ?", (rules,)
        )
        out: dict[str, tuple[str, ...]] = {}
        for purpose, problems in rows:
            found = json.loads(problems)
            if isinstance(found, list) and all(isinstance(x, str) for x in found):
                out[str(purpose)] = tuple(found)
        return out

    def keep_purpose_verdicts(self, rules: str,
                              verdicts: Mapping[str, tuple[str, ...]]) -> None:
        """Keep ``verdicts`` under ``rules`` and drop those of any other rules (stale)."""
        self.store.execute("DELETE FROM purpose_verdicts WHERE rules != ?", (rules,))
        self.store.conn.executemany(
            "INSERT OR REPLACE INTO purpose_verdicts(rules, purpose, problems) VALUES (?, ?, ?)",
            [(rules, purpose, json.dumps(list(problems), ensure_ascii=False))
             for purpose, problems in verdicts.items()],
        )

    def has_stale_verdicts(self, rules: str) -> bool:
        """Whether verdicts of rules other than ``rules`` are kept (to be dropped)."""
        return self.store.query_one(
            "SELECT 1 FROM purpose_verdicts WHERE rules != ? LIMIT 1", (rules,)) is not None
