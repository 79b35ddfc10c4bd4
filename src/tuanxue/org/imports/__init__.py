"""Registry imports: students, academic records and union memberships from .xlsx or .csv files.

``files.reading`` turns a file into a table, ``students`` / ``records`` / ``memberships`` check a table
in memory and plan the writes (``students_write`` does the roster's writes), ``jobs`` keeps each file as an ImportJob and runs the import in
one audited transaction.
"""

from tuanxue.org.imports.common import ImportRefused, Plan, RowError
from tuanxue.org.imports.jobs import (
    Outcome,
    check,
    import_file,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
)

__all__ = [
    "ImportRefused",
    "Outcome",
    "Plan",
    "RowError",
    "check",
    "import_file",
    "import_job_cancel",
    "import_job_confirm",
    "import_job_create",
]
