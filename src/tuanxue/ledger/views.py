"""The credit ledger pages: a student's ledger, certification, corrections, the export."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.activities.attendance.forms import (
    CorrectionForm,
)
from tuanxue.activities.hours import volunteer_hours_chart
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.core.parsing import is_number, to_id
from tuanxue.ledger import selectors as ledger_selectors
from tuanxue.ledger import services as ledger_services
from tuanxue.ledger.export import assessment_workbook
from tuanxue.org.access import get_school_for_viewer, student_of
from tuanxue.org.models import ClassGroup, College, Student
from tuanxue.org.views import login_required_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- the ledger -------------------------------------------------------------------------------


def _ledger_page(request, school_obj, student: Student, *, own: bool):
    view = ledger_selectors.student_ledger(student)
    return render(
        request,
        "activities/ledger_student.html",
        {
            "school": school_obj,
            "student": student,
            "ledger": view,
            "own": own,
            "may_correct": ledger_selectors.may_certify(request.viewer, school_obj),
        },
    )


@login_required_page
def my_ledger(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    student = student_of(request.viewer, school_obj)
    if student is None:
        raise Http404
    return _ledger_page(request, school_obj, student, own=True)


@login_required_page
def student_ledger(request, school: str, student_id: int):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    student = (
        Student.objects.select_related("school", "class_group", "college")
        .filter(pk=student_id, school=school_obj)
        .first()
    )
    if student is None or not viewer.can_see_personal(student):
        raise Http404
    own = viewer.student is not None and viewer.student.pk == student.pk
    return _ledger_page(request, school_obj, student, own=own)


@login_required_page
def certify(request, school: str):
    """Entries waiting for certification; the League committee certifies a batch after a
    confirmation step. The other offices see the list only."""
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    scope = ledger_selectors.certify_scope(viewer, school_obj)
    if scope is False:
        raise Http404
    may = ledger_selectors.may_certify(viewer, school_obj)
    entries = ledger_selectors.uncertified_entries(school_obj, college_ids=scope)
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        ids = [int(i) for i in request.POST.getlist("entry") if is_number(i)]
        chosen = list(entries.filter(pk__in=ids))
        if not chosen:
            messages.error(request, _("Choose the entries to certify."))
            return redirect("attendance:ledger_certify", school=school)
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "activities/ledger_certify_confirm.html",
                {"school": school_obj, "entries": chosen, "note": request.POST.get("note", "")},
            )
        try:
            ledger_services.certify_batch(
                actor=request.user,
                school=school_obj,
                entries=chosen,
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(
                request,
                _("%(n)s entries certified.") % {"n": len(chosen)},
            )
        return redirect("attendance:ledger_certify", school=school)
    rows = list(entries[:500])
    return render(
        request,
        "activities/ledger_certify.html",
        {"school": school_obj, "entries": rows, "may_certify": may, "total": entries.count()},
    )


@login_required_page
def correct(request, school: str, entry_id: int):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    entry = ledger_selectors.entry_for_correction(school_obj, entry_id)
    if entry is None or not viewer.can_see_personal(entry.student):
        raise Http404
    if not ledger_selectors.may_certify(viewer, school_obj):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger_services.credit_correct(
                actor=request.user,
                entry=entry,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            refuse_form(form, exc, fields={"note": "reason"})
        else:
            messages.success(request, _("The correction is recorded."))
            return redirect("attendance:ledger_student", school=school, student_id=entry.student_id)
    return render(
        request,
        "activities/ledger_correct.html",
        {"school": school_obj, "entry": entry, "form": form},
    )


@login_required_page
def export(request, school: str):
    """The export page, or with ?class=<id> / ?college=<id> the spreadsheet itself."""
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    if not ledger_selectors.may_export_any(viewer, school_obj):
        raise Http404
    class_id = request.GET.get("class", "")
    college_id = request.GET.get("college", "")
    if class_id or college_id:
        if class_id:
            group = (
                ClassGroup.objects.select_related("school")
                .filter(pk=to_id(class_id) or 0, school=school_obj)
                .first()
            )
            if group is None:
                raise Http404
            if not ledger_selectors.may_export_class(viewer, group):
                raise PermissionDenied
            students = Student.objects.filter(school=school_obj, class_group=group)
            name = group.name
        else:
            college = (
                College.objects.select_related("school")
                .filter(pk=to_id(college_id) or 0, school=school_obj)
                .first()
            )
            if college is None:
                raise Http404
            if not ledger_selectors.may_export_college(viewer, college):
                raise PermissionDenied
            students = Student.objects.filter(school=school_obj, college=college)
            name = college.name
        title = f"{name} 第二课堂 {timezone.localdate():%Y-%m-%d}"
        response = HttpResponse(assessment_workbook(students, title=title), content_type=XLSX)
        filename = f"ledger-{school_obj.code}-{'class' if class_id else 'college'}.xlsx"
        response["Content-Disposition"] = (
            f"attachment; filename={filename}; filename*=UTF-8''{quote(title, safe='')}.xlsx"
        )
        return response
    colleges, classes = ledger_selectors.exportable(viewer, school_obj)
    # The totals chart covers exactly the students the viewer may export.
    scope = Student.objects.filter(school=school_obj)
    if not viewer.has_school_office(school_obj):
        scope = scope.filter(
            Q(college__in=[c.pk for c in colleges]) | Q(class_group__in=[c.pk for c in classes])
        )
    chart = volunteer_hours_chart(scope, today=timezone.localdate())
    return render(
        request,
        "activities/ledger_export.html",
        {"school": school_obj, "colleges": colleges, "classes": classes, "chart": chart},
    )
