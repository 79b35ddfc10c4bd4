"""Two people of the same office pressing approve at once record one action."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import SchoolKit
from tuanxue.core.errors import DomainError
from tuanxue.org.models import Role, Title
from tuanxue.selection import services
from tuanxue.selection.models import StepAction
from tuanxue.selection.rounds import services as rounds

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_approvals_of_one_step_record_one_action():
    kit = SchoolKit(code="race2").adopt_seed_charter()
    league = kit.user("tw", role=Role.SCHOOL_LEAGUE)
    college_league = [kit.user(f"xytw{i}", role=Role.COLLEGE_LEAGUE) for i in range(3)]
    dept = kit.department()
    now = timezone.now()
    rnd = rounds.round_open(
        actor=league,
        union=kit.school_union,
        name="遴选",
        term_start=dt.date(2020, 9, 1),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        seats=[(dept, Title.STAFF, 3)],
    )
    user = kit.user("stu")
    kit.good_student(user=user)
    application = services.application_submit(
        actor=user, rnd=rnd, seat=rnd.seats.get(), statement="我愿意为同学们服务。" * 2
    )
    barrier = threading.Barrier(len(college_league))
    outcomes: list[str] = []

    def approve(approver):
        try:
            barrier.wait()
            services.step_act(
                actor=approver, application=application, decision="approve", step=1, cycle=1
            )
            outcomes.append("acted")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in college_league]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("acted") == 1, outcomes
    assert set(outcomes) - {"acted"} <= {"stale", "duplicate"}
    assert StepAction.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.step == 2
