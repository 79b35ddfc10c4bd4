"""Two people filling the last seat at the same moment: one wins, the other is told, nothing
is doubled. Runs on SQLite (immediate transactions) and PostgreSQL (row lock on the union)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from tests.conftest import SchoolKit
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError
from tuanxue.org import services
from tuanxue.org.models import Membership, Title

pytestmark = pytest.mark.django_db(transaction=True)


def test_last_presidium_seat_is_taken_once():
    kit = SchoolKit(code="race").adopt_seed_charter()
    presidium = kit.presidium

    def candidate():
        return kit.good_student()

    for _ in range(4):
        kit.post(candidate(), presidium, Title.PRESIDIUM_MEMBER)
    rivals = [candidate() for _ in range(4)]
    barrier = threading.Barrier(len(rivals))
    outcomes: list[str] = []

    def appoint(student):
        try:
            barrier.wait()
            services.membership_create(
                actor=None,
                body=presidium,
                student=student,
                title=Title.PRESIDIUM_MEMBER,
                start=dt.date(2020, 9, 1),
            )
            outcomes.append("won")
        except DomainError as exc:
            outcomes.append("refused: " + exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=appoint, args=(s,)) for s in rivals]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("won") == 1, outcomes
    assert len(outcomes) == len(rivals)
    assert all("5" in o for o in outcomes if o != "won")
    assert Membership.objects.filter(body=presidium, end__isnull=True).count() == 5
    assert verify_chain(kit.school) == []
