"""Batch transcripts for a class or a college, on the background job runner.

The job issues each student's transcript (reusing the current one when nothing changed) and
writes their PDFs into one zip under ``MEDIA_ROOT/transcripts/``. Issuing is idempotent, so a job
that a worker restart cut short is simply run again from the start: the students already done
get their existing transcript back, nobody gets a second one, and the zip is written afresh
(to a temporary file renamed into place at the end).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import build_viewer
from tuanxue.org.jobs.services import JobKind, Progress, job_start, register
from tuanxue.org.models import BackgroundJob, ClassGroup, College, Student
from tuanxue.transcript import selectors
from tuanxue.transcript.documents import transcript_pdf
from tuanxue.transcript.services import transcript_issue

KIND = "transcript.batch"
STAGES = {
    "issue": gettext_lazy("Issuing transcripts and writing their PDFs"),
    "pack": gettext_lazy("Packing the PDFs into one file"),
}


def _scope(job: BackgroundJob) -> tuple[str, College | ClassGroup | None]:
    if "class" in job.params:
        group = (
            ClassGroup.objects.select_related("college__school", "school")
            .filter(pk=job.params["class"], school=job.school)
            .first()
        )
        return "class", group
    college = (
        College.objects.select_related("school")
        .filter(pk=job.params.get("college"), school=job.school)
        .first()
    )
    return "college", college


def _students(kind: str, target) -> list[Student]:
    rows = Student.objects.select_related("school", "college", "major", "class_group")
    rows = rows.filter(class_group=target) if kind == "class" else rows.filter(college=target)
    return list(rows.order_by("student_no"))


def zip_path(job: BackgroundJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "transcripts" / f"batch-{job.pk}.zip"


def transcript_batch_start(*, actor, target: College | ClassGroup) -> BackgroundJob:
    """Queue a batch for a college or a class (the school League committee for any, a college
    League committee for its own college and its classes)."""
    college = target if isinstance(target, College) else target.college
    if not selectors.may_batch_college(build_viewer(actor), college):
        raise DomainError(
            _("You may not issue transcripts for %(name)s.") % {"name": target}, code="forbidden"
        )
    kind = "college" if isinstance(target, College) else "class"
    count = (
        Student.objects.filter(college=target).count()
        if kind == "college"
        else Student.objects.filter(class_group=target).count()
    )
    if count == 0:
        raise DomainError(_("%(name)s has no students.") % {"name": target})
    with transaction.atomic():
        job = job_start(
            actor=actor, school=target.school, kind=KIND, params={kind: target.pk}, total=count
        )
        audit_record(
            school=target.school,
            actor=actor,
            action="transcript.batch.started",
            target=target,
            new={"job": job.pk, "scope": kind, "students": count},
        )
    return job


def run_batch(*, job: BackgroundJob, progress: Progress) -> dict:
    """Issue and print every student's transcript; safe to run again after an interruption."""
    kind, target = _scope(job)
    if target is None:
        raise DomainError(_("The class or college of this batch no longer exists."))
    students = _students(kind, target)
    total = len(students)
    final = zip_path(job)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_suffix(f".{job.token}.part")
    issued_count = reused = 0
    progress("issue", 0, total)
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        for done, student in enumerate(students, start=1):
            issued, created = transcript_issue(actor=job.owner, student=student, check_access=False)
            issued_count += created
            reused += not created
            name = f"{student.student_no}-{student.name}-{issued.code}.pdf"
            pack.writestr(name, transcript_pdf(issued))
            progress("issue", done, total)
    progress("pack", total, total)
    os.replace(partial, final)
    # What an earlier, interrupted run of this job left behind.
    for stale in final.parent.glob(f"batch-{job.pk}.*.part"):
        stale.unlink(missing_ok=True)
    return {"students": total, "issued": issued_count, "reused": reused, "file": final.name}


def _url(job: BackgroundJob) -> str:
    return reverse("transcript:batch_detail", args=[job.school.code, job.pk])


def may_view(viewer, job: BackgroundJob) -> None:
    """The owner, the school League committee, and the college's League committee. Others:
    not found (the zip holds personal data)."""
    if job.school is None or not viewer.can_see_school(job.school):
        raise Http404
    kind, target = _scope(job)
    if target is None:
        raise Http404
    college = target if kind == "college" else target.college
    college.school = job.school
    if not selectors.may_batch_college(viewer, college):
        raise Http404


def _done_text(job: BackgroundJob) -> str:
    return _("Transcripts ready: %(count)s students (%(issued)s newly issued).") % {
        "count": job.result.get("students", 0),
        "issued": job.result.get("issued", 0),
    }


register(
    JobKind(
        name=KIND,
        label=gettext_lazy("Batch of transcripts"),
        run=run_batch,
        stages=STAGES,
        url=_url,
        may_view=may_view,
        done_text=_done_text,
    )
)
