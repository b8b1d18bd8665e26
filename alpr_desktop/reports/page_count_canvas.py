"""A reportlab canvas that holds every page until ``save``, so a footer can say "Page X of Y"
(the case file, the evidence package): reportlab knows the page count only at the end."""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas


class PageCountCanvas(Canvas):
    """Subclasses draw their footer or watermark in ``decorate(total)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.decorate(total)
            super().showPage()
        super().save()

    def decorate(self, total: int) -> None:
        """Draw on the current page, knowing there are ``total`` pages."""
