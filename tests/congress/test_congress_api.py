"""The congress API: who sees sessions, delegates, polls and results; casting a ballot with a
delegate's token and each refusal; authentication; the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tuanxue.congress.models import (
    Ballot,
    BallotSource,
    Candidate,
    CongressSession,
    Delegate,
    DelegateStatus,
    Motion,
    MotionKind,
    Poll,
    PollKind,
    PollStatus,
    VoterMark,
)
from tuanxue.core.api.tokens import token_create

API = "/api/v1"


def bearer(user) -> dict:
    _, key = token_create(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def congress(kit):
    session = CongressSession.objects.create(
        school=kit.school,
        union=kit.school_union,
        number=2,
        name="第二次学生代表大会",
        held_on=dt.date(2021, 5, 8),
        venue="礼堂",
        roster_cutoff=dt.date(2021, 4, 30),
    )
    kit.voter_user = kit.user("voter")
    kit.absent_user = kit.user("absent")
    now = timezone.now()
    kit.voter = Delegate.objects.create(
        session=session,
        student=kit.student(name="代表甲", user=kit.voter_user),
        college=kit.college,
        status=DelegateStatus.CONFIRMED,
        checked_in_at=now,
    )
    Delegate.objects.create(
        session=session,
        student=kit.student(name="代表乙", user=kit.absent_user),
        college=kit.college,
        status=DelegateStatus.CONFIRMED,
    )
    motion = Motion.objects.create(
        session=session, kind=MotionKind.WORK_REPORT, title="工作报告", text="……"
    )
    kit.poll = Poll.objects.create(
        session=session,
        kind=PollKind.MOTION,
        title="表决工作报告",
        motion=motion,
        status=PollStatus.OPEN,
        opened_at=now,
    )
    kit.election = Poll.objects.create(
        session=session,
        kind=PollKind.ELECTION,
        title="选举",
        seats=1,
        status=PollStatus.CLOSED,
        issued=1,
    )
    kit.candidate = Candidate.objects.create(
        poll=kit.election, student=kit.student(name="候选人"), order=1
    )
    Ballot.objects.create(
        poll=kit.election,
        choice={"marks": [kit.candidate.pk], "write_in": ""},
        valid=True,
        source=BallotSource.PHONE,
    )
    kit.session = session
    return kit


def urls(kit) -> dict[str, str]:
    base = f"{API}/schools/{kit.school.code}/congress/sessions"
    return {
        "sessions": base,
        "session": f"{base}/{kit.session.pk}",
        "delegates": f"{base}/{kit.session.pk}/delegates",
        "polls": f"{base}/{kit.session.pk}/polls",
        "results": f"{API}/polls/{kit.election.pk}/results",
    }


def test_a_member_of_the_school_reads_everything(client, congress):
    headers = bearer(congress.user("reader", student=True))
    u = urls(congress)
    sessions = client.get(u["sessions"], **headers)
    assert sessions.status_code == 200
    assert [s["name"] for s in sessions.json()] == ["第二次学生代表大会"]
    detail = client.get(u["session"], **headers).json()
    assert (detail["delegates"], detail["entitled"], detail["present"]) == (2, 2, 1)
    assert detail["motions"] == 1 and detail["polls"] == 2 and detail["quorum_reached"] is False
    delegates = client.get(u["delegates"], **headers).json()
    assert {d["name"] for d in delegates} == {"代表甲", "代表乙"}
    assert set(delegates[0]) == {"id", "name", "college", "society", "status", "present"}
    polls = client.get(u["polls"], **headers).json()
    assert [p["kind"]["code"] for p in polls] == ["motion", "election"]
    assert polls[1]["candidates"][0]["name"] == "候选人"
    results = client.get(u["results"], **headers).json()
    assert results["winners"] == ["候选人"] and results["valid"] == 1
    # A poll still open publishes no result.
    early = client.get(f"{API}/polls/{congress.poll.pk}/results", **headers)
    assert early.status_code == 409 and early.json()["code"] == "not_closed"


def test_outsiders_get_404_and_anonymous_401(client, congress, other_kit):
    outsider = bearer(other_kit.user("outsider", student=True))
    for url in urls(congress).values():
        assert client.get(url, **outsider).status_code == 404
        assert Client().get(url).status_code == 401
    ballot = f"{API}/polls/{congress.poll.pk}/ballots"
    assert client.post(ballot, {"choice": "yes"}, "application/json", **outsider).status_code == 404
    assert Client().post(ballot, {"choice": "yes"}, "application/json").status_code == 401
    missing = f"{API}/schools/{congress.school.code}/congress/sessions/999999"
    assert client.get(missing, **bearer(congress.voter_user)).status_code == 404


def test_casting_a_ballot_and_each_refusal(client, congress):
    url = f"{API}/polls/{congress.poll.pk}/ballots"
    voter = bearer(congress.voter_user)
    cast = client.post(url, {"choice": "yes"}, "application/json", **voter)
    assert cast.status_code == 201, cast.content
    receipt = cast.json()["receipt"]
    assert Ballot.objects.get(receipt=receipt).choice == "yes"
    assert VoterMark.objects.filter(poll=congress.poll).count() == 1
    again = client.post(url, {"choice": "no"}, "application/json", **voter)
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    absent = client.post(url, {"choice": "yes"}, "application/json", **bearer(congress.absent_user))
    assert absent.status_code == 409 and absent.json()["code"] == "not_present"
    reader = bearer(congress.user("reader", student=True))
    refused = client.post(url, {"choice": "yes"}, "application/json", **reader)
    assert refused.status_code == 403
    closed = client.post(
        f"{API}/polls/{congress.election.pk}/ballots",
        {"choice": [congress.candidate.pk]},
        "application/json",
        **voter,
    )
    assert closed.status_code == 409 and closed.json()["code"] == "closed"
    assert Ballot.objects.filter(poll=congress.poll).count() == 1


def test_a_bad_choice_is_422(client, congress):
    url = f"{API}/polls/{congress.poll.pk}/ballots"
    bad = client.post(url, {"choice": "maybe"}, "application/json", **bearer(congress.voter_user))
    assert bad.status_code == 422
    assert not Ballot.objects.filter(poll=congress.poll).exists()


def test_the_openapi_document_validates(client, db):
    from openapi_spec_validator import validate

    spec = client.get(f"{API}/openapi.json").json()
    validate(spec)
    assert "/api/v1/polls/{poll_id}/ballots" in spec["paths"]
    assert "/api/v1/schools/{code}/congress/sessions" in spec["paths"]
