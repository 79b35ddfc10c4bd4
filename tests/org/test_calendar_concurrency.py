"""Two managers adding overlapping academic years (or the same semester) at the same moment: one
is kept, the other is told which year is in the way, and the calendar never overlaps. Runs on
SQLite (immediate transactions) and PostgreSQL."""

import datetime as dt
import threading

import pytest
from django.db import connection

from tests.conftest import SchoolKit
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AcademicYear, Semester
from tuanxue.org.calendar import services

pytestmark = pytest.mark.django_db(transaction=True)


def race(jobs) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def run(job):
        try:
            barrier.wait()
            job()
            outcomes.append("kept")
        except DomainError as exc:
            outcomes.append("refused: " + exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == len(jobs)
    return outcomes


def test_overlapping_years_added_at_once_keep_one(monkeypatch):
    kit = SchoolKit(code="calrace")
    # Force the worst interleaving: both pass the first overlap check before either writes.
    checked = threading.Barrier(2)
    first_check = threading.local()
    overlapping = services._overlapping_year

    def check_then_wait(*args, **kwargs):
        found = overlapping(*args, **kwargs)
        if not getattr(first_check, "done", False):
            first_check.done = True
            checked.wait(timeout=30)
        return found

    monkeypatch.setattr(services, "_overlapping_year", check_then_wait)
    # Two different years whose dates overlap in August 2021.
    years = [
        ("2020-2021", dt.date(2020, 9, 1), dt.date(2021, 8, 31)),
        ("2021-2022", dt.date(2021, 8, 1), dt.date(2022, 7, 31)),
    ]

    def add(code, start, end):
        return lambda: services.academic_year_create(
            actor=None, school=kit.school, code=code, start=start, end=end
        )

    outcomes = race([add(*y) for y in years])
    assert outcomes.count("kept") == 1, outcomes
    assert AcademicYear.objects.filter(school=kit.school).count() == 1
    refused = next(o for o in outcomes if o != "kept")
    assert AcademicYear.objects.get(school=kit.school).code in refused
    assert verify_chain(kit.school) == []


def test_the_same_semester_added_at_once_is_kept_once():
    kit = SchoolKit(code="semrace")
    year = services.academic_year_create(
        actor=None,
        school=kit.school,
        code="2020-2021",
        start=dt.date(2020, 9, 1),
        end=dt.date(2021, 8, 31),
    )

    def add():
        services.semester_create(
            actor=None, year=year, number=1, start=dt.date(2020, 9, 1), end=dt.date(2021, 1, 31)
        )

    outcomes = race([add, add, add])
    assert outcomes.count("kept") == 1, outcomes
    assert Semester.objects.filter(school=kit.school).count() == 1
    assert verify_chain(kit.school) == []
