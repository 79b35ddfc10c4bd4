"""Who gets which audit pack: student numbers (the voters list) only for the League committee and
the poll's scrutineers; everyone else of the school gets the published ballots and totals."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from tests.builders.congress import Hall
from tuanxue.congress.polls import ballots, decisions
from tuanxue.org.models import Role

PUBLIC = {"poll.json", "ballots.csv", "result.json", "events.json", "digest.txt"}


@pytest.fixture
def closed(kit):
    hall = Hall(kit, 4)
    poll = hall.election(["王甲", "李乙", "张丙"], 2)
    wang, li = hall.cand(poll, "王甲"), hall.cand(poll, "李乙")
    for i in range(3):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=[wang, li])
    decisions.poll_close(actor=hall.league, poll=poll)  # installs the presidium (audited)
    scrutineer = kit.user(role=Role.STUDENT_AFFAIRS)
    ballots.signoff(actor=scrutineer, poll=poll)
    hall.scrutineer = scrutineer
    hall.poll = poll
    return hall


def _pack(client, user, hall):
    client.force_login(user)
    url = reverse("polls:audit_pack", args=[hall.kit.school.code, hall.poll.pk])
    return client.get(url)


def _files(response) -> dict[str, str]:
    z = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: z.read(name).decode() for name in z.namelist()}


def _numbers(hall) -> set[str]:
    numbers = {d.student.student_no for d in hall.delegates}
    numbers |= {c.student.student_no for c in hall.poll.candidates.select_related("student")}
    return numbers


@pytest.mark.parametrize("who", ["student", "delegate", "staff"])
def test_students_delegates_and_other_staff_get_no_student_numbers(client, closed, who):
    user = {
        "student": closed.kit.user(student=True),
        "delegate": closed.user(0),
        "staff": closed.kit.user(role=Role.STUDENT_AFFAIRS),  # an official who did not sign
    }[who]
    response = _pack(client, user, closed)
    assert response.status_code == 200
    files = _files(response)
    assert set(files) == PUBLIC
    text = "\n".join(files.values())
    for number in _numbers(closed):
        assert number not in text, number
    assert "王甲" in files["result.json"] and "王甲" in files["poll.json"]
    assert closed.league.username not in files["events.json"]


@pytest.mark.parametrize("who", ["league", "scrutineer"])
def test_league_committee_and_the_polls_scrutineers_get_the_voters_list(client, closed, who):
    user = closed.league if who == "league" else closed.scrutineer
    files = _files(_pack(client, user, closed))
    assert set(files) == PUBLIC | {"voters.csv"}
    lines = files["voters.csv"].splitlines()
    assert lines[0] == "student_no,name,voted" and len(lines) == 5
    voted = [line.split(",")[2] for line in lines[1:]]
    assert sorted(voted) == ["no", "yes", "yes", "yes"]
    assert "voters.csv" in files["digest.txt"]


def test_outsider_gets_404_and_anonymous_is_sent_to_login(client, closed, other_kit):
    assert _pack(client, other_kit.user(role=Role.SCHOOL_LEAGUE), closed).status_code == 404
    client.logout()
    url = reverse("polls:audit_pack", args=[closed.kit.school.code, closed.poll.pk])
    assert client.get(url).status_code == 302
