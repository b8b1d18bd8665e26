"""The unit of work services take (re-exported from storage/protocols.py)."""

from alpr_desktop.storage.protocols import UnitOfWork

__all__ = ["UnitOfWork"]
