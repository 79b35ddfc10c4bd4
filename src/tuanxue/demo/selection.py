"""Recruitment in the demo school: the finished 2020 round that staffed the current school union,
and an open round with applications waiting at every step, so each office login finds work in
its queue. Registered with ``org.demo`` as an "after" step in apps.ready.

The finished round is history: its applications and step actions are written as rows (with the
2020 times they happened) and summarised in one audit event; the memberships it led to exist
already. The open round is opened through the round service; its applications are rows (the
chosen students have no login) summarised in one audit event, and the decisions on them are made
through ``step_act`` by the demo's office logins, so they are audited and notified like any other.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tuanxue.charter.academic import places_within
from tuanxue.charter.services import charter_in_force
from tuanxue.core.audit import audit_record
from tuanxue.core.models import School
from tuanxue.core.notify import notify
from tuanxue.org.models import (
    AcademicRecord,
    College,
    Department,
    Membership,
    PoliticalStatus,
    Role,
    Title,
    Union,
)
from tuanxue.selection import services
from tuanxue.selection.access import approvers
from tuanxue.selection.chains import chains_ensure
from tuanxue.selection.eligibility import eligibility, eligibility_many
from tuanxue.selection.models import (
    Application,
    ApplicationStatus,
    ChainKind,
    ChainStep,
    Decision,
    RecruitmentRound,
    RoundStatus,
    Seat,
    StepAction,
    StepScope,
)
from tuanxue.selection.rounds import services as rounds

RECORD_SEMESTER = "2019-2020-2"
FINISHED_TERM_START = dt.date(2020, 8, 25)
FINISHED_OPENS = (2020, 8, 1, 9)
FINISHED_CLOSES = (2020, 8, 12, 18)
# The day each step of the 2020 chains was decided (the federation consented on 20 August, the
# congress elected the presidium on 25 August).
FINISHED_STEP_DAYS = {
    ChainKind.PRESIDIUM: [
        (2020, 8, 14),
        (2020, 8, 15),
        (2020, 8, 17),
        (2020, 8, 18),
        (2020, 8, 20),
    ],
    ChainKind.DEPARTMENT: [(2020, 8, 14), (2020, 8, 18)],
}
ELECTED_ON = (2020, 8, 25, 15)

# Which office login decides for which role (the college ones are scoped to the first college).
OFFICE_LOGINS = {
    Role.COLLEGE_LEAGUE: "xytw",
    Role.COLLEGE_PARTY: "xydzz",
    Role.STUDENT_AFFAIRS: "xuegong",
    Role.SCHOOL_LEAGUE: "tuanwei",
    Role.SCHOOL_PARTY: "dangwei",
    Role.FEDERATION: "xuelian",
}

STATEMENTS = [
    "我在学院学生会工作一年，熟悉活动组织和同学诉求反映流程，希望到校学生会继续为同学服务。",
    "我担任过班级团支部委员，愿意把班级里收集意见、跟进答复的经验带到学生会工作中。",
    "我热爱写作和新媒体运营，希望在学生会做好工作信息公开，让同学及时了解学生会在做什么。",
    "我参加过两次志愿服务项目，希望在学生会学习如何以项目化方式组织同学参与社会实践。",
    "我学习成绩稳定，乐于帮助同学，希望参与朋辈学业帮扶，带动身边同学形成良好学风。",
]

# The open round's applications: (seat, what has happened to it, comment where one is needed).
# "approve:N" = approved through step N; "joint:1" = one of the joint step's two offices
# approved; "return:N" = returned for changes at step N.
OPEN_PLAN = [
    ("presidium", [], ""),
    ("presidium", [], ""),
    ("department", [], ""),
    ("presidium", ["approve:1"], ""),
    ("presidium", ["approve:2"], ""),
    ("presidium", ["approve:2", "joint:3"], ""),
    ("presidium", ["approve:3"], ""),
    ("presidium", ["approve:4"], ""),
    ("presidium", ["approve:1", "return:2"], "请补充在学院学生会的工作经历和获得的表彰。"),
    ("department", ["approve:1"], ""),
]


def _at(parts: tuple) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*parts[:3], *(parts[3:] or (10,))))


def _office_users(school: School) -> dict[str, object]:
    by_name = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=set(OFFICE_LOGINS.values()))
    }
    return {role: by_name.get(name) for role, name in OFFICE_LOGINS.items()}


def build(school: School) -> None:
    """The demo step: both rounds, in the demo build's transaction."""
    union = Union.objects.select_related("school").get(school=school, college__isnull=True)
    first_college = College.objects.filter(school=school).order_by("order", "name").first()
    offices = _office_users(school)
    chains = chains_ensure(actor=None, school=school)
    steps = {kind: list(chain.steps.order_by("order")) for kind, chain in chains.items()}
    with transaction.atomic():
        finished_round(union, first_college, offices, steps)
        open_round(union, first_college, offices, steps)


# -- the finished round ----------------------------------------------------------------------


def finished_round(union: Union, first_college, offices, steps) -> RecruitmentRound:
    school = union.school
    posts = list(
        Membership.objects.filter(union=union, start=FINISHED_TERM_START, end__isnull=True)
        .select_related("body", "student")
        .order_by("body__order", "title", "student__student_no")
    )
    rnd = RecruitmentRound.objects.create(
        school=school,
        union=union,
        name="2020-2021学年校学生会主席团及工作部门成员遴选",
        term_start=FINISHED_TERM_START,
        opens_at=_at(FINISHED_OPENS),
        closes_at=_at(FINISHED_CLOSES),
        status=RoundStatus.FINISHED,
        created_by=offices[Role.SCHOOL_LEAGUE],
    )
    counts = Counter((p.body_id, p.title) for p in posts)
    bodies = {p.body_id: p.body for p in posts}
    seats = {
        key: Seat(round=rnd, body=bodies[key[0]], title=key[1], count=n)
        for key, n in counts.items()
    }
    Seat.objects.bulk_create(seats.values())
    for student in {p.student_id: p.student for p in posts}.values():
        student.school = school
    verdicts = dict(eligibility_many([p.student for p in posts], FINISHED_TERM_START))
    applications = []
    for index, post in enumerate(posts):
        kind = ChainKind.PRESIDIUM if post.body.is_presidium else ChainKind.DEPARTMENT
        snapshot = verdicts[post.student]
        applications.append(
            Application(
                school=school,
                round=rnd,
                student=post.student,
                seat=seats[(post.body_id, post.title)],
                statement=STATEMENTS[index % len(STATEMENTS)],
                status=ApplicationStatus.APPOINTED,
                step=len(steps[kind]),
                cycle=1,
                step_since=_at(FINISHED_STEP_DAYS[kind][-1]),
                eligible=snapshot["eligible"],
                eligibility=snapshot,
                membership=post,
            )
        )
    Application.objects.bulk_create(applications)
    actions = []
    for index, (application, post) in enumerate(zip(applications, posts, strict=True)):
        kind = ChainKind.PRESIDIUM if post.body.is_presidium else ChainKind.DEPARTMENT
        in_first = post.student.college_id == first_college.pk
        for step, day in zip(steps[kind], FINISHED_STEP_DAYS[kind], strict=True):
            for offset, role in enumerate(step.roles):
                actor = offices.get(role)
                if step.scope == StepScope.COLLEGE and not in_first:
                    actor = None  # that college's office has no demo login
                actions.append(
                    StepAction(
                        application=application,
                        cycle=1,
                        step=step.order,
                        role=role,
                        decision=Decision.APPROVE,
                        comment="同意",
                        actor=actor,
                        at=_at((*day, 9 + offset, index % 60)),
                    )
                )
    StepAction.objects.bulk_create(actions)
    Application.objects.filter(round=rnd).update(created_at=_at((2020, 8, 10, 20)))
    audit_record(
        school=school,
        actor=None,
        action="selection.demo.finished_round",
        target=rnd,
        new={
            "round": rnd.name,
            "seats": [[s.body.name, s.title, s.count] for s in seats.values()],
            "applications": len(applications),
            "step_actions": len(actions),
            "appointed": len(applications),
            "eligible": sum(1 for a in applications if a.eligible),
        },
    )
    return rnd


# -- the open round --------------------------------------------------------------------------


def _next_september(today: dt.date) -> dt.date:
    this_year = dt.date(today.year, 9, 1)
    return this_year if today < this_year else dt.date(today.year + 1, 9, 1)


def candidates(school: School, college: College, count: int) -> list:
    """League members of ``college`` with a record for the record semester within the top 30%
    of their cohort in both ranks, no failed course, no post held and no login; by number."""
    charter = charter_in_force(school, FINISHED_TERM_START)
    share = charter.parsed.top_share
    holding = Membership.objects.filter(school=school, end__isnull=True).values("student_id")
    records = (
        AcademicRecord.objects.filter(
            school=school,
            semester__code=RECORD_SEMESTER,
            student__college=college,
            student__political_status=PoliticalStatus.LEAGUE_MEMBER,
            student__user__isnull=True,
            failed_courses=0,
        )
        .exclude(student_id__in=holding)
        .select_related("student")
        .order_by("student__student_no")
    )
    chosen = []
    for record in records:
        limit = places_within(share, record.major_size)
        if record.study_rank <= limit and record.assessment_rank <= limit:
            chosen.append(record.student)
            if len(chosen) == count:
                break
    if len(chosen) < count:
        raise RuntimeError("the demo roster has too few eligible applicants")
    return chosen


def open_round(union: Union, first_college, offices, steps) -> RecruitmentRound:
    school = union.school
    now = timezone.now()
    today = timezone.localdate()
    league = offices[Role.SCHOOL_LEAGUE]
    presidium = Department.objects.get(union=union, kind="presidium")
    departments = list(
        Department.objects.filter(union=union, kind="department").order_by("order", "name")
    )
    term_start = _next_september(today)
    rnd = rounds.round_open(
        actor=league,
        union=union,
        name=f"{term_start.year}-{term_start.year + 1}学年校学生会主席团及工作部门成员遴选",
        term_start=term_start,
        opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=30),
        seats=[(presidium, Title.PRESIDIUM_MEMBER, 2)] + [(d, Title.STAFF, 2) for d in departments],
    )
    seats = {s.body_id: s for s in rnd.seats.all()}
    presidium_seat = seats[presidium.pk]
    department_seats = [seats[d.pk] for d in departments]
    students = candidates(school, first_college, len(OPEN_PLAN))
    applications = []
    for index, ((seat_kind, _history, _comment), student) in enumerate(
        zip(OPEN_PLAN, students, strict=True)
    ):
        student.school = school
        snapshot = eligibility(student, term_start)
        if seat_kind == ChainKind.PRESIDIUM:
            seat, second = presidium_seat, department_seats[index % len(department_seats)]
        else:
            seat = department_seats[index % len(department_seats)]
            second = department_seats[(index + 1) % len(department_seats)]
        applications.append(
            Application(
                school=school,
                round=rnd,
                student=student,
                seat=seat,
                second_seat=second if index % 2 == 0 else None,
                statement=STATEMENTS[index % len(STATEMENTS)],
                step_since=now,
                eligible=snapshot["eligible"],
                eligibility=snapshot,
            )
        )
    Application.objects.bulk_create(applications)
    audit_record(
        school=school,
        actor=None,
        action="selection.demo.applications",
        target=rnd,
        new={
            "applications": [[a.student.student_no, str(a.seat), a.eligible] for a in applications],
        },
    )
    for application in applications:
        first_step = steps[application.seat.chain_kind][0]
        notify(
            users=approvers(first_step, application),
            school=school,
            text=f"{application.student.name}申请{application.seat}，待{first_step.name}。",
            url=reverse("selection:application", args=[school.code, application.pk]),
        )
    for application, (_kind, history, comment) in zip(applications, OPEN_PLAN, strict=True):
        _walk(application, history, comment, offices, steps[application.seat.chain_kind])
    _backdate(applications, now)
    return rnd


def _walk(application, history, comment, offices, steps: list[ChainStep]) -> None:
    """Decide on the application through the service, as the plan says."""
    for entry in history:
        what, upto = entry.split(":")
        upto = int(upto)
        if what == "approve":
            for step in steps[application.step - 1 : upto]:
                for role in step.roles:
                    services.step_act(
                        actor=offices[role], application=application, decision=Decision.APPROVE
                    )
        elif what == "joint":
            role = steps[upto - 1].roles[0]
            services.step_act(
                actor=offices[role], application=application, decision=Decision.APPROVE
            )
        elif what == "return":
            role = steps[upto - 1].roles[0]
            services.step_act(
                actor=offices[role],
                application=application,
                decision=Decision.RETURN,
                comment=comment,
            )
        application.refresh_from_db()


def _backdate(applications: list[Application], now: dt.datetime) -> None:
    """Spread the demo's applications and decisions over the three days the round has been
    open, so queues show how long each has waited."""
    opened = now - dt.timedelta(days=3)
    for index, application in enumerate(applications):
        application.refresh_from_db(fields=["step"])
        submitted = opened + dt.timedelta(hours=1 + 2 * index)
        reached = submitted  # when the application reached the step it is at
        for offset, action in enumerate(application.actions.order_by("at", "pk")):
            moment = submitted + dt.timedelta(hours=8 * (offset + 1))
            StepAction.objects.filter(pk=action.pk).update(at=moment)
            if action.step < application.step:
                reached = moment
        Application.objects.filter(pk=application.pk).update(
            created_at=submitted, step_since=reached
        )
