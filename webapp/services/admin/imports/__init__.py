"""Importing the grid tree and people from Excel/CSV: read, check (preview), then import all
rows, or the good rows only with the bad ones kept for download. `reader` reads files,
`tree`/`people` plan and apply each kind, `service` holds the preview/confirm flow, `jobs` the
job process's share, `report` the template, the error report and the refused rows."""
from .columns import KIND_LABELS, KINDS
from .reader import BadFile
from .report import error_report, safe_text, template
from .refused import rejects, rejects_kept
from .service import (Limits, RowsInvalid, check, confirm, get_job, import_now, may_import,
                      preview, recent, retry, scope_choices, scope_for)

__all__ = ["KIND_LABELS", "KINDS", "BadFile", "error_report", "safe_text", "template", "Limits",
           "RowsInvalid", "check", "confirm", "get_job", "import_now", "may_import", "preview",
           "recent", "rejects", "rejects_kept", "retry", "scope_choices", "scope_for"]
