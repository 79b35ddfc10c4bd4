"""Quotas: ceil(charter ratio × students) per college, exactly; the command's JSON."""

import datetime as dt
import io
import json
from fractions import Fraction

import pytest
from django.core.management import call_command

from tuanxue.congress.sessions.quota import college_quotas, quota_for
from tuanxue.org import services
from tuanxue.org.models import Gender, Major, PoliticalStatus, Student


def add_college(kit, name, students, *, grade=2020, start=0):
    college = services.college_create(actor=None, school=kit.school, name=name)
    major = Major.objects.create(school=kit.school, college=college, name=f"{name}专业")
    group = services.class_group_create(
        actor=None, school=kit.school, college=college, major=major, name=f"{name}1班", grade=grade
    )
    Student.objects.bulk_create(
        Student(
            school=kit.school,
            student_no=f"{name}{start + i:05d}",
            name=f"{name}生{i}",
            gender=Gender.MALE,
            college=college,
            major=major,
            class_group=group,
            grade=grade,
            political_status=PoliticalStatus.LEAGUE_MEMBER,
        )
        for i in range(students)
    )
    return college


@pytest.fixture
def roster(kit):
    add_college(kit, "甲学院", 100)
    add_college(kit, "乙学院", 101)
    add_college(kit, "丙学院", 250)
    add_college(kit, "丁学院", 0)
    return kit


@pytest.mark.parametrize(
    "students,quota", [(0, 0), (1, 1), (99, 1), (100, 1), (101, 2), (200, 2), (250, 3)]
)
def test_quota_rounds_up_exactly(students, quota):
    assert quota_for(Fraction(1, 100), students) == quota


def test_quota_per_college_without_charter(roster):
    table = college_quotas(roster.school, dt.date(2020, 8, 25))
    got = {row.college.name: (row.students, row.quota) for row in table.rows}
    assert got == {
        "信息学院": (0, 0),
        "甲学院": (100, 1),
        "乙学院": (101, 2),
        "丙学院": (250, 3),
        "丁学院": (0, 0),
    }
    assert table.ratio == Fraction(1, 100)
    assert table.total == 6


def test_quota_uses_the_charter_in_force(roster):
    roster.adopt_seed_charter()
    charter = roster.charter
    rules = dict(charter.rules, delegate_ratio="0.02")
    charter.rules = rules
    charter.save()
    table = college_quotas(roster.school, dt.date(2020, 8, 25))
    assert table.ratio == Fraction(2, 100)
    assert {row.college.name: row.quota for row in table.rows}["丙学院"] == 5
    # Before the charter: the default 1%.
    assert college_quotas(roster.school, dt.date(2020, 7, 1)).ratio == Fraction(1, 100)


def test_quota_command_json(roster):
    out = io.StringIO()
    call_command(
        "congress",
        "quota",
        "--school",
        roster.school.code,
        "--date",
        "2020-08-25",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["ratio"] == 0.01
    assert data["total"] == 6
    assert {"college": "乙学院", "students": 101, "quota": 2} in data["colleges"]


def test_quota_command_text_and_errors(roster):
    out = io.StringIO()
    call_command("congress", "quota", "--school", roster.school.code, stdout=out)
    assert "丙学院\t250\t3" in out.getvalue()
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("congress", "quota", "--school", "nope")
    with pytest.raises(CommandError):
        call_command("congress", "quota", "--school", roster.school.code, "--date", "x")
