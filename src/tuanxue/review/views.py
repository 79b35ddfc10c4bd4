"""Pages of the duty review, phone first.

- Sessions (every viewer of the school sees the list and a session's date, panel and reviewees);
  the League committee plans, staffs, opens, closes and publishes; results and the export go to
  the League committee and the school offices; individual sheets to the League committee only.
- Scoring: a panel member scores each reviewee on their phone.
- My review: a reviewee writes their report and, after publication, reads their result and the
  panel's comments without names.
- Removal proposals opened by a failed result or a sanction, decided by the League committee.

Outsiders get 404; people of the school who may see but not act get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.core.models import Semester
from tuanxue.org.access import Viewer, get_school_for_viewer
from tuanxue.org.models import Membership, Union
from tuanxue.org.views import login_required_page
from tuanxue.review import effects, publishing, selectors, services
from tuanxue.review.access import may_manage, may_see_results, may_see_sheets
from tuanxue.review.forms import (
    AddRevieweeForm,
    ConfirmForm,
    DecideProposalForm,
    PanelForm,
    ReasonForm,
    ReportForm,
    SessionForm,
    SheetForm,
)
from tuanxue.review.models import (
    DIMENSIONS,
    PanelKind,
    ProposalStatus,
    RemovalProposal,
    Reviewee,
    ReviewSession,
    ReviewStatus,
    dimension_labels,
)


def _session(request, school: str, session_id: int, *, manage: bool = False) -> ReviewSession:
    school_obj = get_school_for_viewer(school, request.viewer)
    session = (
        ReviewSession.objects.select_related("school", "union__college", "semester")
        .filter(pk=session_id, school=school_obj)
        .first()
    )
    if session is None:
        raise Http404
    if manage and not may_manage(request.viewer, session.union):
        raise PermissionDenied
    return session


def _managed_unions(viewer: Viewer, school) -> list[Union]:
    unions = Union.objects.filter(school=school).select_related("college", "school")
    return [u for u in unions if may_manage(viewer, u)]


def _record_unions(viewer: Viewer, school) -> list[Union]:
    """Unions whose discipline and study pages the viewer may open."""
    from tuanxue.review.access import may_see_union_records

    unions = Union.objects.filter(school=school).select_related("college", "school")
    return [u for u in unions if may_see_union_records(viewer, u)]


@login_required_page
def session_list(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    return render(
        request,
        "review/sessions.html",
        {
            "school": school_obj,
            "sessions": selectors.sessions_of(school_obj),
            "may_create": bool(_managed_unions(request.viewer, school_obj)),
            "unions": _record_unions(request.viewer, school_obj),
        },
    )


@login_required_page
def session_new(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    unions = _managed_unions(request.viewer, school_obj)
    if not unions:
        raise PermissionDenied
    semesters = list(Semester.objects.filter(school=school_obj).order_by("-start"))
    form = SessionForm(request.POST or None, unions=unions, semesters=semesters)
    if request.method == "POST" and form.is_valid():
        union = next(u for u in unions if str(u.pk) == form.cleaned_data["union"])
        semester = next(s for s in semesters if str(s.pk) == form.cleaned_data["semester"])
        try:
            session = services.session_create(
                actor=request.user,
                union=union,
                semester=semester,
                held_on=form.cleaned_data["held_on"],
                place=form.cleaned_data["place"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The review session is planned."))
            return redirect("review:session", school=school, session_id=session.pk)
    return render(
        request,
        "review/form.html",
        {
            "school": school_obj,
            "form": form,
            "heading": _("Plan a review session"),
            "button": _("Plan"),
            "back": reverse("review:sessions", args=[school]),
        },
    )


@login_required_page
def session_detail(request, school: str, session_id: int):
    session = _session(request, school, session_id)
    viewer = request.viewer
    manage = may_manage(viewer, session.union)
    results = []
    if may_see_results(viewer, session.union) and session.status in (
        ReviewStatus.CLOSED,
        ReviewStatus.PUBLISHED,
    ):
        results = selectors.results_of(session)
    member = services.panel_member_of(session, request.user)
    return render(
        request,
        "review/session.html",
        {
            "school": session.school,
            "session": session,
            "panel": selectors.panel_of(session),
            "reviewees": selectors.reviewees_of(session),
            "results": results,
            "dimensions": [dimension_labels()[d] for d in DIMENSIONS],
            "manage": manage,
            "may_see_sheets": may_see_sheets(viewer, session.union),
            "is_panel": member is not None,
            "Status": ReviewStatus,
        },
    )


def _panel_text(session: ReviewSession) -> str:
    return "\n".join(
        f"{m.user.get_username()} {m.kind}" for m in session.panel.select_related("user")
    )


@login_required_page
def panel_edit(request, school: str, session_id: int):
    session = _session(request, school, session_id, manage=True)
    form = PanelForm(request.POST or None, initial={"members": _panel_text(session)})
    if request.method == "POST" and form.is_valid():
        try:
            members = _parse_panel(form.cleaned_data["members"])
            services.panel_set(actor=request.user, session=session, members=members)
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The panel is set."))
            return redirect("review:session", school=school, session_id=session.pk)
    return render(
        request,
        "review/form.html",
        {
            "school": session.school,
            "form": form,
            "heading": _("Panel of %(session)s") % {"session": session},
            "button": _("Save the panel"),
            "back": reverse("review:session", args=[school, session.pk]),
        },
    )


def _parse_panel(text: str) -> list[tuple]:
    User = get_user_model()
    members = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2 or parts[1] not in PanelKind.values:
            raise DomainError(
                _("Line %(n)s: write a username and one of student, student_affairs, league.")
                % {"n": number},
                field="members",
            )
        user = User.objects.filter(username=parts[0], is_active=True).first()
        if user is None:
            raise DomainError(
                _("Line %(n)s: there is no account %(name)s.") % {"n": number, "name": parts[0]},
                field="members",
            )
        members.append((user, parts[1]))
    return members


def _transition(request, school, session_id, service, done: str, confirm=False):
    session = _session(request, school, session_id, manage=True)
    if request.method != "POST":
        return redirect("review:session", school=school, session_id=session.pk)
    if confirm and not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Tick the confirmation first."))
        return redirect("review:session", school=school, session_id=session.pk)
    try:
        service(actor=request.user, session=session)
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        messages.success(request, done)
    return redirect("review:session", school=school, session_id=session.pk)


@login_required_page
def session_open(request, school: str, session_id: int):
    return _transition(request, school, session_id, services.session_open, _("Scoring is open."))


@login_required_page
def session_close(request, school: str, session_id: int):
    return _transition(
        request,
        school,
        session_id,
        publishing.session_close,
        _("Scoring is closed; results computed."),
        confirm=True,
    )


@login_required_page
def session_publish(request, school: str, session_id: int):
    return _transition(
        request,
        school,
        session_id,
        publishing.session_publish,
        _("The results are published."),
        confirm=True,
    )


@login_required_page
def reviewee_add(request, school: str, session_id: int):
    session = _session(request, school, session_id, manage=True)
    listed = set(session.reviewees.filter(active=True).values_list("student_id", flat=True))
    posts = [
        m
        for m in Membership.objects.filter(union=session.union, end__isnull=True)
        .select_related("student", "body")
        .order_by("body__order", "student__student_no")
        if m.student_id not in listed
    ]
    form = AddRevieweeForm(request.POST or None, posts=posts)
    if request.method == "POST" and form.is_valid():
        membership = next(m for m in posts if str(m.pk) == form.cleaned_data["membership"])
        try:
            services.reviewee_add(
                actor=request.user,
                session=session,
                membership=membership,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            return redirect("review:session", school=school, session_id=session.pk)
    return render(
        request,
        "review/form.html",
        {
            "school": session.school,
            "form": form,
            "heading": _("Add a reviewee"),
            "button": _("Add"),
            "back": reverse("review:session", args=[school, session.pk]),
        },
    )


@login_required_page
def reviewee_remove(request, school: str, session_id: int, reviewee_id: int):
    session = _session(request, school, session_id, manage=True)
    reviewee = session.reviewees.filter(pk=reviewee_id).select_related("student").first()
    if reviewee is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewee_remove(
                actor=request.user, reviewee=reviewee, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            return redirect("review:session", school=school, session_id=session.pk)
    return render(
        request,
        "review/form.html",
        {
            "school": session.school,
            "form": form,
            "heading": _("Take %(name)s off the list") % {"name": reviewee.student.name},
            "button": _("Take off the list"),
            "danger": True,
            "back": reverse("review:session", args=[school, session.pk]),
        },
    )


# -- scoring ----------------------------------------------------------------------------------


def _member(request, session):
    member = services.panel_member_of(session, request.user)
    if member is None:
        raise PermissionDenied
    return member


@login_required_page
def score_list(request, school: str, session_id: int):
    session = _session(request, school, session_id)
    member = _member(request, session)
    rows = selectors.scoring_rows(session, member)
    return render(
        request,
        "review/score_list.html",
        {
            "school": session.school,
            "session": session,
            "rows": rows,
            "left": sum(1 for _r, done in rows if not done),
            "Status": ReviewStatus,
        },
    )


@login_required_page
def score_sheet(request, school: str, session_id: int, reviewee_id: int):
    session = _session(request, school, session_id)
    member = _member(request, session)
    reviewee = (
        session.reviewees.filter(pk=reviewee_id, active=True).select_related("student").first()
    )
    if reviewee is None:
        raise Http404
    rules, _label = services.rules_for(session)
    done = reviewee.sheets.filter(member=member).first()
    form = SheetForm(
        request.POST or None,
        scale_max=rules.review_scale_max,
        grades=list(rules.review_scale_grades),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sheet_submit(
                actor=request.user,
                session=session,
                reviewee=reviewee,
                scores={d: form.cleaned_data[d] for d in DIMENSIONS},
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request, _("Your sheet for %(name)s is saved.") % {"name": reviewee.student.name}
            )
            return redirect("review:score", school=school, session_id=session.pk)
    return render(
        request,
        "review/score_sheet.html",
        {
            "school": session.school,
            "session": session,
            "reviewee": reviewee,
            "form": form,
            "done": done,
            "scale_max": rules.review_scale_max,
            "grades": list(rules.review_scale_grades),
            "Status": ReviewStatus,
        },
    )


@login_required_page
def sheets(request, school: str, session_id: int):
    session = _session(request, school, session_id)
    if not may_see_sheets(request.viewer, session.union):
        raise PermissionDenied
    return render(
        request,
        "review/sheets.html",
        {
            "school": session.school,
            "session": session,
            "sheets": selectors.sheets_of(session),
            "dimensions": [dimension_labels()[d] for d in DIMENSIONS],
        },
    )


@login_required_page
def export(request, school: str, session_id: int):
    session = _session(request, school, session_id)
    if not may_see_results(request.viewer, session.union):
        raise PermissionDenied
    if session.status != ReviewStatus.PUBLISHED:
        raise Http404
    data = effects.results_workbook(session, selectors.results_of(session))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="review-{session.semester.code}-{session.pk}.xlsx"'
    )
    return response


# -- my review ------------------------------------------------------------------------------


@login_required_page
def mine(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    student = request.viewer.student
    rows = []
    if student is not None and student.school_id == school_obj.pk:
        for reviewee in selectors.my_reviews(student):
            published = reviewee.session.status == ReviewStatus.PUBLISHED
            result = getattr(reviewee, "result", None) if published else None
            rows.append(
                {
                    "reviewee": reviewee,
                    "result": result,
                    "dimensions": [
                        (dimension_labels()[d], result.dimensions[d]) for d in DIMENSIONS
                    ]
                    if result
                    else [],
                    "comments": selectors.own_comments(reviewee) if published else [],
                    "may_report": reviewee.session.status
                    in (ReviewStatus.PLANNED, ReviewStatus.OPEN),
                }
            )
    return render(request, "review/mine.html", {"school": school_obj, "rows": rows})


@login_required_page
def report(request, school: str, reviewee_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)
    reviewee = (
        Reviewee.objects.select_related("session__school", "student")
        .filter(pk=reviewee_id, session__school=school_obj)
        .first()
    )
    if reviewee is None:
        raise Http404
    student = request.viewer.student
    if student is None or student.pk != reviewee.student_id:
        raise PermissionDenied
    form = ReportForm(request.POST or None, initial={"report": reviewee.report})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                actor=request.user, reviewee=reviewee, text=form.cleaned_data["report"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Your duty report is submitted."))
            return redirect("review:mine", school=school)
    return render(
        request,
        "review/form.html",
        {
            "school": school_obj,
            "form": form,
            "heading": _("Duty report for %(session)s") % {"session": reviewee.session},
            "button": _("Submit the report"),
            "back": reverse("review:mine", args=[school]),
        },
    )


# -- removal proposals ----------------------------------------------------------------------


def _visible_proposals(viewer: Viewer, school):
    rows = (
        RemovalProposal.objects.filter(school=school)
        .select_related("membership__student", "membership__body", "membership__union__school")
        .order_by("-opened_at")
    )
    return [p for p in rows if may_manage(viewer, p.membership.union)]


@login_required_page
def proposals(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    if not _managed_unions(request.viewer, school_obj):
        raise PermissionDenied
    rows = _visible_proposals(request.viewer, school_obj)
    return render(
        request,
        "review/proposals.html",
        {
            "school": school_obj,
            "rows": rows,
            "form": DecideProposalForm(),
            "Status": ProposalStatus,
        },
    )


@login_required_page
def proposal_decide(request, school: str, proposal_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)
    proposal = (
        RemovalProposal.objects.select_related("membership__union__school", "membership__student")
        .filter(pk=proposal_id, school=school_obj)
        .first()
    )
    if proposal is None:
        raise Http404
    if not may_manage(request.viewer, proposal.membership.union):
        raise PermissionDenied
    form = DecideProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            effects.proposal_decide(
                actor=request.user,
                proposal=proposal,
                remove=form.cleaned_data["decision"] == "remove",
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("review:proposals", school=school)
    return render(
        request,
        "review/form.html",
        {
            "school": school_obj,
            "form": form,
            "heading": _("Removal of %(name)s") % {"name": proposal.membership.student.name},
            "button": _("Record the decision"),
            "back": reverse("review:proposals", args=[school]),
            "warning": proposal.basis,
        },
    )
