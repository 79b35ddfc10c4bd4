"""The volunteer API: signing up with a student's token (201 confirmed / waiting with a
position), refusals (409 with a code), 404 for what the caller may not see, 401 without
credentials, withdrawing, the ping baseline and the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders.activities import API, VolunteerKit, bearer, post_signup, role_of, shift
from tests.conftest import SchoolKit
from tuanxue.activities.models import ActivityStatus, Signup, SignupMode, SignupStatus


@pytest.fixture
def vk(kit) -> VolunteerKit:
    return VolunteerKit(kit)


def test_signup_confirmed_then_waiting_with_position(client, vk):
    project = vk.project(roles=[vk.role_spec("引导员", 1)])
    role = role_of(project)
    first, second, third = (vk.student_user() for _ in range(3))
    response = post_signup(client, project, role, first)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed" and body["role"] == role.pk
    assert body["position"] is None
    assert Signup.objects.get(pk=body["id"]).status == SignupStatus.CONFIRMED
    response = post_signup(client, project, role, second)
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["position"]) == ("waiting", 1)
    response = post_signup(client, project, role, third)
    assert (response.json()["status"], response.json()["position"]) == ("waiting", 2)


def test_duplicate_is_409(client, vk):
    project = vk.project()
    role = role_of(project)
    user = vk.student_user()
    headers = bearer(user)
    assert post_signup(client, project, role, user, **headers).status_code == 201
    response = post_signup(client, project, role, user, **headers)
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
    assert response.json()["detail"]


def test_closed_overlap_and_requirements_are_409(client, vk):
    project = vk.project(
        roles=[vk.role_spec("引导员", 5), vk.role_spec("新生岗", 5, grades=[2030])]
    )
    other = vk.project(title="同时段", roles=[vk.role_spec("检票员", 5, start_h=1)])
    user = vk.student_user()
    headers = bearer(user)
    assert (
        post_signup(client, project, role_of(project, "引导员"), user, **headers).status_code == 201
    )
    response = post_signup(client, other, role_of(other), user, **headers)
    assert (response.status_code, response.json()["code"]) == (409, "overlap")
    response = post_signup(client, project, role_of(project, "新生岗"), vk.student_user())
    assert (response.status_code, response.json()["code"]) == (409, "not_eligible")
    shift(other, closes_at=vk.now - dt.timedelta(minutes=1), opens_at=vk.now - dt.timedelta(days=1))
    response = post_signup(client, other, role_of(other), vk.student_user())
    assert (response.status_code, response.json()["code"]) == (409, "closed")


def test_role_of_another_project_is_422(client, vk):
    project, other = vk.project(), vk.project(title="别的")
    response = post_signup(client, project, role_of(other), vk.student_user())
    assert response.status_code == 422
    assert response.json()["field"] == "role"


def test_outsider_and_unpublished_are_404(client, vk, other_kit):
    project = vk.project()
    role = role_of(project)
    outsider = other_kit.user(student=True)
    assert post_signup(client, project, role, outsider).status_code == 404
    assert (
        client.get(f"{API}/volunteer-projects/{project.pk}", **bearer(outsider)).status_code == 404
    )
    assert client.get(f"{API}/volunteer-projects/999999", **bearer(outsider)).status_code == 404
    vk.activity.status = ActivityStatus.DRAFT
    vk.activity.save(update_fields=["status"])
    student = vk.student_user()
    assert post_signup(client, project, role, student).status_code == 404
    # the organisers still see it
    response = client.get(f"{API}/volunteer-projects/{project.pk}", **bearer(vk.league))
    assert response.status_code == 200


def test_unauthenticated_is_401(client, vk):
    project = vk.project()
    response = client.post(
        f"{API}/volunteer-projects/{project.pk}/signups",
        {"role": role_of(project).pk},
        content_type="application/json",
    )
    assert response.status_code == 401
    response = client.post(
        f"{API}/volunteer-projects/{project.pk}/signups",
        {"role": role_of(project).pk},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer tx_not-a-token",
    )
    assert response.status_code == 401
    assert client.get(f"{API}/ping").status_code == 401
    assert Signup.objects.count() == 0


def test_session_auth_works_too(client, vk):
    project = vk.project()
    user = vk.student_user()
    client.force_login(user)
    response = client.post(
        f"{API}/volunteer-projects/{project.pk}/signups",
        {"role": role_of(project).pk},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_project_detail_and_mine(client, vk):
    project = vk.project(roles=[vk.role_spec("引导员", 1)])
    role = role_of(project)
    users = [vk.student_user() for _ in range(2)]
    for user in users:
        post_signup(client, project, role, user)
    response = client.get(f"{API}/volunteer-projects/{project.pk}", **bearer(users[0]))
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "first_come" and body["accepts_signups"] is True
    assert [(r["name"], r["slots"], r["taken"], r["left"]) for r in body["roles"]] == [
        ("引导员", 1, 1, 0)
    ]
    mine = client.get(f"{API}/volunteer-projects/{project.pk}/signups/mine", **bearer(users[1]))
    assert mine.status_code == 200
    assert [(s["status"], s["position"]) for s in mine.json()] == [("waiting", 1)]
    staff = client.get(f"{API}/volunteer-projects/{project.pk}/signups/mine", **bearer(vk.league))
    assert staff.json() == []


def test_withdraw_promotes_and_refuses_others(client, vk):
    project = vk.project(roles=[vk.role_spec("引导员", 1)])
    role = role_of(project)
    first, second = vk.student_user(), vk.student_user()
    confirmed = post_signup(client, project, role, first).json()
    waiting = post_signup(client, project, role, second).json()
    # someone else cannot withdraw it: an outsider gets 404, the organiser 403
    stranger = vk.student_user()
    assert client.delete(f"{API}/signups/{confirmed['id']}", **bearer(stranger)).status_code == 404
    assert client.delete(f"{API}/signups/{confirmed['id']}", **bearer(vk.league)).status_code == 403
    response = client.delete(f"{API}/signups/{confirmed['id']}", **bearer(first))
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert Signup.objects.get(pk=waiting["id"]).status == SignupStatus.CONFIRMED
    again = client.delete(f"{API}/signups/{confirmed['id']}", **bearer(first))
    assert (again.status_code, again.json()["code"]) == (409, "closed")


def test_withdraw_after_deadline_is_409(client, vk):
    project = vk.project()
    user = vk.student_user()
    created = post_signup(client, project, role_of(project), user).json()
    shift(project, withdraw_until=vk.now - dt.timedelta(minutes=1))
    response = client.delete(f"{API}/signups/{created['id']}", **bearer(user))
    assert (response.status_code, response.json()["code"]) == (409, "closed")


def test_lottery_mode_answers_pending(client, vk):
    project = vk.project(mode=SignupMode.LOTTERY)
    response = post_signup(client, project, role_of(project), vk.student_user())
    assert (response.status_code, response.json()["status"]) == (201, "pending")


def test_ping(client, kit):
    user = kit.user("pinger", student=True)
    response = client.get(f"{API}/ping", **bearer(user))
    assert response.status_code == 200
    assert response.json() == {"user": "pinger"}


def test_the_openapi_document_still_validates(client, db):
    from openapi_spec_validator import validate

    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    paths = spec["paths"]
    post = paths[f"{API}/volunteer-projects/{{project_id}}/signups"]["post"]
    assert {"201", "401", "404", "409"} <= set(post["responses"])
    assert f"{API}/ping" in paths
    assert "delete" in paths[f"{API}/signups/{{signup_id}}"]


def test_other_school_kit_is_isolated(db):
    # two schools with the same names do not see each other's projects
    first = VolunteerKit(SchoolKit(code="a1"))
    second = SchoolKit(code="b2")
    project = first.project()
    from django.test import Client

    client = Client()
    user = second.user(student=True)
    assert client.get(f"{API}/volunteer-projects/{project.pk}", **bearer(user)).status_code == 404


def test_requirements_are_checked_on_the_rush_path(client, vk):
    from tuanxue.org import services as org_services
    from tuanxue.org.models import Major

    kit = vk.kit
    college2 = org_services.college_create(actor=None, school=kit.school, name="机电学院")
    major2 = Major.objects.create(school=kit.school, college=college2, name="机电一体化")
    class2 = org_services.class_group_create(
        actor=None, school=kit.school, college=college2, major=major2, name="机电2101", grade=2021
    )
    project = vk.project(
        roles=[
            vk.role_spec("机电岗", 5, colleges=[college2]),
            vk.role_spec("班级岗", 5, start_h=3, classes=[class2]),
            vk.role_spec("信息岗", 5, start_h=6, colleges=[kit.college], classes=[kit.class_group]),
        ]
    )
    for name in ("机电岗", "班级岗"):
        response = post_signup(client, project, role_of(project, name), vk.student_user())
        assert (response.status_code, response.json()["code"]) == (409, "not_eligible")
    response = post_signup(client, project, role_of(project, "信息岗"), vk.student_user())
    assert response.status_code == 201
    restricted = vk.project(title="限定", from_classes=[class2], roles=[vk.role_spec(start_h=9)])
    response = post_signup(client, restricted, role_of(restricted), vk.student_user())
    assert (response.status_code, response.json()["code"]) == (409, "not_eligible")
    other = vk.student_user(college=college2, major=major2, class_group=class2, grade=2021)
    assert post_signup(client, restricted, role_of(restricted), other).status_code == 201
