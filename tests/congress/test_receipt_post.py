"""The receipt code never travels in a URL: it is shown in a POST's answer only."""

from __future__ import annotations

from django.urls import reverse

from tests.builders.congress import Hall
from tuanxue.congress.polls import ballots, decisions
from tuanxue.org.models import Role


def test_receipt_is_checked_by_post_and_never_put_in_a_url(client, kit):
    hall = Hall(kit, 2)
    poll = hall.motion_poll()
    code = kit.school.code
    client.force_login(hall.user(0))
    done = client.post(reverse("polls:ballot", args=[code, poll.pk]), {"choice": "yes"})
    receipt = done.context["receipt"]
    html = done.content.decode()
    assert receipt in html
    assert "?code=" not in html and f'={receipt}"' not in html.replace('value="', "")
    assert done["Cache-Control"] == "no-store"
    decisions.poll_close(actor=hall.league, poll=poll)

    url = reverse("polls:receipt", args=[code, poll.pk])
    # the old GET pattern reveals nothing
    leaked = client.get(url, {"code": receipt})
    assert leaked.status_code == 200
    page = leaked.content.decode()
    assert "receipt-found" not in page and f'value="{receipt}"' not in page
    # the POST answers, and the page's form posts
    checked = client.post(url, {"code": receipt.lower()})
    assert checked.status_code == 200
    body = checked.content.decode()
    assert "receipt-found" in body and 'method="post"' in body
    assert checked["Cache-Control"] == "no-store"
    assert "receipt-missing" in client.post(url, {"code": "0000"}).content.decode()
    # the result page links to the check page without a code
    result = client.get(reverse("polls:result", args=[code, poll.pk])).content.decode()
    assert "?code=" not in result


def test_no_url_pattern_or_api_operation_takes_a_receipt_in_the_query(client, kit):
    schema = client.get("/api/v1/openapi.json").json()
    for path, ops in schema["paths"].items():
        for op in ops.values():
            names = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
            assert not names & {"code", "receipt"}, path


def test_receipt_check_permissions(client, kit, other_kit):
    hall = Hall(kit, 2)
    poll = hall.motion_poll()
    receipt = ballots.ballot_cast(actor=hall.user(0), poll=poll, choice="yes")
    decisions.poll_close(actor=hall.league, poll=poll)
    url = reverse("polls:receipt", args=[kit.school.code, poll.pk])
    # anyone of the school may check a receipt (it shows only the published choice)
    client.force_login(kit.user(student=True))
    assert "receipt-found" in client.post(url, {"code": receipt}).content.decode()
    # another school's user: 404, whatever the code
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.post(url, {"code": receipt}).status_code == 404
    client.logout()
    assert client.post(url, {"code": receipt}).status_code == 302
