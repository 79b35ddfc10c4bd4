"""Schools for the federation's tests: the kit school with a small union, the offices of the
chains (from the selection tests) and the federation's account."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import SchoolKit
from tests.selection.conftest import applicant, office, open_round  # noqa: F401
from tuanxue.charter.models import CongressRecord
from tuanxue.org.models import Role, Title


def staff_school(kit: SchoolKit, *, students: int = 3) -> SchoolKit:
    """A chartered school whose union has a presidium member, a department with a minister and
    ``students`` more students on the roll, and a congress in 2020."""
    if not hasattr(kit, "charter"):
        kit.adopt_seed_charter()
    dept = kit.department()
    kit.post(kit.good_student("主席"), kit.presidium, Title.PRESIDIUM_MEMBER)
    kit.post(kit.good_student("部长"), dept, Title.MINISTER)
    for _n in range(students):
        kit.student()
    CongressRecord.objects.create(
        school=kit.school,
        union=kit.school_union,
        name="第一次学生代表大会",
        held_on=dt.date(2020, 8, 25),
        delegates=10,
        elected_presidium=True,
    )
    kit.dept = dept
    return kit


@pytest.fixture
def school(kit) -> SchoolKit:
    staff_school(kit)
    kit.league = kit.user("league", role=Role.SCHOOL_LEAGUE)
    kit.affairs = kit.user("affairs", role=Role.STUDENT_AFFAIRS)
    kit.federation = kit.user("xuelian", role=Role.FEDERATION)
    kit.pupil = kit.user("pupil", student=True)
    return kit


@pytest.fixture
def other(other_kit) -> SchoolKit:
    staff_school(other_kit)
    other_kit.league = other_kit.user("other-league", role=Role.SCHOOL_LEAGUE)
    return other_kit
