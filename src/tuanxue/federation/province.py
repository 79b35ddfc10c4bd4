"""Every school assessed on one day: the engine behind ``tuanxue assess --all`` and the
federation's "check every school now"."""

from __future__ import annotations

import datetime as dt

from tuanxue.charter.assessment import assess_schools
from tuanxue.charter.verdicts import PASS, Report
from tuanxue.core.models import School

MAX_BREACHES = 12


def assess_all(day: dt.date, schools=None) -> list[Report]:
    """Each school's report on ``day``, ordered by school code: the records are read once for
    all the schools (a fixed number of queries), the rules applied school by school."""
    schools = list(schools if schools is not None else School.objects.order_by("code"))
    return assess_schools(schools, day)


def failing_items(report: Report) -> list[dict]:
    """The core items that do not pass: code, title, status."""
    return [
        {"code": i.code, "title": i.title, "status": i.status}
        for i in report.items
        if i.core and i.status != PASS
    ]


def breaches(report: Report) -> list[str]:
    """Every item that does not pass, named with its detail (core items first)."""
    named = []
    for item in sorted(report.items, key=lambda i: not i.core):
        if item.status == PASS:
            continue
        text = f"{item.code}. {item.title}"
        if item.detail:
            text += f"：{item.detail}"
        named.append(text)
    return named[:MAX_BREACHES]


def summary(report: Report) -> dict:
    """One school's line of ``assess --all --json``."""
    return {
        "school": report.school.name,
        "school_code": report.school.code,
        "date": report.day.isoformat(),
        "passed": report.passed,
        "failing_core_items": failing_items(report),
        "breaches": breaches(report),
        "figures": report.figures,
        "items": [i.to_json() for i in report.items],
    }
