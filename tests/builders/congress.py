"""Builders the congress tests share: one place, so no test module imports another."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tuanxue.congress.models import (
    CongressSession,
    Delegate,
    DelegateStatus,
    MotionKind,
)
from tuanxue.congress.polls import motions
from tuanxue.congress.polls import services as polls
from tuanxue.congress.scrutiny import auditpack
from tuanxue.congress.scrutiny import recount as independent
from tuanxue.congress.sessions import delegates as svc
from tuanxue.congress.sessions import services as sessions
from tuanxue.org import services
from tuanxue.org.models import Major, Role, Society


class Hall:
    """A congress session with confirmed, checked-in delegates who have accounts."""

    def __init__(self, kit, delegates: int = 5, *, present: int | None = None, cosigners=2):
        self.kit = kit
        if not hasattr(kit, "charter"):
            kit.adopt_seed_charter()
        self.session = CongressSession.objects.create(
            school=kit.school,
            union=kit.school_union,
            number=14,
            name="第十四次学生代表大会",
            held_on=dt.date(2020, 8, 25),
            venue="大礼堂",
            roster_cutoff=dt.date(2020, 6, 30),
            cosigners_needed=cosigners,
        )
        self.league = kit.user(role=Role.SCHOOL_LEAGUE)
        self.delegates = []
        present = delegates if present is None else present
        for i in range(delegates):
            user = kit.user()
            student = kit.student(user=user)
            self.delegates.append(
                Delegate.objects.create(
                    session=self.session,
                    student=student,
                    college=kit.college,
                    status=DelegateStatus.CONFIRMED,
                    checked_in_at=timezone.now() if i < present else None,
                )
            )

    def user(self, i):
        return self.delegates[i].student.user

    def motion(self, *, majority="half", base="present", kind=MotionKind.PRESIDIUM):
        return motions.motion_create(
            actor=self.league,
            session=self.session,
            kind=kind,
            title="关于工作报告的决议",
            text="大会同意工作报告。",
            majority=majority,
            base=base,
        )

    def motion_poll(self, **kw):
        poll = polls.poll_create_for_motion(actor=self.league, motion=self.motion(**kw))
        return polls.poll_open(actor=self.league, poll=poll)

    def election(self, names, seats, *, write_in=False, open_=True):
        candidates = [self.kit.student(name=n) for n in names]
        poll = polls.poll_create_election(
            actor=self.league,
            session=self.session,
            title="主席团选举",
            seats=seats,
            candidates=candidates,
            write_in=write_in,
        )
        return polls.poll_open(actor=self.league, poll=poll) if open_ else poll

    def cand(self, poll, name):
        return poll.candidates.get(student__name=name).pk


def recount_from_pack(poll) -> dict:
    """Recount from the audit pack alone (``congress.recount``) and check it against the
    app's published result; return the recount."""
    pack = independent.read_pack(auditpack.audit_pack_zip(poll))
    counted = independent.recount(pack)
    assert independent.compare(counted, pack["result"]) == []
    return counted


def build_hall(kit):
    """A session on public notice with three confirmed delegates; one of them has an account."""
    congress = Congress(kit)
    user = kit.user("delegate_user")
    student = congress.info_students[0]
    student.user = user
    student.save()
    congress.delegates = congress.fill()
    congress.delegate_user = user
    sessions.notice_start(
        actor=congress.league, session=congress.session, until=TODAY + dt.timedelta(days=3)
    )
    congress.session.refresh_from_db()
    return congress


TODAY = timezone.localdate()


class Congress:
    """A school with two colleges (信息学院 with 150 students, 机电学院 with 80), two grades, a
    major society, the League committee, branches and college committees, and a session."""

    def __init__(self, kit):
        self.kit = kit
        school = kit.school
        self.info = kit.college
        self.mech = services.college_create(actor=None, school=school, name="机电学院")
        mech_major = Major.objects.create(school=school, college=self.mech, name="机电一体化")
        self.mech_class = services.class_group_create(
            actor=None,
            school=school,
            college=self.mech,
            major=mech_major,
            name="机电2101",
            grade=2021,
        )
        self.info_students = [kit.student() for _ in range(150)]
        self.mech_students = [
            kit.student(
                college=self.mech, major=mech_major, class_group=self.mech_class, grade=2021
            )
            for _ in range(80)
        ]
        self.society = Society.objects.create(school=school, name="街舞社", is_major=True)
        self.league = kit.user("league", role=Role.SCHOOL_LEAGUE)
        self.info_branch = kit.user("info_branch", role=Role.LEAGUE_BRANCH)  # 软件2001
        self.info_college = kit.user("info_college", role=Role.COLLEGE_LEAGUE)
        self.mech_college = kit.user("mech_college")
        services.role_grant_create(
            actor=None,
            user=self.mech_college,
            role=Role.COLLEGE_LEAGUE,
            school=school,
            college=self.mech,
        )
        self.mech_branch = kit.user("mech_branch")
        services.role_grant_create(
            actor=None,
            user=self.mech_branch,
            role=Role.LEAGUE_BRANCH,
            school=school,
            class_group=self.mech_class,
        )
        self.member = kit.user("member", student=True)
        self.session = sessions.session_create(
            actor=self.league,
            union=kit.school_union,
            number=14,
            name="第十四次学生代表大会",
            held_on=TODAY + dt.timedelta(days=30),
            venue="大礼堂",
            roster_cutoff=TODAY,
            quorum="0.667",
            cosigners_needed=3,
        )

    def confirmed(self, student, *, society=None):
        college_user = (
            self.info_college if student.college_id == self.info.pk else self.mech_college
        )
        delegate = svc.delegate_nominate(
            actor=college_user, session=self.session, student=student, society=society
        )
        svc.delegate_elect(actor=college_user, delegate=delegate)
        return svc.credential_review(actor=self.league, delegate=delegate, confirmed=True)

    def fill(self):
        """Quotas met (信息 2, 机电 1), both grades and the major society represented."""
        a = self.confirmed(self.info_students[0], society=self.society)
        b = self.confirmed(self.info_students[1])
        c = self.confirmed(self.mech_students[0])
        return [a, b, c]
