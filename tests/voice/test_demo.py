"""The student voice part of the demo school: a reception day in September 2020, demands in
every state across departments, and the self-assessment figures of the seed unchanged."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from tuanxue.core.audit import verify_chain
from tuanxue.core.models import School
from tuanxue.demo.org import build_demo, remove_demo_school
from tuanxue.voice.board.stats import board_stats
from tuanxue.voice.models import Channel, Demand, DemandStatus, ReceptionDay


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = build_demo()
        yield result.school
        remove_demo_school()


@pytest.fixture
def school(demo, db):
    return demo


def test_reception_day_and_desk_demands(school):
    day = ReceptionDay.objects.get(school=school)
    assert day.date == dt.date(2020, 9, 16) and day.campus == "天河校区"
    assert day.members.count() >= 2 and day.teachers.count() == 2
    desk = Demand.objects.filter(reception_day=day, channel=Channel.DESK)
    assert desk.count() == 3
    assert desk.filter(student__isnull=True).count() == 1  # anonymous
    assert desk.filter(confidential=True).count() == 1


def test_demands_in_every_state_across_departments(school):
    rows = Demand.objects.filter(school=school)
    assert set(rows.values_list("status", flat=True)) == set(DemandStatus.values)
    assert rows.values("department").distinct().count() >= 6
    assert rows.filter(confidential=True).count() >= 2
    assert rows.filter(status=DemandStatus.MERGED).count() == 2
    assert rows.filter(supporters=3).count() == 1
    escalated = rows.get(escalation__gte=1)
    assert escalated.status == DemandStatus.OPEN and escalated.due_date < dt.date(2020, 9, 22)
    assert rows.filter(rating__isnull=False).count() >= 5
    assert rows.filter(reopened_at__isnull=False, status=DemandStatus.CLOSED).count() == 1
    assert all(d.created_at.year == 2020 for d in rows)
    stats = board_stats(school)
    assert stats.total == rows.exclude(status=DemandStatus.REMOVED).count()
    assert verify_chain(school) == []


def test_the_seed_figures_are_unchanged(school):
    out = io.StringIO()
    call_command("assess", "--school", "gdgm", "--date", "2020-09-30", "--json", stdout=out)
    figures = json.loads(out.getvalue())["figures"]
    assert figures == {
        "staff_total": 31,
        "presidium_size": 5,
        "department_count": 6,
        "from_college_unions": 21,
        "from_college_unions_ratio": 0.6774,
        "congress_date": "2020-08-25",
        "congress_delegates": 167,
        "review_date": "2020-09-11",
        "reviewees": 17,
    }
    assert School.objects.filter(code="gdgm").count() == 1
