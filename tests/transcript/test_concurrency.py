"""Issuing the same student's transcript from several requests at once: one current transcript,
the same code for everyone, never two. Runs on SQLite (immediate transactions) and PostgreSQL
(the partial unique constraint and the retry)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tests.conftest import SchoolKit
from tests.transcript import world
from tuanxue.core.audit import verify_chain
from tuanxue.ledger import services as ledger
from tuanxue.transcript.models import IssuedTranscript, TranscriptStatus
from tuanxue.transcript.services import transcript_issue

pytestmark = pytest.mark.django_db(transaction=True)


def race(job, count=4) -> list[str]:
    barrier = threading.Barrier(count)
    codes: list[str] = []

    def run():
        try:
            barrier.wait()
            codes.append(job())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(codes) == count
    return codes


def test_issuing_at_once_gives_one_current_transcript():
    books = world.build(SchoolKit(code="txrace"))

    def issue():
        return transcript_issue(actor=books.pupil_user, student=books.pupil)[0].code

    codes = race(issue)
    assert len(set(codes)) == 1, codes
    assert IssuedTranscript.objects.filter(student=books.pupil).count() == 1

    # After a correction, issuing again at once supersedes the old one exactly once.
    fix = ledger.credit_correct(
        actor=books.league, entry=books.moral, amount=Decimal("1"), note="补记"
    )
    ledger.certify_batch(actor=books.league, school=books.school, entries=[fix])
    codes = race(issue)
    assert len(set(codes)) == 1
    rows = IssuedTranscript.objects.filter(student=books.pupil)
    assert rows.count() == 2
    assert rows.filter(status=TranscriptStatus.CURRENT).get().code == codes[0]
    assert rows.filter(status=TranscriptStatus.SUPERSEDED).count() == 1
    assert verify_chain(books.school) == []
