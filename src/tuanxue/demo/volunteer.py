"""Volunteer projects of the demo school, in different states: the arts show's closed project
(its volunteers released, their attendance left for the ledger demo to check out), the IT Cup's
project recruiting now (one role full with a waiting list), and a lottery project waiting for its
draw. Rows are written directly (the demo runs in one transaction, and the sign-up service insists
on committing each sign-up itself), with one summary audit event."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from tuanxue.activities.models import (
    Activity,
    Attendance,
    CheckMethod,
    ProjectStatus,
    Signup,
    SignupMode,
    SignupStatus,
    VolunteerProject,
    VolunteerRole,
)
from tuanxue.core.audit import audit_record
from tuanxue.core.models import School
from tuanxue.demo.activities import ARTS_SHOW, IT_CUP
from tuanxue.org.models import Student

LEI_FENG = "学雷锋志愿服务日"


def _project(school, activity, title, mode, opens, closes, status=ProjectStatus.RECRUITING):
    return VolunteerProject.objects.create(
        school=school,
        activity=activity,
        title=title,
        mode=mode,
        opens_at=opens,
        closes_at=closes,
        withdraw_until=closes,
        status=status,
        closed_at=closes if status == ProjectStatus.CLOSED else None,
        description=f"{activity.title}志愿者项目化招募，因事用人、事完人散。",
    )


def _role(project, name, slots, starts, ends):
    return VolunteerRole.objects.create(
        project=project, name=name, slots=slots, shift_starts_at=starts, shift_ends_at=ends
    )


def _signups(school, role, students, status, queue_from=None):
    rows = []
    for n, student in enumerate(students):
        rows.append(
            Signup(
                school=school,
                project=role.project,
                role=role,
                student=student,
                status=status,
                queue_no=(queue_from + n) if queue_from is not None else None,
            )
        )
    Signup.objects.bulk_create(rows)
    if status == SignupStatus.CONFIRMED or status == SignupStatus.RELEASED:
        VolunteerRole.objects.filter(pk=role.pk).update(taken=F("taken") + len(rows))
    return rows


def build_volunteer_demo(school: School) -> dict[str, int]:
    made = {a.title: a for a in Activity.objects.filter(school=school)}
    if ARTS_SHOW not in made or IT_CUP not in made:
        return {"projects": 0, "signups": 0}
    pool = list(
        Student.objects.filter(school=school, grade__in=[2019, 2020]).order_by("-student_no")[:60]
    )
    now = timezone.now()
    count = 0

    show = made[ARTS_SHOW]
    closed = _project(
        school,
        show,
        "新生文艺汇演志愿者",
        SignupMode.FIRST_COME,
        show.starts_at - dt.timedelta(days=14),
        show.starts_at - dt.timedelta(days=3),
        status=ProjectStatus.CLOSED,
    )
    guides = _role(closed, "观众引导", 10, show.starts_at - dt.timedelta(hours=1), show.ends_at)
    stage = _role(closed, "舞台助理", 4, show.starts_at - dt.timedelta(hours=2), show.ends_at)
    for role, people in ((guides, pool[0:10]), (stage, pool[10:14])):
        signups = _signups(school, role, people, SignupStatus.RELEASED)
        count += len(signups)
        for offset, signup in enumerate(signups):
            Attendance.objects.create(
                school=school,
                activity=show,
                signup=signup,
                student=signup.student,
                checked_in_at=role.shift_starts_at + dt.timedelta(minutes=offset % 9),
                check_in_method=CheckMethod.QR,
            )

    cup = made[IT_CUP]
    recruiting = _project(
        school,
        cup,
        "IT杯篮球赛记分与场地志愿者",
        SignupMode.FIRST_COME,
        now - dt.timedelta(days=2),
        cup.starts_at - dt.timedelta(days=1),
    )
    scorers = _role(recruiting, "记分员", 6, cup.starts_at, cup.ends_at)
    ushers = _role(recruiting, "场地引导", 4, cup.starts_at - dt.timedelta(minutes=30), cup.ends_at)
    count += len(_signups(school, scorers, pool[20:24], SignupStatus.CONFIRMED))
    count += len(_signups(school, ushers, pool[24:28], SignupStatus.CONFIRMED))
    last = Signup.objects.filter(project=recruiting).order_by("-pk").values_list("pk", flat=True)
    count += len(
        _signups(school, ushers, pool[28:30], SignupStatus.WAITING, queue_from=last[0] + 1)
    )

    if LEI_FENG in made:
        day = made[LEI_FENG]
        lottery = _project(
            school,
            day,
            "学雷锋志愿服务日社区服务队",
            SignupMode.LOTTERY,
            now - dt.timedelta(days=5),
            now + dt.timedelta(days=3),
        )
        team = _role(lottery, "社区服务", 5, day.starts_at, day.ends_at)
        count += len(_signups(school, team, pool[30:38], SignupStatus.PENDING))

    audit_record(
        school=school,
        actor=None,
        action="activities.demo.volunteers",
        target=school,
        new={"projects": VolunteerProject.objects.filter(school=school).count(), "signups": count},
    )
    return {"projects": VolunteerProject.objects.filter(school=school).count(), "signups": count}


def build_demo_step(school: School) -> None:
    """The activities app's part of ``tuanxue demo``."""
    from tuanxue.demo.activities import build_activities_demo
    from tuanxue.demo.attendance import build_ledger_demo

    build_activities_demo(school)
    build_volunteer_demo(school)
    build_ledger_demo(school)
