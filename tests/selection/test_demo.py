"""Recruitment in the demo school: a finished round behind the current union, and an open round
with work waiting for every office login."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tuanxue.charter.assessment import assess
from tuanxue.core.models import AuditEvent, Notification, School
from tuanxue.demo.org import build_demo, remove_demo_school
from tuanxue.org.access import build_viewer
from tuanxue.org.models import Membership, Role
from tuanxue.selection import services
from tuanxue.selection.access import acting_roles
from tuanxue.selection.chains import chain_steps
from tuanxue.selection.eligibility import eligibility
from tuanxue.selection.models import (
    Application,
    ApplicationStatus,
    ChainKind,
    RecruitmentRound,
    RoundStatus,
    StepAction,
)
from tuanxue.selection.rounds import services as rounds

OFFICE_LOGINS = ["xytw", "xydzz", "xuegong", "tuanwei", "dangwei", "xuelian"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = build_demo()
        yield result
        remove_demo_school()


@pytest.fixture
def school(demo, db) -> School:
    return School.objects.get(code="gdgm")


def user(name: str):
    return get_user_model().objects.get(username=name)


def queue_of(username: str, school: School) -> list[tuple[Application, list[str]]]:
    """What waits for a login: open applications at a step its office decides, in scope, not
    yet decided by that office in the current cycle."""
    viewer = build_viewer(user(username))
    steps = {kind: chain_steps(school, kind) for kind in ChainKind.values}
    rows = []
    for application in Application.objects.filter(
        school=school, status=ApplicationStatus.IN_REVIEW
    ).select_related("student", "seat__body", "school"):
        step = steps[application.seat.chain_kind][application.step - 1]
        done = set(
            StepAction.objects.filter(
                application=application, cycle=application.cycle, step=application.step
            ).values_list("role", flat=True)
        )
        roles = [r for r in acting_roles(viewer, step, application) if r not in done]
        if roles:
            rows.append((application, roles))
    return rows


def open_round(school) -> RecruitmentRound:
    return RecruitmentRound.objects.get(school=school, status=RoundStatus.OPEN)


def test_every_office_login_has_work_waiting(school):
    queues = {name: queue_of(name, school) for name in OFFICE_LOGINS}
    for name, rows in queues.items():
        assert rows, f"{name} has nothing waiting"
    assert len(queues["xytw"]) >= 3
    assert {a.step for a, _ in queues["xytw"]} == {1}
    assert {a.step for a, _ in queues["xydzz"]} == {2}
    assert {a.step for a, _ in queues["dangwei"]} == {4}
    assert {a.step for a, _ in queues["xuelian"]} == {5}
    # one application at the joint step waits only for the school League committee
    only_league = [a for a, _ in queues["tuanwei"] if a not in [b for b, _ in queues["xuegong"]]]
    assert any(a.step == 3 for a in only_league)
    # a department-seat application waits at its second (joint) step
    assert any(
        a.seat.chain_kind == ChainKind.DEPARTMENT and a.step == 2 for a, _ in queues["tuanwei"]
    )


def test_the_open_round_takes_applications_and_has_every_state(school):
    rnd = open_round(school)
    assert rounds.round_accepts(rnd)
    assert rnd.term_start.month == 9 and rnd.term_start.day == 1
    applications = list(rnd.applications.select_related("student__college"))
    assert 8 <= len(applications) <= 12
    assert {a.student.college.name for a in applications} == {"测绘遥感信息学院"}
    statuses = {a.status for a in applications}
    assert statuses == {ApplicationStatus.IN_REVIEW, ApplicationStatus.RETURNED}
    returned = next(a for a in applications if a.status == ApplicationStatus.RETURNED)
    assert returned.actions.get(decision="return").comment
    for application in applications:
        assert application.student.user_id is None
        assert not Membership.objects.filter(student=application.student, end__isnull=True)
        snapshot = eligibility(application.student, rnd.term_start)
        assert application.eligibility["reasons"] == snapshot["reasons"]
        assert application.eligible is snapshot["eligible"]
        assert application.eligible is not False


def test_xytw_is_notified_of_the_applications(school):
    assert Notification.objects.filter(user=user("xytw"), read_at__isnull=True).exists()


def test_xuesheng_may_apply_to_the_open_round(school):
    rnd = open_round(school)
    student = user("xuesheng").student
    assert not rnd.applications.filter(student=student).exists()
    assert eligibility(student, rnd.term_start)["eligible"] is not False
    seat = rnd.seats.order_by("pk").last()
    application = services.application_submit(
        actor=user("xuesheng"), rnd=rnd, seat=seat, statement="我希望为同学服务，积累工作经验。"
    )
    assert application.status == ApplicationStatus.IN_REVIEW


def test_the_finished_round_appointed_the_current_union(school):
    rnd = RecruitmentRound.objects.get(school=school, status=RoundStatus.FINISHED)
    assert rnd.term_start.isoformat() == "2020-08-25"
    assert rnd.opens_at.year == 2020 and rnd.opens_at.month == 8
    posts = Membership.objects.filter(
        union=rnd.union, end__isnull=True, start=rnd.term_start
    ).count()
    applications = list(rnd.applications.select_related("membership", "seat__body", "student"))
    assert len(applications) == posts
    assert sum(s.count for s in rnd.seats.all()) == posts
    offices = {name: user(name).pk for name in OFFICE_LOGINS}
    expected_actor = {
        Role.COLLEGE_LEAGUE: offices["xytw"],
        Role.COLLEGE_PARTY: offices["xydzz"],
        Role.STUDENT_AFFAIRS: offices["xuegong"],
        Role.SCHOOL_LEAGUE: offices["tuanwei"],
        Role.SCHOOL_PARTY: offices["dangwei"],
        Role.FEDERATION: offices["xuelian"],
    }
    first_college = "测绘遥感信息学院"
    for application in applications:
        assert application.status == ApplicationStatus.APPOINTED
        assert application.membership is not None
        assert application.membership.student_id == application.student_id
        assert application.membership.body_id == application.seat.body_id
        assert application.membership.title == application.seat.title
        assert application.eligible is True
        assert application.created_at.year == 2020
        actions = list(application.actions.order_by("step", "role"))
        steps = chain_steps(school, application.seat.chain_kind)
        assert [(a.step, a.role) for a in actions] == sorted(
            (s.order, r) for s in steps for r in s.roles
        )
        assert all(a.decision == "approve" and a.at.year == 2020 for a in actions)
        for action in actions:
            if action.role in (Role.COLLEGE_LEAGUE, Role.COLLEGE_PARTY):
                if application.student.college.name == first_college:
                    assert action.actor_id == expected_actor[action.role]
            else:
                assert action.actor_id == expected_actor[action.role]
    assert (
        AuditEvent.objects.filter(school=school, action="selection.demo.finished_round").count()
        == 1
    )


def test_the_audit_chain_verifies(school):
    out = io.StringIO()
    call_command("audit", "verify", "--school", "gdgm", stdout=out)
    assert "gdgm：完好" in out.getvalue()


def test_the_demo_assessment_still_passes(school):
    assert assess(school).passed is True
