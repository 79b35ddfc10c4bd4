"""The academic calendar: academic years and their two semesters, added and edited by the
school's registry managers, with the order and overlap checks a calendar needs.

Codes follow the house form (``2020-2021`` and ``2020-2021-1``); a year starts in the first year
of its code, years never overlap, and a year's semesters lie inside it, the first before the
second.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AcademicYear, School, Semester
from tuanxue.org.access import build_viewer

YEAR_CODE = re.compile(r"^(\d{4})-(\d{4})$")
MAX_YEAR_DAYS = 400


def require_registry_manager(actor, school: School) -> None:
    if actor is None:
        return
    if not build_viewer(actor).can_manage_registry(school):
        raise DomainError(
            _("Only the League committee or Student Affairs may change the calendar."),
            code="forbidden",
        )


def _parse_year_code(code: str) -> int:
    match = YEAR_CODE.match((code or "").strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise DomainError(
            _("Academic year %(code)s is not in the form 2020-2021.") % {"code": code},
            field="code",
        )
    return int(match.group(1))


def _check_year_dates(code: str, start: dt.date, end: dt.date) -> None:
    first = _parse_year_code(code)
    if end <= start:
        raise DomainError(_("The end must come after the start."), field="end")
    if start.year != first:
        raise DomainError(
            _("Academic year %(code)s must start in %(year)s.") % {"code": code, "year": first},
            field="start",
        )
    if (end - start).days > MAX_YEAR_DAYS:
        raise DomainError(
            _("An academic year lasts at most %(n)s days.") % {"n": MAX_YEAR_DAYS}, field="end"
        )


def _overlapping_year(school: School, start: dt.date, end: dt.date, exclude=None):
    rows = AcademicYear.objects.filter(school=school, start__lte=end, end__gte=start)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.order_by("start").first()


# The key of the PostgreSQL advisory lock that orders one school's calendar edits.
CALENDAR_LOCK = 7301


def _serialise_calendar(school: School) -> None:
    """Order concurrent edits of one school's years (a rare act of the League committee), so
    the overlap check after the write sees a year added at the same moment. Only calendar
    edits of that school wait on it; SQLite's immediate transactions order them already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CALENDAR_LOCK, school.pk])


def _refuse_overlap(other: AcademicYear) -> None:
    raise DomainError(
        _("The dates overlap academic year %(code)s (%(start)s to %(end)s).")
        % {"code": other.code, "start": other.start.isoformat(), "end": other.end.isoformat()},
        field="start",
    )


def academic_year_create(
    *, actor, school: School, code: str, start: dt.date, end: dt.date
) -> AcademicYear:
    require_registry_manager(actor, school)
    code = (code or "").strip()
    _check_year_dates(code, start, end)
    if AcademicYear.objects.filter(school=school, code=code).exists():
        raise DomainError(
            _("Academic year %(code)s is already in the calendar.") % {"code": code}, field="code"
        )
    if other := _overlapping_year(school, start, end):
        _refuse_overlap(other)
    with transaction.atomic():
        _serialise_calendar(school)
        try:
            with transaction.atomic():
                year = AcademicYear.objects.create(school=school, code=code, start=start, end=end)
        except IntegrityError as exc:
            raise DomainError(
                _("Academic year %(code)s is already in the calendar.") % {"code": code},
                field="code",
            ) from exc
        audit_record(
            school=school,
            actor=actor,
            action="org.year.created",
            target=year,
            new={"code": code, "start": start, "end": end},
        )
        # Calendar edits of this school are ordered (above), so a year added at the same
        # moment is committed and visible now: check again before committing.
        if other := _overlapping_year(school, start, end, exclude=year):
            _refuse_overlap(other)
    return year


def academic_year_update(
    *, actor, year: AcademicYear, start: dt.date, end: dt.date
) -> AcademicYear:
    school = year.school
    require_registry_manager(actor, school)
    _check_year_dates(year.code, start, end)
    with transaction.atomic():
        _serialise_calendar(school)
        year = AcademicYear.objects.select_for_update().get(pk=year.pk)
        if other := _overlapping_year(school, start, end, exclude=year):
            _refuse_overlap(other)
        outside = [
            s.code
            for s in Semester.objects.filter(academic_year=year).order_by("start")
            if s.start < start or s.end > end
        ]
        if outside:
            raise DomainError(
                _("Semester %(codes)s would fall outside the year; change it first.")
                % {"codes": "、".join(outside)},
                field="start",
            )
        old = {"start": year.start, "end": year.end}
        year.start, year.end = start, end
        year.save(update_fields=["start", "end"])
        audit_record(
            school=school,
            actor=actor,
            action="org.year.changed",
            target=year,
            old=old,
            new={"start": start, "end": end},
        )
        if other := _overlapping_year(school, start, end, exclude=year):
            _refuse_overlap(other)
    return year


def _check_semester(year: AcademicYear, number: int, start: dt.date, end: dt.date, exclude=None):
    if number not in (1, 2):
        raise DomainError(_("A semester is the first or the second."), field="number")
    if end <= start:
        raise DomainError(_("The end must come after the start."), field="end")
    if start < year.start or end > year.end:
        raise DomainError(
            _("The semester must lie within academic year %(code)s (%(start)s to %(end)s).")
            % {"code": year.code, "start": year.start.isoformat(), "end": year.end.isoformat()},
            field="start",
        )
    siblings = Semester.objects.filter(academic_year=year)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    for other in siblings:
        if other.number == number:
            raise DomainError(
                _("Semester %(code)s is already in the calendar.") % {"code": other.code},
                field="number",
            )
        if other.start <= end and other.end >= start:
            raise DomainError(
                _("The dates overlap semester %(code)s (%(start)s to %(end)s).")
                % {
                    "code": other.code,
                    "start": other.start.isoformat(),
                    "end": other.end.isoformat(),
                },
                field="start",
            )
        if (number == 1 and other.start < start) or (number == 2 and other.start > start):
            raise DomainError(
                _("The first semester must come before the second (%(code)s).")
                % {"code": other.code},
                field="start",
            )


def semester_create(
    *, actor, year: AcademicYear, number: int, start: dt.date, end: dt.date
) -> Semester:
    school = year.school
    require_registry_manager(actor, school)
    with transaction.atomic():
        # The year's row is locked: two semesters of one year are added one after the other.
        year = (
            AcademicYear.objects.select_for_update(of=("self",))
            .select_related("school")
            .get(pk=year.pk)
        )
        _check_semester(year, number, start, end)
        code = f"{year.code}-{number}"
        try:
            with transaction.atomic():
                semester = Semester.objects.create(
                    school=school,
                    academic_year=year,
                    code=code,
                    number=number,
                    start=start,
                    end=end,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("Semester %(code)s is already in the calendar.") % {"code": code},
                field="number",
            ) from exc
        audit_record(
            school=school,
            actor=actor,
            action="org.semester.created",
            target=semester,
            new={"code": code, "start": start, "end": end},
        )
    return semester


def semester_update(*, actor, semester: Semester, start: dt.date, end: dt.date) -> Semester:
    school = semester.school
    require_registry_manager(actor, school)
    with transaction.atomic():
        year = AcademicYear.objects.select_for_update().get(pk=semester.academic_year_id)
        semester = Semester.objects.get(pk=semester.pk)
        _check_semester(year, semester.number, start, end, exclude=semester)
        old = {"start": semester.start, "end": semester.end}
        semester.start, semester.end = start, end
        semester.save(update_fields=["start", "end"])
        audit_record(
            school=school,
            actor=actor,
            action="org.semester.changed",
            target=semester,
            old=old,
            new={"start": start, "end": end},
        )
    return semester


def academic_year_delete(*, actor, year: AcademicYear) -> None:
    """Remove a year added by mistake: only while it has no semesters."""
    school = year.school
    require_registry_manager(actor, school)
    with transaction.atomic():
        year = AcademicYear.objects.select_for_update().filter(pk=year.pk).first()
        if year is None:
            raise DomainError(_("This academic year was already removed."))
        if Semester.objects.filter(academic_year=year).exists():
            raise DomainError(
                _("Academic year %(code)s has semesters; remove them first.") % {"code": year.code}
            )
        audit_record(
            school=school,
            actor=actor,
            action="org.year.deleted",
            target=year,
            old={"code": year.code, "start": year.start, "end": year.end},
        )
        year.delete()


def semester_delete(*, actor, semester: Semester) -> None:
    """Remove a semester added by mistake: only while no record, rotation or post refers to it."""
    school = semester.school
    require_registry_manager(actor, school)
    with transaction.atomic():
        AcademicYear.objects.select_for_update().get(pk=semester.academic_year_id)
        semester = Semester.objects.filter(pk=semester.pk).first()
        if semester is None:
            raise DomainError(_("This semester was already removed."))
        audit_record(
            school=school,
            actor=actor,
            action="org.semester.deleted",
            target=semester,
            old={"code": semester.code, "start": semester.start, "end": semester.end},
        )
        try:
            with transaction.atomic():
                semester.delete()
        except ProtectedError as exc:
            raise DomainError(
                _(
                    "Semester %(code)s is in use (academic records or the rotation refer to it) "
                    "and cannot be removed; change its dates instead."
                )
                % {"code": semester.code}
            ) from exc
