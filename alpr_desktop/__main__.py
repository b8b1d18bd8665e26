"""`python -m alpr_desktop` runs the same entry point as the `alpr-desktop` script."""

import sys

from alpr_desktop.cli import main

sys.exit(main())
