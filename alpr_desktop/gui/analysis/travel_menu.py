"""The Analysis menu's openers for co-travel, locate and the cloned-plate check: each opens on
the Investigation screen's selected plate (or its current results), its results going to that
screen's viewer, map and case file, its window kept with the investigator's views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from alpr_desktop.gui.analysis.cloned import open_cloned
from alpr_desktop.gui.analysis.cotravel import open_cotravel
from alpr_desktop.gui.analysis.cotravel_links import AnalysisLinks
from alpr_desktop.gui.analysis.host import AnalysisHost
from alpr_desktop.gui.analysis.locate import open_locate


def _opened(host: AnalysisHost, make: Callable[[Any, AnalysisLinks], QWidget]) -> QWidget | None:
    if host.need_purpose():
        return None
    views = getattr(host.view, "investigator_views")  # noqa: B009 (installed before the menu)
    links = AnalysisLinks(lambda rid, rows: host.open_viewer(rid, list(rows)),
                          views._open_map,
                          lambda rows, words: views._case_file(rows, "results", words))
    w = make(views, links)
    views._keep(w)
    return w


def _plate(host: AnalysisHost) -> str:
    row = host.view.selected_row()  # type: ignore[attr-defined]
    return row.read.plate_norm if row is not None else ""


def open_cotravel_for(host: AnalysisHost) -> QWidget | None:
    return _opened(host, lambda views, links: open_cotravel(
        host.view, host.controller, links, _plate(host)))


def open_locate_for(host: AnalysisHost) -> QWidget | None:
    return _opened(host, lambda views, links: open_locate(
        host.view, host.controller, links, _plate(host)))


def open_cloned_for(host: AnalysisHost) -> QWidget | None:
    return _opened(host, lambda views, links: open_cloned(
        host.view, host.controller, links,
        [r.read.id for r in host.view.model.rows]))  # type: ignore[attr-defined]
