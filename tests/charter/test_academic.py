"""The academic rule at its boundaries (documented in charter/academic.py)."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuanxue.charter.academic import academic_verdict, places_within
from tuanxue.charter.rules import LAST_YEAR, SEED_2020, SINCE_ENROLMENT
from tuanxue.org import services
from tuanxue.org.models import AcademicRecord

DAY = dt.date(2020, 9, 1)


def test_exactly_at_the_share_passes(chartered):
    s = chartered.good_student(study=12, assessment=12, size=40)
    verdict = academic_verdict(s, DAY, SEED_2020)
    assert verdict.eligible is True
    assert any("12/40 = 30.0%" in r for r in verdict.reasons)


def test_one_place_past_the_share_fails_and_says_why(chartered):
    s = chartered.good_student(study=12, assessment=15, size=40)
    verdict = academic_verdict(s, DAY, SEED_2020)
    assert verdict.eligible is False
    assert any("15/40 = 37.5%" in r for r in verdict.reasons)


def test_assessment_rank_does_not_count_when_the_charter_says_so(chartered):
    rules = dataclasses.replace(SEED_2020, academic_counts_assessment=False)
    s = chartered.good_student(study=12, assessment=40, size=40)
    assert academic_verdict(s, DAY, rules).eligible is True


def test_a_major_of_one_student_has_a_top(chartered):
    s = chartered.good_student(study=1, assessment=1, size=1)
    assert academic_verdict(s, DAY, SEED_2020).eligible is True


def test_ties_share_a_rank(chartered):
    a = chartered.good_student(study=3, assessment=3, size=10)
    b = chartered.good_student(study=3, assessment=3, size=10)
    assert academic_verdict(a, DAY, SEED_2020).eligible is True
    assert academic_verdict(b, DAY, SEED_2020).eligible is True


def test_a_failed_course_fails(chartered):
    s = chartered.good_student(failed=1)
    verdict = academic_verdict(s, DAY, SEED_2020)
    assert verdict.eligible is False


def test_missing_record_cannot_decide(chartered):
    s = chartered.student(grade=2018)
    verdict = academic_verdict(s, DAY, SEED_2020)
    assert verdict.eligible is None
    assert "2019-2020-2" in verdict.reasons[0]


def test_first_year_is_exempt(chartered):
    s = chartered.student(grade=2020)
    verdict = academic_verdict(s, DAY, SEED_2020)
    assert verdict.eligible is True


def test_last_year_needs_both_semesters(chartered):
    rules = dataclasses.replace(SEED_2020, academic_period=LAST_YEAR)
    s = chartered.good_student()
    verdict = academic_verdict(s, DAY, rules)
    assert verdict.eligible is None  # 2019-2020-1 is missing
    first = services.semester_ensure(actor=None, school=chartered.school, code="2019-2020-1")
    AcademicRecord.objects.create(
        school=chartered.school,
        student=s,
        semester=first,
        study_rank=2,
        assessment_rank=2,
        major_size=40,
        failed_courses=0,
    )
    assert academic_verdict(s, DAY, rules).eligible is True


def test_since_enrolment_counts_only_semesters_after_entry(chartered):
    rules = dataclasses.replace(SEED_2020, academic_period=SINCE_ENROLMENT)
    s = chartered.good_student()
    services.semester_ensure(actor=None, school=chartered.school, code="2017-2018-1")
    # Before the student's entry (2018): not part of the period, so not missing.
    verdict = academic_verdict(s, DAY, rules)
    assert verdict.semesters == ["2019-2020-2"]


@given(size=st.integers(1, 500), share=st.sampled_from(["0.30", "0.25", "0.5", "1"]))
def test_places_within_never_exceed_the_share_except_for_the_top(size, share):
    from fractions import Fraction

    places = places_within(Fraction(share), size)
    assert places >= 1
    assert places == 1 or Fraction(places, size) <= Fraction(share)
    assert Fraction(places + 1, size) > Fraction(share)


@pytest.mark.parametrize(
    ("rank", "size", "ok"), [(1, 3, True), (2, 3, False), (2, 7, True), (3, 7, False)]
)
def test_small_majors(chartered, rank, size, ok):
    s = chartered.good_student(study=rank, assessment=1, size=size)
    assert academic_verdict(s, DAY, SEED_2020).eligible is ok
