"""The congress part of the demo school: the 14th congress of 2020-08-25.

167 delegates, confirmed and checked in, spread over the colleges in proportion to their students
(each at or above its quota, every grade and every major society represented); the work report
and the charter's 2020 revision adopted; the five presidium members elected from six candidates.
The session replaces the charter demo's hand-recorded congress: its record is written from the
session. Ballots and voter marks are bulk-created (the build writes one summary audit event);
the presidium memberships already exist in the demo and are not created again.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from tuanxue.charter.models import CongressRecord
from tuanxue.charter.rules import SEED_2020
from tuanxue.congress.models import (
    Ballot,
    BallotSource,
    Candidate,
    CongressSession,
    Delegate,
    DelegateStatus,
    Majority,
    MajorityBase,
    Milestone,
    Motion,
    MotionKind,
    Poll,
    PollKind,
    PollStatus,
    SessionStatus,
    VoterMark,
)
from tuanxue.congress.polls.amendment import amendment_adopt
from tuanxue.congress.polls.install import congress_record_sync
from tuanxue.congress.polls.secrecy import storage_shuffle
from tuanxue.congress.polls.strokes import stroke_order
from tuanxue.core.audit import audit_record
from tuanxue.org.models import BodyKind, College, Membership, Society, Student, Union

SEED = 14
NUMBER = 14
NAME = "第十四次学生代表大会"
HELD_ON = dt.date(2020, 8, 25)
VENUE = "天河校区大礼堂"
ROSTER_CUTOFF = dt.date(2020, 6, 30)
NOTICE_UNTIL = dt.date(2020, 8, 21)
DELEGATES = 167
CHARTER_LABEL = "2020年修改版"

MILESTONES = [
    ("校团委批复大会筹备方案", dt.date(2020, 6, 20)),
    ("各学院选举产生学生代表", dt.date(2020, 7, 10)),
    ("代表资格审查并公示", dt.date(2020, 8, 14)),
    ("主席团候选人考察、审批", dt.date(2020, 8, 20)),
    ("召开第十四次学生代表大会", HELD_ON),
]

WORK_REPORT = (
    "第十三届学生会工作报告",
    "回顾上一届学生会围绕服务同学开展的工作，总结学生接待日、青年之声诉求办理、"
    "校院班三级联动等方面的经验和不足，提出新一届工作建议。",
)
AMENDMENT = (
    "关于修改《学生会章程》的议案",
    "按照深化学生会改革的要求，实行主席团成员轮值制，精简工作人员和工作部门，"
    "明确工作人员的政治面貌和学业成绩要求，规范学生代表大会的召开。",
)

NARRATIVE = (
    "大会由主席团主持。校党委副书记出席并讲话，校团委书记代表校团委致辞。"
    "大会听取并审议了第十三届学生会工作报告，审议通过了《学生会章程》（2020年修改版），"
    "以差额选举方式选举产生了新一届学生会主席团。"
)


def apportion(total: int, sizes: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``sizes`` (largest remainders, ties to the first)."""
    whole = sum(sizes)
    shares = [total * s / whole for s in sizes]
    out = [math.floor(s) for s in shares]
    rest = sorted(range(len(sizes)), key=lambda i: (-(shares[i] - out[i]), i))
    for i in rest[: total - sum(out)]:
        out[i] += 1
    return out


def _at(hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(HELD_ON, dt.time(hour, minute, second)))


def _pick(students: list[Student], count: int) -> list[Student]:
    """``count`` students spread over the grades (round robin), evenly through each grade."""
    by_grade: dict[int, list[Student]] = defaultdict(list)
    for s in students:
        by_grade[s.grade].append(s)
    grades = sorted(by_grade)
    wanted = dict.fromkeys(grades, 0)
    for i in range(count):
        wanted[grades[i % len(grades)]] += 1
    picked: list[Student] = []
    for grade in grades:
        pool, n = by_grade[grade], wanted[grade]
        step = max(len(pool) // max(n, 1), 1)
        picked.extend(pool[i * step] for i in range(n))
    return picked


def _delegates(session: CongressSession, school, avoid: set[int]) -> list[Delegate]:
    colleges = list(College.objects.filter(school=school).order_by("order", "pk"))
    students = defaultdict(list)
    for s in (
        Student.objects.filter(school=school)
        .exclude(pk__in=avoid)
        .order_by("grade", "student_no")
        .only("pk", "grade", "college_id", "class_group_id", "student_no")
    ):
        students[s.college_id].append(s)
    counts = apportion(DELEGATES, [len(students[c.pk]) for c in colleges])
    majors = list(Society.objects.filter(school=school, is_major=True).order_by("pk"))
    rows: list[Delegate] = []
    for college, count in zip(colleges, counts, strict=True):
        for s in _pick(students[college.pk], count):
            rows.append(
                Delegate(
                    session=session,
                    student=s,
                    college=college,
                    nominated_by_id=s.class_group_id,
                    status=DelegateStatus.CONFIRMED,
                    credential_note="资格审查通过",
                )
            )
    # Every major society sends delegates (the first ones of the list, in turn).
    for i, delegate in enumerate(rows[::20]):
        delegate.society = majors[i % len(majors)]
    for i, delegate in enumerate(rows):
        delegate.checked_in_at = _at(8, 10 + i * 40 // len(rows), i % 60)
    Delegate.objects.bulk_create(rows, batch_size=200)
    return list(Delegate.objects.filter(session=session))


def _motion_poll(session, motion, votes: dict[str, int], delegates, number: int) -> Poll:
    poll = Poll.objects.create(
        session=session,
        kind=PollKind.MOTION,
        title=f"表决：{motion.title}",
        motion=motion,
        status=PollStatus.CLOSED,
        opened_at=_at(9 + number, 0),
        closed_at=_at(9 + number, 20),
        issued=len(delegates),
    )
    ballots = [
        Ballot(poll=poll, choice=vote, valid=True, source=BallotSource.PHONE)
        for vote, n in votes.items()
        for _ in range(n)
    ]
    Ballot.objects.bulk_create(ballots, batch_size=200)
    VoterMark.objects.bulk_create([VoterMark(poll=poll, delegate=d) for d in delegates])
    storage_shuffle(poll)  # stored like any closed poll: no order shared by marks and ballots
    return poll


def _election(session, winners: list[Student], other: Student, delegates) -> Poll:
    poll = Poll.objects.create(
        session=session,
        kind=PollKind.ELECTION,
        title="选举第十四届学生会主席团成员",
        seats=len(winners),
        status=PollStatus.CLOSED,
        opened_at=_at(11, 0),
        closed_at=_at(11, 30),
        issued=len(delegates),
    )
    listed = stroke_order([*winners, other], name=lambda s: s.name)
    Candidate.objects.bulk_create(
        [Candidate(poll=poll, student=s, order=i) for i, s in enumerate(listed, start=1)]
    )
    ids = {c.student_id: c.pk for c in poll.candidates.all()}
    elected = [ids[s.pk] for s in winners]
    rows = []
    returned = len(delegates)
    for i in range(returned - 2):
        marks = list(elected)
        if i % 4 == 0:  # a quarter of the ballots prefer the sixth candidate to one member
            marks[(i // 4) % len(marks)] = ids[other.pk]
        rows.append(
            Ballot(
                poll=poll,
                choice={"marks": sorted(marks), "write_in": ""},
                valid=True,
                source=BallotSource.PHONE,
            )
        )
    for _ in range(2):  # two ballots mark more names than seats: invalid
        rows.append(
            Ballot(
                poll=poll,
                choice={"marks": sorted([*elected, ids[other.pk]]), "write_in": ""},
                valid=False,
                source=BallotSource.PAPER,
            )
        )
    random.Random(SEED).shuffle(rows)
    Ballot.objects.bulk_create(rows, batch_size=200)
    VoterMark.objects.bulk_create([VoterMark(poll=poll, delegate=d) for d in delegates])
    storage_shuffle(poll)  # stored like any closed poll: no order shared by marks and ballots
    return poll


def build(school) -> CongressSession:
    """Demo step ("after"): the 14th congress, replacing the hand-recorded one."""
    union = Union.objects.get(school=school, college__isnull=True)
    presidium = list(
        Membership.objects.filter(union=union, body__kind=BodyKind.PRESIDIUM, end__isnull=True)
        .select_related("student")
        .order_by("student__student_no")
    )
    winners = [m.student for m in presidium]
    school_staff = set(
        Membership.objects.filter(union=union, end__isnull=True).values_list(
            "student_id", flat=True
        )
    )
    other = (
        Membership.objects.filter(
            school=school,
            union__college__isnull=False,
            body__kind=BodyKind.PRESIDIUM,
            end__isnull=True,
        )
        .exclude(student__in=school_staff)
        .select_related("student")
        .order_by("student__student_no")
        .first()
        .student
    )
    with transaction.atomic():
        session = CongressSession.objects.create(
            school=school,
            union=union,
            number=NUMBER,
            name=NAME,
            held_on=HELD_ON,
            venue=VENUE,
            roster_cutoff=ROSTER_CUTOFF,
            notice_until=NOTICE_UNTIL,
            status=SessionStatus.CLOSED,
            minutes_narrative=NARRATIVE,
        )
        Milestone.objects.bulk_create(
            [Milestone(session=session, title=t, due=d, done_on=d) for t, d in MILESTONES]
        )
        delegates = _delegates(session, school, avoid={s.pk for s in [*winners, other]})
        report = Motion.objects.create(
            session=session,
            kind=MotionKind.WORK_REPORT,
            title=WORK_REPORT[0],
            text=WORK_REPORT[1],
            majority=Majority.HALF,
            base=MajorityBase.PRESENT,
        )
        amendment = Motion.objects.create(
            session=session,
            kind=MotionKind.CHARTER,
            title=AMENDMENT[0],
            text=AMENDMENT[1],
            review="主席团建议大会审议通过。",
            charter_rules=SEED_2020.to_json(),
            charter_label=CHARTER_LABEL,
            majority=Majority.TWO_THIRDS,
            base=MajorityBase.ENTITLED,
        )
        _motion_poll(session, report, {"yes": 161, "no": 2, "abstain": 4}, delegates, 0)
        _motion_poll(session, amendment, {"yes": 158, "no": 3, "abstain": 6}, delegates, 1)
        election = _election(session, winners, other, delegates)
        audit_record(
            school=school,
            actor=None,
            action="congress.demo.built",
            target=session,
            new={
                "name": NAME,
                "held_on": HELD_ON,
                "delegates": len(delegates),
                "ballots": Ballot.objects.filter(poll__session=session).count(),
                "election": election.pk,
            },
        )
        # The charter demo adopted this very version before the posts; this finds it.
        amendment_adopt(actor=None, motion=amendment)
        # The charter demo recorded this congress by hand; the session now stands for it.
        CongressRecord.objects.filter(school=school, union=union, name=NAME).delete()
        congress_record_sync(session)
    return session
