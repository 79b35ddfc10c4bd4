"""Two phones submit the same member's sheet for the same reviewee at the same moment: one
sheet stands, the other is told it is a duplicate. Runs on PostgreSQL (DATABASE_URL) and on
SQLite."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.conftest import SchoolKit
from tests.review.conftest import ReviewKit, scores
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError
from tuanxue.review import services
from tuanxue.review.models import ScoreSheet

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_submissions_leave_one_sheet():
    kit = SchoolKit(code="race").adopt_seed_charter()
    rk = ReviewKit(kit)
    session = rk.opened()
    reviewee = session.reviewees.get(student=rk.chair)
    barrier = threading.Barrier(4)
    lock = threading.Lock()
    saved, refused, crashed = [], [], []

    def submit(user, value):
        try:
            barrier.wait(timeout=30)
            sheet = services.sheet_submit(
                actor=user, session=session, reviewee=reviewee, scores=scores(*[value] * 5)
            )
            with lock:
                saved.append((user.pk, sheet.pk))
        except DomainError as exc:
            with lock:
                refused.append((user.pk, exc.code))
        except Exception as exc:  # reported below
            with lock:
                crashed.append(repr(exc))
        finally:
            connection.close()

    # two members, each submitting twice at once
    jobs = [(rk.reps[0], 80), (rk.reps[0], 81), (rk.reps[1], 70), (rk.reps[1], 71)]
    threads = [threading.Thread(target=submit, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not crashed
    assert len(saved) == 2 and len(refused) == 2
    assert {code for _u, code in refused} == {"duplicate"}
    assert ScoreSheet.objects.filter(reviewee=reviewee).count() == 2
    assert sorted(ScoreSheet.objects.values_list("member__user_id", flat=True)) == sorted(
        [rk.reps[0].pk, rk.reps[1].pk]
    )
    assert verify_chain(kit.school) == []
