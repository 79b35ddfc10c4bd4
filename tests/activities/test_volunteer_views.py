"""The volunteer pages: a student signs up and sees the place or the waiting-list position at
once, withdraws after confirming; the organiser creates a project, reviews, draws and closes;
a student of the school may look but not manage (403); an outsider gets 404; an anonymous
visitor is sent to the login page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.builders.activities import VolunteerKit, role_of, shift
from tuanxue.activities.models import (
    ProjectStatus,
    Signup,
    SignupMode,
    SignupStatus,
    VolunteerProject,
)
from tuanxue.activities.volunteer import signup as svc


@pytest.fixture
def vk(kit) -> VolunteerKit:
    return VolunteerKit(kit)


def url(name, vk, **kwargs) -> str:
    return reverse(f"volunteer:{name}", kwargs={"school": vk.school.code, **kwargs})


def test_student_signs_up_and_sees_place_then_waiting_position(client, vk):
    project = vk.project(roles=[vk.role_spec("引导员", 1)])
    role = role_of(project)
    first, second = vk.student_user(), vk.student_user()
    client.force_login(first)
    listing = client.get(url("projects", vk))
    assert listing.status_code == 200
    assert project.title in listing.content.decode()
    page = client.get(url("project", vk, project_id=project.pk))
    assert page.status_code == 200
    assert url("signup", vk, project_id=project.pk, role_id=role.pk) in page.content.decode()
    response = client.post(url("signup", vk, project_id=project.pk, role_id=role.pk), follow=True)
    assert response.status_code == 200
    assert 'data-status="confirmed"' in response.content.decode()
    client.force_login(second)
    response = client.post(url("signup", vk, project_id=project.pk, role_id=role.pk), follow=True)
    body = response.content.decode()
    assert 'data-status="waiting"' in body
    assert "1" in body
    mine = client.get(url("mine", vk))
    assert mine.status_code == 200 and project.title in mine.content.decode()


def test_signup_needs_post_and_refusal_is_shown(client, vk):
    project = vk.project()
    role = role_of(project)
    user = vk.student_user()
    client.force_login(user)
    signup_url = url("signup", vk, project_id=project.pk, role_id=role.pk)
    assert client.get(signup_url).status_code == 405
    client.post(signup_url)
    response = client.post(signup_url, follow=True)
    assert response.status_code == 200
    assert Signup.objects.filter(project=project).count() == 1


def test_withdraw_asks_then_promotes(client, vk):
    project = vk.project(roles=[vk.role_spec("引导员", 1)])
    role = role_of(project)
    first, second = vk.student_user(), vk.student_user()
    row, _ = svc.signup(actor=first, project=project, role=role)
    waiting, _ = svc.signup(actor=second, project=project, role=role)
    client.force_login(first)
    withdraw_url = url("withdraw", vk, signup_id=row.pk)
    page = client.get(withdraw_url)
    assert page.status_code == 200
    assert Signup.objects.get(pk=row.pk).status == SignupStatus.CONFIRMED  # only asked
    response = client.post(withdraw_url)
    assert response.status_code == 302
    assert Signup.objects.get(pk=row.pk).status == SignupStatus.WITHDRAWN
    assert Signup.objects.get(pk=waiting.pk).status == SignupStatus.CONFIRMED
    # someone else's sign-up: the other student may not even see it
    client.force_login(vk.student_user())
    assert client.get(url("withdraw", vk, signup_id=waiting.pk)).status_code == 404


def test_withdraw_after_deadline_is_refused_on_the_page(client, vk):
    project = vk.project()
    user = vk.student_user()
    row, _ = svc.signup(actor=user, project=project, role=role_of(project))
    shift(project, withdraw_until=vk.now - dt.timedelta(minutes=1))
    client.force_login(user)
    assert client.post(url("withdraw", vk, signup_id=row.pk)).status_code == 409
    assert Signup.objects.get(pk=row.pk).status == SignupStatus.CONFIRMED


def test_organiser_creates_a_project(client, vk):
    client.force_login(vk.league)
    listing = client.get(url("projects", vk))
    assert url("new", vk, activity_id=vk.activity.pk) in listing.content.decode()
    new_url = url("new", vk, activity_id=vk.activity.pk)
    assert client.get(new_url).status_code == 200
    fmt = "%Y-%m-%dT%H:%M"
    day = vk.day.astimezone(dt.UTC)
    data = {
        "title": "汇演志愿者",
        "description": "",
        "mode": "first_come",
        "opens_at": vk.now.strftime(fmt),
        "closes_at": (vk.now + dt.timedelta(days=1)).strftime(fmt),
        "withdraw_until": (vk.now + dt.timedelta(hours=12)).strftime(fmt),
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "20",
        "roles-0-name": "引导员",
        "roles-0-slots": "5",
        "roles-0-shift_starts_at": day.strftime(fmt),
        "roles-0-shift_ends_at": (day + dt.timedelta(hours=2)).strftime(fmt),
        "roles-0-grades": "2020, 2021",
        "roles-1-name": "",
        "roles-1-slots": "",
        "roles-1-shift_starts_at": "",
        "roles-1-shift_ends_at": "",
        "roles-1-grades": "",
    }
    response = client.post(new_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project = VolunteerProject.objects.get(title="汇演志愿者")
    assert list(project.roles.values_list("name", "slots", "grades")) == [
        ("引导员", 5, [2020, 2021])
    ]
    # a bad role names the problem and writes nothing
    data["title"] = "坏项目"
    data["roles-0-slots"] = ""
    response = client.post(new_url, data)
    assert response.status_code == 200
    assert not VolunteerProject.objects.filter(title="坏项目").exists()


def test_organiser_reviews_draws_and_closes(client, vk):
    client.force_login(vk.league)
    review = vk.project(mode=SignupMode.REVIEW, title="审核项目")
    pending, _ = svc.signup(actor=vk.student_user(), project=review, role=role_of(review))
    manage = client.get(url("manage", vk, project_id=review.pk))
    assert manage.status_code == 200
    assert url("review", vk, signup_id=pending.pk) in manage.content.decode()
    client.post(url("review", vk, signup_id=pending.pk), {"decision": "accept"})
    assert Signup.objects.get(pk=pending.pk).status == SignupStatus.CONFIRMED

    lottery = vk.project(mode=SignupMode.LOTTERY, title="抽签项目", roles=[vk.role_spec(start_h=5)])
    for _ in range(3):
        svc.signup(actor=vk.student_user(), project=lottery, role=role_of(lottery))
    shift(lottery, closes_at=vk.now - dt.timedelta(minutes=1))
    client.post(url("draw", vk, project_id=lottery.pk), {"seed": "11"})
    statuses = sorted(Signup.objects.filter(project=lottery).values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waiting"]

    close_url = url("close", vk, project_id=review.pk)
    assert client.get(close_url).status_code == 200
    client.post(close_url, {})  # not confirmed: nothing happens
    review.refresh_from_db()
    assert review.status == ProjectStatus.RECRUITING
    assert client.post(close_url, {"confirm": "on"}).status_code == 302
    review.refresh_from_db()
    assert review.status == ProjectStatus.CLOSED
    assert Signup.objects.get(pk=pending.pk).status == SignupStatus.RELEASED
    assert client.get(url("manage", vk, project_id=review.pk)).status_code == 200


def test_student_may_look_but_not_manage(client, vk):
    project = vk.project()
    client.force_login(vk.student_user())
    assert client.get(url("project", vk, project_id=project.pk)).status_code == 200
    assert client.get(url("manage", vk, project_id=project.pk)).status_code == 403
    assert client.get(url("close", vk, project_id=project.pk)).status_code == 403
    assert client.post(url("draw", vk, project_id=project.pk)).status_code == 403
    assert client.get(url("new", vk, activity_id=vk.activity.pk)).status_code == 403
    assert VolunteerProject.objects.get(pk=project.pk).status == ProjectStatus.RECRUITING


def test_outsider_gets_404(client, vk, other_kit):
    project = vk.project()
    client.force_login(other_kit.user(student=True))
    assert client.get(url("projects", vk)).status_code == 404
    assert client.get(url("project", vk, project_id=project.pk)).status_code == 404
    assert client.get(url("manage", vk, project_id=project.pk)).status_code == 404
    role = role_of(project)
    assert client.post(url("signup", vk, project_id=project.pk, role_id=role.pk)).status_code == 404
    assert Signup.objects.count() == 0


def test_anonymous_is_sent_to_login(client, vk):
    project = vk.project()
    for page in (
        url("projects", vk),
        url("project", vk, project_id=project.pk),
        url("mine", vk),
        url("manage", vk, project_id=project.pk),
    ):
        response = client.get(page)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
