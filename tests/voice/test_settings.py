"""The League committee's settings page: who may read and change it, each form, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.builders.voice import as_user
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Role, StaffPerson
from tuanxue.voice.models import AnsweringDepartment, CalendarDay, Category, VoiceOfficer


@pytest.fixture
def page(w):
    return reverse("voice:settings", args=[w.school.code])


def test_who_may_read_and_change(client, w, other_kit, page):
    outsider = other_kit.user("outsider", role=Role.SCHOOL_LEAGUE)
    data = {"action": "department", "department-name": "保卫处", "department-kind": "answering"}
    as_user(client, w.party)
    assert client.get(page).status_code == 200  # read-only
    assert client.post(page, data).status_code == 403
    as_user(client, w.jiaowu_user)
    assert client.get(page).status_code == 403
    as_user(client, outsider)
    assert client.get(page).status_code == 404
    assert client.post(page, data).status_code == 404
    as_user(client, w.league)
    assert client.get(page).status_code == 200
    assert client.post(page, data).status_code == 302
    assert AnsweringDepartment.objects.filter(school=w.school, name="保卫处").exists()
    assert AuditEvent.objects.filter(
        action="voice.department.created", actor_id=w.league.pk
    ).exists()


def test_each_form(client, w, page):
    as_user(client, w.league)
    staff = StaffPerson.objects.create(
        school=w.school, staff_no="T9001", name="馆员", unit="图书馆"
    )
    post = {"action": "staff", "staff-department": w.houqin.pk, "staff-staff_no": "T9001"}
    assert client.post(page, post).status_code == 302
    assert w.houqin.staff_links.filter(staff=staff).exists()
    post = {
        "action": "category",
        "category-category": w.academic.pk,
        "category-deadline_days": 3,
        "category-department": w.houqin.pk,
    }
    assert client.post(page, post).status_code == 302
    w.academic.refresh_from_db()
    assert (w.academic.deadline_days, w.academic.default_department) == (3, w.houqin)
    post = {
        "action": "new_category",
        "new_category-code": "safety",
        "new_category-name": "校园安全",
        "new_category-deadline_days": 2,
    }
    assert client.post(page, post).status_code == 302
    assert Category.objects.get(school=w.school, code="safety").deadline_days == 2
    post = {"action": "calendar", "calendar-date": "2020-10-01", "calendar-kind": "holiday"}
    assert client.post(page, post).status_code == 302
    assert CalendarDay.objects.get(school=w.school).date == dt.date(2020, 10, 1)
    other = w.kit.user("mishu", role=Role.SCHOOL_LEAGUE)
    assert client.post(page, {"action": "officer", "officer-username": "mishu"}).status_code == 302
    assert VoiceOfficer.objects.filter(school=w.school, user=other).exists()
    assert "校园安全" in client.get(page).content.decode()


def test_bad_input_names_the_field_and_changes_nothing(client, w, page):
    as_user(client, w.league)
    before = AnsweringDepartment.objects.count()
    response = client.post(
        page, {"action": "department", "department-name": "教务处", "department-kind": "answering"}
    )
    assert response.status_code == 400
    assert "已有同名部门" in response.content.decode()
    assert AnsweringDepartment.objects.count() == before
    response = client.post(
        page, {"action": "staff", "staff-department": w.houqin.pk, "staff-staff_no": "NOPE"}
    )
    assert response.status_code == 400
    response = client.post(page, {"action": "officer", "officer-username": "stu"})
    assert response.status_code == 400  # a student cannot be a voice officer
    assert not VoiceOfficer.objects.filter(user__username="stu").exists()


def test_a_new_school_sets_up_the_standard_categories(client, other_kit):
    school = other_kit.school
    league = other_kit.user("newleague", role=Role.SCHOOL_LEAGUE)
    student = other_kit.user("newstudent", student=True)
    as_user(client, student)
    page = client.get(reverse("voice:submit", args=[school.code])).content.decode()
    assert 'id="demand-form"' not in page
    as_user(client, league)
    settings_page = reverse("voice:settings", args=[school.code])
    assert client.post(settings_page, {"action": "setup"}).status_code == 302
    names = set(Category.objects.filter(school=school).values_list("name", flat=True))
    assert names == {"学业发展", "身心健康", "社会融入", "权益维护"}
    as_user(client, student)
    page = client.get(reverse("voice:submit", args=[school.code])).content.decode()
    assert 'id="demand-form"' in page
