"""`alpr-desktop`: the GUI by default, and every headless subcommand (demo, import, report,
verify-log), each in its own module here, all signing in through one path (cli/signin.py).
The CLI calls services only, like the GUI."""

from alpr_desktop.cli.program import build_parser, main

__all__ = ["build_parser", "main"]
