"""The import wizard, one module per page (files, mapping, run, summary) and the wizard that
runs them; column guessing lives in ingest/column_guess.py."""

from alpr_desktop.gui.dialogs.import_wizard.common import (
    DATETIME_FORMATS,
    PAGE_FILES,
    PAGE_MAPPING,
    PAGE_RUN,
    PAGE_SUMMARY,
    TIME_ZONES,
    count_lines,
    fitted_size,
    import_service,
    new_mapping,
)
from alpr_desktop.gui.dialogs.import_wizard.wizard import ImportWizard, RunState
from alpr_desktop.services.import_files import guess_columns

__all__ = [
    "DATETIME_FORMATS", "PAGE_FILES", "PAGE_MAPPING", "PAGE_RUN", "PAGE_SUMMARY", "TIME_ZONES",
    "ImportWizard", "RunState", "count_lines", "fitted_size", "guess_columns",
    "import_service", "new_mapping",
]
