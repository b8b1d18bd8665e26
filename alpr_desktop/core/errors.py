"""Errors shared by every layer."""


class Cancelled(Exception):
    """Long work stopped at the user's request; nothing partial was kept."""
