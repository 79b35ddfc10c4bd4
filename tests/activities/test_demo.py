"""The activities part of the demo school: built on the org demo, the same on every run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tuanxue.activities.models import (
    Activity,
    ActivityStatus,
    Attendance,
    FilingDecision,
    Proposal,
    ProposalStatus,
    Rating,
)
from tuanxue.core.audit import verify_chain
from tuanxue.core.models import AuditEvent
from tuanxue.demo.activities import ARTS_SHOW, IT_CUP
from tuanxue.demo.org import build_demo, remove_demo_school


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # The activities are part of ``tuanxue demo`` (a registered demo step).
        result = build_demo()
        yield result.school, None
        remove_demo_school()


@pytest.fixture
def school(demo, db):
    return demo[0]


def _snapshot(school):
    return {
        "activities": sorted(
            Activity.objects.filter(school=school).values_list(
                "title", "status", "is_major", "area", "place", "capacity"
            )
        ),
        "filings": sorted(
            FilingDecision.objects.filter(activity__school=school).values_list(
                "activity__title", "decision", "comment"
            )
        ),
        "proposals": sorted(
            Proposal.objects.filter(school=school).values_list(
                "title", "status", "supports", "proposer__student_no", "activity__title"
            )
        ),
        "ratings": sorted(
            Rating.objects.filter(activity__school=school).values_list(
                "activity__title", "student__student_no", "score", "comment"
            )
        ),
    }


def test_the_two_flagship_activities(school):
    show = Activity.objects.get(school=school, title=ARTS_SHOW)
    assert show.capacity == 1500 and show.is_major
    assert show.status == ActivityStatus.PUBLISHED
    assert "school_brand" in show.brands
    assert FilingDecision.objects.get(activity=show).decision == "approve"
    cup = Activity.objects.get(school=school, title=IT_CUP)
    assert cup.status == ActivityStatus.PUBLISHED and "college_brand" in cup.brands
    assert cup.organiser_body.union.college.name == "计算机与信息工程学院"


def test_filing_states_and_areas(school):
    statuses = set(Activity.objects.filter(school=school).values_list("status", flat=True))
    assert {ActivityStatus.PUBLISHED, ActivityStatus.FILED, ActivityStatus.RETURNED} <= statuses
    areas = set(
        Activity.objects.filter(school=school, status=ActivityStatus.PUBLISHED).values_list(
            "area", flat=True
        )
    )
    assert len(areas) >= 5
    returned = Activity.objects.get(school=school, status=ActivityStatus.RETURNED)
    assert FilingDecision.objects.get(activity=returned).comment


def test_proposals_in_each_state(school):
    by_status = {p.status: p for p in Proposal.objects.filter(school=school)}
    assert set(by_status) == {
        ProposalStatus.COLLECTING,
        ProposalStatus.ON_LIST,
        ProposalStatus.ADOPTED,
    }
    assert by_status[ProposalStatus.ON_LIST].supports >= by_status[ProposalStatus.ON_LIST].threshold
    assert by_status[ProposalStatus.ADOPTED].activity.title == IT_CUP
    collecting = by_status[ProposalStatus.COLLECTING]
    assert 0 < collecting.supports < collecting.threshold
    for p in by_status.values():
        assert p.support_rows.count() == p.supports


def test_ratings_come_from_checked_in_participants(school):
    ratings = Rating.objects.filter(activity__school=school)
    assert ratings.count() >= 5
    for rating in ratings:
        assert Attendance.objects.filter(activity=rating.activity, student=rating.student).exists()


def test_everything_is_audited_and_the_chain_holds(school):
    assert AuditEvent.objects.filter(school=school, action="activities.filing.approved").exists()
    assert verify_chain(school) == []


def test_catalogue_shows_the_demo(client, school):
    page = client.get(reverse("activities:catalogue", args=[school.code])).content.decode()
    assert ARTS_SHOW in page and IT_CUP in page
    assert "校园半程马拉松" not in page  # still waiting for approval


def test_the_same_on_every_run(school, django_db_blocker):
    first = _snapshot(school)
    with django_db_blocker.unblock():
        rebuilt = build_demo().school
    assert _snapshot(rebuilt) == first


def test_volunteer_projects_in_different_states_and_ledger_entries(school):
    from tuanxue.activities.models import ProjectStatus, Signup, SignupStatus, VolunteerProject
    from tuanxue.ledger.models import CreditCategory, CreditEntry

    projects = VolunteerProject.objects.filter(school=school)
    assert {p.status for p in projects} == {ProjectStatus.CLOSED, ProjectStatus.RECRUITING}
    recruiting = projects.get(activity__title=IT_CUP)
    assert Signup.objects.filter(project=recruiting, status=SignupStatus.WAITING).count() == 2
    for role in recruiting.roles.all():
        assert role.taken <= role.slots
    closed = projects.get(activity__title=ARTS_SHOW)
    assert not Signup.objects.filter(project=closed).exclude(status=SignupStatus.RELEASED).exists()
    volunteer_hours = CreditEntry.objects.filter(
        school=school, category=CreditCategory.VOLUNTEER, corrects__isnull=True
    )
    assert volunteer_hours.count() == 14
    assert all(e.amount > 0 for e in volunteer_hours)
