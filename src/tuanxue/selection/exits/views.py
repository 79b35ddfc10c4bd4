"""Pages for leaving a post and handing it over.

- "My posts": a member asks to resign, writes handover notes, reads the notes of their seat.
- Resignations: the presidium (or the League committee) confirms or declines pending requests.
- Per union, for the League committee: the semester check with removal, and the end of a term.

Outsiders get 404; people of the school who may see but not act get 403. Services decide; a
refusal is shown on the form with the service's message and nothing is written.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form
from tuanxue.core.models import Semester
from tuanxue.org.access import (
    ensure_school_code,
    get_body_for_viewer,
    get_membership_for_viewer,
    get_school_for_viewer,
    get_union_for_viewer,
)
from tuanxue.org.models import PRESIDIUM_TITLES, Membership, Role, Title
from tuanxue.org.views import login_required_page
from tuanxue.selection import handover
from tuanxue.selection.exits import services as exits
from tuanxue.selection.models import ExitRequestStatus, ResignationRequest

# -- forms (they only parse input; services decide) -----------------------------------------


class ResignForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you want to leave the post?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("confirm", gettext_lazy("Confirm the resignation")),
            ("decline", gettext_lazy("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (required when declining)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class RemoveForm(forms.Form):
    basis = forms.ChoiceField(label=gettext_lazy("Basis"), choices=())
    reason = forms.CharField(
        label=gettext_lazy("Reason for the removal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm that this post ends today."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = exits.removal_basis_choices()


class TermEndForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Last day of the term"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm that every open post of this union ends on this day."),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()


class HandoverForm(forms.Form):
    ongoing_work = forms.CharField(
        label=gettext_lazy("Ongoing work"), widget=forms.Textarea(attrs={"rows": 6})
    )
    contacts = forms.CharField(
        label=gettext_lazy("Contacts"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    files = forms.CharField(
        label=gettext_lazy("Files and where they are"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def _own_post(request, school: str, membership_id: int) -> Membership:
    """A post the viewer holds (or held): 404 outside the school, 403 for someone else's."""
    membership = get_membership_for_viewer(membership_id, request.viewer)
    ensure_school_code(membership.union.school, school)
    student = request.viewer.student
    if student is None or membership.student_id != student.pk:
        raise PermissionDenied
    return membership


def _form_page(request, *, school, form, heading, back, button, warning="", danger=False):
    return render(
        request,
        "selection/exit_form.html",
        {
            "school": school,
            "form": form,
            "heading": heading,
            "back": back,
            "button": button,
            "warning": warning,
            "danger": danger,
        },
    )


# -- a member's own posts -------------------------------------------------------------------


@login_required_page
def my_posts(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    student = request.viewer.student
    posts = []
    if student is not None and student.school_id == school_obj.pk:
        since = timezone.localdate() - dt.timedelta(days=handover.WRITE_AFTER_END_DAYS)
        rows = (
            Membership.objects.filter(student=student, union__school=school_obj)
            .exclude(end__lt=since)
            .select_related("union", "body")
            .order_by("-start")
        )
        pending = {
            r.membership_id: r
            for r in ResignationRequest.objects.filter(
                membership__student=student, status=ExitRequestStatus.PENDING
            )
        }
        posts = [
            {
                "m": m,
                "pending": pending.get(m.pk),
                "may_write": handover.may_write(m),
            }
            for m in rows
        ]
    return render(
        request,
        "selection/exit_my_posts.html",
        {"school": school_obj, "posts": posts, "resign_form": ResignForm()},
    )


@login_required_page
def resign(request, school: str, membership_id: int):
    membership = _own_post(request, school, membership_id)
    form = ResignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exits.resignation_request(
                actor=request.user, membership=membership, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Your request was sent to the presidium."))
            return redirect("exits:my_posts", school=school)
    return _form_page(
        request,
        school=membership.union.school,
        form=form,
        heading=_("Leave the post of %(title)s in %(body)s")
        % {"title": membership.get_title_display(), "body": membership.body.name},
        back=reverse("exits:my_posts", args=[school]),
        button=_("Ask to leave"),
        warning=_("The presidium confirms the request; the post ends on the day it is confirmed."),
    )


@login_required_page
def withdraw(request, school: str, request_id: int):
    if request.method != "POST":  # a POST-only action: GET is not allowed (405), not missing
        return HttpResponseNotAllowed(["POST"])
    row = _request_for_viewer(request, school, request_id)
    if request.viewer.student is None or row.membership.student_id != request.viewer.student.pk:
        raise PermissionDenied
    try:
        exits.resignation_withdraw(actor=request.user, request=row)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("exits:my_posts", school=school)


# -- handover -------------------------------------------------------------------------------


@login_required_page
def handover_write(request, school: str, membership_id: int):
    membership = _own_post(request, school, membership_id)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handover.handover_note_write(
                actor=request.user, membership=membership, **form.cleaned_data
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Your handover note was saved."))
            return redirect(
                "exits:handover_notes",
                school=school,
                body_id=membership.body_id,
                title=membership.title,
            )
    return render(
        request,
        "selection/handover_form.html",
        {
            "school": membership.union.school,
            "membership": membership,
            "form": form,
            "back": reverse("exits:my_posts", args=[school]),
        },
    )


@login_required_page
def handover_notes(request, school: str, body_id: int, title: str):
    body = get_body_for_viewer(body_id, request.viewer)
    ensure_school_code(body.union.school, school)
    if title not in Title.values:
        raise Http404
    viewer = request.viewer
    may_read_all = handover.holds_seat(viewer, body, title) or viewer.guides_union(body.union)
    notes = list(handover.notes_visible_to(viewer, body, title))
    if not may_read_all and not notes:
        raise Http404
    return render(
        request,
        "selection/handover_notes.html",
        {
            "school": body.union.school,
            "body": body,
            "title_label": Title(title).label,
            "notes": notes,
        },
    )


# -- resignations waiting for the presidium ----------------------------------------------------


def _may_open_queue(viewer, school) -> bool:
    """The League committee (school or college) and presidium members of this school."""
    return (
        viewer.is_league_committee(school)
        or any(g.school_id == school.pk for g in viewer.grants_for(Role.COLLEGE_LEAGUE))
        or any(p.title in PRESIDIUM_TITLES and p.school_id == school.pk for p in viewer.posts)
    )


@login_required_page
def resignations(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    if not _may_open_queue(request.viewer, school_obj):
        raise PermissionDenied
    return render(
        request,
        "selection/exit_queue.html",
        {
            "school": school_obj,
            "rows": exits.pending_resignations(request.viewer, school_obj),
            "form": DecideForm(),
        },
    )


def _request_for_viewer(request, school: str, request_id: int) -> ResignationRequest:
    row = (
        ResignationRequest.objects.select_related(
            "membership__union__school", "membership__student", "membership__body"
        )
        .filter(pk=request_id)
        .first()
    )
    if row is None or not request.viewer.can_see_school(row.membership.union.school):
        raise Http404
    ensure_school_code(row.membership.union.school, school)
    return row


@login_required_page
def decide(request, school: str, request_id: int):
    row = _request_for_viewer(request, school, request_id)
    membership = row.membership
    if not exits.may_decide_resignations(request.viewer, membership.union):
        raise PermissionDenied
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            exits.resignation_decide(
                actor=request.user,
                request=row,
                confirm=confirm,
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            if confirm:
                text = _("The resignation of %(name)s is confirmed; the post has ended.")
            else:
                text = _("The resignation of %(name)s was declined.")
            messages.success(request, text % {"name": membership.student.name})
            return redirect("exits:resignations", school=school)
    return _form_page(
        request,
        school=membership.union.school,
        form=form,
        heading=_("Resignation of %(name)s") % {"name": membership.student.name},
        back=reverse("exits:resignations", args=[school]),
        button=_("Save the decision"),
        warning=_("%(title)s of %(body)s since %(start)s. Reason: %(reason)s")
        % {
            "title": membership.get_title_display(),
            "body": membership.body.name,
            "start": membership.start.isoformat(),
            "reason": row.reason,
        },
    )


# -- the League committee's page per union ------------------------------------------------------


def _league_union(request, school: str, union_id: int):
    union = get_union_for_viewer(union_id, request.viewer)
    ensure_school_code(union.school, school)
    if not request.viewer.guides_union(union):
        raise PermissionDenied
    return union


@login_required_page
def union_exits(request, school: str, union_id: int):
    union = _league_union(request, school, union_id)
    today = timezone.localdate()
    semesters = list(Semester.objects.filter(school=union.school).order_by("-start"))
    chosen = None
    wanted = request.GET.get("semester")
    if wanted:
        chosen = next((s for s in semesters if str(s.pk) == wanted), None)
        if chosen is None:
            raise Http404
    else:
        chosen = next((s for s in semesters if s.end < today), None)
    failing = exits.members_failing_rule(union, chosen) if chosen else []
    open_posts = Membership.objects.filter(union=union, end__isnull=True).count()
    return render(
        request,
        "selection/exit_union.html",
        {
            "school": union.school,
            "union": union,
            "semesters": semesters,
            "chosen": chosen,
            "check_day": exits.check_day(chosen) if chosen else None,
            "failing": failing,
            "open_posts": open_posts,
        },
    )


@login_required_page
def remove(request, school: str, membership_id: int):
    membership = get_membership_for_viewer(membership_id, request.viewer)
    ensure_school_code(membership.union.school, school)
    if not request.viewer.guides_union(membership.union):
        raise PermissionDenied
    initial = {"basis": request.GET.get("basis", "academic")}
    form = RemoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exits.member_remove(
                actor=request.user,
                membership=membership,
                reason=form.cleaned_data["reason"],
                basis=form.cleaned_data["basis"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s was removed from the post.") % {"name": membership.student.name},
            )
            return redirect("exits:union", school=school, union_id=membership.union_id)
    return _form_page(
        request,
        school=membership.union.school,
        form=form,
        heading=_("Remove %(name)s") % {"name": membership.student.name},
        back=reverse("exits:union", args=[school, membership.union_id]),
        button=_("Remove from the post"),
        warning=_("%(title)s of %(body)s since %(start)s. The post ends today.")
        % {
            "title": membership.get_title_display(),
            "body": membership.body.name,
            "start": membership.start.isoformat(),
        },
        danger=True,
    )


@login_required_page
def union_term_end(request, school: str, union_id: int):
    union = _league_union(request, school, union_id)
    form = TermEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ended = exits.term_end(actor=request.user, union=union, day=form.cleaned_data["day"])
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request,
                _("The term of %(union)s has ended: %(n)s posts closed.")
                % {"union": union.name, "n": len(ended)},
            )
            return redirect("exits:union", school=school, union_id=union.pk)
    return _form_page(
        request,
        school=union.school,
        form=form,
        heading=_("End the term of %(union)s") % {"union": union.name},
        back=reverse("exits:union", args=[school, union.pk]),
        button=_("End the term"),
        warning=_(
            "Every open post of %(union)s ends on the chosen day, and the roles that come with "
            "them end at once. The posts stay in everyone's history."
        )
        % {"union": union.name},
        danger=True,
    )
