"""The image-service tests reuse the access tests' world (accounts, purpose, fixed clock)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "access"))

from access_helpers import clock, fast_kdf, store, store_key, store_path, world

__all__ = ["clock", "fast_kdf", "store", "store_key", "store_path", "world"]
