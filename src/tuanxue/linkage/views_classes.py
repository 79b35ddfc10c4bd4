"""A class's page for 班团一体化: its roles for a term with the school's rules checked, editing
them, and its joint class–League meetings."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form
from tuanxue.core.models import Semester
from tuanxue.linkage import access, classes
from tuanxue.linkage.forms import MeetingForm, RolesForm
from tuanxue.linkage.models import ClassRole, ClassRoleKind
from tuanxue.org.views import login_required_page


def _term(request, group):
    code = request.GET.get("term") or request.POST.get("term")
    if code:
        term = Semester.objects.filter(school=group.school, code=code).first()
        if term is not None:
            return term
    return access.term_on(group.school, timezone.localdate())


def _roles(group, term) -> dict[str, ClassRole]:
    if term is None:
        return {}
    rows = ClassRole.objects.filter(class_group=group, semester=term).select_related("student")
    return {r.role: r for r in rows}


@login_required_page
def class_page(request, school: str, class_id: int):
    group = access.get_class_for_viewer(class_id, school, request.viewer)
    term = _term(request, group)
    roles = _roles(group, term)
    rows = [(label, roles.get(value)) for value, label in ClassRoleKind.choices]
    return render(
        request,
        "linkage/class.html",
        {
            "school": group.school,
            "group": group,
            "term": term,
            "terms": Semester.objects.filter(school=group.school).order_by("-start"),
            "rows": rows,
            "check": classes.check_roles(group, roles) if roles else None,
            "meetings": group.joint_meetings.all()[:50],
            "may_edit": access.may_edit_class(request.viewer, group),
        },
    )


@login_required_page
def class_roles_edit(request, school: str, class_id: int):
    group = access.get_class_for_viewer(class_id, school, request.viewer, write=True)
    term = _term(request, group)
    if term is None:
        messages.error(request, _("The school's calendar has no semester yet."))
        return redirect("linkage:class", school, group.pk)
    roles = _roles(group, term)
    students = list(group.students.order_by("student_no"))
    current = {k: str(r.student_id) for k, r in roles.items()}
    form = RolesForm(request.POST or None, students=students, current=current)
    if request.method == "POST" and form.is_valid():
        by_pk = {str(s.pk): s for s in students}
        try:
            with transaction.atomic():
                for value, _label in ClassRoleKind.choices:
                    chosen = form.cleaned_data.get(value) or ""
                    if chosen == current.get(value, ""):
                        continue
                    classes.class_role_set(
                        actor=request.user,
                        class_group=group,
                        semester=term,
                        role=value,
                        student=by_pk.get(chosen),
                    )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The class roles are saved."))
            return redirect(f"{_class_url(group)}?term={term.code}")
    return render(
        request,
        "linkage/form.html",
        {
            "school": group.school,
            "form": form,
            "heading": _("Class roles of %(class)s in %(term)s")
            % {"class": group.name, "term": term.code},
            "term": term,
            "group": group,
        },
    )


def _class_url(group) -> str:
    from django.urls import reverse

    return reverse("linkage:class", args=[group.school.code, group.pk])


@login_required_page
def meeting_new(request, school: str, class_id: int):
    group = access.get_class_for_viewer(class_id, school, request.viewer, write=True)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            classes.joint_meeting_record(
                actor=request.user,
                class_group=group,
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The joint meeting is recorded."))
            return redirect("linkage:class", school, group.pk)
    return render(
        request,
        "linkage/form.html",
        {
            "school": group.school,
            "form": form,
            "heading": _("Record a joint class–League meeting of %(class)s")
            % {"class": group.name},
            "group": group,
        },
    )
