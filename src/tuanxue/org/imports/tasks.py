"""The imports' background job kinds: checking a large file, and importing it once confirmed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.imports.jobs import CHECK_JOB, WRITE_JOB, run_check_job, run_write_job
from tuanxue.org.jobs.services import JobKind, register
from tuanxue.org.models import BackgroundJob, ImportJob

STAGES = {
    "read": gettext_lazy("Reading the file"),
    "validate": gettext_lazy("Checking every row"),
    "write": gettext_lazy("Writing to the registry"),
}


def _import_url(job: BackgroundJob) -> str:
    return reverse(
        "org:import_detail", kwargs={"school": job.school.code, "job_id": job.params["import"]}
    )


def _may_view(viewer, job: BackgroundJob) -> None:
    get_school_for_viewer(job.school.code, viewer, write=True)


def _checked_text(job: BackgroundJob) -> str:
    imported = ImportJob.objects.filter(pk=job.params["import"]).first()
    name = imported.filename if imported else ""
    if job.result.get("status") == "previewed":
        return _("%(file)s has been checked: every row passed. Confirm it to import.") % {
            "file": name
        }
    return _("%(file)s has been checked and refused: %(count)s problem(s).") % {
        "file": name,
        "count": job.result.get("problems", 0),
    }


def _imported_text(job: BackgroundJob) -> str:
    imported = ImportJob.objects.filter(pk=job.params["import"]).first()
    name = imported.filename if imported else ""
    if job.result.get("status") == "done":
        return _("Imported %(rows)s rows from %(file)s.") % {
            "rows": job.result.get("rows", 0),
            "file": name,
        }
    return _("%(file)s was not imported: the registry changed since the check.") % {"file": name}


register(
    JobKind(
        name=CHECK_JOB,
        label=gettext_lazy("Checking an import file"),
        run=run_check_job,
        stages=STAGES,
        url=_import_url,
        may_view=_may_view,
        done_text=_checked_text,
    )
)
register(
    JobKind(
        name=WRITE_JOB,
        label=gettext_lazy("Importing a file"),
        run=run_write_job,
        stages=STAGES,
        url=_import_url,
        may_view=_may_view,
        done_text=_imported_text,
    )
)
