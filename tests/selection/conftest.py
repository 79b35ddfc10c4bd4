import datetime as dt

import pytest
from django.utils import timezone

from tuanxue.org.models import Role, Title
from tuanxue.selection.rounds import services as rounds


@pytest.fixture
def office(chartered):
    """One user per office of the chains, in the kit school's scope."""
    kit = chartered
    kit.offices = {
        role: kit.user(f"office-{role}", role=role)
        for role in (
            Role.COLLEGE_LEAGUE,
            Role.COLLEGE_PARTY,
            Role.STUDENT_AFFAIRS,
            Role.SCHOOL_LEAGUE,
            Role.SCHOOL_PARTY,
            Role.FEDERATION,
        )
    }
    return kit


@pytest.fixture
def open_round(office):
    """An open round for the school union: one presidium place and two staff places."""
    kit = office
    kit.dept = kit.department()
    now = timezone.now()
    kit.round = rounds.round_open(
        actor=kit.offices[Role.SCHOOL_LEAGUE],
        union=kit.school_union,
        name="2020-2021学年校学生会遴选",
        term_start=dt.date(2020, 9, 1),
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
        seats=[(kit.presidium, Title.PRESIDIUM_MEMBER, 1), (kit.dept, Title.STAFF, 2)],
    )
    kit.presidium_seat = kit.round.seats.get(body=kit.presidium)
    kit.staff_seat = kit.round.seats.get(body=kit.dept)
    return kit


@pytest.fixture
def applicant(open_round):
    kit = open_round
    user = kit.user("applicant")
    student = kit.good_student("申请人", user=user)
    kit.applicant_user = user
    kit.applicant = student
    return kit
