"""A LIMIT written into the SQL text rather than bound as a parameter (issue 20).

Since 3.47 SQLite reads a bound LIMIT's value while planning, and so marks the statement to be
prepared again whenever that parameter is bound: with ``LIMIT ?`` every execution re-prepares
the statement, about 20 µs for a search page's query (a tenth of an exact search's SQL time).
Written as a literal, the statement stays prepared in the connection's cache, and the planner
sees the same value it saw before. Only for the statements searches run on every page; the
value is always an int from the program, never text from a user.
"""

from __future__ import annotations


def limit(n: int) -> str:
    """``LIMIT n`` for an SQL statement; ``n`` is coerced to int, so nothing else gets in."""
    return f"LIMIT {int(n)}"
