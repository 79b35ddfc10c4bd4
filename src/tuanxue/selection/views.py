"""Applications: apply, my applications, one application with its chain and actions, and the
queue of what waits for an office. Round pages are in ``views_rounds``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refusal_text, refuse_form, refuse_message
from tuanxue.org.access import get_school_for_viewer, student_of
from tuanxue.org.models import Role
from tuanxue.org.views import login_required_page
from tuanxue.selection import services
from tuanxue.selection.eligibility import eligibility
from tuanxue.selection.forms import (
    ApplyForm,
    DecisionForm,
    ElectionForm,
    ResubmitForm,
)
from tuanxue.selection.models import OPEN_APPLICATION, Application, ApplicationStatus, RoundStatus
from tuanxue.selection.rounds import services as round_services
from tuanxue.selection.selectors import (
    chains_for,
    get_application_for_viewer,
    get_round_for_viewer,
    open_roles,
    step_of,
    timeline,
    waited,
    waiting_for,
)


def _to_application(application: Application):
    return redirect(
        "selection:application", school=application.school.code, application_id=application.pk
    )


@login_required_page
def apply(request, school: str, round_id: int):
    viewer = request.viewer
    rnd = get_round_for_viewer(school, round_id, viewer)
    student = student_of(viewer, rnd.school)
    if student is None:
        raise PermissionDenied(_("Only a student of this school can apply."))
    existing = Application.objects.filter(round=rnd, student=student).select_related("school")
    if existing := existing.first():
        messages.info(request, _("You have already applied in this round."))
        return _to_application(existing)
    verdict = eligibility(student, rnd.term_start)
    accepts = round_services.round_accepts(rnd)
    may_apply = accepts and verdict["eligible"] is not False
    seats = rnd.seats.select_related("body").order_by("body__order", "body__name", "title")
    form = ApplyForm(request.POST or None, seats=seats)
    if request.method == "POST" and may_apply and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                actor=request.user,
                rnd=rnd,
                seat=data["seat"],
                second_seat=data["second_seat"],
                statement=data["statement"],
            )
        except DomainError as exc:
            if exc.code == "duplicate":
                messages.info(request, exc.message)
                return redirect("selection:my_applications", school=school)
            refuse_form(form, exc)
        else:
            messages.success(request, _("Your application is submitted. You can follow it here."))
            return _to_application(application)
    return render(
        request,
        "selection/apply.html",
        {
            "school": rnd.school,
            "round": rnd,
            "student": student,
            "verdict": verdict,
            "accepts": accepts,
            "may_apply": may_apply,
            "form": form,
        },
    )


@login_required_page
def my_applications(request, school: str):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    student = student_of(viewer, school_obj)
    if student is None:
        raise PermissionDenied(_("Only students have applications."))
    chains = chains_for(school_obj)
    applications = list(
        Application.objects.filter(student=student)
        .select_related("round", "seat__body")
        .order_by("-created_at", "-pk")
    )
    for application in applications:
        steps = chains.get(application.seat.chain_kind, [])
        application.current_step = step_of(application, steps)
        application.steps_total = len(steps)
        application.waited = (
            waited(application.step_since)
            if application.status == ApplicationStatus.IN_REVIEW
            else ""
        )
    open_rounds = [
        r
        for r in school_obj.rounds.filter(status=RoundStatus.OPEN).order_by("closes_at")
        if round_services.round_accepts(r)
    ]
    applied = {a.round_id for a in applications}
    return render(
        request,
        "selection/my_applications.html",
        {
            "school": school_obj,
            "applications": applications,
            "open_rounds": [r for r in open_rounds if r.pk not in applied],
        },
    )


def _application_page(request, application, steps, access, *, forms=None, error="", status=200):
    viewer = request.viewer
    forms = forms or {}
    actions = list(application.actions.select_related("actor").order_by("at", "pk"))
    current = step_of(application, steps)
    roles = open_roles(viewer, application, current, actions)
    decision_form = None
    if roles:
        decision_form = forms.get("decision") or DecisionForm(
            initial={"step": application.step, "cycle": application.cycle}
        )
    is_league = viewer.is_league_committee(application.school)
    status_value = application.status
    return render(
        request,
        "selection/application.html",
        {
            "school": application.school,
            "application": application,
            "student": application.student,
            "snapshot": application.eligibility or {},
            # Grades, ranks and political status: the applicant, the offices judging the
            # application, and those allowed the student's personal data — as in the API.
            "show_personal": access.applicant
            or access.approver
            or viewer.can_see_personal(application.student),
            "timeline": timeline(application, steps, actions),
            "steps_total": len(steps),
            "current": current,
            "acting_labels": [str(Role(r).label) for r in roles],
            "decision_form": decision_form,
            "access": access,
            "may_withdraw": access.applicant and status_value in OPEN_APPLICATION,
            "resubmit_form": (
                forms.get("resubmit") or ResubmitForm(initial={"statement": application.statement})
            )
            if access.applicant and status_value == ApplicationStatus.RETURNED
            else None,
            "may_retry": status_value == ApplicationStatus.HELD
            and viewer.can_manage_union(application.round.union),
            "election_form": (forms.get("election") or ElectionForm())
            if is_league and status_value == ApplicationStatus.CANDIDATE
            else None,
            "error": error,
        },
        status=status,
    )


@login_required_page
def application_detail(request, school: str, application_id: int):
    application, steps, access = get_application_for_viewer(school, application_id, request.viewer)
    return _application_page(request, application, steps, access)


@login_required_page
@require_POST
def application_decide(request, school: str, application_id: int):
    application, steps, access = get_application_for_viewer(school, application_id, request.viewer)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            action = services.step_act(
                actor=request.user,
                application=application,
                decision=data["decision"],
                comment=data["comment"],
                step=data["step"],
                cycle=data["cycle"],
            )
        except DomainError as exc:
            if exc.code in ("stale", "duplicate"):
                application.refresh_from_db()
                return _application_page(request, application, steps, access, error=exc.message)
            refuse_form(form, exc)
        else:
            messages.success(
                request,
                _("Your decision is recorded: %(decision)s.")
                % {"decision": action.get_decision_display()},
            )
            return _to_application(application)
    return _application_page(request, application, steps, access, forms={"decision": form})


@login_required_page
def application_withdraw(request, school: str, application_id: int):
    application, _steps, access = get_application_for_viewer(school, application_id, request.viewer)
    if not access.applicant:
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            services.application_withdraw(actor=request.user, application=application)
        except DomainError as exc:
            error = refusal_text(exc)
        else:
            messages.success(request, _("Your application is withdrawn."))
            return _to_application(application)
    return render(
        request,
        "selection/withdraw.html",
        {
            "school": application.school,
            "application": application,
            "error": error,
            "may_withdraw": services.may_withdraw(application),
        },
    )


@login_required_page
@require_POST
def application_resubmit(request, school: str, application_id: int):
    application, steps, access = get_application_for_viewer(school, application_id, request.viewer)
    if not access.applicant:
        raise PermissionDenied
    form = ResubmitForm(request.POST)
    if form.is_valid():
        try:
            services.application_resubmit(
                actor=request.user,
                application=application,
                statement=form.cleaned_data["statement"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Your application is back in review."))
            return _to_application(application)
    if form.non_field_errors() and not form.has_error("statement"):
        return _application_page(
            request, application, steps, access, error=form.non_field_errors()[0]
        )
    return _application_page(request, application, steps, access, forms={"resubmit": form})


@login_required_page
@require_POST
def application_retry(request, school: str, application_id: int):
    application, _steps, _access = get_application_for_viewer(
        school, application_id, request.viewer
    )
    try:
        application = services.application_retry(actor=request.user, application=application)
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        if application.status == ApplicationStatus.APPOINTED:
            messages.success(request, _("The applicant is appointed."))
        else:
            messages.error(request, application.held_reason)
    return _to_application(application)


@login_required_page
@require_POST
def application_election(request, school: str, application_id: int):
    application, steps, access = get_application_for_viewer(school, application_id, request.viewer)
    form = ElectionForm(request.POST)
    if form.is_valid():
        try:
            application = services.election_record(
                actor=request.user, application=application, elected=form.cleaned_data["elected"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request,
                _("The election result is recorded: %(status)s.")
                % {"status": application.get_status_display()},
            )
            return _to_application(application)
    return _application_page(request, application, steps, access, forms={"election": form})


@login_required_page
def queue(request, school: str):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    return render(
        request,
        "selection/queue.html",
        {
            "school": school_obj,
            "rows": waiting_for(viewer, school_obj),
            "has_office": bool(viewer.grants),
        },
    )
