"""The demo stays alive: built as if today were a day of next year's autumn, gdgm has one more
congress, cohort and review, and still passes on that day; the 2020 figures do not move."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from tuanxue.charter.assessment import assess
from tuanxue.congress.models import CongressSession
from tuanxue.core.models import School
from tuanxue.demo import remove_living_demo
from tuanxue.demo.living.dates import congress_day
from tuanxue.demo.living.history import build_history
from tuanxue.demo.living.schools import build_schools
from tuanxue.demo.org import build_demo
from tuanxue.org.models import Student
from tuanxue.org.rotation.services import current_semester
from tuanxue.review.models import ReviewSession

LATER = dt.date(timezone.localdate().year + 1, 10, 15)


@pytest.fixture(scope="module")
def later(django_db_setup, django_db_blocker):
    # The whole demo is built on that later day: the clock moves with it, so that records which
    # may not lie in the future (a hearing, a lecture) are written up to that day too.
    shift = LATER - timezone.localdate()
    real_now = timezone.now
    with django_db_blocker.unblock():
        try:
            with mock.patch("django.utils.timezone.now", lambda: real_now() + shift):
                seed = build_demo()
                build_history(seed.school, today=LATER)
                build_schools(today=LATER)
            yield
        finally:
            remove_living_demo()


def test_a_year_later_gdgm_still_passes(later, db):
    school = School.objects.get(code="gdgm")
    report = assess(school, LATER)
    assert report.passed, [(i.code, i.detail) for i in report.items if i.status != "pass"]
    assert {i.status for i in report.items} == {"pass"}
    latest = CongressSession.objects.filter(school=school).order_by("-held_on").first()
    assert latest.held_on == congress_day(LATER.year)
    assert Student.objects.filter(school=school, grade=LATER.year).exists()
    semester = current_semester(school, LATER)
    assert semester.code == f"{LATER.year}-{LATER.year + 1}-1"
    assert school.rotation_slots.filter(semester=semester).exists()
    assert ReviewSession.objects.filter(
        school=school, semester__code=f"{LATER.year - 1}-{LATER.year}-2"
    ).exists()


def test_a_year_later_the_seed_figures_and_the_other_schools_hold(later, db):
    seed = assess(School.objects.get(code="gdgm"), dt.date(2020, 9, 30))
    assert seed.passed
    assert seed.figures["staff_total"] == 31 and seed.figures["congress_delegates"] == 167
    assert seed.figures["from_college_unions_ratio"] == 0.6774
    assert assess(School.objects.get(code="lnqg"), LATER).passed
    assert not assess(School.objects.get(code="ybgs"), LATER).passed
