"""The academic-standing rule: may this student hold a post on this day, by their grades?

Definitions (documented in docs/charter.md and tested at the boundaries):

- The period is the charter's: the last semester that ended before the day; the last academic
  year that ended before the day (both its semesters); or every semester since enrolment that
  ended before the day.
- In every semester of the period the study rank — and, where the charter says so, the
  comprehensive-assessment rank — must be within the top share of the major: rank ≤ ⌊share × size⌋,
  and the top student of a major always qualifies (so a major of one or two students has a top).
  Exactly at the share passes (12/40 at 30%). Tied students share a rank and are judged alike.
- No failed course in any semester of the period.
- A first-year student (before 1 September of the year after entry) is exempt.
- A postgraduate is judged by the no-failed-course rule only.
- A missing record gives "cannot decide" naming what is missing, never a pass.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanxue.charter.rules import LAST_SEMESTER, LAST_YEAR, CharterRules
from tuanxue.core.models import AcademicYear, Semester
from tuanxue.org.models import AcademicRecord, Student


@dataclass
class Verdict:
    eligible: bool | None
    # The reasons, each a text or a function writing it: a province's assessment judges tens
    # of thousands of staff and names only those who fail, so most sentences are never written.
    notes: list = field(default_factory=list)
    record_ids: list[int] = field(default_factory=list)
    semesters: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [note() if callable(note) else note for note in self.notes]

    def to_json(self) -> dict:
        return {
            "eligible": self.eligible,
            "reasons": self.reasons,
            "records": self.record_ids,
            "semesters": self.semesters,
        }


def is_first_year(student: Student, day: dt.date) -> bool:
    return day < dt.date(student.grade + 1, 9, 1)


class RecordBook:
    """The calendar of a school and the records of some students, loaded in three queries so
    that judging many students costs no query per student."""

    def __init__(self, school_id: int, student_ids):
        self.semesters = list(Semester.objects.filter(school_id=school_id).order_by("start"))
        self.years = list(AcademicYear.objects.filter(school_id=school_id).order_by("start"))
        self.records = {
            (r.student_id, r.semester_id): r
            for r in AcademicRecord.objects.filter(student_id__in=list(student_ids))
        }

    @classmethod
    def many(cls, wanted: dict[int, set[int]], semesters=None) -> dict[int, RecordBook]:
        """A book for each school id of ``wanted`` with the records of its students, in three
        queries for all the schools (two when each school's ``semesters``, by start, are
        given)."""
        books = {}
        for school_id in wanted:
            book = cls.__new__(cls)
            book.semesters, book.years, book.records = [], [], {}
            books[school_id] = book
        if semesters is None:
            semesters = {}
            for s in Semester.objects.filter(school_id__in=list(wanted)).order_by("start"):
                semesters.setdefault(s.school_id, []).append(s)
        for school_id, book in books.items():
            book.semesters = list(semesters.get(school_id, []))
        for y in AcademicYear.objects.filter(school_id__in=list(wanted)).order_by("start"):
            books[y.school_id].years.append(y)
        students = [pk for ids in wanted.values() for pk in ids]
        # Unordered: the model's ordering joins the students and semesters for nothing.
        for r in AcademicRecord.objects.filter(student_id__in=students).order_by():
            if r.school_id in books:
                books[r.school_id].records[(r.student_id, r.semester_id)] = r
        return books

    def period(
        self, student: Student, day: dt.date, rules: CharterRules
    ) -> tuple[list[Semester], list[str]]:
        """The semesters of the charter's period, and the codes of those not even in the
        calendar yet (a year whose first semester was never set up)."""
        ended = [s for s in self.semesters if s.end < day]
        if rules.academic_period == LAST_SEMESTER:
            return ([max(ended, key=lambda s: s.end)] if ended else []), []
        if rules.academic_period == LAST_YEAR:
            years = [y for y in self.years if y.end < day]
            if not years:
                return [], []
            year = max(years, key=lambda y: y.end)
            semesters = [s for s in self.semesters if s.academic_year_id == year.pk]
            have = {s.number for s in semesters}
            return semesters, [f"{year.code}-{n}" for n in (1, 2) if n not in have]
        entry = dt.date(student.grade, 9, 1)
        return [s for s in ended if s.start >= entry], []


@functools.lru_cache(maxsize=4096)
def places_within(share, size: int) -> int:
    """How many places of a major of ``size`` count as "within the top share"."""
    return max(1, math.floor(share * size))


STUDY_RANK = gettext_lazy("study rank")
ASSESSMENT_RANK = gettext_lazy("comprehensive assessment rank")
NO_FAILED_COURSE = gettext_lazy("no failed course")


def rank_within(rank: int, size: int, rules: CharterRules) -> bool:
    return rank <= places_within(rules.top_share, size)


def rank_text(label: str, rank: int, size: int, rules: CharterRules) -> str:
    return rank_sentence(label, rank, size, rules)[1]


def _later(prefix: str, write, *args):
    """A reason written only when read."""
    return lambda: prefix + write(*args)


def rank_sentence(label: str, rank: int, size: int, rules: CharterRules) -> tuple[bool, str]:
    ok = rank_within(rank, size, rules)
    values = {
        "label": label,
        "rank": rank,
        "size": size,
        "pct": f"{rank / size * 100:.1f}%",
        "share": rules.top_share_percent,
    }
    if ok:
        text = _("%(label)s %(rank)s/%(size)s = %(pct)s, within the top %(share)s") % values
    else:
        text = _("%(label)s %(rank)s/%(size)s = %(pct)s, not within the top %(share)s") % values
    return ok, text


def academic_verdict(
    student: Student, day: dt.date, rules: CharterRules, book: RecordBook | None = None
) -> Verdict:
    if rules.first_year_exempt and is_first_year(student, day):
        return Verdict(
            True,
            [
                _("First-year student (entered %(grade)s): exempt from the academic rule")
                % {"grade": student.grade}
            ],
        )
    book = book or RecordBook(student.school_id, [student.pk])
    semesters, absent = book.period(student, day, rules)
    if not semesters and not absent:
        return Verdict(
            None,
            [
                _("Cannot decide: no semester of the charter's period has ended before %(day)s")
                % {"day": day.isoformat()}
            ],
        )
    records = {
        s.pk: book.records[(student.pk, s.pk)]
        for s in semesters
        if (student.pk, s.pk) in book.records
    }
    verdict = Verdict(True, semesters=[s.code for s in semesters])
    missing = sorted(absent + [s.code for s in semesters if s.pk not in records])
    if missing:
        verdict.eligible = None
        verdict.notes.append(
            _("Cannot decide: no academic record for %(semesters)s")
            % {"semesters": "、".join(missing)}
        )
        return verdict
    for semester in semesters:
        record = records[semester.pk]
        verdict.record_ids.append(record.pk)
        prefix = f"{semester.code}：" if len(semesters) > 1 else ""
        ranks = []
        if not student.postgraduate:
            ranks.append((STUDY_RANK, record.study_rank))
        if rules.academic_counts_assessment and not student.postgraduate:
            ranks.append((ASSESSMENT_RANK, record.assessment_rank))
        for label, rank in ranks:
            verdict.notes.append(_later(prefix, rank_text, label, rank, record.major_size, rules))
            if not rank_within(rank, record.major_size, rules):
                verdict.eligible = False
        if record.failed_courses:
            verdict.eligible = False
            verdict.notes.append(
                prefix + _("%(n)s failed course(s)") % {"n": record.failed_courses}
            )
        else:
            verdict.notes.append(_later(prefix, str, NO_FAILED_COURSE))
    return verdict


def political_ok(student: Student, rules: CharterRules) -> bool:
    return student.political_status in rules.political_statuses
