"""The review API: scoring for panel members (403 for others of the school, 404 for outsiders),
a second sheet is a 409, bad scores a 422 naming the field; results for the League committee
and the offices; a reviewee's own results without names."""

from __future__ import annotations

import pytest

from tests.review.conftest import scores
from tuanxue.review import publishing, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(other_kit):
    return other_kit.user("outsider", student=True)


def _as(client, user):
    client.force_login(user)
    return client


def test_scoring_and_sheets(client, rk, outsider):
    session = rk.opened()
    url = f"/api/v1/schools/tst/reviews/{session.pk}/scoring"
    assert _as(client, outsider).get(url).status_code == 404
    assert _as(client, rk.chair_user).get(url).status_code == 403
    body = _as(client, rk.reps[0]).get(url).json()
    assert [r["name"] for r in body["reviewees"]] == ["主席甲", "部长乙"]
    assert body["scale_max"] == 100 and not any(r["scored"] for r in body["reviewees"])
    target = body["reviewees"][0]["reviewee"]
    post = f"/api/v1/schools/tst/reviews/{session.pk}/sheets"
    payload = {"reviewee": target, **scores(90, 91, 92, 93, 94), "comment": "认真负责"}
    bad = client.post(post, {**payload, "work": 101}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "work"
    assert client.post(post, payload, content_type="application/json").status_code == 201
    again = client.post(post, payload, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    assert client.get(url).json()["reviewees"][0]["scored"] is True
    assert (
        _as(client, rk.chair_user).post(post, payload, content_type="application/json").status_code
        == 403
    )
    assert (
        _as(client, outsider).post(post, payload, content_type="application/json").status_code
        == 404
    )


def test_results_and_mine(client, rk, outsider):
    session = rk.opened()
    users = [*rk.reps, rk.affairs, rk.league]
    for reviewee in session.reviewees.all():
        for n, user in enumerate(users):
            services.sheet_submit(
                actor=user,
                session=session,
                reviewee=reviewee,
                scores=scores(*[90 + n] * 5),
                comment=f"意见{n}",
            )
    publishing.session_close(actor=rk.league, session=session)
    url = f"/api/v1/schools/tst/reviews/{session.pk}/results"
    assert _as(client, outsider).get(url).status_code == 404
    assert _as(client, rk.chair_user).get(url).status_code == 403
    rows = _as(client, rk.affairs).get(url).json()
    # 90..94 per sheet, five sheets: drop 90 and 94 -> 92
    assert [(r["name"], r["overall"], r["grade"], r["trimmed"]) for r in rows] == [
        ("主席甲", "92.00", "excellent", True),
        ("部长乙", "92.00", "excellent", True),
    ]
    mine = "/api/v1/schools/tst/reviews/mine"
    assert _as(client, rk.chair_user).get(mine).json() == []  # not published yet
    publishing.session_publish(actor=rk.league, session=session)
    body = _as(client, rk.chair_user).get(mine).json()
    assert len(body) == 1 and body[0]["grade"] == "excellent"
    assert body[0]["comments"] == [f"意见{n}" for n in range(5)]
    assert "name" not in str(body[0]["comments"])
    assert _as(client, outsider).get(mine).status_code == 404
