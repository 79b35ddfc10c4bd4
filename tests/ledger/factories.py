"""Activities, volunteer shifts and sign-ups built directly for the check-in and ledger tests
(the sign-up services belong to another part of the app; these rows are what they produce)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from tuanxue.activities.models import (
    Activity,
    ActivityStatus,
    EducationArea,
    Signup,
    SignupStatus,
    VolunteerProject,
    VolunteerRole,
)
from tuanxue.org.models import Title


def activity(
    kit,
    *,
    start: dt.datetime | None = None,
    hours: float = 3,
    credit: Decimal = Decimal("2.00"),
    unit: str = "points",
    status: str = ActivityStatus.PUBLISHED,
    title: str = "新生文艺汇演",
    body=None,
) -> Activity:
    start = start or timezone.now() - dt.timedelta(minutes=10)
    if body is None:
        body = kit.school_union.bodies.filter(kind="department").first() or kit.department(
            name="文艺部", remit="文艺活动"
        )
    return Activity.objects.create(
        school=kit.school,
        title=title,
        description="一场演出",
        area=EducationArea.AESTHETICS,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        place="大礼堂",
        organiser_body=body,
        credit=credit,
        credit_unit=unit,
        status=status,
    )


def shift(
    activity: Activity,
    *,
    start: dt.datetime | None = None,
    minutes: int = 120,
    slots: int = 10,
    name: str = "引导员",
) -> VolunteerRole:
    start = start or activity.starts_at
    project = VolunteerProject.objects.create(
        school=activity.school,
        activity=activity,
        title=f"{activity.title}志愿者",
        opens_at=start - dt.timedelta(days=7),
        closes_at=start - dt.timedelta(days=1),
        withdraw_until=start - dt.timedelta(days=1),
    )
    return VolunteerRole.objects.create(
        project=project,
        name=name,
        slots=slots,
        shift_starts_at=start,
        shift_ends_at=start + dt.timedelta(minutes=minutes),
    )


def confirmed(role: VolunteerRole, student) -> Signup:
    """A confirmed place, as the sign-up service leaves it (place counted in ``taken``)."""
    signup = Signup.objects.create(
        school=role.project.school,
        project=role.project,
        role=role,
        student=student,
        status=SignupStatus.CONFIRMED,
    )
    VolunteerRole.objects.filter(pk=role.pk).update(taken=F("taken") + 1)
    return signup


def organiser(kit, body=None, title=Title.MINISTER):
    """A student user holding a head post in the organiser's union."""
    from django.contrib.auth import get_user_model

    body = body or kit.school_union.bodies.filter(kind="department").first()
    user = get_user_model().objects.create_user(
        username=f"org{get_user_model().objects.count() + 1}", password="pw-Tuanxue-1"
    )
    student = kit.student(user=user)
    kit.post(student, body, title)
    return user


def student_user(kit, **extra):
    user = kit.user(student=True)
    user.student.refresh_from_db()
    return user
