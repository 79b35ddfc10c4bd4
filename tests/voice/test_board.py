"""The public board and the public stats API: every figure equals a direct count of rows; the
charts are server-side SVG with their values in a table; no personal data; the student and
department API with the same rules as the pages."""

from __future__ import annotations

import re
import statistics

import pytest
from django.urls import reverse

from tests.builders.voice import answer, submit
from tuanxue.core.api.tokens import token_create
from tuanxue.voice import moderation, services
from tuanxue.voice.board.stats import board_stats
from tuanxue.voice.models import Closure, Demand, DemandStatus, VoicePolicy


@pytest.fixture
def mixed(w):
    """Demands in every state: open, answered, closed (rated and not), merged, removed."""
    VoicePolicy.objects.filter(school=w.school).update(daily_limit=20)
    made = [submit(w, title=f"诉求标题{i}") for i in range(6)]
    made.append(
        submit(w, user=w.other_user, category=w.rights, title="后勤类诉求", confidential=True)
    )
    answer(w, made[0])
    services.demand_rate(actor=w.student_user, demand=made[0], rating=5)
    answer(w, made[1], closure=Closure.NOT_FEASIBLE, reason="经费不足")
    services.demand_rate(actor=w.student_user, demand=made[1], rating=2)
    answer(w, made[2], closure=Closure.EXPLAINED)
    services.demand_merge(actor=w.jiaowu_user, duplicate=made[3], into=made[4])
    report = moderation.abuse_report(actor=w.jiaowu_user, demand=made[5], reason="辱骂")
    moderation.abuse_decide(actor=w.league, report=report, uphold=True, note="内容不当")
    Demand.objects.filter(pk=made[2].pk).update(on_time=False)
    return w


def test_board_figures_equal_a_count_of_rows(mixed):
    w = mixed
    s = board_stats(w.school)
    rows = Demand.objects.filter(school=w.school).exclude(status=DemandStatus.REMOVED)
    assert s.total == rows.count() == 6
    assert dict((c, n) for c, _l, n in s.by_status) == {
        status: rows.filter(status=status).count()
        for status in ("open", "answered", "closed", "merged")
    }
    assert dict(s.by_category) == {
        c.name: rows.filter(category=c).count() for c in (w.academic, w.rights)
    } | {name: 0 for name, n in s.by_category if n == 0}
    assert dict(s.by_department)["教务处"] == rows.filter(department=w.jiaowu).count()
    assert dict(s.by_department)["后勤处"] == rows.filter(department=w.houqin).count()
    answered = rows.filter(on_time__isnull=False)
    assert (s.on_time.count, s.on_time.of) == (answered.filter(on_time=True).count(), 3)
    closed = rows.filter(status=DemandStatus.CLOSED)
    assert (s.resolved.count, s.resolved.of) == (closed.filter(closure="resolved").count(), 2)
    assert s.rating_average == 3.5
    assert dict(s.ratings) == {5: 1, 4: 0, 3: 0, 2: 1, 1: 0}
    hours = [
        (d.first_response_at - d.created_at).total_seconds() / 3600
        for d in rows.filter(first_response_at__isnull=False)
    ]
    assert s.first_response_hours == round(statistics.median(hours), 1)
    assert sum(n for _m, n, _a in s.by_month) == 6
    assert sum(a for _m, _n, a in s.by_month) == 3


def test_board_page_shows_the_figures_as_svg_and_table_without_personal_data(client, mixed):
    w = mixed
    page = client.get(reverse("voice:board", args=[w.school.code])).content.decode()
    assert re.search(r'id="fig-total">6<', page)
    assert page.count("<svg") == 5 and "<script" not in page
    for slug in ("category", "status", "department", "month", "rating"):
        assert f'id="chart-{slug}"' in page
    status_table = page.split('id="chart-status"')[1].split("</figure>")[0]
    assert 'data-value="2"' in status_table  # two closed
    # Answered, non-confidential demands are listed with their answers; nothing personal.
    assert "诉求标题0" in page and "诉求标题2" in page
    assert "后勤类诉求" not in page  # confidential: counted, never listed
    assert "诉求标题5" not in page  # removed
    for student in (w.student, w.other):
        assert student.name not in page and student.student_no not in page


def test_public_stats_api_needs_no_login(client, mixed):
    response = client.get("/api/v1/schools/tst/demands/stats")
    assert response.status_code == 200
    data = response.json()
    s = board_stats(mixed.school)
    assert data["total"] == s.total == 6
    assert {row["status"]: row["count"] for row in data["by_status"]}["closed"] == 2
    assert data["resolved"] == {"count": 1, "of": 2, "percent": 50.0}
    assert data["satisfaction_average"] == 3.5
    assert client.get("/api/v1/schools/nope/demands/stats").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/schools/{code}/demands/stats" in schema["paths"]


def bearer(user) -> dict:
    _token, key = token_create(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_student_api_submit_and_mine(client, w, other_kit):
    headers = bearer(w.student_user)
    payload = {
        "category": "academic",
        "title": "接口提交的诉求",
        "text": "通过接口提交，内容足够长。",
    }
    response = client.post(
        "/api/v1/schools/tst/demands", payload, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["department"] == "教务处" and body["student"]["student_no"] == "20209999"
    bad = {**payload, "text": "<img src=x onerror=alert(1)> 这是一段文字"}
    response = client.post(
        "/api/v1/schools/tst/demands", bad, content_type="application/json", **headers
    )
    assert response.status_code == 422 and response.json()["field"] == "text"
    mine = client.get("/api/v1/schools/tst/demands/mine", **headers).json()
    assert [d["reference"] for d in mine] == [body["reference"]]
    # A department account cannot submit; an outsider's school is not found; no login is 401.
    response = client.post(
        "/api/v1/schools/tst/demands",
        payload,
        content_type="application/json",
        **bearer(w.jiaowu_user),
    )
    assert response.status_code == 403
    outsider = other_kit.user("outsider", student=True)
    assert client.get("/api/v1/schools/tst/demands/mine", **bearer(outsider)).status_code == 404
    assert client.get("/api/v1/schools/tst/demands/mine").status_code == 401


def test_department_api_queue_and_answer_hide_confidential_students(client, w):
    secret = submit(w, confidential=True)
    plain = submit(w, user=w.other_user, title="普通诉求标题")
    queue = client.get("/api/v1/schools/tst/demands/queue", **bearer(w.jiaowu_user))
    assert queue.status_code == 200
    rows = {d["id"]: d for d in queue.json()}
    assert rows[secret.pk]["student"] is None
    assert rows[plain.pk]["student"]["student_no"] == w.other.student_no
    assert "20209999" not in queue.content.decode() and "保密同学甲" not in queue.content.decode()
    assert (
        client.get("/api/v1/schools/tst/demands/queue", **bearer(w.student_user)).status_code == 403
    )
    path = f"/api/v1/schools/tst/demands/{secret.pk}/answer"
    data = {"answer": "已安排延长开放。", "closure": "resolved"}
    assert (
        client.post(path, data, content_type="application/json", **bearer(w.party)).status_code
        == 403
    )
    assert (
        client.post(
            path, data, content_type="application/json", **bearer(w.houqin_user)
        ).status_code
        == 404
    )
    response = client.post(path, data, content_type="application/json", **bearer(w.jiaowu_user))
    assert response.status_code == 200 and response.json()["status"] == "answered"
    assert response.json()["student"] is None and "20209999" not in response.content.decode()
    again = client.post(path, data, content_type="application/json", **bearer(w.jiaowu_user))
    assert again.status_code == 409 and again.json()["code"] == "state"
