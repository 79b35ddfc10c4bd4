"""Submitting the self-assessment to the federation, the federation's review (复评), and the
recorded standing of every school."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tuanxue.charter.assessment import assess
from tuanxue.charter.documents import build as documents
from tuanxue.charter.verdicts import Report
from tuanxue.core.audit import actor_label, audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.federation import province
from tuanxue.federation.models import ReviewState, Standing, Submission
from tuanxue.org.access import Viewer, build_viewer
from tuanxue.org.models import Role

REASON_MAX = 2000


def may_submit(viewer: Viewer, school: School) -> bool:
    """The school's own League committee submits its self-assessment."""
    return any(g.school_id == school.pk for g in viewer.grants_for(Role.SCHOOL_LEAGUE))


def may_review(viewer: Viewer) -> bool:
    return viewer.is_federation


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def submission_create(*, actor, school: School, day: dt.date) -> Submission:
    """Freeze the self-assessment of ``school`` on ``day`` (the report, its Word and PDF
    documents and their hashes) and hand it to the federation."""
    if actor is None or not may_submit(build_viewer(actor), school):
        raise DomainError(
            _("Only the school's League committee may submit its self-assessment."),
            code="forbidden",
        )
    if day > timezone.localdate():
        raise DomainError(_("The date assessed cannot be in the future."), field="assessed_on")
    with translation.override("zh-hans"):
        report: Report = assess(school, day)
        docx = documents.docx_bytes(report)
        pdf = documents.pdf_bytes(report)
        snapshot = report.to_json()
        docx_name = documents.filename(report, "docx")
        pdf_name = documents.filename(report, "pdf")
    with transaction.atomic():
        submission = Submission.objects.create(
            school=school,
            assessed_on=report.day,
            passed=report.passed,
            report=snapshot,
            docx=docx,
            pdf=pdf,
            docx_sha256=sha256(docx),
            pdf_sha256=sha256(pdf),
            docx_name=docx_name,
            pdf_name=pdf_name,
            submitted_by=actor,
            submitted_by_label=actor_label(actor),
            submitted_at=timezone.now(),
        )
        audit_record(
            school=school,
            actor=actor,
            action="federation.submission.submitted",
            target=submission,
            new={
                "assessed_on": report.day,
                "passed": report.passed,
                "docx_sha256": submission.docx_sha256,
                "pdf_sha256": submission.pdf_sha256,
            },
        )
    return submission


def submission_review(*, actor, submission: Submission, accept: bool, reason: str) -> Submission:
    """The federation accepts a submission, or returns it with its reasons. Once only."""
    if actor is None or not may_review(build_viewer(actor)):
        raise DomainError(
            _("Only the provincial federation reviews submissions."), code="forbidden"
        )
    reason = (reason or "").strip()
    if not accept and not reason:
        raise DomainError(_("Say why the submission is returned."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(
            _("The reasons may be at most %(n)s characters long.") % {"n": REASON_MAX},
            field="reason",
        )
    state = ReviewState.ACCEPTED if accept else ReviewState.RETURNED
    now = timezone.now()
    with transaction.atomic():
        changed = Submission.objects.filter(pk=submission.pk, state=ReviewState.SUBMITTED).update(
            state=state,
            review_reason=reason,
            reviewed_by=actor,
            reviewed_by_label=actor_label(actor),
            reviewed_at=now,
        )
        if not changed:
            raise DomainError(_("This submission has already been reviewed."), code="conflict")
        submission.refresh_from_db()
        audit_record(
            school=submission.school,
            actor=actor,
            action=f"federation.submission.{state}",
            target=submission,
            old={"state": ReviewState.SUBMITTED},
            new={"state": state, "reason": reason},
        )
    return submission


def standings_record(*, actor, reports: list[Report]) -> int:
    """Keep each school's result of a province-wide assessment (one upsert for all schools). A
    school whose outcome changed (passed, or which core items fail) gets an audit event.
    Returns how many changed."""
    now = timezone.now()
    schools = [r.school for r in reports]
    current = {s.school_id: s for s in Standing.objects.filter(school__in=schools)}
    rows, changes = [], []
    for report in reports:
        failing = [i["code"] for i in province.failing_items(report)]
        rows.append(
            Standing(
                school=report.school,
                assessed_on=report.day,
                checked_at=now,
                passed=report.passed,
                failing=failing,
                breaches=province.breaches(report),
            )
        )
        old = current.get(report.school.pk)
        if old is None or old.passed != report.passed or old.failing != failing:
            changes.append((report, old, failing))
    with transaction.atomic():
        Standing.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["school"],
            update_fields=["assessed_on", "checked_at", "passed", "failing", "breaches"],
        )
        if changes:
            saved = {
                s.school_id: s
                for s in Standing.objects.filter(school__in=[r.school for r, _o, _f in changes])
            }
            for report, old, failing in changes:
                audit_record(
                    school=report.school,
                    actor=actor,
                    action="federation.standing.changed",
                    target=saved[report.school.pk],
                    old=None if old is None else {"passed": old.passed, "failing": old.failing},
                    new={"passed": report.passed, "failing": failing, "day": report.day},
                )
    return len(changes)
