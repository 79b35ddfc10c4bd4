"""A sign-up rush: 40 students, each submitting twice at the same moment, race for 10 places.
Exactly 10 are confirmed, no student holds two rows, the rest wait with distinct numbers, and
every "confirmed" told to a caller is a committed row. Runs on SQLite (immediate
transactions) and on PostgreSQL (conditional update, row locks, the unique constraint)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from tests.builders.activities import VolunteerKit, role_of
from tests.conftest import SchoolKit
from tuanxue.activities.models import Signup, SignupStatus, VolunteerRole
from tuanxue.activities.volunteer import signup as svc
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)

STUDENTS = 40
SLOTS = 10
REPEATS = 2


def test_rush_never_oversells_and_never_doubles():
    vk = VolunteerKit(SchoolKit(code="rush"))
    project = vk.project(roles=[vk.role_spec("检票员", SLOTS)])
    role = role_of(project)
    users = [vk.student_user() for _ in range(STUDENTS)]
    submissions = [u for u in users for _ in range(REPEATS)]
    barrier = threading.Barrier(len(submissions))
    lock = threading.Lock()
    told: list[tuple[int, str, int, int | None]] = []  # (user, status, signup id, position)
    refused: list[tuple[int, str]] = []
    crashed: list[str] = []

    def submit(user):
        try:
            barrier.wait(timeout=60)
            row, position = svc.signup(actor=user, project=project, role=role)
            with lock:
                told.append((user.pk, row.status, row.pk, position))
        except DomainError as exc:
            with lock:
                refused.append((user.pk, exc.code))
        except Exception as exc:  # reported by the assertion below
            with lock:
                crashed.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(u,)) for u in submissions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert crashed == []

    # every student got exactly one answer with a place, the repeat was refused as a duplicate
    assert len(told) == STUDENTS
    assert sorted(u for u, *_ in told) == sorted(u.pk for u in users)
    assert Counter(code for _, code in refused) == {"duplicate": STUDENTS * (REPEATS - 1)}

    rows = list(Signup.objects.filter(project=project))
    assert len(rows) == STUDENTS
    assert len({r.student_id for r in rows}) == STUDENTS
    statuses = Counter(r.status for r in rows)
    assert statuses == {SignupStatus.CONFIRMED: SLOTS, SignupStatus.WAITING: STUDENTS - SLOTS}
    assert VolunteerRole.objects.get(pk=role.pk).taken == SLOTS

    # what the callers were told is what was committed
    by_id = {r.pk: r for r in rows}
    confirmed_told = {sid for _, status, sid, _ in told if status == SignupStatus.CONFIRMED}
    assert len(confirmed_told) == SLOTS
    assert all(by_id[sid].status == SignupStatus.CONFIRMED for sid in confirmed_told)
    waiting = [r for r in rows if r.status == SignupStatus.WAITING]
    assert len({r.queue_no for r in waiting}) == len(waiting)
    assert all(r.queue_no is not None for r in waiting)
    positions = [p for _, status, _, p in told if status == SignupStatus.WAITING]
    assert all(1 <= p <= STUDENTS - SLOTS for p in positions)

    # the waiting list is served in order: a withdrawal promotes the smallest number
    first_waiting = min(waiting, key=lambda r: r.queue_no)
    leaver = next(r for r in rows if r.status == SignupStatus.CONFIRMED)
    leaver_user = next(u for u in users if u.pk == leaver.student.user_id)
    svc.signup_withdraw(actor=leaver_user, signup=Signup.objects.get(pk=leaver.pk))
    assert Signup.objects.get(pk=first_waiting.pk).status == SignupStatus.CONFIRMED
    assert VolunteerRole.objects.get(pk=role.pk).taken == SLOTS
    assert verify_chain(vk.school) == []
