"""Import jobs: check a file, keep it as an ImportJob, and import it in one transaction.

Two ways in:

- ``import_file`` (the command): check and, when the file is good, import at once.
- ``import_job_create`` then ``import_job_confirm`` / ``import_job_cancel`` (the upload page):
  the file is checked and kept for a preview; it is imported only when the uploader confirms.

A file with any bad row is refused whole and nothing but the refused job is written. A good file
is imported in one transaction together with one audit event on the job.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.imports import memberships, records, staff, students
from tuanxue.org.imports.common import ImportRefused, Plan, Progress, RowError, sort_errors
from tuanxue.org.imports.files.reading import read_table
from tuanxue.org.imports.files.source import Source, as_file, sha256_of
from tuanxue.org.jobs.services import job_start
from tuanxue.org.models import BackgroundJob, ImportJob, ImportKind, ImportStatus

# The background job kinds (registered in ``tuanxue.org.imports.tasks``).
CHECK_JOB = "import.check"
WRITE_JOB = "import.write"

CHECKERS = {
    ImportKind.STUDENTS: students.check,
    ImportKind.RECORDS: records.check,
    ImportKind.MEMBERSHIPS: memberships.check,
    ImportKind.STAFF: staff.check,
}
# The columns each kind reads; others are dropped while reading. A kind not listed keeps all.
COLUMNS = {
    ImportKind.STUDENTS: (*students.REQUIRED, *students.OPTIONAL),
    ImportKind.RECORDS: records.REQUIRED,
    ImportKind.MEMBERSHIPS: (*memberships.REQUIRED, *memberships.OPTIONAL),
}


@dataclass
class Outcome:
    """What ``import_file`` did. ``job`` is None for a dry run."""

    plan: Plan
    job: ImportJob | None = None

    @property
    def ok(self) -> bool:
        return self.plan.ok


def check(
    *, school: School, kind: str, filename: str, content: Source, progress: Progress | None = None
) -> Plan:
    """Read and check a file without writing anything."""
    if kind not in CHECKERS:
        raise DomainError(_("Unknown import kind %(kind)s.") % {"kind": kind}, field="kind")
    try:
        table = read_table(filename, content, progress, COLUMNS.get(kind))
    except ImportRefused as refused:
        return Plan(kind=kind, rows=0, errors=refused.errors)
    plan = CHECKERS[kind](school, table, progress)
    plan.errors = sort_errors(plan.errors)
    return plan


def _summary(plan: Plan) -> dict:
    return {"counts": plan.counts, "columns": plan.columns, "preview": plan.preview}


def _new_job(
    *, actor, school: School, kind: str, filename: str, content: Source, plan: Plan, status: str
) -> ImportJob:
    job = ImportJob(
        school=school,
        kind=kind,
        filename=filename[:200],
        sha256=sha256_of(content),
        status=status,
        rows=plan.rows,
        errors=[e.as_dict() for e in plan.errors],
        summary=_summary(plan),
        created_by=actor if actor is not None and actor.pk else None,
    )
    if status in (ImportStatus.REFUSED, ImportStatus.DONE):
        job.finished_at = timezone.now()
    with as_file(content) as kept:
        job.file.save(filename, kept, save=False)
    job.save()
    return job


def _write(*, actor, job: ImportJob, plan: Plan, progress: Progress | None) -> None:
    """Inside the caller's transaction: the writes, the job's summary and the audit event."""
    counts = plan.write(actor=actor, progress=progress)
    job.summary = {**_summary(plan), "counts": counts}
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["summary", "status", "finished_at"])
    changed = {}
    if plan.changes:
        changed["changed"] = {
            key: {column: values[1] for column, values in columns.items()}
            for key, columns in plan.changes.items()
        }
    audit_record(
        school=job.school,
        actor=actor,
        action=f"org.import.{job.kind}",
        target=job,
        old={
            "changed": {
                key: {column: values[0] for column, values in columns.items()}
                for key, columns in plan.changes.items()
            }
        }
        if plan.changes
        else None,
        new={
            **counts,
            **plan.details,
            **changed,
            "rows": job.rows,
            "file": job.filename,
            "sha256": job.sha256,
        },
    )


def import_file(
    *,
    actor,
    school: School,
    kind: str,
    filename: str,
    content: Source,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Check a file and, when every row is good, import it in one transaction.

    A refused file is recorded as a refused job; a dry run writes nothing at all.
    """
    try:
        table = read_table(filename, content, progress, COLUMNS.get(kind))
    except ImportRefused as refused:
        plan = Plan(kind=kind, rows=0, errors=refused.errors)
        if dry_run:
            return Outcome(plan)
        return Outcome(plan, _refused_job(actor, school, kind, filename, content, plan))
    if kind not in CHECKERS:
        raise DomainError(_("Unknown import kind %(kind)s.") % {"kind": kind}, field="kind")
    if dry_run:
        plan = CHECKERS[kind](school, table, progress)
        plan.errors = sort_errors(plan.errors)
        return Outcome(plan)
    try:
        with transaction.atomic():
            # Checked inside the transaction so nothing changes between the check and the writes.
            plan = CHECKERS[kind](school, table, progress)
            plan.errors = sort_errors(plan.errors)
            if not plan.ok:
                raise ImportRefused(plan.errors)
            job = _new_job(
                actor=actor,
                school=school,
                kind=kind,
                filename=filename,
                content=content,
                plan=plan,
                status=ImportStatus.PREVIEWED,
            )
            _write(actor=actor, job=job, plan=plan, progress=progress)
    except ImportRefused:
        return Outcome(plan, _refused_job(actor, school, kind, filename, content, plan))
    return Outcome(plan, job)


def _refused_job(actor, school, kind, filename, content, plan) -> ImportJob:
    with transaction.atomic():
        return _new_job(
            actor=actor,
            school=school,
            kind=kind,
            filename=filename,
            content=content,
            plan=plan,
            status=ImportStatus.REFUSED,
        )


def refuse_unread(
    *, actor, school: School, kind: str, filename: str, errors: list[RowError]
) -> ImportJob:
    """Record a file refused by its name or size alone; its content is not kept."""
    with transaction.atomic():
        return ImportJob.objects.create(
            school=school,
            kind=kind,
            filename=filename[:200],
            sha256="",
            status=ImportStatus.REFUSED,
            errors=[e.as_dict() for e in errors],
            summary={},
            created_by=actor if actor is not None and actor.pk else None,
            finished_at=timezone.now(),
        )


def import_job_create(
    *, actor, school: School, kind: str, filename: str, content: Source
) -> ImportJob:
    """Check an uploaded file and keep it: previewed when good, refused (with every error) if not."""
    plan = check(school=school, kind=kind, filename=filename, content=content)
    status = ImportStatus.PREVIEWED if plan.ok else ImportStatus.REFUSED
    with transaction.atomic():
        return _new_job(
            actor=actor,
            school=school,
            kind=kind,
            filename=filename,
            content=content,
            plan=plan,
            status=status,
        )


def _job_content(job: ImportJob) -> Source:
    """The kept file: its path when the storage has one (read from there, not held), else its
    bytes."""
    try:
        return job.file.path
    except NotImplementedError:
        with job.file.open("rb") as handle:
            return handle.read()


def import_job_confirm(*, actor, job: ImportJob, progress: Progress | None = None) -> ImportJob:
    """Import a previewed job. A second confirmation (double submit) is refused, not repeated.

    The file is checked again inside the transaction: the registry may have changed since the
    preview. If it no longer passes, the job becomes refused with the new errors.
    """
    if job.status != ImportStatus.PREVIEWED:
        raise DomainError(_("This import has already been confirmed or cancelled."))
    return _confirm(actor=actor, job=job, from_status=ImportStatus.PREVIEWED, progress=progress)


def _confirm(*, actor, job: ImportJob, from_status: str, progress: Progress | None) -> ImportJob:
    content = _job_content(job)
    try:
        with transaction.atomic():
            # The conditional update takes the row lock: a concurrent confirm waits here, then
            # finds the status changed and stops.
            claimed = ImportJob.objects.filter(pk=job.pk, status=from_status).update(
                status=ImportStatus.DONE
            )
            if claimed != 1:
                raise DomainError(_("This import has already been confirmed or cancelled."))
            job.refresh_from_db()
            plan = check(
                school=job.school,
                kind=job.kind,
                filename=job.filename,
                content=content,
                progress=progress,
            )
            if not plan.ok:
                raise ImportRefused(plan.errors)
            _write(actor=actor, job=job, plan=plan, progress=progress)
    except ImportRefused as refused:
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk, status=from_status).update(
                status=ImportStatus.REFUSED,
                errors=[e.as_dict() for e in refused.errors],
                finished_at=timezone.now(),
            )
        job.refresh_from_db()
        return job
    return job


# -- large files: checked and imported by the background worker ------------------------------


def in_background_to_check(size: int) -> bool:
    return size > settings.IMPORT_SYNC_MAX_BYTES


def in_background_to_import(job: ImportJob) -> bool:
    return job.rows > settings.IMPORT_SYNC_MAX_ROWS


def import_job_queue(
    *, actor, school: School, kind: str, filename: str, content: Source
) -> ImportJob:
    """Keep an uploaded file and have the background worker check it."""
    if kind not in CHECKERS:
        raise DomainError(_("Unknown import kind %(kind)s.") % {"kind": kind}, field="kind")
    with transaction.atomic():
        job = _new_job(
            actor=actor,
            school=school,
            kind=kind,
            filename=filename,
            content=content,
            plan=Plan(kind=kind, rows=0),
            status=ImportStatus.CHECKING,
        )
        job.background = job_start(
            actor=actor, school=school, kind=CHECK_JOB, params={"import": job.pk}
        )
        job.save(update_fields=["background"])
    return job


def import_job_confirm_later(*, actor, job: ImportJob) -> ImportJob:
    """Confirm a previewed job and leave the import to the background worker."""
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED).update(
            status=ImportStatus.IMPORTING
        )
        if claimed != 1:
            raise DomainError(_("This import has already been confirmed or cancelled."))
        job.refresh_from_db()
        job.background = job_start(
            actor=actor,
            school=job.school,
            kind=WRITE_JOB,
            params={"import": job.pk},
            total=job.rows,
        )
        job.save(update_fields=["background"])
    return job


def run_check_job(*, job: BackgroundJob, progress: Progress) -> dict:
    """The background check of a kept file. Running it again after a crash is harmless."""
    imported = ImportJob.objects.select_related("school").get(pk=job.params["import"])
    if imported.status != ImportStatus.CHECKING:
        return {"status": imported.status}
    plan = check(
        school=imported.school,
        kind=imported.kind,
        filename=imported.filename,
        content=_job_content(imported),
        progress=progress,
    )
    status = ImportStatus.PREVIEWED if plan.ok else ImportStatus.REFUSED
    with transaction.atomic():
        ImportJob.objects.filter(pk=imported.pk, status=ImportStatus.CHECKING).update(
            status=status,
            rows=plan.rows,
            errors=[e.as_dict() for e in plan.errors],
            summary=_summary(plan),
            finished_at=timezone.now() if status == ImportStatus.REFUSED else None,
        )
    return {"status": status, "rows": plan.rows, "problems": len(plan.errors)}


def run_write_job(*, job: BackgroundJob, progress: Progress) -> dict:
    """The background import of a confirmed file, in one transaction.

    A worker that dies mid-way rolls the transaction back and leaves the import ``importing``,
    so running the job again redoes it; once it is done, running again finds nothing to do.
    """
    imported = ImportJob.objects.select_related("school").get(pk=job.params["import"])
    if imported.status != ImportStatus.IMPORTING:
        return {"status": imported.status}
    try:
        imported = _confirm(
            actor=job.owner, job=imported, from_status=ImportStatus.IMPORTING, progress=progress
        )
    except DomainError:
        imported.refresh_from_db()
    return {"status": imported.status, "rows": imported.rows}


def import_job_cancel(*, actor, job: ImportJob) -> ImportJob:
    with transaction.atomic():
        cancelled = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED).update(
            status=ImportStatus.CANCELLED, finished_at=timezone.now()
        )
        if cancelled != 1:
            raise DomainError(_("This import has already been confirmed or cancelled."))
        job.refresh_from_db()
        audit_record(
            school=job.school,
            actor=actor,
            action="org.import.cancelled",
            target=job,
            old={"status": ImportStatus.PREVIEWED},
            new={"status": ImportStatus.CANCELLED},
        )
    return job


def errors_of(job: ImportJob) -> list[RowError]:
    return [RowError(e.get("row"), e.get("message", "")) for e in job.errors]
