"""The review app's part of the demo school: the 2019-2020-2 duty review on 2020-09-11 (the
school union's presidium and department heads, a panel with a student majority, scores,
published grades and their ledger credit), the mid-September study of the self-discipline
convention by the new members, study sessions on the spirit of the 27th national congress of
the students' federation, a first meeting with study as its first item, and one talk (约谈).

Everything goes through the services with the demo's logins as actors, so it is audited like
real use. Registered with ``org.demo`` as an "after" step in apps.ready.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from tuanxue.core.models import Semester
from tuanxue.org.models import HEAD_TITLES, Membership, Union
from tuanxue.review import publishing, services
from tuanxue.review.models import DIMENSIONS, PanelKind, StudyKind
from tuanxue.review.records import discipline, study

REVIEW_DAY = dt.date(2020, 9, 11)
REVIEW_SEMESTER = "2019-2020-2"
CONVENTION_DAY = dt.date(2020, 9, 15)
SEED = 20200911
PANEL = [
    ("daibiao", PanelKind.STUDENT),
    ("tuanzhishu", PanelKind.STUDENT),
    ("xuesheng", PanelKind.STUDENT),
    ("xuegong", PanelKind.STUDENT_AFFAIRS),
    ("tuanwei", PanelKind.LEAGUE),
]
COMMENTS = [
    "工作主动，能团结部门成员。",
    "服务同学意识强，建议加强计划性。",
    "学习成绩保持良好，工作与学习兼顾。",
    "",
    "希望在校院联动方面多下功夫。",
]
# Two new members who missed the convention study (so the list has something to show).
MISSED_CONVENTION = 2


def build(school) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_names())}
    league = users["tuanwei"]
    union = Union.objects.select_related("school").get(school=school, college__isnull=True)
    semester = Semester.objects.get(school=school, code=REVIEW_SEMESTER)
    review(union, semester, users, league)
    studies(union, league)
    talk(union, users)


def _names() -> list[str]:
    return [name for name, _kind in PANEL] + ["buzhang", "ganshi"]


def review(union, semester, users, league) -> None:
    rng = random.Random(SEED)
    session = services.session_create(
        actor=league, union=union, semester=semester, held_on=REVIEW_DAY, place="行政楼第一会议室"
    )
    services.panel_set(
        actor=league, session=session, members=[(users[name], kind) for name, kind in PANEL]
    )
    for reviewee in session.reviewees.select_related("student__user", "membership__body"):
        author = reviewee.student.user if reviewee.student.user_id else None
        services.report_submit(
            actor=author,
            reviewee=reviewee,
            text=(
                f"本人自2020年8月起任{reviewee.post}。本学期主要工作：组织部门例会和理论学习，"
                "参与学生接待日和迎新志愿服务，按要求完成述职报告。不足与改进：加强计划性，"
                "主动听取同学意见。"
            ),
        )
    services.session_open(actor=league, session=session)
    panel = [users[name] for name, _kind in PANEL]
    for reviewee in session.reviewees.select_related("student"):
        base = rng.randint(80, 93)
        for index, member in enumerate(panel):
            scores = {d: min(100, max(60, base + rng.randint(-6, 6))) for d in DIMENSIONS}
            services.sheet_submit(
                actor=member,
                session=session,
                reviewee=reviewee,
                scores=scores,
                comment=COMMENTS[(index + reviewee.order) % len(COMMENTS)],
            )
    publishing.session_close(actor=league, session=session)
    publishing.session_publish(actor=league, session=session)


def studies(union, league) -> None:
    new_posts = list(
        Membership.objects.filter(union=union, start__gte=dt.date(2020, 8, 25), end__isnull=True)
        .select_related("student")
        .order_by("body__order", "student__student_no")
    )
    convention = study.study_create(
        actor=league,
        union=union,
        kind=StudyKind.ORIGINAL,
        topic="集中学习《学生会研究生会干部自律公约》和作风规定",
        held_on=CONVENTION_DAY,
        materials="《学生会研究生会干部自律公约》；《关于加强学生会干部作风建设的若干规定》",
        convention=True,
    )
    for post in new_posts[:-MISSED_CONVENTION]:
        study.roll_call(actor=league, session=convention, student=post.student)
    presidium = [p for p in new_posts if p.title not in HEAD_TITLES and p.body.is_presidium]
    heads = [p for p in new_posts if p.title in HEAD_TITLES]
    for kind, day, topic in (
        (StudyKind.ORIGINAL, dt.date(2020, 9, 18), "学原文：中国学生联合会第二十七次代表大会精神"),
        (
            StudyKind.DISCUSSION,
            dt.date(2020, 9, 25),
            "大讨论：学习全国学联二十七大精神，推进学生会改革",
        ),
    ):
        session = study.study_create(
            actor=league,
            union=union,
            kind=kind,
            topic=topic,
            held_on=day,
            materials="全国学联二十七大报告；大会通过的章程修正案",
        )
        for post in presidium + heads:
            study.roll_call(actor=league, session=session, student=post.student)
        if kind == StudyKind.ORIGINAL:
            study.meeting_record(
                actor=league,
                union=union,
                title="2020-2021学年第一学期第一次全体工作人员会议",
                held_on=day,
                agenda=[
                    "第一议题：学习全国学联二十七大精神",
                    "部署迎新志愿服务",
                    "各部门汇报本月工作",
                ],
                minutes="执行主席主持。会议首先学习全国学联二十七大精神，随后部署迎新志愿服务，"
                "各部门汇报本月工作计划。",
                study=session,
            )


def talk(union, users) -> None:
    minister = users["buzhang"]
    staff = users["ganshi"]
    discipline.discipline_record(
        actor=minister,
        union=union,
        student=staff.student,
        kind="talk",
        basis="《学生会工作人员管理办法》第十条（例会考勤）",
        facts="2020年9月两次部门例会无故缺席，未按时提交值班记录。已当面约谈，本人表示改正。",
        decided_by="学习权益部",
        decided_on=dt.date(2020, 9, 22),
    )
