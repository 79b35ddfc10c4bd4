"""Activity pages: the public catalogue (活动精品超市) and detail, the organisers' forms, the
League committee's filing queue, and participants' ratings.

Published activities are public (no login). Everything else needs a login; a record the viewer
may not see is a 404, one they may see but not change a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuanxue.activities import selectors, services
from tuanxue.activities.forms import (
    ActivityForm,
    CancelForm,
    CatalogueFilterForm,
    FilingDecisionForm,
    RatingForm,
    activity_initial,
)
from tuanxue.activities.models import ActivityStatus, FilingDecision
from tuanxue.activities.proposals import services as proposals
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.org.access import get_school_for_viewer, viewer_for
from tuanxue.org.models import College
from tuanxue.org.views import login_required_page

PAGE_SIZE = 12


def _activity(request, school: str, activity_id: int, *, write: bool = False):
    school_obj = get_school_for_viewer(school, request.viewer)
    return selectors.get_activity_for_viewer(school_obj, activity_id, request.viewer, write=write)


# -- public ----------------------------------------------------------------------------------


def catalogue(request, school: str):
    school_obj = selectors.get_public_school(school)
    colleges = list(College.objects.filter(school=school_obj).order_by("order", "name"))
    form = CatalogueFilterForm(request.GET or None, colleges=colleges)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CatalogueFilters(
        area=data.get("area") or "",
        brand=data.get("brand") or "",
        organiser=data.get("organiser") or "",
        when=data.get("when") or "",
        q=(data.get("q") or "").strip(),
    )
    page = Paginator(selectors.catalogue(school_obj, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    viewer = viewer_for(request)
    in_school = request.user.is_authenticated and viewer.can_see_school(school_obj)
    return render(
        request,
        "activities/catalogue.html",
        {
            "school": school_obj,
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "in_school": in_school,
        },
    )


def detail(request, school: str, activity_id: int):
    school_obj = selectors.get_public_school(school)
    viewer = viewer_for(request)
    activity = selectors.get_activity_for_viewer(school_obj, activity_id, viewer)
    may_change = request.user.is_authenticated and selectors.may_change_activity(viewer, activity)
    sees_routing = may_change or (
        request.user.is_authenticated and selectors.sees_filings(viewer, school_obj)
    )
    summary = selectors.rating_summary(activity)
    rating = selectors.rating_state(viewer, activity) if request.user.is_authenticated else ""
    return render(
        request,
        "activities/activity_detail.html",
        {
            "school": school_obj,
            "a": activity,
            "colleges": list(activity.audience_colleges.all()),
            "may_change": may_change,
            "may_decide": (
                request.user.is_authenticated
                and activity.status == ActivityStatus.FILED
                and viewer.is_league_committee(school_obj)
            ),
            "history": selectors.activity_history(activity) if sees_routing else [],
            "filings": list(activity.filings.select_related("actor")) if sees_routing else [],
            "summary": summary,
            "ratings": selectors.recent_ratings(activity),
            "rating_state": rating,
            "rating_form": RatingForm() if rating == "rate" else None,
            "proposals": list(activity.proposals.all()),
        },
    )


# -- organisers ------------------------------------------------------------------------------


@login_required_page
def manage(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    bodies, societies = selectors.organiser_choices(request.viewer, school_obj)
    if not (bodies or societies or selectors.sees_filings(request.viewer, school_obj)):
        raise PermissionDenied
    return render(
        request,
        "activities/activity_manage.html",
        {
            "school": school_obj,
            "activities": selectors.managed_activities(request.viewer, school_obj),
            "may_create": bool(bodies or societies),
            "sees_filings": selectors.sees_filings(request.viewer, school_obj),
        },
    )


@login_required_page
def create(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    bodies, societies = selectors.organiser_choices(request.viewer, school_obj)
    if not (bodies or societies):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, school=school_obj, bodies=bodies, societies=societies)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, school=school_obj, **form.service_kwargs()
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request,
                _("The draft %(title)s was saved. Submit it when it is ready.")
                % {"title": activity.title},
            )
            return redirect("activities:detail", school=school, activity_id=activity.pk)
    return render(
        request,
        "activities/activity_form.html",
        {
            "school": school_obj,
            "form": form,
            "heading": _("New activity"),
            "back": reverse("activities:manage", args=[school_obj.code]),
            "note": _(
                "Activities for %(n)s people or more and activities with an external contact "
                "or sponsor are filed with the League committee and published after approval."
            )
            % {"n": services.major_capacity(school_obj, timezone.localdate())},
        },
    )


@login_required_page
def edit(request, school: str, activity_id: int):
    activity = _activity(request, school, activity_id, write=True)
    if activity.status == ActivityStatus.CANCELLED:
        raise PermissionDenied
    form = ActivityForm(
        request.POST or None,
        school=activity.school,
        editing=True,
        initial=activity_initial(activity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.activity_update(
                actor=request.user, activity=activity, **form.service_kwargs()
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            if (
                activity.status == ActivityStatus.PUBLISHED
                and updated.status == ActivityStatus.FILED
            ):
                messages.warning(
                    request,
                    _(
                        "The time, place or capacity changed: the activity is filed again and "
                        "is published after the League committee approves it."
                    ),
                )
            else:
                messages.success(request, _("The activity was saved."))
            return redirect("activities:detail", school=school, activity_id=activity.pk)
    warning = ""
    if activity.status == ActivityStatus.PUBLISHED and activity.needs_filing:
        warning = _(
            "This activity was approved by the League committee. Changing its time, place or "
            "capacity sends it back for approval; it is not shown in the catalogue until then."
        )
    return render(
        request,
        "activities/activity_form.html",
        {
            "school": activity.school,
            "form": form,
            "heading": _("Edit %(title)s") % {"title": activity.title},
            "back": reverse("activities:detail", args=[activity.school.code, activity.pk]),
            "warning": warning,
        },
    )


@login_required_page
@require_POST
def submit(request, school: str, activity_id: int):
    activity = _activity(request, school, activity_id, write=True)
    try:
        activity = services.activity_submit(actor=request.user, activity=activity)
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        if activity.status == ActivityStatus.FILED:
            messages.success(
                request,
                _("%(title)s was filed with the League committee; it is published on approval.")
                % {"title": activity.title},
            )
        else:
            messages.success(request, _("%(title)s is published.") % {"title": activity.title})
    return redirect("activities:detail", school=school, activity_id=activity.pk)


@login_required_page
def cancel(request, school: str, activity_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)
    activity = selectors.get_activity_for_viewer(school_obj, activity_id, request.viewer)
    if not (
        selectors.may_change_activity(request.viewer, activity)
        or request.viewer.is_league_committee(school_obj)
    ):
        raise PermissionDenied
    if activity.status == ActivityStatus.CANCELLED:
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_cancel(
                actor=request.user, activity=activity, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("%(title)s was cancelled.") % {"title": activity.title})
            return redirect("activities:detail", school=school, activity_id=activity.pk)
    return render(
        request,
        "activities/activity_form.html",
        {
            "school": school_obj,
            "form": form,
            "heading": _("Cancel %(title)s") % {"title": activity.title},
            "back": reverse("activities:detail", args=[school_obj.code, activity.pk]),
            "warning": _("Participants see that the activity is cancelled, with your reason."),
            "submit_label": _("Cancel the activity"),
        },
    )


# -- the League committee --------------------------------------------------------------------


@login_required_page
def filings(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    if not selectors.sees_filings(request.viewer, school_obj):
        raise PermissionDenied
    return render(
        request,
        "activities/filings.html",
        {
            "school": school_obj,
            "queue": selectors.filing_queue(school_obj),
            "decisions": selectors.recent_filing_decisions(school_obj),
            "may_decide": request.viewer.is_league_committee(school_obj),
        },
    )


@login_required_page
def decide(request, school: str, activity_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)
    activity = selectors.get_activity_for_viewer(school_obj, activity_id, request.viewer)
    if not selectors.sees_filings(request.viewer, school_obj):
        raise PermissionDenied
    may_decide = request.viewer.is_league_committee(school_obj)
    form = FilingDecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.activity_decide(
                    actor=request.user,
                    activity=activity,
                    decision=form.cleaned_data["decision"],
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as exc:
                refuse_form(form, exc)
            else:
                approved = form.cleaned_data["decision"] == FilingDecision.Decision.APPROVE
                messages.success(
                    request,
                    (
                        _("%(title)s was approved and is published.")
                        if approved
                        else _("%(title)s was returned to the organiser.")
                    )
                    % {"title": activity.title},
                )
                return redirect("activities:filings", school=school)
    return render(
        request,
        "activities/filing_decide.html",
        {
            "school": school_obj,
            "a": activity,
            "form": form if may_decide and activity.status == ActivityStatus.FILED else None,
            "history": selectors.activity_history(activity),
            "filings": list(activity.filings.select_related("actor")),
            "colleges": list(activity.audience_colleges.all()),
        },
    )


# -- ratings ---------------------------------------------------------------------------------


@login_required_page
@require_POST
def rate(request, school: str, activity_id: int):
    activity = _activity(request, school, activity_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            proposals.rating_add(
                actor=request.user,
                activity=activity,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
    else:
        messages.error(request, _("Choose a score from 1 to 5."))
    return redirect("activities:detail", school=school, activity_id=activity.pk)
