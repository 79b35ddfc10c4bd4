"""Deadlines in working days by the school's calendar: weekends, holidays, make-up days."""

import datetime as dt

from tuanxue.voice.deadlines.workdays import add_working_days, working_days_between
from tuanxue.voice.models import DayKind
from tuanxue.voice.setup import services as setup


def test_weekends_are_skipped(kit):
    # Thursday 2020-09-17 + 5 working days: Fri, Mon, Tue, Wed, Thu.
    assert add_working_days(kit.school, dt.date(2020, 9, 17), 5) == dt.date(2020, 9, 24)


def test_a_deadline_across_national_day(national_day):
    # Wednesday 2020-09-30: the 1st..8th are off; Friday the 9th and make-up Saturday the 10th
    # count, then Monday 12th, Tuesday 13th, Wednesday 14th.
    assert add_working_days(national_day, dt.date(2020, 9, 30), 5) == dt.date(2020, 10, 14)
    # Friday 2020-09-25: the make-up Sunday 09-27 counts as a working day.
    assert add_working_days(national_day, dt.date(2020, 9, 25), 2) == dt.date(2020, 9, 28)


def test_working_days_between(national_day):
    assert working_days_between(national_day, dt.date(2020, 9, 30), dt.date(2020, 10, 9)) == 1
    assert working_days_between(national_day, dt.date(2020, 10, 9), dt.date(2020, 10, 9)) == 0


def test_marking_a_day_again_replaces_the_mark(kit):
    day = dt.date(2020, 10, 10)
    setup.calendar_day_set(actor=None, school=kit.school, date=day, kind=DayKind.HOLIDAY)
    setup.calendar_day_set(actor=None, school=kit.school, date=day, kind=DayKind.WORKDAY)
    assert add_working_days(kit.school, dt.date(2020, 10, 9), 1) == day
