"""Reads of the credit ledger: one student's ledger with its totals, the entries waiting for
certification, the totals per student for the comprehensive assessment, and who may read what.

A correction states a difference, so a total is the sum of every row; a correction counts
towards the category of the entry it corrects. A certified total sums only certified rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from tuanxue.ledger.models import CreditCategory, CreditEntry, CreditUnit
from tuanxue.org.access import Viewer
from tuanxue.org.models import ClassGroup, College, Role, Student

ZERO = Decimal("0.00")
EARNING_CATEGORIES = [c for c in CreditCategory.values if c != CreditCategory.CORRECTION]


def category_of(entry: CreditEntry) -> str:
    """The category a row counts towards (a correction counts towards its entry's)."""
    if entry.category == CreditCategory.CORRECTION and entry.corrects_id is not None:
        return entry.corrects.category
    return entry.category


@dataclass
class LedgerView:
    student: Student
    entries: list[CreditEntry] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)  # unit -> amount
    certified: dict[str, Decimal] = field(default_factory=dict)  # unit -> certified amount
    by_category: list[tuple[str, str, Decimal]] = field(default_factory=list)

    @property
    def total_rows(self) -> list[tuple[str, Decimal, Decimal]]:
        labels = dict(CreditUnit.choices)
        return [
            (str(labels.get(unit, unit)), amount, self.certified.get(unit, ZERO))
            for unit, amount in sorted(self.totals.items())
        ]


def student_ledger(student: Student) -> LedgerView:
    """The student's entries, oldest first, each original followed by its corrections (as
    ``entry.correction_rows``), with totals by unit and by category. Two queries."""
    rows = list(
        CreditEntry.objects.filter(student=student)
        .select_related("certification__batch__certified_by", "created_by", "corrects")
        .order_by("created_at", "pk")
    )
    view = LedgerView(student=student)
    originals = {e.pk: e for e in rows if e.corrects_id is None}
    for entry in rows:
        entry.correction_rows = []
        entry.is_certified = _certified(entry)
    for entry in rows:
        if entry.corrects_id is not None and entry.corrects_id in originals:
            originals[entry.corrects_id].correction_rows.append(entry)
    view.entries = [e for e in rows if e.corrects_id is None] + [
        e for e in rows if e.corrects_id is not None and e.corrects_id not in originals
    ]
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    certified: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_category: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for entry in rows:
        totals[entry.unit] += entry.amount
        by_category[(category_of(entry), entry.unit)] += entry.amount
        if entry.is_certified:
            certified[entry.unit] += entry.amount
    view.totals = dict(totals)
    view.certified = dict(certified)
    labels = dict(CreditCategory.choices)
    units = dict(CreditUnit.choices)
    view.by_category = [
        (str(labels.get(cat, cat)), str(units.get(unit, unit)), amount)
        for (cat, unit), amount in sorted(
            by_category.items(), key=lambda kv: (_order(kv[0][0]), kv[0][1])
        )
    ]
    return view


def _certified(entry: CreditEntry) -> bool:
    try:
        return entry.certification is not None
    except CreditEntry.certification.RelatedObjectDoesNotExist:
        return False


def _order(category: str) -> int:
    values = list(CreditCategory.values)
    return values.index(category) if category in values else len(values)


def uncertified_entries(school, *, college_ids: set[int] | None = None) -> QuerySet[CreditEntry]:
    """Entries nobody has certified yet, optionally only of students in some colleges."""
    rows = CreditEntry.objects.filter(school=school, certification__isnull=True)
    if college_ids is not None:
        rows = rows.filter(student__college_id__in=college_ids)
    return rows.select_related("student__class_group", "corrects", "created_by").order_by(
        "student__class_group__name", "student__student_no", "created_at", "pk"
    )


def entry_for_correction(school, entry_id: int) -> CreditEntry | None:
    return (
        CreditEntry.objects.filter(school=school, pk=entry_id)
        .select_related("student__school", "student__class_group", "corrects")
        .first()
    )


# -- the comprehensive assessment export ------------------------------------------------------


@dataclass
class AssessmentRow:
    student: Student
    totals: dict[tuple[str, str], Decimal]
    certified: dict[tuple[str, str], Decimal]


def assessment_rows(students: QuerySet[Student]) -> tuple[list[tuple[str, str]], list]:
    """For each student, totals and certified totals per (category, unit); and the
    (category, unit) columns that occur. Two queries whatever the number of students."""
    students = list(students.select_related("class_group").order_by("student_no"))
    ids = [s.pk for s in students]
    totals: dict[int, dict] = {pk: defaultdict(lambda: ZERO) for pk in ids}
    certified: dict[int, dict] = {pk: defaultdict(lambda: ZERO) for pk in ids}
    columns: set[tuple[str, str]] = set()
    rows = CreditEntry.objects.filter(student_id__in=ids).values_list(
        "student_id", "category", "corrects__category", "unit", "amount", "certification__id"
    )
    for student_id, category, corrected_category, unit, amount, certification_id in rows:
        key = (corrected_category or category, unit)
        columns.add(key)
        totals[student_id][key] += amount
        if certification_id is not None:
            certified[student_id][key] += amount
    ordered = sorted(columns, key=lambda c: (_order(c[0]), c[1]))
    return ordered, [AssessmentRow(s, dict(totals[s.pk]), dict(certified[s.pk])) for s in students]


# -- who may read what ------------------------------------------------------------------------


def may_certify(viewer: Viewer, school) -> bool:
    return viewer.is_league_committee(school)


def certify_scope(viewer: Viewer, school) -> set[int] | bool | None:
    """Which colleges' uncertified entries the viewer may see: None for all (the school
    offices), a set of college ids (a college's offices), or False for none."""
    if viewer.has_school_office(school):
        return None
    colleges = {
        g.college_id
        for g in viewer.grants_for(Role.COLLEGE_LEAGUE, Role.COLLEGE_PARTY)
        if g.college_id and g.school_id == school.pk
    }
    return colleges or False


def _league_college_ids(viewer: Viewer, school) -> set[int]:
    return {
        g.college_id
        for g in viewer.grants_for(Role.COLLEGE_LEAGUE)
        if g.college_id and g.school_id == school.pk
    }


def _branch_class_ids(viewer: Viewer, school) -> set[int]:
    return {
        g.class_group_id
        for g in viewer.grants_for(Role.LEAGUE_BRANCH)
        if g.class_group_id and g.school_id == school.pk
    }


def may_export_any(viewer: Viewer, school) -> bool:
    return (
        viewer.has_school_office(school)
        or bool(_league_college_ids(viewer, school))
        or bool(_branch_class_ids(viewer, school))
    )


def may_export_college(viewer: Viewer, college: College) -> bool:
    return viewer.has_school_office(college.school) or college.pk in _league_college_ids(
        viewer, college.school
    )


def may_export_class(viewer: Viewer, class_group: ClassGroup) -> bool:
    school = class_group.school
    return (
        viewer.has_school_office(school)
        or class_group.college_id in _league_college_ids(viewer, school)
        or class_group.pk in _branch_class_ids(viewer, school)
    )


def exportable(viewer: Viewer, school) -> tuple[list[College], list[ClassGroup]]:
    """The colleges and classes the viewer may export, for the export page."""
    colleges = list(College.objects.filter(school=school).order_by("order", "name"))
    classes = list(
        ClassGroup.objects.filter(school=school)
        .select_related("college", "school")
        .order_by("college__order", "-grade", "name")
    )
    for college in colleges:
        college.school = school
    return (
        [c for c in colleges if may_export_college(viewer, c)],
        [c for c in classes if may_export_class(viewer, c)],
    )
