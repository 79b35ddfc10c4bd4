"""Two identical grants, or two runs creating the same logins, at the same moment: one wins,
the others are told, nothing is doubled. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.conftest import SchoolKit
from tests.org.people_kit import staff_user
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError
from tuanxue.org.models import AccountState, Role, RoleGrant, Student
from tuanxue.org.people import accounts, services

pytestmark = pytest.mark.django_db(transaction=True)


def race(count: int, work) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def run():
        try:
            barrier.wait()
            work()
            outcomes.append("won")
        except DomainError as exc:
            outcomes.append("refused: " + exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == count, outcomes
    return outcomes


def test_identical_grants_at_once_leave_one():
    kit = SchoolKit(code="grace")
    teacher = staff_user(kit)
    outcomes = race(
        4,
        lambda: services.role_grant_give(
            actor=None,
            school=kit.school,
            user=teacher,
            role=Role.COLLEGE_LEAGUE,
            college=kit.college,
        ),
    )
    assert outcomes.count("won") == 1, outcomes
    assert RoleGrant.objects.filter(user=teacher, revoked_at__isnull=True).count() == 1
    assert verify_chain(kit.school) == []


def test_two_runs_create_each_login_once():
    kit = SchoolKit(code="arace")
    for _ in range(20):
        kit.student()
    created: list[int] = []

    def create():
        result = accounts.accounts_create(actor=None, school=kit.school, people="students")
        created.append(result.created)

    outcomes = race(2, create)
    # Either the second run waited and found nothing left, or it was refused whole.
    assert sum(created) == 20, (created, outcomes)
    assert Student.objects.filter(user__isnull=False).count() == 20
    assert AccountState.objects.count() == 20
    assert verify_chain(kit.school) == []
