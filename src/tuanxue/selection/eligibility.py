"""Whether a student may hold a post on a day, under the charter in force: political status and
the academic rule, each verdict explained and stored with the application as a snapshot."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from tuanxue.charter.academic import RecordBook, academic_verdict
from tuanxue.charter.services import charter_in_force
from tuanxue.org.models import Student

_NO_CHARTER = object()

# Further checks from apps above this one (a sanction from the review app): each takes
# (students, day, rules) and returns {student id: reason} for those it makes ineligible, in a
# fixed number of queries for any number of students.
_checks: list = []


def register_check(check) -> None:
    if check not in _checks:
        _checks.append(check)


def _extra_reasons(students: list[Student], day: dt.date, rules) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {}
    for check in _checks:
        for student_id, reason in check(students, day, rules).items():
            reasons.setdefault(student_id, []).append(reason)
    return reasons


def eligibility(
    student: Student,
    day: dt.date,
    book: RecordBook | None = None,
    charter=_NO_CHARTER,
    extra: dict[int, list[str]] | None = None,
) -> dict:
    """``{"eligible": True|False|None, "reasons": [...], "charter": label, "day": iso,
    "records": [ids], "semesters": [codes]}``. None means "cannot decide"."""
    if charter is _NO_CHARTER:
        charter = charter_in_force(student.school, day)
    if charter is None:
        return {
            "eligible": None,
            "reasons": [_("Cannot decide: no charter is in force on %(day)s") % {"day": day}],
            "charter": None,
            "day": day.isoformat(),
            "records": [],
            "semesters": [],
        }
    rules = charter.parsed
    reasons = []
    political = student.political_status in rules.political_statuses
    status = student.get_political_status_display()
    if political:
        reasons.append(_("Political status: %(status)s") % {"status": status})
    else:
        reasons.append(
            _("Political status: %(status)s, not a Party or League member") % {"status": status}
        )
    verdict = academic_verdict(student, day, rules, book)
    reasons.extend(verdict.reasons)
    eligible = False if not political or verdict.eligible is False else verdict.eligible
    if extra is None:
        extra = _extra_reasons([student], day, rules)
    if extra.get(student.pk):
        reasons.extend(extra[student.pk])
        eligible = False
    return {
        "eligible": eligible,
        "reasons": reasons,
        "charter": charter.version_label,
        "day": day.isoformat(),
        "records": verdict.record_ids,
        "semesters": verdict.semesters,
    }


def eligibility_many(students: list[Student], day: dt.date) -> list[tuple[Student, dict]]:
    """Judge many students with the records loaded once."""
    if not students:
        return []
    book = RecordBook(students[0].school_id, [s.pk for s in students])
    charter = charter_in_force(students[0].school, day)
    extra = _extra_reasons(students, day, charter.parsed) if charter is not None else {}
    return [(s, eligibility(s, day, book, charter, extra)) for s in students]
