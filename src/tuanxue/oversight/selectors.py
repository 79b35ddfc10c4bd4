"""Reads for the oversight pages and the self-assessment: the records of a school, and the
filing register (this module's filings and the activities filed with the League committee)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from tuanxue.core.models import School
from tuanxue.oversight.models import (
    Filing,
    FilingKind,
    FilingStatus,
    LeaderAssignment,
    LeaderLecture,
    ReportHearing,
    WorkPlan,
)


def records_of(school: School) -> dict:
    """Every oversight record of the school, newest first (four queries)."""
    return {
        "hearings": list(
            ReportHearing.objects.filter(school=school)
            .select_related("union")
            .order_by("-held_on", "-pk")
        ),
        "lectures": list(LeaderLecture.objects.filter(school=school).order_by("-given_on", "-pk")),
        "plans": list(WorkPlan.objects.filter(school=school).order_by("-year", "-pk")),
        "assignments": list(
            LeaderAssignment.objects.filter(school=school)
            .select_related("union")
            .order_by("kind", "-start")
        ),
    }


@dataclass
class RegisterRow:
    """One line of the filing register, whichever module keeps the filing."""

    kind: str
    kind_label: str
    title: str
    union: str
    occurs_on: dt.date
    filed_at: dt.datetime | None
    status: str
    status_label: str
    url: str
    reason: str = ""
    source: str = "filing"  # or "activity"
    pk: int = 0


def _activity_rows(school: School, union_ids: set[int] | None) -> list[RegisterRow]:
    from tuanxue.activities.models import Activity, ActivityStatus, FilingDecision

    activities = (
        Activity.objects.filter(school=school)
        .filter(Q(is_major=True) | ~Q(external_contact=""))
        .filter(
            Q(status=ActivityStatus.FILED)
            | Q(
                status__in=[ActivityStatus.PUBLISHED, ActivityStatus.RETURNED],
                filings__isnull=False,
            )
        )
        .select_related("organiser_body__union", "organiser_society")
        .distinct()
    )
    if union_ids is not None:
        activities = activities.filter(organiser_body__union_id__in=union_ids)
    activities = list(activities.order_by("-starts_at")[:200])
    latest: dict[int, FilingDecision] = {}
    for d in FilingDecision.objects.filter(activity__in=activities).order_by("at", "pk"):
        latest[d.activity_id] = d
    status_of = {
        ActivityStatus.FILED: FilingStatus.FILED,
        ActivityStatus.PUBLISHED: FilingStatus.ACCEPTED,
        ActivityStatus.RETURNED: FilingStatus.RETURNED,
    }
    rows = []
    for a in activities:
        kind = FilingKind.ACTIVITY if a.is_major else FilingKind.EXTERNAL
        status = status_of[a.status]
        decision = latest.get(a.pk)
        organiser = a.organiser_body.union.name if a.organiser_body else a.organiser_society.name
        rows.append(
            RegisterRow(
                kind=kind,
                kind_label=str(FilingKind(kind).label),
                title=a.title,
                union=organiser,
                occurs_on=a.starts_at.date(),
                filed_at=decision.at if decision else None,
                status=status,
                status_label=str(FilingStatus(status).label),
                url=reverse("oversight:activity_filing", args=[school.code, a.pk]),
                reason=decision.comment if decision and status == FilingStatus.RETURNED else "",
                source="activity",
                pk=a.pk,
            )
        )
    return rows


def filing_register(
    school: School, *, union_ids: set[int] | None = None, status: str = "", kind: str = ""
) -> list[RegisterRow]:
    """The register: filings and filed activities, waiting ones first, then newest first.
    ``union_ids`` limits it to those unions (a presidium sees its own union's)."""
    filings = Filing.objects.filter(school=school).select_related("union")
    if union_ids is not None:
        filings = filings.filter(union_id__in=union_ids)
    filings = list(filings.prefetch_related("reviews").order_by("-filed_at")[:500])
    rows = []
    for f in filings:
        reviews = list(f.reviews.all())
        rows.append(
            RegisterRow(
                kind=f.kind,
                kind_label=f.get_kind_display(),
                title=f.title,
                union=f.union.name,
                occurs_on=f.occurs_on,
                filed_at=f.filed_at,
                status=f.status,
                status_label=f.get_status_display(),
                url=reverse("oversight:filing", args=[school.code, f.pk]),
                reason=reviews[-1].reason if reviews and f.status == FilingStatus.RETURNED else "",
                pk=f.pk,
            )
        )
    rows += _activity_rows(school, union_ids)
    if status:
        rows = [r for r in rows if r.status == status]
    if kind:
        rows = [r for r in rows if r.kind == kind]
    rows.sort(key=lambda r: r.occurs_on, reverse=True)
    rows.sort(key=lambda r: r.status != FilingStatus.FILED)
    return rows
