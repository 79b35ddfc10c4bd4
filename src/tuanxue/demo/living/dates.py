"""The living demo's calendar: when congresses, terms and cohorts fall, computed from a year."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """14 -> 十四, 20 -> 二十, 21 -> 二十一 (up to 99)."""
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else DIGITS[tens]) + "十" if tens else ""
    return text + (DIGITS[ones] if ones else "")


def congress_day(year: int) -> dt.date:
    """The congress of ``year``: the last Friday of August on or before the 28th."""
    day = dt.date(year, 8, 28)
    return day - dt.timedelta(days=(day.weekday() - 4) % 7)


def college_term_start(year: int) -> dt.date:
    return dt.date(year, 9, 12)


def current_first_year(today: dt.date) -> int:
    """The first calendar year of the academic year containing ``today``."""
    return today.year if today >= dt.date(today.year, 9, 1) else today.year - 1


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
