"""Forty delegates each submitting twice at the same moment: exactly forty ballots and forty
marks. Runs on SQLite (immediate transactions) and PostgreSQL (the poll row lock and the
unique voter mark)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.builders.congress import Hall, recount_from_pack
from tests.conftest import SchoolKit
from tuanxue.congress.models import Ballot, VoterMark
from tuanxue.congress.polls import ballots, decisions, results
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 40


def test_forty_delegates_double_submit():
    hall = Hall(SchoolKit(code="race"), VOTERS)
    poll = hall.motion_poll(base="cast")
    users = [hall.user(i) for i in range(VOTERS)]
    jobs = [(u, "yes" if i % 3 else "no") for i, u in enumerate(users) for _ in range(2)]
    barrier = threading.Barrier(len(jobs))
    receipts: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()

    def cast(user, choice):
        try:
            barrier.wait()
            code = ballots.ballot_cast(actor=user, poll=poll, choice=choice)
            with lock:
                receipts.append(code)
        except DomainError as exc:
            with lock:
                refused.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(receipts) == VOTERS, (len(receipts), refused)
    assert refused == ["already_voted"] * VOTERS
    assert Ballot.objects.filter(poll=poll).count() == VOTERS
    assert VoterMark.objects.filter(poll=poll).count() == VOTERS
    poll.refresh_from_db()
    assert poll.issued == VOTERS
    decisions.poll_close(actor=hall.league, poll=poll)
    result = results.poll_result(poll)
    counted = recount_from_pack(poll)
    assert (counted["yes"], counted["no"]) == (result.yes, result.no)
    assert result.yes + result.no == VOTERS
    assert verify_chain(hall.kit.school) == []
