"""Working days by the school's calendar: Monday to Friday, minus holidays, plus make-up days."""

from __future__ import annotations

import datetime as dt

from tuanxue.core.models import School
from tuanxue.voice.models import CalendarDay, DayKind

# Enough for any deadline a category allows (60 working days) across the longest holidays.
HORIZON_DAYS = 200


def exceptions(school: School, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    rows = CalendarDay.objects.filter(school=school, date__gte=start, date__lte=end)
    return dict(rows.values_list("date", "kind"))


def is_working_day(day: dt.date, special: dict[dt.date, str]) -> bool:
    kind = special.get(day)
    if kind == DayKind.HOLIDAY:
        return False
    if kind == DayKind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(school: School, start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself does not count)."""
    special = exceptions(school, start, start + dt.timedelta(days=HORIZON_DAYS))
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, special):
            left -= 1
    return day


def working_days_between(school: School, start: dt.date, end: dt.date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 if none)."""
    if end <= start:
        return 0
    special = exceptions(school, start, end)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, special):
            count += 1
    return count
