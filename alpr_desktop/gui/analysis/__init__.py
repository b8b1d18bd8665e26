"""The investigative analyses of issue 19 (their windows; the Analysis menu wires them)."""
