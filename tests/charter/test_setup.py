"""The setup checklist: each step done or not from the records, a bounded number of queries, and
its panel on the League committee's home page until everything is done."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tuanxue.charter import services as charter_services
from tuanxue.charter.records.setup import setup_checklist
from tuanxue.org import services
from tuanxue.org.calendar import services as calendar
from tuanxue.org.models import AcademicRecord, Role, StaffPerson, Title


def status(checklist):
    return {i.key: i.done for i in checklist.items}


def finish_setup(kit):
    """Do every step for the kit school (one college, its students and staff)."""
    today = timezone.localdate()
    first = today.year if today.month >= 9 else today.year - 1
    year = calendar.academic_year_create(
        actor=None,
        school=kit.school,
        code=f"{first - 1}-{first}",
        start=dt.date(first - 1, 9, 1),
        end=dt.date(first, 8, 31),
    )
    calendar.semester_create(
        actor=None, year=year, number=1, start=dt.date(first - 1, 9, 1), end=dt.date(first, 1, 31)
    )
    calendar.academic_year_create(
        actor=None,
        school=kit.school,
        code=f"{first}-{first + 1}",
        start=dt.date(first, 9, 1),
        end=dt.date(first + 1, 8, 31),
    )
    semester = year.semesters.get()
    charter_services.charter_adopt(
        actor=None,
        school=kit.school,
        name="章程",
        version_label="v1",
        effective_from=dt.date(first - 1, 9, 1),
        rules={},
    )
    for role in (Role.STUDENT_AFFAIRS, Role.COLLEGE_LEAGUE):
        kit.user(role=role)
    users = get_user_model().objects
    for student in kit.school.students.filter(user__isnull=True):
        student.user = users.create_user(username=student.student_no)
        student.save()
        AcademicRecord.objects.create(
            school=kit.school,
            student=student,
            semester=semester,
            study_rank=1,
            assessment_rank=1,
            major_size=30,
            failed_courses=0,
        )
    advisor = StaffPerson.objects.create(
        school=kit.school, staff_no="T1", name="王老师", unit="校团委", user=users.create_user("T1")
    )
    sg = StaffPerson.objects.create(
        school=kit.school, staff_no="T2", name="李老师", unit="校团委", user=users.create_user("T2")
    )
    charter_services.guidance_set(
        actor=None, union=kit.school_union, advisor=advisor, secretary_general=sg
    )


def test_empty_school_has_every_step_open(kit):
    checklist = setup_checklist(kit.school)
    assert status(checklist) == {
        "charter": False,
        "roles": False,
        "accounts": False,
        "records": False,
        "guidance": False,
        "calendar": False,
    }
    by_key = {i.key: i for i in checklist.items}
    assert by_key["charter"].url == reverse("charter:adopt", args=[kit.school.code])
    assert "信息学院" in by_key["roles"].detail
    assert by_key["calendar"].url == reverse("calendar:index", args=[kit.school.code])
    assert by_key["guidance"].url == reverse("records:guidance", args=[kit.school.code])
    # Why the records matter is said on the step itself.
    assert by_key["records"].why


def test_each_step_follows_the_records(kit):
    kit.user(role=Role.SCHOOL_LEAGUE)
    for _n in range(3):
        kit.student()
    finish_setup(kit)
    checklist = setup_checklist(kit.school)
    assert checklist.complete, [(i.key, i.detail) for i in checklist.open_items]
    accounts = next(i for i in checklist.items if i.key == "accounts")
    assert "100.0%" in accounts.detail
    # One student without an account re-opens that step, with the share.
    kit.student()
    accounts = next(i for i in setup_checklist(kit.school).items if i.key == "accounts")
    assert not accounts.done and "75.0%" in accounts.detail
    # A second college without its League committee re-opens the roles step, naming it.
    services.college_create(actor=None, school=kit.school, name="机电学院")
    roles = next(i for i in setup_checklist(kit.school).items if i.key == "roles")
    assert not roles.done and "机电学院" in roles.detail


def test_records_step_names_members_who_cannot_be_decided(chartered):
    kit = chartered
    dept = kit.department()
    kit.post(kit.good_student("有成绩"), dept, Title.MINISTER)
    missing = kit.student(name="缺成绩", grade=2018)
    # Loaded as it stood (the charter would refuse it now): a member without the records.
    services.membership_create(
        actor=None,
        body=dept,
        student=missing,
        title=Title.STAFF,
        start=dt.date(2020, 9, 1),
        enforce_charter=False,
    )
    records = next(i for i in setup_checklist(kit.school).items if i.key == "records")
    assert not records.done
    assert "缺成绩" in records.detail and "2019-2020-2" in records.detail
    AcademicRecord.objects.create(
        school=kit.school,
        student=missing,
        semester=kit.semester,
        study_rank=5,
        assessment_rank=5,
        major_size=40,
        failed_courses=0,
    )
    records = next(i for i in setup_checklist(kit.school).items if i.key == "records")
    assert records.done, records.detail


def test_query_count_does_not_grow_with_the_school(chartered, django_assert_max_num_queries):
    kit = chartered
    dept = kit.department()
    for n in range(5):
        services.college_create(actor=None, school=kit.school, name=f"学院{n}")
        kit.student()
        kit.post(kit.good_student(), dept, Title.STAFF)
    with django_assert_max_num_queries(13):
        setup_checklist(kit.school)


def test_panel_on_the_league_committees_home_until_done(client, kit):
    league = kit.user(role=Role.SCHOOL_LEAGUE)
    client.force_login(league)
    home = client.get(reverse("org:school_home", args=[kit.school.code])).content.decode()
    assert 'id="setup-panel"' in home
    assert reverse("charter:adopt", args=[kit.school.code]) in home
    kit.student()
    finish_setup(kit)
    home = client.get(reverse("org:school_home", args=[kit.school.code])).content.decode()
    assert 'id="setup-panel"' not in home


@pytest.mark.parametrize("role", [Role.STUDENT_AFFAIRS, None])
def test_panel_is_not_shown_to_others(client, kit, role):
    client.force_login(kit.user(role=role, student=role is None))
    home = client.get(reverse("org:school_home", args=[kit.school.code])).content.decode()
    assert 'id="setup-panel"' not in home


@pytest.mark.parametrize(
    "role,code", [(Role.SCHOOL_LEAGUE, 200), (Role.SCHOOL_PARTY, 200), (None, 404)]
)
def test_setup_page_permissions(client, kit, other_kit, role, code):
    client.force_login(kit.user(role=role, student=role is None))
    assert client.get(reverse("records:setup", args=[kit.school.code])).status_code == code
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(reverse("records:setup", args=[kit.school.code])).status_code == 404
