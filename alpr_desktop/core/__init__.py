"""Domain rules in pure Python: no Qt, no SQL."""
