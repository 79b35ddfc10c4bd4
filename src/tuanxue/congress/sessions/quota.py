"""Delegate quotas per college and the coverage check before a session may open.

The quota of a college is ceil(ratio × students of the college), with the ratio the charter in
force on the session's date sets (1% when no charter is in force). Arithmetic is exact
(``Fraction``), so 100 students give 1 delegate and 101 give 2.

Roster cut-off: the session records its cut-off date, but the registry keeps no enrolment history
(a student is either on the roster or not), so the students counted are the current roster of each
college. When enrolment history exists, ``college_quotas`` is the one place to filter by the date.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count
from django.utils.translation import gettext as _

from tuanxue.charter.services import charter_in_force
from tuanxue.congress.models import CongressSession, Delegate, DelegateStatus
from tuanxue.core.models import School, Semester
from tuanxue.org.models import AcademicRecord, College, Membership, Society, Student

DEFAULT_RATIO = Fraction(1, 100)


def delegate_ratio(school: School, day: dt.date) -> Fraction:
    charter = charter_in_force(school, day)
    if charter is None:
        return DEFAULT_RATIO
    return charter.parsed.ratio


def quota_for(ratio: Fraction, students: int) -> int:
    return math.ceil(Fraction(ratio) * students)


@dataclass
class CollegeQuota:
    college: College
    students: int
    quota: int
    confirmed: int = 0

    @property
    def ok(self) -> bool:
        return self.confirmed >= self.quota


@dataclass
class QuotaTable:
    ratio: Fraction
    rows: list[CollegeQuota]

    @property
    def total(self) -> int:
        return sum(row.quota for row in self.rows)

    @property
    def students(self) -> int:
        return sum(row.students for row in self.rows)

    @property
    def ratio_percent(self) -> str:
        return f"{float(self.ratio) * 100:g}%"

    def to_json(self) -> dict:
        return {
            "ratio": float(self.ratio),
            "colleges": [
                {"college": row.college.name, "students": row.students, "quota": row.quota}
                for row in self.rows
            ],
            "total": self.total,
        }


def college_quotas(school: School, day: dt.date) -> QuotaTable:
    """Quotas of every college of the school for a session held on ``day`` (two queries)."""
    ratio = delegate_ratio(school, day)
    counts = dict(
        Student.objects.filter(school=school)
        .values_list("college_id")
        .annotate(n=Count("pk"))
        .values_list("college_id", "n")
    )
    rows = [
        CollegeQuota(college=college, students=counts.get(college.pk, 0), quota=0)
        for college in College.objects.filter(school=school).order_by("order", "name")
    ]
    for row in rows:
        row.quota = quota_for(ratio, row.students)
    return QuotaTable(ratio=ratio, rows=rows)


# -- coverage ---------------------------------------------------------------------------------


@dataclass
class Represented:
    label: str
    count: int

    @property
    def ok(self) -> bool:
        return self.count > 0


@dataclass
class Coverage:
    quotas: QuotaTable
    grades: list[Represented]
    societies: list[Represented]
    delegates: int
    staff: int
    gaps: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.gaps

    @property
    def staff_share(self) -> Fraction:
        return Fraction(self.staff, self.delegates) if self.delegates else Fraction(0)

    @property
    def staff_percent(self) -> str:
        return f"{float(self.staff_share) * 100:.1f}%"


def grades_in_school(school: School, day: dt.date) -> list[int]:
    """The grades still in school on ``day``: those with academic records for the last semester
    that ended by then (graduates get none). A school without such records counts every grade
    enrolled by then (a cohort enrols in September)."""
    last = Semester.objects.filter(school=school, end__lte=day).order_by("-end").first()
    if last is not None:
        grades = set(
            AcademicRecord.objects.filter(semester=last, student__school=school).values_list(
                "student__grade", flat=True
            )
        )
        if grades:
            return sorted(grades)
    enrolled_by = day.year if day.month >= 9 else day.year - 1
    return sorted(
        set(
            Student.objects.filter(school=school, grade__lte=enrolled_by).values_list(
                "grade", flat=True
            )
        )
    )


def coverage(session: CongressSession) -> Coverage:
    """Every college at or above quota, every grade and every major society represented, counting
    the delegates whose credentials are confirmed; each gap named."""
    school = session.school
    quotas = college_quotas(school, session.held_on)
    confirmed = Delegate.objects.filter(session=session, status=DelegateStatus.CONFIRMED)
    per_college = dict(
        confirmed.values_list("college_id").annotate(n=Count("pk")).values_list("college_id", "n")
    )
    per_grade = dict(
        confirmed.values_list("student__grade")
        .annotate(n=Count("pk"))
        .values_list("student__grade", "n")
    )
    per_society = dict(
        confirmed.filter(society__isnull=False)
        .values_list("society_id")
        .annotate(n=Count("pk"))
        .values_list("society_id", "n")
    )
    gaps: list[str] = []
    for row in quotas.rows:
        row.confirmed = per_college.get(row.college.pk, 0)
        if not row.ok:
            gaps.append(
                _("%(college)s: %(count)s/%(quota)s")
                % {"college": row.college.name, "count": row.confirmed, "quota": row.quota}
            )
    grades = []
    for grade in grades_in_school(school, session.held_on):
        label = _("Grade %(grade)s") % {"grade": grade}
        grades.append(Represented(label=label, count=per_grade.get(grade, 0)))
        if not per_grade.get(grade):
            gaps.append(_("Grade %(grade)s: no delegate") % {"grade": grade})
    societies = []
    for society in Society.objects.filter(school=school, is_major=True).order_by("name"):
        societies.append(Represented(label=society.name, count=per_society.get(society.pk, 0)))
        if not per_society.get(society.pk):
            gaps.append(_("%(society)s: no delegate") % {"society": society.name})
    student_ids = list(confirmed.values_list("student_id", flat=True))
    staff = (
        Membership.objects.filter(school=school, student_id__in=student_ids, end__isnull=True)
        .values("student_id")
        .distinct()
        .count()
    )
    return Coverage(
        quotas=quotas,
        grades=grades,
        societies=societies,
        delegates=len(student_ids),
        staff=staff,
        gaps=gaps,
    )
