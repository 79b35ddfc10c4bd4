"""A charter amendment: the diff lists exactly the changed clauses; an adopted amendment becomes
the new charter version once; a rejected or undecided one does not."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from tuanxue.charter.models import Charter
from tuanxue.charter.rules import SEED_2020, Limits
from tuanxue.charter.services import charter_in_force
from tuanxue.congress.models import (
    Ballot,
    BallotSource,
    CongressSession,
    Delegate,
    DelegateStatus,
    Majority,
    MajorityBase,
    Motion,
    MotionKind,
    Poll,
    PollKind,
    PollStatus,
)
from tuanxue.congress.polls.amendment import amendment_adopt, amendment_diff, motion_adopted
from tuanxue.congress.sessions.agenda import ADOPTED, NOT_ADOPTED, PENDING, agenda
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Role

HELD_ON = dt.date(2021, 3, 20)


@pytest.fixture
def congress(chartered):
    kit = chartered
    session = CongressSession.objects.create(
        school=kit.school,
        union=kit.school_union,
        number=15,
        name="第十五次学生代表大会",
        held_on=HELD_ON,
        venue="礼堂",
        roster_cutoff=dt.date(2021, 3, 1),
    )
    now = timezone.now()
    for _ in range(10):
        Delegate.objects.create(
            session=session,
            student=kit.student(),
            college=kit.college,
            status=DelegateStatus.CONFIRMED,
            checked_in_at=now,
        )
    amended = dataclasses.replace(
        SEED_2020,
        school=dataclasses.replace(SEED_2020.school, staff_max=50),
        college=Limits(**{**dataclasses.asdict(SEED_2020.college), "heads_min": 1}),
        congress_interval_months=24,
    )
    motion = Motion.objects.create(
        session=session,
        kind=MotionKind.CHARTER,
        title="关于修改章程的议案",
        text="……",
        charter_rules=amended.to_json(),
        charter_label="2021年修改版",
        majority=Majority.TWO_THIRDS,
        base=MajorityBase.ENTITLED,
    )
    kit.session, kit.motion = session, motion
    kit.league = kit.user("league", role=Role.SCHOOL_LEAGUE)
    return kit


def vote(motion, yes, no=0, abstain=0) -> Poll:
    poll = Poll.objects.create(
        session=motion.session,
        kind=PollKind.MOTION,
        title="表决",
        motion=motion,
        status=PollStatus.CLOSED,
        issued=yes + no + abstain,
    )
    for choice, n in (("yes", yes), ("no", no), ("abstain", abstain)):
        for _ in range(n):
            Ballot.objects.create(poll=poll, choice=choice, valid=True, source=BallotSource.PHONE)
    return poll


def test_the_diff_lists_exactly_the_changed_clauses(congress):
    rows = amendment_diff(congress.motion)
    assert [(r["clause"], r["before"], r["after"]) for r in rows] == [
        ("school.staff_max", 60, 50),
        ("college.heads_min", 2, 1),
        ("congress_interval_months", 12, 24),
    ]
    assert all(r["label"] for r in rows)
    assert rows[0]["label"] == "校级学生会·工作人员总数上限"


def test_an_unchanged_amendment_has_an_empty_diff(congress):
    congress.motion.charter_rules = SEED_2020.to_json()
    assert amendment_diff(congress.motion) == []


def test_not_decided_or_rejected_is_not_adopted(congress):
    motion = congress.motion
    assert motion_adopted(motion) is None
    assert agenda(congress.session)[0].outcome == PENDING
    with pytest.raises(DomainError):
        amendment_adopt(actor=congress.league, motion=motion)
    vote(motion, yes=6, no=4)  # 6 of 10 entitled: short of two thirds
    assert motion_adopted(motion) is False
    assert agenda(congress.session)[0].outcome == NOT_ADOPTED
    with pytest.raises(DomainError):
        amendment_adopt(actor=congress.league, motion=motion)
    assert not Charter.objects.filter(version_label="2021年修改版").exists()


def test_adoption_creates_the_new_version_once(congress):
    motion = congress.motion
    vote(motion, yes=7, no=2, abstain=1)
    assert motion_adopted(motion) is True
    assert agenda(congress.session)[0].outcome == ADOPTED
    charter = amendment_adopt(actor=congress.league, motion=motion)
    assert charter.version_label == "2021年修改版"
    assert charter.effective_from == HELD_ON
    assert charter.adopted_by == "第十五次学生代表大会"
    assert charter.name == congress.charter.name
    assert charter.parsed.school.staff_max == 50
    assert charter_in_force(congress.school, HELD_ON).pk == charter.pk
    again = amendment_adopt(actor=congress.league, motion=motion)
    assert again.pk == charter.pk
    assert Charter.objects.filter(school=congress.school).count() == 2
    assert (
        AuditEvent.objects.filter(
            school=congress.school, action="congress.amendment.adopted"
        ).count()
        == 1
    )
    # The diff still compares with the charter the amendment changed.
    assert len(amendment_diff(motion)) == 3


def test_only_the_league_committee_records_the_adoption(congress):
    vote(congress.motion, yes=10)
    with pytest.raises(DomainError) as info:
        amendment_adopt(actor=congress.user("someone"), motion=congress.motion)
    assert info.value.code == "forbidden"
