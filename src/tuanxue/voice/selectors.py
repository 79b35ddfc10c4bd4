"""Reads for the student voice pages and API. Each bounds its queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tuanxue.core.models import School
from tuanxue.voice.access import DEMAND_RELATED, VoiceRights
from tuanxue.voice.models import (
    AbuseReport,
    AbuseStatus,
    Category,
    Demand,
    DemandStatus,
    ReceptionDay,
    Supporter,
)

PUBLIC_STATUSES = (DemandStatus.ANSWERED, DemandStatus.CLOSED)


def categories(school: School) -> list[Category]:
    return list(Category.objects.filter(school=school).order_by("order", "code"))


def demands(school: School) -> QuerySet[Demand]:
    return Demand.objects.filter(school=school).select_related(*DEMAND_RELATED)


def my_demands(rights: VoiceRights) -> list[Demand]:
    """The student's own demands and those they support (through a merged duplicate)."""
    student = rights.student
    if student is None:
        return []
    supported = Supporter.objects.filter(student=student).values("demand_id")
    return list(
        demands(rights.school)
        .filter(Q(student=student) | Q(pk__in=supported))
        .order_by("-created_at")[:200]
    )


def department_queue(rights: VoiceRights) -> list[Demand]:
    """Open demands of the viewer's departments (and those escalated to them), by deadline."""
    scope = Q(department_id__in=rights.department_ids)
    if rights.student_affairs:
        scope |= Q(escalation__gte=1)
    if rights.leader:
        scope |= Q(escalation__gte=2)
    return list(
        demands(rights.school)
        .filter(scope, status=DemandStatus.OPEN)
        .order_by("due_date", "created_at")[:500]
    )


def department_answered(rights: VoiceRights) -> list[Demand]:
    return list(
        demands(rights.school)
        .filter(answered_by_id__in=rights.department_ids)
        .exclude(status=DemandStatus.OPEN)
        .order_by("-answered_at")[:50]
    )


def recorded_by(rights: VoiceRights) -> list[Demand]:
    return list(
        demands(rights.school).filter(recorded_by=rights.user).order_by("-created_at")[:200]
    )


def all_demands(school: School, status: str = "") -> QuerySet[Demand]:
    rows = demands(school).order_by("-created_at")
    if status:
        rows = rows.filter(status=status)
    return rows


def open_abuse_reports(school: School) -> list[AbuseReport]:
    return list(
        AbuseReport.objects.filter(demand__school=school, status=AbuseStatus.OPEN)
        .select_related("demand")
        .order_by("created_at")
    )


def reception_days(school: School) -> tuple[list[ReceptionDay], list[ReceptionDay]]:
    today = timezone.localdate()
    rows = list(
        ReceptionDay.objects.filter(school=school)
        .annotate(recorded=Count("demands"))
        .prefetch_related("teachers", "members")
        .order_by("date", "starts")
    )
    upcoming = [r for r in rows if r.date >= today]
    past = [r for r in reversed(rows) if r.date < today]
    return upcoming, past


def desk_days(school: School) -> list[ReceptionDay]:
    """Reception days a desk may record for: the last 60 days and the next 30."""
    today = timezone.localdate()
    return list(
        ReceptionDay.objects.filter(
            school=school,
            date__gte=today - dt.timedelta(days=60),
            date__lte=today + dt.timedelta(days=30),
        ).order_by("-date")
    )


def public_demands(school: School) -> QuerySet[Demand]:
    """Answered demands that are not confidential, for the public board: title, text, answer,
    category, department, dates. Never the student."""
    return (
        Demand.objects.filter(school=school, confidential=False, status__in=PUBLIC_STATUSES)
        .select_related("category", "department", "answered_by")
        .order_by("-answered_at")
    )
