"""Recruitment rounds: the list, opening one, one round with its management actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.org.access import get_school_for_viewer, get_union_for_viewer, student_of
from tuanxue.org.models import Union
from tuanxue.org.views import login_required_page
from tuanxue.selection.access import may_run_rounds
from tuanxue.selection.forms import CancelForm, ExtendForm, RoundForm
from tuanxue.selection.models import (
    OPEN_APPLICATION,
    Application,
    ApplicationStatus,
    RecruitmentRound,
    RoundStatus,
)
from tuanxue.selection.rounds import services as round_services
from tuanxue.selection.selectors import (
    chains_for,
    get_round_for_viewer,
    step_of,
    waited,
)


def _is_current(rnd: RecruitmentRound, now) -> bool:
    return rnd.status == RoundStatus.OPEN and rnd.closes_at > now


def round_phase(rnd: RecruitmentRound, now) -> tuple[str, str]:
    """A label and a tag colour for the round's state."""
    if rnd.status == RoundStatus.OPEN:
        if now < rnd.opens_at:
            return _("opens soon"), ""
        if now < rnd.closes_at:
            return _("taking applications"), "green"
        return _("window ended"), ""
    if rnd.status == RoundStatus.CANCELLED:
        return rnd.get_status_display(), "red"
    return rnd.get_status_display(), ""


@login_required_page
def rounds(request, school: str):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    now = timezone.now()
    all_rounds = list(
        RecruitmentRound.objects.filter(school=school_obj)
        .select_related("union")
        .prefetch_related("seats__body")
        .order_by("-opens_at", "-pk")
    )
    for rnd in all_rounds:
        rnd.phase, rnd.phase_tag = round_phase(rnd, now)
        rnd.places = sum(seat.count for seat in rnd.seats.all())
    current = sorted(
        (r for r in all_rounds if _is_current(r, now)), key=lambda r: (r.closes_at, r.pk)
    )
    past = [r for r in all_rounds if not _is_current(r, now)]
    unions = [
        union
        for union in Union.objects.filter(school=school_obj)
        .select_related("school", "college")
        .order_by("college__order", "pk")
        if may_run_rounds(viewer, union)
    ]
    return render(
        request,
        "selection/rounds.html",
        {
            "school": school_obj,
            "current": current,
            "past": past,
            "unions": unions,
            "is_student": student_of(viewer, school_obj) is not None,
        },
    )


@login_required_page
def round_new(request, school: str, union_id: int):
    viewer = request.viewer
    union = get_union_for_viewer(union_id, viewer)
    if union.school.code != school:
        raise Http404
    if not may_run_rounds(viewer, union):
        raise PermissionDenied
    bodies = list(union.bodies.order_by("order", "name"))
    form = RoundForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = round_services.round_open(
                actor=request.user,
                union=union,
                name=data["name"],
                term_start=data["term_start"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                seats=form.seats(),
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The round %(name)s is open.") % {"name": rnd.name})
            return redirect("selection:round", school=school, round_id=rnd.pk)
    return render(
        request,
        "selection/round_new.html",
        {"school": union.school, "union": union, "form": form, "bodies": bodies},
    )


def _round_page(request, rnd: RecruitmentRound, *, extend_form=None, status=200):
    viewer = request.viewer
    now = timezone.now()
    manager = may_run_rounds(viewer, rnd.union)
    seats = list(rnd.seats.select_related("body"))
    counts = {
        row["status"]: row["n"]
        for row in Application.objects.filter(round=rnd)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    }
    status_counts = [
        (label, counts[value]) for value, label in ApplicationStatus.choices if value in counts
    ]
    applications = []
    if manager:
        chains = chains_for(rnd.school)
        for application in (
            Application.objects.filter(round=rnd)
            .select_related("student__college", "seat__body")
            .order_by("created_at", "pk")
        ):
            steps = chains.get(application.seat.chain_kind, [])
            application.current_step = step_of(application, steps)
            application.steps_total = len(steps)
            application.waited = (
                waited(application.step_since, now)
                if application.status in (ApplicationStatus.IN_REVIEW, ApplicationStatus.RETURNED)
                else ""
            )
            applications.append(application)
    student = student_of(viewer, rnd.school)
    mine = (
        Application.objects.filter(round=rnd, student=student).first()
        if student is not None
        else None
    )
    phase, phase_tag = round_phase(rnd, now)
    return render(
        request,
        "selection/round.html",
        {
            "school": rnd.school,
            "round": rnd,
            "phase": phase,
            "phase_tag": phase_tag,
            "seats": seats,
            "places": sum(s.count for s in seats),
            "total": sum(counts.values()),
            "status_counts": status_counts,
            "manager": manager,
            "applications": applications,
            "student": student,
            "mine": mine,
            "accepts": round_services.round_accepts(rnd, now),
            "extend_form": extend_form
            or ExtendForm(initial={"closes_at": timezone.localtime(rnd.closes_at)}),
            "may_extend": rnd.status in (RoundStatus.OPEN, RoundStatus.CLOSED),
            "may_close": round_services.may_close(rnd),
            "may_cancel": rnd.status not in (RoundStatus.CANCELLED, RoundStatus.FINISHED),
        },
        status=status,
    )


@login_required_page
def round_detail(request, school: str, round_id: int):
    rnd = get_round_for_viewer(school, round_id, request.viewer)
    return _round_page(request, rnd)


def _managed_round(request, school: str, round_id: int) -> RecruitmentRound:
    rnd = get_round_for_viewer(school, round_id, request.viewer)
    if not may_run_rounds(request.viewer, rnd.union):
        raise PermissionDenied
    return rnd


@login_required_page
@require_POST
def round_extend(request, school: str, round_id: int):
    rnd = _managed_round(request, school, round_id)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            round_services.round_extend(
                actor=request.user, rnd=rnd, closes_at=form.cleaned_data["closes_at"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Applications now close later."))
            return redirect("selection:round", school=school, round_id=rnd.pk)
    return _round_page(request, rnd, extend_form=form)


@login_required_page
@require_POST
def round_close(request, school: str, round_id: int):
    rnd = _managed_round(request, school, round_id)
    try:
        round_services.round_close(actor=request.user, rnd=rnd)
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        messages.success(request, _("Applications are closed."))
    return redirect("selection:round", school=school, round_id=rnd.pk)


@login_required_page
def round_cancel(request, school: str, round_id: int):
    rnd = _managed_round(request, school, round_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_services.round_cancel(
                actor=request.user, rnd=rnd, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The round was cancelled."))
            return redirect("selection:round", school=school, round_id=rnd.pk)
    affected = Application.objects.filter(round=rnd, status__in=OPEN_APPLICATION).count()
    return render(
        request,
        "selection/round_cancel.html",
        {"school": rnd.school, "round": rnd, "form": form, "affected": affected},
    )
