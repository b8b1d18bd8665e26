"""A search by vehicle description when no plate is known (issue 13).

The window and at least one other element are required, and the window is at most as wide as
the store's setting (7 days by default): a description search reaches every plate that passed,
so it is kept narrow, logged with every element, and flagged as broad in the oversight report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.search import (
    MAX_LIST_VALUES,
    MAX_PAGE_SIZE,
    Filters,
    SearchInputError,
    _clean_values,
)

DEFAULT_MAX_WINDOW_DAYS = 7
MAX_WINDOW_DAYS_LIMIT = 31  # the most an administrator may allow
MAX_WINDOW_SETTING = "views.description_max_days"
DEFAULT_LIMIT = 500


class DescriptionTooBroad(SearchInputError):
    """A description search without a window, wider than the limit or with nothing but a
    window: refused, and the refusal logged with what was asked (``refusal_reason``), like a
    plate pattern too broad to run."""

    refusal_reason = "too_broad"


@dataclass(frozen=True)
class DescriptionQuery:
    """What is known of the vehicle, where and when. Text elements match case-insensitively
    and exactly; a tuple means any of its values."""

    since: int | None  # UTC seconds, inclusive
    until: int | None
    makes: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    body_types: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    directions: tuple[str, ...] = ()
    camera_ids: tuple[int, ...] = ()
    limit: int = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        for name in ("makes", "models", "colors", "body_types", "states", "directions"):
            object.__setattr__(self, name, _clean_values(name[:-1].replace("_", " "),
                                                         tuple(getattr(self, name))))
        if len(self.camera_ids) > MAX_LIST_VALUES:
            raise SearchInputError(f"Choose at most {MAX_LIST_VALUES} cameras.")
        object.__setattr__(self, "camera_ids", tuple(sorted({int(c) for c in self.camera_ids})))
        object.__setattr__(self, "limit", max(1, min(int(self.limit), MAX_PAGE_SIZE)))

    def elements(self) -> dict[str, list[Any]]:
        """The elements besides the window that are in use."""
        out: dict[str, list[Any]] = {}
        for name in ("makes", "models", "colors", "body_types", "states", "directions",
                     "camera_ids"):
            value = getattr(self, name)
            if value:
                out[name] = list(value)
        return out

    def check(self, max_days: int) -> None:
        """Refuse a query that is not narrow enough, with a sentence saying what to change."""
        if self.since is None or self.until is None:
            raise DescriptionTooBroad("A description search needs a time window: choose when "
                                   "the vehicle passed.")
        if self.since > self.until:
            raise SearchInputError("The time window ends before it starts.")
        if self.until - self.since > max_days * 86_400:
            raise DescriptionTooBroad(
                f"The time window is at most {max_days} day{'s' if max_days != 1 else ''} "
                "wide for a description search; narrow it.")
        if not self.elements():
            raise DescriptionTooBroad("Give at least one element besides the window: make, "
                                   "model, color, body type, state, direction or camera.")

    def filters(self) -> Filters:
        """The plate search's filters for the elements they share (direction is extra)."""
        return Filters(since=self.since, until=self.until, camera_ids=self.camera_ids,
                       states=self.states, makes=self.makes, models=self.models,
                       colors=self.colors, body_types=self.body_types)

    def as_log_dict(self) -> dict[str, Any]:
        """Every element, for the access log (policy §5 (3): the data elements used)."""
        return {"mode": "description", "time_window": {"from": self.since, "to": self.until},
                **self.elements(), "limit": self.limit}

    def words(self, camera_names: dict[int, str] | None = None) -> str:
        """The query in words, for the case file and "My searches"."""
        parts = []
        for label, name in (("make", "makes"), ("model", "models"), ("color", "colors"),
                            ("body type", "body_types"), ("state", "states"),
                            ("direction", "directions")):
            values = getattr(self, name)
            if values:
                parts.append(f"{label} {' or '.join(values)}")
        if self.camera_ids:
            names = [(camera_names or {}).get(c, f"camera {c}") for c in self.camera_ids]
            parts.append("at " + ", ".join(names))
        when = ""
        if self.since is not None and self.until is not None:
            when = (f" from {format_local(self.since * 1000)} to "
                    f"{format_local(self.until * 1000)}")
        return "Vehicle description: " + "; ".join(parts or ["(none)"]) + when

    @classmethod
    def from_log(cls, q: dict[str, Any]) -> DescriptionQuery:
        """The query back from its log entry (re-running one of "My searches")."""
        w = q.get("time_window") or {}

        def texts(name: str) -> tuple[str, ...]:
            v = q.get(name)
            return tuple(str(x) for x in v) if isinstance(v, list) else ()

        cams = q.get("camera_ids")
        return cls(
            since=_opt_int(w.get("from")), until=_opt_int(w.get("to")),
            makes=texts("makes"), models=texts("models"), colors=texts("colors"),
            body_types=texts("body_types"), states=texts("states"),
            directions=texts("directions"),
            camera_ids=tuple(int(c) for c in cams if isinstance(c, int))
            if isinstance(cams, list) else (),
            limit=_opt_int(q.get("limit")) or DEFAULT_LIMIT,
        )


def _opt_int(v: object) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


@dataclass(frozen=True)
class DescriptionResult:
    rows: tuple[Any, ...]  # SearchRow, newest first
    truncated: bool
    log_seq: int
    plates_found: int
