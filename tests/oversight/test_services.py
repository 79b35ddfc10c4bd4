"""The oversight records' services: the League committee records, every change is audited with
old and new values, bad input is refused with the field named and nothing written."""

import datetime as dt

import pytest

from tests.oversight.conftest import events
from tuanxue.core.errors import DomainError
from tuanxue.oversight import services
from tuanxue.oversight.models import (
    AssignmentKind,
    LeaderAssignment,
    LeaderLecture,
    ReportHearing,
    WorkPlan,
)


def test_league_records_a_hearing_and_every_change_is_audited(kit, people):
    union = kit.school_union
    hearing = services.hearing_add(
        actor=people.league,
        school=kit.school,
        union=union,
        held_on=dt.date(2020, 6, 29),
        meeting="校党委会",
        topics=["congress", "charter", "candidates"],
        summary="研究章程修改",
    )
    assert hearing.topic_labels and hearing.recorded_by == people.league
    [created] = events("oversight.hearing.recorded")
    assert created.new["meeting"] == "校党委会" and created.new["union"] == union.name
    services.hearing_update(
        actor=people.league,
        hearing=hearing,
        union=union,
        held_on=dt.date(2020, 6, 30),
        meeting="校党委常委会",
        topics=["congress"],
    )
    [changed] = events("oversight.hearing.changed")
    assert changed.old["meeting"] == "校党委会" and changed.new["meeting"] == "校党委常委会"
    services.hearing_delete(actor=people.league, hearing=hearing)
    assert not ReportHearing.objects.exists()
    assert len(events("oversight.hearing.deleted")) == 1


def test_only_the_league_committee_records(kit, people):
    for actor in (people.affairs, people.chair, people.student):
        with pytest.raises(DomainError) as exc:
            services.plan_add(
                actor=actor, school=kit.school, year=2020, document="工作要点", excerpt="学生会"
            )
        assert exc.value.code == "forbidden"
    assert not WorkPlan.objects.exists()


def test_bad_input_names_the_field_and_writes_nothing(kit, people):
    future = dt.date.today() + dt.timedelta(days=3)
    cases = [
        (
            lambda: services.lecture_add(
                actor=people.league,
                school=kit.school,
                given_on=future,
                occasion="may_fourth",
                leader="校长",
                title="报告",
            ),
            "given_on",
        ),
        (
            lambda: services.hearing_add(
                actor=people.league,
                school=kit.school,
                union=kit.school_union,
                held_on=dt.date(2020, 6, 1),
                meeting="校党委会",
                topics=[],
            ),
            "topics",
        ),
        (
            lambda: services.plan_add(
                actor=people.league, school=kit.school, year=2020, document=" ", excerpt="x"
            ),
            "document",
        ),
        (
            lambda: services.assignment_add(
                actor=people.league,
                school=kit.school,
                union=kit.school_union,
                kind=AssignmentKind.IN_CHARGE,
                leader="陈",
                start=dt.date(2020, 7, 1),
                end=dt.date(2020, 6, 1),
            ),
            "end",
        ),
    ]
    for call, field in cases:
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.field == field
    assert not LeaderLecture.objects.exists() and not ReportHearing.objects.exists()
    assert not LeaderAssignment.objects.exists()


def test_one_leader_at_a_time_holds_an_assignment(kit, people, other_kit):
    args = {"actor": people.league, "school": kit.school, "union": kit.school_union}
    services.assignment_add(
        **args, kind=AssignmentKind.IN_CHARGE, leader="陈国华", start=dt.date(2020, 6, 29)
    )
    with pytest.raises(DomainError) as exc:
        services.assignment_add(
            **args, kind=AssignmentKind.IN_CHARGE, leader="王", start=dt.date(2021, 1, 1)
        )
    assert "陈国华" in exc.value.message
    # The other assignment, and a successor after the first term ends, are fine.
    services.assignment_add(
        **args, kind=AssignmentKind.TAKES_PART, leader="林志强", start=dt.date(2020, 6, 29)
    )
    first = LeaderAssignment.objects.get(leader="陈国华")
    services.assignment_update(
        actor=people.league,
        assignment=first,
        union=kit.school_union,
        kind=AssignmentKind.IN_CHARGE,
        leader="陈国华",
        start=first.start,
        end=dt.date(2020, 12, 31),
    )
    services.assignment_add(
        **args, kind=AssignmentKind.IN_CHARGE, leader="王", start=dt.date(2021, 1, 1)
    )
    assert LeaderAssignment.objects.count() == 3
    # A union of another school is refused.
    with pytest.raises(DomainError) as exc:
        services.assignment_add(
            actor=people.league,
            school=kit.school,
            union=other_kit.school_union,
            kind=AssignmentKind.TAKES_PART,
            leader="x",
            start=dt.date(2020, 1, 1),
        )
    assert exc.value.field == "union"
