"""Changing a union: add a department, rewrite a remit, appoint to a post, end a post.

Every change goes through the org services, which apply the charter in force; a refusal is shown
on the form with the service's message and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form
from tuanxue.org import services
from tuanxue.org.access import (
    ensure_school_code,
    get_body_for_viewer,
    get_membership_for_viewer,
    get_union_for_viewer,
)
from tuanxue.org.forms import DepartmentForm, EndMembershipForm, MembershipForm, RemitForm
from tuanxue.org.views import login_required_page


@login_required_page
def department_new(request, school: str, union_id: int):
    union = get_union_for_viewer(union_id, request.viewer, write=True)
    ensure_school_code(union.school, school)
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(
                actor=request.user, union=union, **form.cleaned_data
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request, _("Department %(name)s was added.") % {"name": department.name}
            )
            return redirect("org:union", school=school, union_id=union.pk)
    return render(
        request,
        "org/manage_form.html",
        {
            "school": union.school,
            "union": union,
            "form": form,
            "heading": _("Add a department to %(union)s") % {"union": union.name},
        },
    )


@login_required_page
def remit_edit(request, school: str, body_id: int):
    body = get_body_for_viewer(body_id, request.viewer, write=True)
    ensure_school_code(body.union.school, school)
    form = RemitForm(request.POST or None, initial={"remit": body.remit})
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update_remit(
                actor=request.user, department=body, remit=form.cleaned_data["remit"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The remit of %(name)s was saved.") % {"name": body.name})
            return redirect("org:union", school=school, union_id=body.union_id)
    return render(
        request,
        "org/manage_form.html",
        {
            "school": body.union.school,
            "union": body.union,
            "form": form,
            "heading": _("Remit of %(name)s") % {"name": body.name},
        },
    )


@login_required_page
def membership_new(request, school: str, union_id: int):
    union = get_union_for_viewer(union_id, request.viewer, write=True)
    ensure_school_code(union.school, school)
    form = MembershipForm(request.POST or None, union=union, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_create(
                actor=request.user,
                body=data["body"],
                student=data["student"],
                title=data["title"],
                start=data["start"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now holds %(title)s in %(body)s.")
                % {
                    "name": membership.student.name,
                    "title": membership.get_title_display(),
                    "body": membership.body.name,
                },
            )
            return redirect("org:union", school=school, union_id=union.pk)
    return render(
        request,
        "org/manage_form.html",
        {
            "school": union.school,
            "union": union,
            "form": form,
            "heading": _("Appoint to a post in %(union)s") % {"union": union.name},
        },
    )


@login_required_page
def membership_end(request, school: str, membership_id: int):
    membership = get_membership_for_viewer(membership_id, request.viewer, write=True)
    ensure_school_code(membership.union.school, school)
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=request.user,
                membership=membership,
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request, _("The post of %(name)s has ended.") % {"name": membership.student.name}
            )
            return redirect("org:union", school=school, union_id=membership.union_id)
    return render(
        request,
        "org/manage_form.html",
        {
            "school": membership.union.school,
            "union": membership.union,
            "form": form,
            "heading": _("End the post of %(name)s") % {"name": membership.student.name},
            "warning": _(
                "%(name)s, %(title)s of %(body)s since %(start)s. The post stays in their history."
            )
            % {
                "name": membership.student.name,
                "title": membership.get_title_display(),
                "body": membership.body.name,
                "start": membership.start.isoformat(),
            },
        },
    )
