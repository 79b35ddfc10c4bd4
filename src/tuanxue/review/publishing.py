"""Closing a duty review (the grades computed from the sheets) and publishing its results,
with their effects: certified credit and removal proposals."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.rules import CharterRules
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.review import scoring
from tuanxue.review.models import (
    DIMENSIONS,
    ReviewResult,
    ReviewSession,
    ReviewStatus,
    ScoreSheet,
)
from tuanxue.review.services import _lock, _require_manager, _require_status, rules_for

# -- closing and publishing --------------------------------------------------------------------


def compute_results(session: ReviewSession, rules: CharterRules) -> list[ReviewResult]:
    results = []
    sheets_by: dict[int, list[dict]] = {}
    for sheet in ScoreSheet.objects.filter(session=session):
        sheets_by.setdefault(sheet.reviewee_id, []).append(sheet.scores())
    for reviewee in session.reviewees.filter(active=True):
        sheets = sheets_by.get(reviewee.pk, [])
        if not sheets:
            continue
        per_dimension, overall, trimmed = scoring.aggregate(
            sheets, DIMENSIONS, rules.review_trim_from
        )
        results.append(
            ReviewResult(
                reviewee=reviewee,
                sheets=len(sheets),
                trimmed=trimmed,
                dimensions=per_dimension,
                overall=overall,
                grade=scoring.grade_for(overall, rules.review_thresholds),
            )
        )
    return results


def session_close(*, actor, session: ReviewSession) -> ReviewSession:
    """End scoring and compute each reviewee's result. Refused while a reviewee has no sheet."""
    _require_manager(actor, session.union)
    with transaction.atomic():
        session = _lock(session)
        _require_status(session, ReviewStatus.OPEN)
        unscored = list(
            session.reviewees.filter(active=True, sheets__isnull=True).select_related("student")
        )
        if unscored:
            raise DomainError(
                _("Nobody has scored %(names)s yet.")
                % {"names": "、".join(r.student.name for r in unscored)}
            )
        rules, _label = rules_for(session)
        results = compute_results(session, rules)
        ReviewResult.objects.bulk_create(results)
        session.status, session.closed_at = ReviewStatus.CLOSED, timezone.now()
        session.save(update_fields=["status", "closed_at"])
        audit_record(
            school=session.school,
            actor=actor,
            action="review.session.closed",
            target=session,
            old={"status": ReviewStatus.OPEN},
            new={
                "status": ReviewStatus.CLOSED,
                "results": {
                    r.reviewee.student.student_no: [str(r.overall), r.grade] for r in results
                },
            },
        )
    return session


def session_publish(*, actor, session: ReviewSession) -> ReviewSession:
    """Publish the results: reviewees see their own, the ledger gets the credit each grade
    earns, and a failed result opens a removal proposal for people to decide."""
    from tuanxue.review import effects

    _require_manager(actor, session.union)
    with transaction.atomic():
        session = _lock(session)
        _require_status(session, ReviewStatus.CLOSED)
        session.status, session.published_at = ReviewStatus.PUBLISHED, timezone.now()
        session.save(update_fields=["status", "published_at"])
        audit_record(
            school=session.school,
            actor=actor,
            action="review.session.published",
            target=session,
            old={"status": ReviewStatus.CLOSED},
            new={"status": ReviewStatus.PUBLISHED},
        )
        results = list(
            ReviewResult.objects.filter(reviewee__session=session).select_related(
                "reviewee__student__user", "reviewee__membership__body"
            )
        )
        rules, _label = rules_for(session)
        effects.credit_results(actor=actor, session=session, results=results, rules=rules)
        for result in results:
            if result.grade == "fail":
                effects.proposal_open_for_result(actor=actor, result=result)
        notify(
            users=[r.reviewee.student.user for r in results],
            school=session.school,
            text=_("The results of %(session)s are published.") % {"session": str(session)},
            url=reverse("review:mine", args=[session.school.code]),
        )
    return session
