"""A school with two colleges and three classes, and a user for each linkage role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import SchoolKit
from tuanxue.org import services
from tuanxue.org.models import Major, Role


class LinkageKit:
    def __init__(self, kit: SchoolKit):
        self.kit = kit
        self.school = kit.school
        self.college1 = kit.college
        self.class1 = kit.class_group
        self.class2 = services.class_group_create(
            actor=None,
            school=self.school,
            college=self.college1,
            major=kit.major,
            name="软件2002",
            grade=2020,
        )
        self.college2 = services.college_create(actor=None, school=self.school, name="机电学院")
        major2 = Major.objects.create(school=self.school, college=self.college2, name="机电一体化")
        self.class3 = services.class_group_create(
            actor=None,
            school=self.school,
            college=self.college2,
            major=major2,
            name="机电2001",
            grade=2020,
        )
        self.league = kit.user("league", role=Role.SCHOOL_LEAGUE)
        self.affairs = kit.user("affairs", role=Role.STUDENT_AFFAIRS)
        self.col1 = kit.user("col1", role=Role.COLLEGE_LEAGUE)  # the kit's college
        self.col2 = kit.user("col2")
        services.role_grant_create(
            actor=None,
            user=self.col2,
            role=Role.COLLEGE_LEAGUE,
            school=self.school,
            college=self.college2,
        )
        self.sec1 = kit.user("sec1", role=Role.LEAGUE_BRANCH)  # the kit's class (class1)
        self.sec1_student = kit.student(name="团支书甲", user=self.sec1)
        self.sec3 = kit.user("sec3")
        services.role_grant_create(
            actor=None,
            user=self.sec3,
            role=Role.LEAGUE_BRANCH,
            school=self.school,
            class_group=self.class3,
        )
        self.student = kit.user("plain", student=True)
        self.term = services.semester_ensure(
            actor=None, school=self.school, code=_term_code(timezone.localdate())
        )

    def deadline(self, days=7):
        return timezone.now() + dt.timedelta(days=days)


def _term_code(day: dt.date) -> str:
    if day.month >= 8:
        return f"{day.year}-{day.year + 1}-1"
    if day.month == 1:
        return f"{day.year - 1}-{day.year}-1"
    return f"{day.year - 1}-{day.year}-2"


@pytest.fixture
def lk(kit) -> LinkageKit:
    return LinkageKit(kit)
