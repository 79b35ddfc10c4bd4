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
# (student, day, rules) and returns None or a reason that makes the student ineligible.
_checks: list = []


def register_check(check) -> None:
    if check not in _checks:
        _checks.append(check)


def eligibility(
    student: Student, day: dt.date, book: RecordBook | None = None, charter=_NO_CHARTER
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
    for check in _checks:
        reason = check(student, day, rules)
        if reason:
            reasons.append(reason)
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
    return [(s, eligibility(s, day, book, charter)) for s in students]
