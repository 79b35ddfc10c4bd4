"""Races on the student voice, on SQLite (immediate transactions) and PostgreSQL (row locks and
conditional updates): the daily limit under a burst, two answers at once, two opposite merges at
once, two ticks at once. Each acts once and nothing deadlocks."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from tests.conftest import SchoolKit
from tests.voice.conftest import build_voice
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.voice import services
from tuanxue.voice.deadlines.tick import voice_tick
from tuanxue.voice.models import Closure, Demand, DemandStatus, VoicePolicy

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "图书馆晚上十点就闭馆，考试周希望延长开放时间。"


def race(calls) -> tuple[list, list[str], list[str]]:
    """Run the calls at the same moment; return results, refusal codes and crashes."""
    barrier = threading.Barrier(len(calls))
    lock = threading.Lock()
    results, refused, crashed = [], [], []

    def run(call):
        try:
            barrier.wait(timeout=60)
            value = call()
            with lock:
                results.append(value)
        except DomainError as exc:
            with lock:
                refused.append(exc.code)
        except Exception as exc:  # reported by the assertions
            with lock:
                crashed.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results, refused, crashed


@pytest.fixture
def world():
    return build_voice(SchoolKit(code="race"))


def submit(w, user, title="考试周延长图书馆开放时间"):
    return services.demand_submit(
        actor=user, school=w.school, category=w.academic, title=title, text=TEXT
    )


def test_a_burst_of_submissions_keeps_the_daily_limit(world):
    w = world
    VoicePolicy.objects.filter(school=w.school).update(daily_limit=3)
    calls = [lambda n=n: submit(w, w.student_user, f"同时提交的诉求{n}") for n in range(8)]
    results, refused, crashed = race(calls)
    assert crashed == []
    assert len(results) == 3 and Counter(refused) == {"limit": 5}
    assert Demand.objects.filter(student=w.student).count() == 3


def test_two_answers_at_once_answer_once(world):
    w = world
    demand = submit(w, w.student_user)
    calls = [
        lambda n=n: services.demand_answer(
            actor=w.jiaowu_user,
            demand=demand,
            answer=f"答复{n}：已延长。",
            closure=Closure.RESOLVED,
        )
        for n in range(4)
    ]
    results, refused, crashed = race(calls)
    assert crashed == []
    assert len(results) == 1 and Counter(refused) == {"state": 3}
    assert AuditEvent.objects.filter(action="voice.demand.answered").count() == 1
    assert demand.steps.filter(kind="answered").count() == 1


def test_opposite_merges_at_once_merge_once_without_deadlock(world):
    w = world
    a = submit(w, w.student_user, "重复的诉求甲")
    b = submit(w, w.other_user, "重复的诉求乙")
    calls = [
        lambda: services.demand_merge(actor=w.jiaowu_user, duplicate=a, into=b),
        lambda: services.demand_merge(actor=w.jiaowu_user, duplicate=b, into=a),
    ]
    results, refused, crashed = race(calls)
    assert crashed == []
    assert len(results) == 1 and refused == ["state"]
    statuses = sorted(Demand.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True))
    assert statuses == [DemandStatus.MERGED, DemandStatus.OPEN]
    assert results[0].supporters == 2


def test_two_ticks_at_once_escalate_once(world):
    w = world
    import datetime as dt

    from django.utils import timezone

    demand = submit(w, w.student_user)
    demand.refresh_from_db()
    # The day after the deadline: overdue, but not yet for the school leader. (A month later a
    # tick that starts after another's escalation rightly escalates again, to the leader.)
    day_after = demand.due_date + dt.timedelta(days=1)
    now = timezone.make_aware(dt.datetime.combine(day_after, dt.time(12)))
    results, refused, crashed = race([lambda: voice_tick(now=now) for _ in range(3)])
    assert crashed == [] and refused == []
    assert sum(r.escalated for r in results) == 1
    assert sum(r.to_leader for r in results) == 0
    assert (
        AuditEvent.objects.filter(action="voice.demand.escalated", target_id=str(demand.pk)).count()
        == 1
    )
    assert verify_chain(w.school) == []
