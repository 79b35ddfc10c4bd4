"""Proposal pages (众创众筹众评): everyone in the school reads the proposals and the decisions;
students propose and support; the department's heads, the presidium and the League committee
decide on the proposals that reached the threshold."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuanxue.activities import selectors
from tuanxue.activities.forms import ProposalDecisionForm, ProposalForm
from tuanxue.activities.models import ProposalStatus
from tuanxue.activities.proposals import services
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.views import login_required_page


def _is_student_of(viewer, school) -> bool:
    return viewer.student is not None and viewer.student.school_id == school.pk


def _proposal(request, school: str, proposal_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)
    return selectors.get_proposal_for_viewer(school_obj, proposal_id, request.viewer)


@login_required_page
def proposal_list(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    groups = selectors.proposals_by_state(school_obj)
    open_ones = groups["collecting"] + groups["on_list"]
    return render(
        request,
        "activities/proposals.html",
        {
            "school": school_obj,
            "groups": groups,
            "supported": selectors.supported_ids(request.viewer, open_ones),
            "may_propose": _is_student_of(request.viewer, school_obj),
            "decides": bool(selectors.decidable_bodies(request.viewer, school_obj)),
            "threshold": services.support_threshold(),
        },
    )


@login_required_page
def proposal_new(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    if not _is_student_of(request.viewer, school_obj):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, bodies=selectors.proposal_bodies(school_obj))
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request,
                _("Your proposal is published. It needs %(n)s supports to reach the list.")
                % {"n": proposal.threshold},
            )
            return redirect("activities:proposal", school=school, proposal_id=proposal.pk)
    return render(
        request,
        "activities/activity_form.html",
        {
            "school": school_obj,
            "form": form,
            "heading": _("Propose an activity"),
            "back": reverse("activities:proposals", args=[school_obj.code]),
            "note": _(
                "Other students support your proposal until the date you choose. With "
                "%(n)s supports it goes on the department's list, and the department's decision "
                "is published here."
            )
            % {"n": services.support_threshold()},
        },
    )


@login_required_page
def proposal_detail(request, school: str, proposal_id: int):
    proposal = _proposal(request, school, proposal_id)
    viewer = request.viewer
    supported = bool(selectors.supported_ids(viewer, [proposal]))
    return render(
        request,
        "activities/proposal_detail.html",
        {
            "school": proposal.school,
            "p": proposal,
            "supported": supported,
            "is_open": selectors.proposal_is_open(proposal),
            "may_support": (
                _is_student_of(viewer, proposal.school)
                and viewer.student.pk != proposal.proposer_id
                and not supported
            ),
            "may_decide": (
                proposal.status == ProposalStatus.ON_LIST
                and selectors.may_decide_proposal(viewer, proposal.body)
            ),
        },
    )


@login_required_page
@require_POST
def proposal_support(request, school: str, proposal_id: int):
    proposal = _proposal(request, school, proposal_id)
    try:
        proposal = services.proposal_support(actor=request.user, proposal=proposal)
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        if proposal.status == ProposalStatus.ON_LIST and proposal.supports == proposal.threshold:
            messages.success(
                request, _("Thank you! Your support put the proposal on the department's list.")
            )
        else:
            messages.success(request, _("Thank you for your support."))
    target = request.POST.get("next")
    if target == "list":
        return redirect("activities:proposals", school=school)
    return redirect("activities:proposal", school=school, proposal_id=proposal.pk)


@login_required_page
def proposal_decide(request, school: str, proposal_id: int):
    proposal = _proposal(request, school, proposal_id)
    if not selectors.may_decide_proposal(request.viewer, proposal.body):
        raise PermissionDenied
    form = ProposalDecisionForm(
        request.POST or None, activities=selectors.linkable_activities(proposal.school)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_decide(
                actor=request.user,
                proposal=proposal,
                adopt=data["adopt"],
                reason=data["reason"],
                activity=data["activity"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The decision is published."))
            return redirect("activities:proposal", school=school, proposal_id=proposal.pk)
    return render(
        request,
        "activities/activity_form.html",
        {
            "school": proposal.school,
            "form": form,
            "heading": _("Decide on %(title)s") % {"title": proposal.title},
            "back": reverse("activities:proposal", args=[proposal.school.code, proposal.pk]),
            "warning": (
                ""
                if proposal.status == ProposalStatus.ON_LIST
                else _("This proposal is not on the department's list.")
            ),
            "note": _("The decision and its reason are shown to every student of the school."),
        },
    )


@login_required_page
def department_list(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    bodies = selectors.decidable_bodies(request.viewer, school_obj)
    if not bodies:
        raise PermissionDenied
    return render(
        request,
        "activities/proposal_queue.html",
        {"school": school_obj, "proposals": selectors.department_list(bodies)},
    )
