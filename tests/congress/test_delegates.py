"""Delegates: nomination by the right branch, election by the right college, credential review,
public notice and objections, coverage gaps, and a session that refuses to open with gaps."""

import datetime as dt

import pytest

from tests.builders.congress import TODAY, Congress
from tuanxue.congress.models import DelegateStatus, SessionStatus
from tuanxue.congress.sessions import delegates as svc
from tuanxue.congress.sessions import services as sessions
from tuanxue.congress.sessions.quota import coverage
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Title


@pytest.fixture
def congress(kit):
    return Congress(kit)


def test_session_has_the_preparation_timeline(congress):
    titles = list(congress.session.milestones.values_list("title", "due"))
    assert len(titles) == 6
    assert titles[-1][1] == congress.session.held_on
    milestone = congress.session.milestones.first()
    sessions.milestone_done(actor=congress.league, milestone=milestone)
    with pytest.raises(DomainError):
        sessions.milestone_done(actor=congress.league, milestone=milestone)
    with pytest.raises(DomainError):
        sessions.milestone_done(
            actor=congress.info_college, milestone=congress.session.milestones.last()
        )
    assert AuditEvent.objects.filter(action="congress.session.created").count() == 1
    assert AuditEvent.objects.filter(action="congress.milestone.done").count() == 1


def test_only_the_league_committee_creates_sessions(congress):
    with pytest.raises(DomainError):
        sessions.session_create(
            actor=congress.info_college,
            union=congress.kit.school_union,
            number=15,
            name="x",
            held_on=TODAY,
            venue="v",
            roster_cutoff=TODAY,
        )
    with pytest.raises(DomainError) as exc:
        sessions.session_create(
            actor=congress.league,
            union=congress.kit.school_union,
            number=14,
            name="x",
            held_on=TODAY,
            venue="v",
            roster_cutoff=TODAY,
        )
    assert exc.value.field == "number"


def test_nomination_by_the_right_branch_only(congress):
    info_student, mech_student = congress.info_students[5], congress.mech_students[5]
    d = svc.delegate_nominate(
        actor=congress.info_branch, session=congress.session, student=info_student
    )
    assert d.status == DelegateStatus.NOMINATED and d.nominated_by == info_student.class_group
    for actor in (congress.info_branch, congress.info_college, congress.member):
        with pytest.raises(DomainError) as exc:
            svc.delegate_nominate(actor=actor, session=congress.session, student=mech_student)
        assert exc.value.code == "forbidden"
    svc.delegate_nominate(
        actor=congress.mech_branch, session=congress.session, student=mech_student
    )
    with pytest.raises(DomainError):  # twice
        svc.delegate_nominate(
            actor=congress.info_college, session=congress.session, student=info_student
        )
    assert AuditEvent.objects.filter(action="congress.delegate.nominated").count() == 2


def test_election_by_the_right_college_only(congress):
    d = svc.delegate_nominate(
        actor=congress.info_branch, session=congress.session, student=congress.info_students[0]
    )
    for actor in (congress.mech_college, congress.info_branch, congress.league):
        with pytest.raises(DomainError):
            svc.delegate_elect(actor=actor, delegate=d)
    svc.delegate_elect(actor=congress.info_college, delegate=d)
    d.refresh_from_db()
    assert d.status == DelegateStatus.ELECTED
    with pytest.raises(DomainError):  # not nominated any more
        svc.delegate_elect(actor=congress.info_college, delegate=d)


def test_credential_review(congress):
    d = svc.delegate_nominate(
        actor=congress.info_college, session=congress.session, student=congress.info_students[0]
    )
    with pytest.raises(DomainError):  # not elected yet
        svc.credential_review(actor=congress.league, delegate=d, confirmed=True)
    svc.delegate_elect(actor=congress.info_college, delegate=d)
    with pytest.raises(DomainError):
        svc.credential_review(actor=congress.info_college, delegate=d, confirmed=True)
    with pytest.raises(DomainError) as exc:
        svc.credential_review(actor=congress.league, delegate=d, confirmed=False, note="")
    assert exc.value.field == "note"
    svc.credential_review(actor=congress.league, delegate=d, confirmed=False, note="不符合条件")
    d.refresh_from_db()
    assert d.status == DelegateStatus.REJECTED and d.credential_note == "不符合条件"
    # Nominated again afresh.
    d = svc.delegate_nominate(
        actor=congress.info_college, session=congress.session, student=congress.info_students[0]
    )
    assert d.status == DelegateStatus.NOMINATED and d.credential_note == ""


def test_coverage_gaps_are_named(congress):
    cov = coverage(congress.session)
    assert "信息学院：0/2" in cov.gaps
    assert "机电学院：0/1" in cov.gaps
    assert any("2020" in g for g in cov.gaps) and any("2021" in g for g in cov.gaps)
    assert any("街舞社" in g for g in cov.gaps)
    first = congress.confirmed(congress.info_students[0])
    cov = coverage(congress.session)
    assert "信息学院：1/2" in cov.gaps
    assert not any("2020" in g for g in cov.gaps)
    congress.confirmed(congress.info_students[1], society=congress.society)
    congress.confirmed(congress.mech_students[0])
    cov = coverage(congress.session)
    assert cov.ok, cov.gaps
    # Union staff share: one of the delegates holds a post.
    dept = congress.kit.department()
    congress.kit.post(first.student, dept, Title.STAFF)
    cov = coverage(congress.session)
    assert (cov.staff, cov.delegates) == (1, 3)


def test_notice_objections_and_opening(congress):
    session = congress.session
    with pytest.raises(DomainError):  # nothing confirmed yet
        sessions.notice_start(
            actor=congress.league, session=session, until=TODAY + dt.timedelta(days=5)
        )
    d = congress.confirmed(congress.info_students[0])
    with pytest.raises(DomainError):  # no notice yet
        svc.objection_file(actor=congress.member, delegate=d, text="有异议")
    with pytest.raises(DomainError):
        sessions.notice_start(actor=congress.info_college, session=session, until=TODAY)
    sessions.notice_start(
        actor=congress.league, session=session, until=TODAY + dt.timedelta(days=5)
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.NOTICE
    objection = svc.objection_file(actor=congress.member, delegate=d, text="该同学不是本院学生")
    with pytest.raises(DomainError):
        svc.objection_file(actor=congress.member, delegate=d, text="  ")
    # Gaps and the unanswered objection stop the opening, each named.
    with pytest.raises(DomainError) as exc:
        sessions.session_open(actor=congress.league, session=session)
    assert "信息学院：1/2" in exc.value.message and "机电学院：0/1" in exc.value.message
    assert "街舞社" in exc.value.message and "异议尚未答复" in exc.value.message
    congress.confirmed(congress.info_students[1], society=congress.society)
    congress.confirmed(congress.mech_students[0])
    with pytest.raises(DomainError) as exc:
        sessions.session_open(actor=congress.league, session=session)
    assert "异议尚未答复" in exc.value.message and "信息学院" not in exc.value.message
    with pytest.raises(DomainError):
        svc.objection_answer(actor=congress.member, objection=objection, answer="x")
    svc.objection_answer(actor=congress.league, objection=objection, answer="经核实属本院学生")
    with pytest.raises(DomainError):
        svc.objection_answer(actor=congress.league, objection=objection, answer="again")
    sessions.session_open(actor=congress.league, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    # Delegates are fixed once the session is open.
    with pytest.raises(DomainError):
        svc.delegate_nominate(
            actor=congress.info_college, session=session, student=congress.info_students[9]
        )
    sessions.session_close(actor=congress.league, session=session)
    assert AuditEvent.objects.filter(action__startswith="congress.").count() >= 10


def test_outsider_cannot_object(congress, other_kit):
    d = congress.confirmed(congress.info_students[0])
    sessions.notice_start(actor=congress.league, session=congress.session, until=TODAY)
    outsider = other_kit.user(student=True)
    with pytest.raises(DomainError) as exc:
        svc.objection_file(actor=outsider, delegate=d, text="x")
    assert exc.value.code == "forbidden"
