"""`python -m alpr_desktop` runs the same entry point as the `alpr-desktop` script, and is the
PyInstaller bundle's script (installer/alpr-desktop.spec).

``freeze_support()`` comes first: a helper process the program spawns (the log verifier's second
reader, the import reader, the demo renderers) starts, in a bundle, as this executable with
``--multiprocessing-fork``; freeze_support runs that child and exits before the command line is
parsed. The ``__main__`` guard keeps a spawned child of ``python -m alpr_desktop`` (which
imports this module under another name) from starting the program again."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from alpr_desktop.cli import main

    sys.exit(main())
