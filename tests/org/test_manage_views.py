"""Changing a union through the pages: who may, and every charter breach refused on the form."""

import datetime as dt

import pytest
from django.urls import reverse

from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Department, Membership, Role, Title


@pytest.fixture
def urls(chartered):
    code, union = chartered.school.code, chartered.school_union
    dept = chartered.department()
    member = chartered.post(chartered.good_student(), dept, Title.STAFF, dt.date(2020, 9, 1))
    chartered.dept = dept
    chartered.member = member
    return {
        "department_new": reverse("org:department_new", args=[code, union.pk]),
        "membership_new": reverse("org:membership_new", args=[code, union.pk]),
        "remit": reverse("org:remit", args=[code, dept.pk]),
        "membership_end": reverse("org:membership_end", args=[code, member.pk]),
    }


def test_league_committee_opens_every_form(client, chartered, urls):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    for url in urls.values():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.SCHOOL_PARTY, None, Role.COLLEGE_LEAGUE])
def test_read_only_roles_get_403(client, chartered, urls, role):
    user = chartered.user(role=role) if role else chartered.user(student=True)
    client.force_login(user)
    for url in urls.values():
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_outsiders_get_404(client, chartered, urls, other_kit):
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    for url in urls.values():
        assert client.get(url).status_code == 404, url


def test_college_league_manages_its_own_college_union(client, chartered):
    union = chartered.college.union
    client.force_login(chartered.user(role=Role.COLLEGE_LEAGUE))
    url = reverse("org:department_new", args=[chartered.school.code, union.pk])
    response = client.post(url, {"name": "学习部", "remit": "组织学风建设活动"})
    assert response.status_code == 302
    assert Department.objects.filter(union=union, name="学习部").exists()


def test_adding_a_department_is_audited(client, chartered, urls):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(urls["department_new"], {"name": "文艺部", "remit": "组织文艺活动"})
    assert response.status_code == 302
    department = Department.objects.get(name="文艺部")
    event = AuditEvent.objects.filter(action="org.department.created").order_by("-id").first()
    assert event.target_id == str(department.pk)


def test_forbidden_remit_is_refused_on_the_form(client, chartered, urls):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    events = AuditEvent.objects.count()
    response = client.post(urls["remit"], {"remit": "负责学生宿舍管理"})
    assert response.status_code == 200
    errors = response.context["form"].errors["remit"]
    assert "宿舍管理" in errors[0]
    chartered.dept.refresh_from_db()
    assert chartered.dept.remit == "会务与文书"
    assert AuditEvent.objects.count() == events


def test_sixth_presidium_member_is_refused_on_the_form(client, chartered, urls):
    for _ in range(5):
        chartered.post(chartered.good_student(), chartered.presidium, Title.PRESIDIUM_MEMBER)
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    candidate = chartered.good_student()
    before = Membership.objects.count()
    response = client.post(
        urls["membership_new"],
        {
            "student_no": candidate.student_no,
            "body": chartered.presidium.pk,
            "title": Title.PRESIDIUM_MEMBER,
            "start": "2020-09-01",
        },
    )
    assert response.status_code == 200
    message = str(response.context["form"].errors)
    assert "2020年修改版" in message and "5" in message
    assert Membership.objects.count() == before


def test_unknown_student_number_is_named(client, chartered, urls):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    response = client.post(
        urls["membership_new"],
        {
            "student_no": "NOPE1",
            "body": chartered.dept.pk,
            "title": Title.STAFF,
            "start": "2020-09-01",
        },
    )
    assert "NOPE1" in str(response.context["form"].errors["student_no"])


def test_appointing_and_ending_a_post(client, chartered, urls):
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    student = chartered.good_student()
    response = client.post(
        urls["membership_new"],
        {
            "student_no": student.student_no,
            "body": chartered.dept.pk,
            "title": Title.STAFF,
            "start": "2020-09-01",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(student=student, end__isnull=True).exists()
    response = client.post(urls["membership_end"], {"end": "2020-12-31", "reason": "resignation"})
    assert response.status_code == 302
    chartered.member.refresh_from_db()
    assert chartered.member.end == dt.date(2020, 12, 31)
    assert chartered.member.end_reason == "resignation"


def test_manage_links_show_only_to_managers(client, chartered, urls):
    url = reverse("org:union", args=[chartered.school.code, chartered.school_union.pk])
    client.force_login(chartered.user(student=True))
    assert urls["department_new"] not in client.get(url).content.decode()
    client.force_login(chartered.user(role=Role.SCHOOL_LEAGUE))
    assert urls["department_new"] in client.get(url).content.decode()
