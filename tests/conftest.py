"""Shared fixtures: a small school built through the services, and users for each role."""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
from django.contrib.auth import get_user_model

from tuanxue.charter import services as charter_services
from tuanxue.charter.rules import SEED_2020
from tuanxue.org import services
from tuanxue.org.models import AcademicRecord, Gender, Major, PoliticalStatus, Role, Student

STRICT = os.environ.get("TUANXUE_STRICT") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In strict mode (CI) a test that would skip for a missing service fails instead."""
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"strict mode: skipped tests fail ({reason})"


_seq = itertools.count(1)


class SchoolKit:
    """Builds records in one school through the services (so every write is audited)."""

    def __init__(self, code: str = "tst", name: str = "测试职业技术学院"):
        self.school = services.school_add(actor=None, code=code, name=name)
        self.college = services.college_create(actor=None, school=self.school, name="信息学院")
        self.major = Major.objects.create(school=self.school, college=self.college, name="软件技术")
        self.class_group = services.class_group_create(
            actor=None,
            school=self.school,
            college=self.college,
            major=self.major,
            name="软件2001",
            grade=2020,
        )

    def student(self, *, name: str | None = None, user=None, **extra) -> Student:
        n = next(_seq)
        fields = {
            "school": self.school,
            "student_no": f"S{n:06d}",
            "name": name or f"学生{n}",
            "gender": Gender.FEMALE,
            "college": self.college,
            "major": self.major,
            "class_group": self.class_group,
            "grade": 2020,
            "political_status": PoliticalStatus.LEAGUE_MEMBER,
            "phone": f"138{n:08d}",
            "user": user,
        }
        fields.update(extra)
        return Student.objects.create(**fields)

    def user(self, username: str | None = None, *, role: str | None = None, student=False):
        username = username or f"u{next(_seq)}"
        user = get_user_model().objects.create_user(username=username, password="pw-Tuanxue-1")
        if student:
            self.student(user=user)
        if role:
            scope = {}
            if role in (Role.COLLEGE_LEAGUE, Role.COLLEGE_PARTY):
                scope["college"] = self.college
            if role == Role.LEAGUE_BRANCH:
                scope["class_group"] = self.class_group
            services.role_grant_create(
                actor=None,
                user=user,
                role=role,
                school=None if role == Role.FEDERATION else self.school,
                **scope,
            )
        return user

    @property
    def school_union(self):
        return self.school.unions.get(college__isnull=True)

    def adopt_seed_charter(self) -> SchoolKit:
        """The seed charter in force from 2020-08-01, and the semester 2019-2020-2 finished."""
        self.semester = services.semester_ensure(actor=None, school=self.school, code="2019-2020-2")
        self.charter = charter_services.charter_adopt(
            actor=None,
            school=self.school,
            name="测试学院学生会章程",
            version_label="2020年修改版",
            effective_from=dt.date(2020, 8, 1),
            rules=SEED_2020.to_json(),
            adopted_by="第十四次学生代表大会",
        )
        self.presidium = self.school_union.bodies.get(kind="presidium")
        return self

    def good_student(self, name=None, *, study=1, assessment=1, size=40, failed=0, **extra):
        """A League member of grade 2018 with a 2019-2020-2 record (top of the major)."""
        student = self.student(name=name, grade=2018, **extra)
        AcademicRecord.objects.create(
            school=self.school,
            student=student,
            semester=self.semester,
            study_rank=study,
            assessment_rank=assessment,
            major_size=size,
            failed_courses=failed,
        )
        return student

    def department(self, name: str = "秘书部", remit: str = "会务与文书"):
        return services.department_create(
            actor=None, union=self.school_union, name=name, remit=remit
        )

    def post(self, student, body, title, start=dt.date(2020, 9, 1)):
        return services.membership_create(
            actor=None, body=body, student=student, title=title, start=start
        )


@pytest.fixture
def kit(db) -> SchoolKit:
    return SchoolKit()


@pytest.fixture
def other_kit(db) -> SchoolKit:
    return SchoolKit(code="oth", name="另一所学院")


@pytest.fixture
def chartered(kit):
    """The kit school with the seed charter in force from 2020-08-01 and a finished semester."""
    return kit.adopt_seed_charter()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; a fast hasher keeps them quick (never used outside tests)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def audit_checkpoints_in_tmp(settings, tmp_path):
    """Checkpoints the sealer writes during a test go to the test's own directory."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
