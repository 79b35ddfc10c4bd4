"""The academic calendar pages: the school offices read it; the League committee and Student
Affairs add and edit years and semesters."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.core.models import AcademicYear, Semester
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.calendar import services
from tuanxue.org.calendar.forms import AcademicYearForm, SemesterForm
from tuanxue.org.views import login_required_page


def _school(request, code: str, *, write: bool = False):
    viewer = request.viewer
    school = get_school_for_viewer(code, viewer)
    if not (viewer.has_school_office(school) or viewer.is_federation):
        raise Http404
    if write and not viewer.can_manage_registry(school):
        raise PermissionDenied
    return school


def _page(request, school, form, heading):
    return render(
        request,
        "org/calendar/form.html",
        {"school": school, "form": form, "heading": heading},
    )


@login_required_page
def index(request, school: str):
    school_obj = _school(request, school)
    today = timezone.localdate()
    years = list(
        AcademicYear.objects.filter(school=school_obj)
        .prefetch_related("semesters")
        .order_by("-start")
    )
    return render(
        request,
        "org/calendar/index.html",
        {
            "school": school_obj,
            "years": years,
            "today": today,
            "covered": any(y.start <= today <= y.end for y in years),
            "may_write": request.viewer.can_manage_registry(school_obj),
        },
    )


def _suggested_year(school) -> dict:
    """The year after the latest one, or the one containing today."""
    latest = AcademicYear.objects.filter(school=school).order_by("-start").first()
    today = timezone.localdate()
    first = (
        latest.start.year + 1 if latest else (today.year if today.month >= 8 else today.year - 1)
    )
    return {
        "code": f"{first}-{first + 1}",
        "start": dt.date(first, 9, 1),
        "end": dt.date(first + 1, 8, 31),
    }


@login_required_page
def year_new(request, school: str):
    school_obj = _school(request, school, write=True)
    form = AcademicYearForm(request.POST or None, initial=_suggested_year(school_obj))
    if request.method == "POST" and form.is_valid():
        try:
            year = services.academic_year_create(
                actor=request.user, school=school_obj, **form.cleaned_data
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Academic year %(code)s was added.") % {"code": year.code})
            return redirect("calendar:index", school=school_obj.code)
    return _page(request, school_obj, form, _("Add an academic year"))


def _year(request, school: str, year_id: int):
    school_obj = _school(request, school, write=True)
    year = (
        AcademicYear.objects.filter(pk=year_id, school=school_obj).select_related("school").first()
    )
    if year is None:
        raise Http404
    return school_obj, year


@login_required_page
def year_edit(request, school: str, year_id: int):
    school_obj, year = _year(request, school, year_id)
    form = AcademicYearForm(
        request.POST or None, editing=True, initial={"start": year.start, "end": year.end}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.academic_year_update(actor=request.user, year=year, **form.cleaned_data)
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Academic year %(code)s was saved.") % {"code": year.code})
            return redirect("calendar:index", school=school_obj.code)
    return _page(request, school_obj, form, _("Academic year %(code)s") % {"code": year.code})


@login_required_page
def semester_new(request, school: str, year_id: int):
    school_obj, year = _year(request, school, year_id)
    taken = set(year.semesters.values_list("number", flat=True))
    number = 2 if 1 in taken else 1
    first = year.start.year
    default_start, default_end = (
        (dt.date(first, 9, 1), dt.date(first + 1, 1, 31))
        if number == 1
        else (dt.date(first + 1, 2, 15), dt.date(first + 1, 7, 15))
    )
    form = SemesterForm(
        request.POST or None,
        initial={"number": number, "start": default_start, "end": default_end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            semester = services.semester_create(actor=request.user, year=year, **form.cleaned_data)
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Semester %(code)s was added.") % {"code": semester.code})
            return redirect("calendar:index", school=school_obj.code)
    return _page(request, school_obj, form, _("Add a semester to %(code)s") % {"code": year.code})


@login_required_page
def semester_edit(request, school: str, semester_id: int):
    school_obj = _school(request, school, write=True)
    semester = (
        Semester.objects.filter(pk=semester_id, school=school_obj).select_related("school").first()
    )
    if semester is None:
        raise Http404
    form = SemesterForm(
        request.POST or None, editing=True, initial={"start": semester.start, "end": semester.end}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.semester_update(actor=request.user, semester=semester, **form.cleaned_data)
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Semester %(code)s was saved.") % {"code": semester.code})
            return redirect("calendar:index", school=school_obj.code)
    return _page(request, school_obj, form, _("Semester %(code)s") % {"code": semester.code})


def _confirm(request, school, heading, what):
    return render(
        request,
        "org/calendar/confirm_delete.html",
        {"school": school, "heading": heading, "what": what},
    )


@login_required_page
def year_delete(request, school: str, year_id: int):
    school_obj, year = _year(request, school, year_id)
    if request.method == "POST":
        try:
            services.academic_year_delete(actor=request.user, year=year)
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(
                request, _("Academic year %(code)s was removed.") % {"code": year.code}
            )
        return redirect("calendar:index", school=school_obj.code)
    return _confirm(
        request,
        school_obj,
        _("Remove academic year %(code)s?") % {"code": year.code},
        _("Only a year without semesters can be removed. The removal is kept in the audit log."),
    )


@login_required_page
def semester_delete(request, school: str, semester_id: int):
    school_obj = _school(request, school, write=True)
    semester = (
        Semester.objects.filter(pk=semester_id, school=school_obj).select_related("school").first()
    )
    if semester is None:
        raise Http404
    if request.method == "POST":
        try:
            services.semester_delete(actor=request.user, semester=semester)
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(request, _("Semester %(code)s was removed.") % {"code": semester.code})
        return redirect("calendar:index", school=school_obj.code)
    return _confirm(
        request,
        school_obj,
        _("Remove semester %(code)s?") % {"code": semester.code},
        _(
            "A semester that academic records or the rotation refer to cannot be removed. The "
            "removal is kept in the audit log."
        ),
    )
