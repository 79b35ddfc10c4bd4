"""Each semester and year of the living demo's service: duty reviews published with their credit,
welcome-week volunteers and the demands students raise."""

from __future__ import annotations

import datetime as dt

from tuanxue.core.audit import audit_record
from tuanxue.core.models import Semester
from tuanxue.demo.living.dates import _at
from tuanxue.org.models import (
    PoliticalStatus,
    Society,
    Student,
)
from tuanxue.review import publishing
from tuanxue.review import services as review_services
from tuanxue.review.models import DIMENSIONS, PanelKind, ScoreSheet

PANEL = [
    ("daibiao", PanelKind.STUDENT),
    ("tuanzhishu", PanelKind.STUDENT),
    ("xuesheng", PanelKind.STUDENT),
    ("xuegong", PanelKind.STUDENT_AFFAIRS),
    ("tuanwei", PanelKind.LEAGUE),
]


def hold_review(h, semester: Semester, held: dt.date, rng) -> None:
    league = h.league
    session = review_services.session_create(
        actor=league,
        union=h.union,
        semester=semester,
        held_on=held,
        place="行政楼第一会议室",
    )
    review_services.panel_set(
        actor=league,
        session=session,
        members=[(h.users[name], kind) for name, kind in PANEL],
    )
    review_services.session_open(actor=league, session=session)
    members = list(session.panel.all())
    sheets = []
    for reviewee in session.reviewees.all():
        base = rng.randint(78, 93)
        for member in members:
            scores = {d: min(100, max(60, base + rng.randint(-6, 6))) for d in DIMENSIONS}
            sheets.append(
                ScoreSheet(
                    session=session,
                    member=member,
                    reviewee=reviewee,
                    comment="",
                    submitted_at=_at(held, 15),
                    **scores,
                )
            )
    ScoreSheet.objects.bulk_create(sheets)
    audit_record(
        school=h.school,
        actor=league,
        action="review.demo.sheets",
        target=session,
        new={"sheets": len(sheets)},
    )
    publishing.session_close(actor=league, session=session)
    publishing.session_publish(actor=league, session=session)
    h.counts["reviews"] += 1


# -- activities, the ledger and the student voice ----------------------------------------


def serve_year(h, year: int, rng) -> None:
    """The welcome week's volunteers (attendance credited to the ledger through the
    attendance service) and a demand of a new student, answered and rated."""
    from tuanxue.activities import services as activities
    from tuanxue.activities.attendance.services import credit_attendance
    from tuanxue.activities.models import Attendance, CheckMethod
    from tuanxue.demo.voice import _backdate
    from tuanxue.voice import services as voice
    from tuanxue.voice.models import Category, Closure

    day = dt.date(year, 9, 3)
    starts = _at(day, 8)
    society = Society.objects.select_related("school").get(school=h.school, name="青年志愿者协会")
    activity = activities.activity_create(
        actor=None,
        school=h.school,
        organiser_society=society,
        title=f"{year}级新生迎新志愿服务",
        description="迎新日在各校区报到点设置引导、咨询和行李搬运岗位，服务新同学报到。",
        area="volunteer",
        brands=[],
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4),
        place="各校区报到点",
        capacity=60,
        audience_colleges=[],
        audience_grades=[],
        credit="4",
        credit_unit="hours",
        external_contact="",
    )
    activities.activity_submit(actor=None, activity=activity)
    volunteers = list(
        Student.objects.filter(
            school=h.school,
            grade=year - 1,
            political_status=PoliticalStatus.LEAGUE_MEMBER,
        ).order_by("student_no")[::37][:20]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                school=h.school,
                activity=activity,
                student=student,
                checked_in_at=starts + dt.timedelta(minutes=i % 15),
                check_in_method=CheckMethod.QR,
                checked_out_at=starts + dt.timedelta(hours=4),
                check_out_method=CheckMethod.QR,
                hours=4,
            )
            for i, student in enumerate(volunteers)
        ]
    )
    for row in Attendance.objects.filter(activity=activity).select_related(
        "activity", "student__school"
    ):
        credit_attendance(actor=h.league, attendance=row)
    h.counts["activities"] += 1
    h.counts["ledger_entries"] += len(volunteers)
    if day > h.today - dt.timedelta(days=40):
        return
    student = (
        Student.objects.filter(school=h.school, grade=year)
        .select_related("school")
        .order_by("student_no")[rng.randrange(100)]
    )
    category = Category.objects.get(school=h.school, code="academic")
    demand = voice.demand_submit(
        actor=None,
        school=h.school,
        student=student,
        category=category,
        title=f"{year}级新生希望开放晚自习教室",
        text="新生晚上没有固定的自习地点，希望教学楼每晚开放几间教室用于自习。",
        confidential=False,
    )
    voice.demand_answer(
        actor=None,
        demand=demand,
        answer="教务处已安排第一教学楼三楼六间教室每晚开放至22:00，供同学自习。",
        closure=Closure.RESOLVED,
    )
    voice.demand_rate(actor=None, demand=demand, rating=4 + rng.randrange(2))
    created = _at(dt.date(year, 9, 20), 20)
    _backdate(demand, created, answered=created + dt.timedelta(days=3))
    h.counts["demands"] += 1


# -- logins ----------------------------------------------------------------------------
