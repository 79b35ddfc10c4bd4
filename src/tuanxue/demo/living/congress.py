"""Each year's congress of the living demo: sessions, delegates, the work report, the secret
ballot and the presidium installed, through the congress services where they exist."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

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
from tuanxue.congress.polls.install import congress_record_sync, presidium_install
from tuanxue.congress.polls.secrecy import storage_shuffle
from tuanxue.congress.polls.strokes import stroke_order
from tuanxue.congress.sessions.quota import college_quotas
from tuanxue.core.audit import audit_record
from tuanxue.demo.living.dates import _at, chinese_number, congress_day
from tuanxue.org.models import (
    Student,
)


def hold_congress(h, year: int, number: int, winners, other, rng) -> CongressSession:
    held = congress_day(year)
    name = f"第{chinese_number(number)}次学生代表大会"
    session = CongressSession.objects.create(
        school=h.school,
        union=h.union,
        number=number,
        name=name,
        held_on=held,
        venue="天河校区大礼堂",
        roster_cutoff=dt.date(year, 6, 30),
        notice_until=held - dt.timedelta(days=4),
        status=SessionStatus.CLOSED,
        created_by=h.league,
        minutes_narrative=(
            f"大会由主席团主持，校党委副书记出席并讲话。大会听取并审议了第{chinese_number(number - 1)}"
            "届学生会工作报告，以差额选举方式选举产生了新一届学生会主席团。"
        ),
    )
    Milestone.objects.bulk_create(
        [
            Milestone(session=session, title=title, due=day, done_on=day)
            for title, day in (
                ("校团委批复大会筹备方案", dt.date(year, 6, 15)),
                ("各学院选举产生学生代表", dt.date(year, 7, 8)),
                ("代表资格审查并公示", held - dt.timedelta(days=11)),
                ("主席团候选人考察、审批", held - dt.timedelta(days=5)),
                (f"召开{name}", held),
            )
        ]
    )
    quotas = college_quotas(h.school, held)
    avoid = {s.pk for s in [*winners, other]}
    pool = defaultdict(list)
    for s in (
        Student.objects.filter(school=h.school, grade__in=[year - 2, year - 1])
        .exclude(pk__in=avoid)
        .order_by("student_no")
        .only("pk", "college_id", "class_group_id", "grade")
    ):
        pool[s.college_id].append(s)
    rows = []
    # Two above each quota: the cohort that enters in September (at most 200 students a
    # college) raises a college's quota by at most two, and the registry counts the roster
    # of the day, so the congress stays at or above the quotas until the next one.
    for row in quotas.rows:
        picked = rng.sample(pool[row.college.pk], row.quota + 2 + rng.randint(0, 1))
        for s in sorted(picked, key=lambda s: s.pk):
            rows.append(
                Delegate(
                    session=session,
                    student=s,
                    college=row.college,
                    nominated_by_id=s.class_group_id,
                    status=DelegateStatus.CONFIRMED,
                    credential_note="资格审查通过",
                    checked_in_at=_at(held, 8, 10 + len(rows) % 40),
                )
            )
    for i, delegate in enumerate(rows[::15]):
        delegate.society = h.societies[i % len(h.societies)]
    Delegate.objects.bulk_create(rows, batch_size=500)
    delegates = list(Delegate.objects.filter(session=session))
    n = len(delegates)
    report = Motion.objects.create(
        session=session,
        kind=MotionKind.WORK_REPORT,
        title=f"第{chinese_number(number - 1)}届学生会工作报告",
        text="回顾一年来学生会围绕服务同学开展的工作，总结经验和不足，提出新一届工作建议。",
        majority=Majority.HALF,
        base=MajorityBase.PRESENT,
    )
    poll = Poll.objects.create(
        session=session,
        kind=PollKind.MOTION,
        title=f"表决：{report.title}",
        motion=report,
        status=PollStatus.CLOSED,
        opened_at=_at(held, 9),
        closed_at=_at(held, 9, 20),
        issued=n,
    )
    votes = ["no"] * 2 + ["abstain"] * 4 + ["yes"] * (n - 6)
    Ballot.objects.bulk_create(
        [Ballot(poll=poll, choice=v, valid=True, source=BallotSource.PHONE) for v in votes]
    )
    VoterMark.objects.bulk_create([VoterMark(poll=poll, delegate=d) for d in delegates])
    storage_shuffle(poll)
    election = Poll.objects.create(
        session=session,
        kind=PollKind.ELECTION,
        title=f"选举第{chinese_number(number)}届学生会主席团成员",
        seats=len(winners),
        status=PollStatus.CLOSED,
        opened_at=_at(held, 10, 30),
        closed_at=_at(held, 11),
        issued=n,
    )
    listed = stroke_order([*winners, other], name=lambda s: s.name)
    Candidate.objects.bulk_create(
        [Candidate(poll=election, student=s, order=i) for i, s in enumerate(listed, start=1)]
    )
    ids = {c.student_id: c.pk for c in election.candidates.all()}
    elected = [ids[s.pk] for s in winners]
    ballots = []
    for i in range(n - 1):
        marks = list(elected)
        if i % 5 == 0:
            marks[(i // 5) % len(marks)] = ids[other.pk]
        ballots.append(
            Ballot(
                poll=election,
                choice={"marks": sorted(marks), "write_in": ""},
                valid=True,
                source=BallotSource.PHONE,
            )
        )
    ballots.append(
        Ballot(
            poll=election,
            choice={"marks": sorted([*elected, ids[other.pk]]), "write_in": ""},
            valid=False,
            source=BallotSource.PAPER,
        )
    )
    rng.shuffle(ballots)
    Ballot.objects.bulk_create(ballots, batch_size=500)
    VoterMark.objects.bulk_create([VoterMark(poll=election, delegate=d) for d in delegates])
    storage_shuffle(election)
    audit_record(
        school=h.school,
        actor=None,
        action="congress.demo.built",
        target=session,
        new={"name": name, "held_on": held, "delegates": n, "election": election.pk},
    )
    installed = presidium_install(actor=h.league, poll=election)
    congress_record_sync(session, actor=h.league)
    h.counts["congresses"] += 1
    h.counts["delegates"] += n
    h.installed = [i.membership for i in installed]
    return session
