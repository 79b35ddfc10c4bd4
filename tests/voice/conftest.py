"""A school with its student voice configured: departments with staff accounts, escalation
departments, a voice officer, students, a union staff member."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tuanxue.org.models import Role, StaffPerson, Title
from tuanxue.voice.models import Category, DayKind, DepartmentKind
from tuanxue.voice.setup import services as setup


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded photos go to a temporary directory, not the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def staff_user(kit, username: str, name: str, unit: str):
    user = get_user_model().objects.create_user(username=username, password="pw-Tuanxue-1")
    staff = StaffPerson.objects.create(
        school=kit.school, staff_no=f"T-{username}", name=name, unit=unit, user=user
    )
    return user, staff


def build_voice(kit) -> SimpleNamespace:
    w = SimpleNamespace(kit=kit, school=kit.school)
    setup.voice_setup(actor=None, school=kit.school)
    w.jiaowu = setup.department_create(actor=None, school=kit.school, name="教务处", order=1)
    w.houqin = setup.department_create(actor=None, school=kit.school, name="后勤处", order=2)
    w.xuegong = setup.department_create(
        actor=None, school=kit.school, name="学生工作部", kind=DepartmentKind.STUDENT_AFFAIRS
    )
    w.leader_dept = setup.department_create(
        actor=None, school=kit.school, name="分管校领导", kind=DepartmentKind.LEADER
    )
    w.jiaowu_user, staff = staff_user(kit, "jiaowu", "刘老师", "教务处")
    setup.department_staff_add(actor=None, department=w.jiaowu, staff=staff)
    w.houqin_user, staff = staff_user(kit, "houqin", "王老师", "后勤处")
    setup.department_staff_add(actor=None, department=w.houqin, staff=staff)
    w.xuegong_user, staff = staff_user(kit, "xuegong", "郑老师", "党委学生工作部")
    setup.department_staff_add(actor=None, department=w.xuegong, staff=staff)
    w.leader_user, staff = staff_user(kit, "leader", "李副书记", "校党委")
    setup.department_staff_add(actor=None, department=w.leader_dept, staff=staff)
    w.academic = Category.objects.get(school=kit.school, code="academic")
    w.rights = Category.objects.get(school=kit.school, code="rights")
    setup.category_update(
        actor=None, category=w.academic, deadline_days=5, default_department=w.jiaowu
    )
    setup.category_update(
        actor=None, category=w.rights, deadline_days=5, default_department=w.houqin
    )
    w.academic.refresh_from_db()
    w.rights.refresh_from_db()
    w.league = kit.user("tuanwei", role=Role.SCHOOL_LEAGUE)
    w.officer = kit.user("officer", role=Role.SCHOOL_LEAGUE)
    setup.officer_appoint(actor=w.league, school=kit.school, user=w.officer)
    w.student_user = kit.user("stu", student=True)
    w.student = w.student_user.student
    w.student.name = "保密同学甲"
    w.student.student_no = "20209999"
    w.student.save()
    w.other_user = kit.user("stu2", student=True)
    w.other = w.other_user.student
    w.party = kit.user("dangwei", role=Role.SCHOOL_PARTY)
    return w


@pytest.fixture
def w(chartered):
    w = build_voice(chartered)
    dept = chartered.department("学习权益部")
    w.member_user = chartered.user("ganshi")
    member = chartered.good_student(user=w.member_user)
    chartered.post(member, dept, Title.STAFF)
    w.reception = setup.reception_day_create(
        actor=w.league,
        school=chartered.school,
        date=timezone.localdate(),
        starts=dt.time(14, 0),
        ends=dt.time(17, 0),
        place="第一食堂门口",
        campus="天河校区",
        members=[member],
    )
    return w


@pytest.fixture
def national_day(kit):
    """2020: National Day and Mid-Autumn, 10-01..10-08 off, Sunday 09-27 and Saturday 10-10
    worked instead (the State Council's 2020 schedule)."""
    for day in range(1, 9):
        setup.calendar_day_set(
            actor=None,
            school=kit.school,
            date=dt.date(2020, 10, day),
            kind=DayKind.HOLIDAY,
            name="国庆节、中秋节",
        )
    for day in (dt.date(2020, 9, 27), dt.date(2020, 10, 10)):
        setup.calendar_day_set(actor=None, school=kit.school, date=day, kind=DayKind.WORKDAY)
    return kit.school
