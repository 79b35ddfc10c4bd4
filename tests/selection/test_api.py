"""The recruitment API: who sees which round and application, applying and deciding with their
status codes, eligibility, authentication and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tuanxue.core.api.tokens import token_create
from tuanxue.org import services as org_services
from tuanxue.org.models import Major, PoliticalStatus, Role
from tuanxue.selection import services
from tuanxue.selection.models import ApplicationStatus, StepAction
from tuanxue.selection.rounds import services as rounds

API = "/api/v1"
STATEMENT = "我希望为同学服务，积累工作经验。"


def bearer(user) -> dict:
    _, key = token_create(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def two_colleges(applicant):
    """The applicant (first college) has applied for the presidium; a student of a second
    college has applied for a department seat."""
    kit = applicant
    college = org_services.college_create(actor=None, school=kit.school, name="机电学院")
    major = Major.objects.create(school=kit.school, college=college, name="机电一体化技术")
    group = org_services.class_group_create(
        actor=None, school=kit.school, college=college, major=major, name="机电2001", grade=2020
    )
    kit.college2 = college
    kit.other_user = kit.user("other-applicant")
    kit.other = kit.good_student(
        "机电申请人", user=kit.other_user, college=college, major=major, class_group=group
    )
    kit.first = services.application_submit(
        actor=kit.applicant_user, rnd=kit.round, seat=kit.presidium_seat, statement=STATEMENT
    )
    kit.second = services.application_submit(
        actor=kit.other_user, rnd=kit.round, seat=kit.staff_seat, statement=STATEMENT
    )
    kit.college2_league = kit.user("c2-league")
    org_services.role_grant_create(
        actor=None, user=kit.college2_league, role=Role.COLLEGE_LEAGUE, school=kit.school,
        college=college,
    )  # fmt: skip
    return kit


def urls(kit) -> dict[str, str]:
    code = kit.school.code
    return {
        "rounds": f"{API}/schools/{code}/rounds",
        "round": f"{API}/schools/{code}/rounds/{kit.round.pk}",
        "applications": f"{API}/schools/{code}/rounds/{kit.round.pk}/applications",
        "application": f"{API}/schools/{code}/applications/{kit.first.pk}",
        "eligibility": f"{API}/schools/{code}/students/{kit.applicant.student_no}/eligibility",
    }


def decide_url(kit) -> str:
    return f"{API}/schools/{kit.school.code}/applications/{kit.first.pk}/decisions"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {a["id"] for a in response.json()["items"]}


# -- rounds --------------------------------------------------------------------------------


def test_rounds_are_seen_by_everyone_of_the_school(client, two_colleges):
    kit = two_colleges
    client.force_login(kit.user(student=True))
    rows = client.get(urls(kit)["rounds"]).json()
    assert [(r["id"], r["status"]["code"], r["accepting"], r["places"]) for r in rows] == [
        (kit.round.pk, "open", True, 3)
    ]
    assert rows[0]["union"] == {"id": kit.school_union.pk, "name": kit.school_union.name}
    assert client.get(urls(kit)["rounds"] + "?status=closed").json() == []
    detail = client.get(urls(kit)["round"]).json()
    assert detail["may_manage"] is False and detail["my_application"] is None
    assert [(s["body"]["id"], s["title"]["code"], s["count"], s["chain"]["code"]) for s in
            detail["seats"]] == [
        (kit.presidium.pk, "presidium_member", 1, "presidium"),
        (kit.dept.pk, "staff", 2, "department"),
    ]  # fmt: skip


def test_round_detail_for_its_manager_and_its_applicant(client, two_colleges):
    kit = two_colleges
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    assert client.get(urls(kit)["round"]).json()["may_manage"] is True
    client.force_login(kit.applicant_user)
    assert client.get(urls(kit)["round"]).json()["my_application"] == kit.first.pk


def test_an_outsider_gets_404_and_anonymous_401(client, two_colleges, other_kit):
    kit = two_colleges
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    for url in urls(kit).values():
        assert client.get(url).status_code == 404, url
    body = {"decision": "approve", "step": 1, "cycle": 1}
    assert client.post(decide_url(kit), body, content_type="application/json").status_code == 404
    client.logout()
    for url in urls(kit).values():
        response = client.get(url)
        assert response.status_code == 401, url
    for url in (urls(kit)["applications"], decide_url(kit)):
        response = client.post(url, {"seat": 1}, content_type="application/json")
        assert response.status_code == 401


def test_unknown_rounds_and_applications_are_404(client, two_colleges):
    kit = two_colleges
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    code = kit.school.code
    assert client.get(f"{API}/schools/{code}/rounds/999999").status_code == 404
    assert client.get(f"{API}/schools/{code}/rounds/999999/applications").status_code == 404
    assert client.get(f"{API}/schools/{code}/applications/999999").status_code == 404


# -- who sees which application ------------------------------------------------------------


def test_application_list_follows_the_scope(client, two_colleges):
    kit = two_colleges
    url = urls(kit)["applications"]
    both = {kit.first.pk, kit.second.pk}
    for role in (Role.SCHOOL_LEAGUE, Role.STUDENT_AFFAIRS):
        client.force_login(kit.offices[role])
        assert ids(client.get(url)) == both
    client.force_login(kit.offices[Role.COLLEGE_LEAGUE])  # first college only
    assert ids(client.get(url)) == {kit.first.pk}
    client.force_login(kit.college2_league)
    assert ids(client.get(url)) == {kit.second.pk}
    client.force_login(kit.offices[Role.SCHOOL_PARTY])  # in the presidium chain only
    assert ids(client.get(url)) == {kit.first.pk}
    client.force_login(kit.offices[Role.FEDERATION])
    assert ids(client.get(url)) == {kit.first.pk}
    client.force_login(kit.applicant_user)
    assert ids(client.get(url)) == {kit.first.pk}
    client.force_login(kit.user(student=True))
    body = client.get(url).json()
    assert body == {"items": [], "count": 0, "page": 1, "pages": 1}


def test_application_rows_hide_personal_data_from_those_not_allowed(client, two_colleges):
    kit = two_colleges
    client.force_login(kit.offices[Role.FEDERATION])
    row = client.get(urls(kit)["applications"]).json()["items"][0]
    assert row["student"]["student_no"] is None  # not personal data for the federation
    assert row["eligibility"]["eligible"] is True  # but it judges the application
    client.force_login(kit.offices[Role.COLLEGE_LEAGUE])
    row = client.get(urls(kit)["applications"]).json()["items"][0]
    assert row["student"]["student_no"] == kit.applicant.student_no
    assert row["seat"]["id"] == kit.presidium_seat.pk
    assert row["step"] == 1 and row["steps_total"] == 5 and row["step_name"] == "学院团委推荐"
    assert row["status"]["code"] == "in_review"
    assert row["college"] == {"id": kit.college.pk, "name": kit.college.name}


def test_application_detail_visibility(client, two_colleges, other_kit):
    kit = two_colleges
    url = urls(kit)["application"]
    allowed = [
        kit.applicant_user,
        kit.offices[Role.COLLEGE_LEAGUE],
        kit.offices[Role.SCHOOL_PARTY],
        kit.offices[Role.FEDERATION],
        kit.offices[Role.SCHOOL_LEAGUE],
    ]
    for user in allowed:
        client.force_login(user)
        assert client.get(url).status_code == 200, user
    for user in (kit.college2_league, kit.other_user, kit.user(student=True), other_kit.user()):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_application_detail_content(client, two_colleges):
    kit = two_colleges
    services.step_act(
        actor=kit.offices[Role.COLLEGE_LEAGUE], application=kit.first, decision="approve",
        comment="推荐",
    )  # fmt: skip
    client.force_login(kit.applicant_user)
    body = client.get(urls(kit)["application"]).json()
    assert body["statement"] == STATEMENT
    assert body["eligibility"]["charter"] == "2020年修改版"
    assert body["eligibility"]["reasons"]
    assert [s["state"] for s in body["steps"]] == [
        "done",
        "current",
        "pending",
        "pending",
        "pending",
    ]
    assert body["steps"][2]["offices"] == [
        {"code": "student_affairs", "label": body["steps"][2]["offices"][0]["label"]},
        {"code": "school_league", "label": body["steps"][2]["offices"][1]["label"]},
    ]
    assert [o["code"] for o in body["steps"][1]["awaiting"]] == ["college_party"]
    assert [(a["step"], a["office"]["code"], a["decision"]["code"], a["comment"]) for a in
            body["actions"]] == [(1, "college_league", "approve", "推荐")]  # fmt: skip
    assert body["may_decide"] == []
    client.force_login(kit.offices[Role.COLLEGE_PARTY])
    body = client.get(urls(kit)["application"]).json()
    assert [r["code"] for r in body["may_decide"]] == ["college_party"]


def test_application_list_query_count_is_bounded(client, two_colleges):
    kit = two_colleges
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    url = urls(kit)["applications"]
    client.get(url)  # warm up: chains exist

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for i in range(6):
        user = kit.user(f"more{i}")
        kit.good_student(f"更多{i}", user=user)
        services.application_submit(
            actor=user, rnd=kit.round, seat=kit.staff_seat, statement=STATEMENT
        )
    assert len(client.get(url).json()["items"]) == 8
    assert queries() == few


# -- applying ------------------------------------------------------------------------------


def test_a_student_applies_with_a_token(client, two_colleges):
    kit = two_colleges
    user = kit.user("new-applicant")
    kit.good_student("新申请人", user=user)
    headers = bearer(user)
    body = {"seat": kit.staff_seat.pk, "second_seat": None, "statement": STATEMENT}
    response = client.post(
        urls(kit)["applications"], body, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"]["code"] == "in_review" and created["step"] == 1
    assert created["eligibility"]["eligible"] is True
    again = client.post(urls(kit)["applications"], body, content_type="application/json", **headers)
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate"


def test_applying_to_a_closed_round_or_when_ineligible_is_409(client, two_colleges):
    kit = two_colleges
    masses_user = kit.user("masses")
    kit.good_student("群众", user=masses_user, political_status=PoliticalStatus.MASSES)
    body = {"seat": kit.staff_seat.pk, "statement": STATEMENT}
    response = client.post(
        urls(kit)["applications"], body, content_type="application/json", **bearer(masses_user)
    )
    assert response.status_code == 409
    assert response.json()["code"] == "ineligible"
    rounds.round_close(actor=kit.offices[Role.SCHOOL_LEAGUE], rnd=kit.round)
    late = kit.user("late")
    kit.good_student("迟到", user=late)
    response = client.post(
        urls(kit)["applications"], body, content_type="application/json", **bearer(late)
    )
    assert response.status_code == 409
    assert response.json()["code"] == "closed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"seat": 999999, "statement": STATEMENT}, "seat"),
        ({"seat": "SEAT", "statement": STATEMENT}, None),
        ({"statement": STATEMENT}, None),
        ({"seat": "STAFF", "statement": "太短"}, "statement"),
        ({"seat": "STAFF", "second_seat": "STAFF", "statement": STATEMENT}, "second_seat"),
        ({"seat": "STAFF", "second_seat": 999999, "statement": STATEMENT}, "second_seat"),
    ],
)
def test_bad_input_is_422_and_writes_nothing(client, two_colleges, body, field):
    kit = two_colleges
    body = {k: kit.staff_seat.pk if v == "STAFF" else v for k, v in body.items()}
    user = kit.user("bad-input")
    kit.good_student("输入有误", user=user)
    response = client.post(
        urls(kit)["applications"], body, content_type="application/json", **bearer(user)
    )
    assert response.status_code == 422, response.content
    if field:
        assert response.json()["field"] == field
    assert not kit.round.applications.filter(student__user=user).exists()


def test_only_a_student_may_apply(client, two_colleges):
    kit = two_colleges
    response = client.post(
        urls(kit)["applications"],
        {"seat": kit.staff_seat.pk, "statement": STATEMENT},
        content_type="application/json",
        **bearer(kit.offices[Role.SCHOOL_LEAGUE]),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_session_posts_need_the_csrf_token(two_colleges):
    kit = two_colleges
    user = kit.user("csrf-student")
    kit.good_student("会话学生", user=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    body = {"seat": kit.staff_seat.pk, "statement": STATEMENT}
    url = urls(kit)["applications"]
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.get("/account/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content


# -- deciding ------------------------------------------------------------------------------


def decide(client, kit, user, **body):
    body = {"decision": "approve", "comment": "", "step": 1, "cycle": 1, **body}
    return client.post(decide_url(kit), body, content_type="application/json", **bearer(user))


def test_deciding_moves_the_application_on(client, two_colleges):
    kit = two_colleges
    response = decide(client, kit, kit.offices[Role.COLLEGE_LEAGUE], comment="推荐")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["step"] == 2 and body["status"]["code"] == "in_review"
    assert body["actions"][0]["actor"] == "office-college_league"
    assert body["may_decide"] == []


def test_a_stale_or_repeated_decision_is_409(client, two_colleges):
    kit = two_colleges
    assert decide(client, kit, kit.offices[Role.COLLEGE_LEAGUE]).status_code == 200
    stale = decide(client, kit, kit.offices[Role.COLLEGE_LEAGUE])
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    decide(client, kit, kit.offices[Role.COLLEGE_PARTY], step=2)
    assert decide(client, kit, kit.offices[Role.STUDENT_AFFAIRS], step=3).status_code == 200
    twice = decide(client, kit, kit.offices[Role.STUDENT_AFFAIRS], step=3)
    assert twice.status_code == 409 and twice.json()["code"] == "duplicate"
    assert StepAction.objects.filter(application=kit.first, step=3).count() == 1


def test_the_wrong_office_is_403_and_another_college_or_student_404(client, two_colleges):
    kit = two_colleges
    wrong = decide(client, kit, kit.offices[Role.SCHOOL_PARTY])  # sees it, not its step
    assert wrong.status_code == 403 and wrong.json()["code"] == "forbidden"
    assert decide(client, kit, kit.college2_league).status_code == 404  # may not see it
    assert decide(client, kit, kit.applicant_user).status_code == 403  # sees it, may not act
    assert decide(client, kit, kit.other_user).status_code == 404
    assert decide(client, kit, kit.user(student=True)).status_code == 404
    assert not StepAction.objects.filter(application=kit.first).exists()


@pytest.mark.parametrize(
    "body",
    [{"decision": "maybe"}, {"decision": "return", "comment": ""}, {"step": "one"}],
)
def test_a_bad_decision_is_422(client, two_colleges, body):
    kit = two_colleges
    response = decide(client, kit, kit.offices[Role.COLLEGE_LEAGUE], **body)
    assert response.status_code == 422, response.content
    assert not StepAction.objects.filter(application=kit.first).exists()


def test_return_and_reject_through_the_api(client, two_colleges):
    kit = two_colleges
    response = decide(
        client, kit, kit.offices[Role.COLLEGE_LEAGUE], decision="return", comment="请补充经历"
    )
    assert response.status_code == 200
    assert response.json()["status"]["code"] == ApplicationStatus.RETURNED
    assert response.json()["steps"][0]["state"] == "returned"


# -- eligibility ---------------------------------------------------------------------------


def test_eligibility_for_those_allowed_personal_data(client, two_colleges, other_kit):
    kit = two_colleges
    url = urls(kit)["eligibility"] + "?date=2020-09-01"
    for user in (
        kit.applicant_user,
        kit.offices[Role.COLLEGE_LEAGUE],
        kit.offices[Role.SCHOOL_PARTY],
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        body = response.json()
        assert body["eligible"] is True
        assert body["student"]["student_no"] == kit.applicant.student_no
        assert body["charter"] == "2020年修改版"
        assert body["day"] == "2020-09-01"
        assert body["semesters"] == ["2019-2020-2"]
    for user in (
        kit.college2_league,
        kit.other_user,
        kit.offices[Role.FEDERATION],
        other_kit.user(role=Role.SCHOOL_LEAGUE),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_eligibility_days_and_unknown_students(client, two_colleges):
    kit = two_colleges
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    before_charter = client.get(urls(kit)["eligibility"] + "?date=2020-07-20").json()
    assert before_charter["eligible"] is None and before_charter["charter"] is None
    today = client.get(urls(kit)["eligibility"]).json()
    assert today["day"] == timezone.localdate().isoformat()
    assert client.get(urls(kit)["eligibility"] + "?date=someday").status_code == 422
    missing = f"{API}/schools/{kit.school.code}/students/NOPE/eligibility"
    assert client.get(missing).status_code == 404


# -- the document --------------------------------------------------------------------------


def test_the_openapi_document_still_validates(client, db):
    from openapi_spec_validator import validate

    spec = client.get(f"{API}/openapi.json").json()
    validate(spec)
    paths = spec["paths"]
    for path, method in [
        ("/schools/{code}/rounds", "get"),
        ("/schools/{code}/rounds/{round_id}", "get"),
        ("/schools/{code}/rounds/{round_id}/applications", "get"),
        ("/schools/{code}/rounds/{round_id}/applications", "post"),
        ("/schools/{code}/applications/{application_id}", "get"),
        ("/schools/{code}/applications/{application_id}/decisions", "post"),
        ("/schools/{code}/students/{student_no}/eligibility", "get"),
    ]:
        assert method in paths[API + path], path
    post = paths[f"{API}/schools/{{code}}/rounds/{{round_id}}/applications"]["post"]
    assert set(post["responses"]) >= {"201", "401", "403", "404", "409", "422"}
    page = spec["components"]["schemas"]["ApplicationPage"]
    assert set(page["properties"]) == {"items", "count", "page", "pages"}


def test_term_start_is_the_day_judged_at_application(client, two_colleges):
    """The snapshot is the verdict at the round's term start, stored with the application."""
    kit = two_colleges
    client.force_login(kit.applicant_user)
    body = client.get(urls(kit)["application"]).json()
    assert body["eligibility"]["day"] == dt.date(2020, 9, 1).isoformat()
