"""Use cases: the only API that gui/ and cli.py call (DESIGN rule 2 and 3)."""
