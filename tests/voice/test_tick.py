"""``tuanxue voice tick``: a deadline across National Day, the reminder before it, escalation to
Student Affairs and then the school leader when overdue, closing unrated answers; each once."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.builders.voice import answer, submit
from tuanxue.core.models import AuditEvent, Notification
from tuanxue.voice import selectors
from tuanxue.voice.access import rights_for_user
from tuanxue.voice.models import Demand, DemandStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def tick(when: str) -> str:
    out = io.StringIO()
    call_command("voice", "tick", "--now", when, stdout=out)
    return out.getvalue()


def texts(user):
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


@pytest.fixture
def demand(w, national_day, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(2020, 9, 30, 10, 0))
    made = submit(w)
    monkeypatch.undo()
    return made


def test_the_deadline_skips_national_day(demand):
    # Submitted Wednesday 2020-09-30, five working days: 10-09, make-up 10-10, 10-12, 10-13, 10-14.
    assert demand.due_date == dt.date(2020, 10, 14)


def test_no_reminder_during_the_holiday_then_one_the_day_before(w, demand):
    assert "reminded 0" in tick("2020-10-05T09:00:00+08:00")
    assert "reminded 1" in tick("2020-10-13T09:00:00+08:00")
    assert "reminded 0" in tick("2020-10-13T10:00:00+08:00")
    assert any("2020-10-14" in t and demand.reference in t for t in texts(w.jiaowu_user))
    assert AuditEvent.objects.filter(action="voice.demand.reminded").count() == 1


def test_overdue_escalates_to_student_affairs_then_the_leader(w, demand):
    assert "escalated 0" in tick("2020-10-14T18:00:00+08:00")  # due today: not overdue yet
    assert selectors.department_queue(rights_for_user(w.xuegong_user, w.school)) == []
    assert "escalated 1" in tick("2020-10-15T09:00:00+08:00")
    assert "escalated 0" in tick("2020-10-15T10:00:00+08:00")  # idempotent
    demand.refresh_from_db()
    assert demand.escalation == 1 and demand.status == DemandStatus.OPEN
    assert selectors.department_queue(rights_for_user(w.xuegong_user, w.school)) == [demand]
    assert selectors.department_queue(rights_for_user(w.leader_user, w.school)) == []
    assert any(demand.reference in t for t in texts(w.xuegong_user))
    assert any("学生工作部" in t for t in texts(w.student_user))
    # Two more working days (10-16) after the deadline, then the school leader.
    assert "to the school leader 0" in tick("2020-10-16T17:00:00+08:00")
    assert "to the school leader 1" in tick("2020-10-19T09:00:00+08:00")
    assert "to the school leader 0" in tick("2020-10-19T09:30:00+08:00")
    demand.refresh_from_db()
    assert demand.escalation == 2
    assert selectors.department_queue(rights_for_user(w.leader_user, w.school)) == [demand]
    events = AuditEvent.objects.filter(action="voice.demand.escalated").order_by("id")
    assert [e.new["escalation"] for e in events] == [1, 2]
    assert [s.kind for s in demand.steps.all()].count("escalated") == 2


def test_an_answered_demand_is_not_escalated(w, demand):
    answer(w, demand)
    assert "escalated 0" in tick("2020-10-20T09:00:00+08:00")


def test_an_unrated_answer_closes_after_the_reopen_window(w, demand):
    done = answer(w, demand)
    Demand.objects.filter(pk=done.pk).update(answered_at=at(2020, 10, 9, 10, 0))
    assert "closed 0" in tick("2020-10-15T09:00:00+08:00")
    assert "closed 1" in tick("2020-10-17T09:00:00+08:00")
    assert "closed 0" in tick("2020-10-17T09:00:00+08:00")
    done.refresh_from_db()
    assert done.status == DemandStatus.CLOSED and done.rating is None
    assert any(done.reference in t for t in texts(w.student_user)[:1])


def test_a_bad_time_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        tick("next tuesday")
