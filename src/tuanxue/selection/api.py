"""Recruitment API: rounds, applications with their steps and actions, decisions, eligibility.

The rules are the pages': a round is seen by everyone of its school; an application by its
applicant, by the offices of its chain within their scope and by those who run the round;
anyone else gets 404. Eligibility (grades and ranks) goes only to those allowed the student's
personal data, or to the offices that judge the application.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tuanxue.core.api.errors import ErrorOut
from tuanxue.core.api.types import IsoDate, PathId, PathText
from tuanxue.core.errors import DomainError
from tuanxue.org.access import Viewer, api_viewer, get_school_for_viewer
from tuanxue.org.models import BodyKind, Role, Student
from tuanxue.selection import services
from tuanxue.selection.access import may_run_rounds
from tuanxue.selection.api_schemas import (
    ApplicationDetailOut,
    ApplicationPage,
    ApplyIn,
    DecisionIn,
    RoundDetailOut,
    RoundOut,
    StudentEligibilityOut,
)
from tuanxue.selection.eligibility import eligibility
from tuanxue.selection.models import (
    Application,
    ChainKind,
    ChainStep,
    RecruitmentRound,
    RoundStatus,
    Seat,
    StepScope,
)
from tuanxue.selection.rounds import services as round_services
from tuanxue.selection.selectors import (
    APPLICATION_RELATED,
    ApplicationAccess,
    application_access,
    chains_for,
    get_application_for_viewer,
    get_round_for_viewer,
    open_roles,
    step_of,
    timeline,
)

PAGE_SIZE = 50

router = Router(tags=["recruitment"])

# A refusal by a service (``DomainError``) becomes 403 for a missing right, 409 for a state
# that does not allow it (closed round, duplicate, ineligible, stale form), 422 for bad input:
# ``tuanxue.core.api.errors`` answers it and documents 400/401/403/404/422 on every operation.
WRITE_ERRORS = {409: ErrorOut}

PAGE_QUERY = Query(1, ge=1, description="Page number, from 1; 50 items a page.")
STATUS_QUERY = Query(None, description="Only rounds with this status (open, closed, …).")
DATE_QUERY = Query(None, description="The day to judge on (YYYY-MM-DD); default today.")


# -- helpers -------------------------------------------------------------------------------


def _choice(code: str, label) -> dict:
    return {"code": code, "label": str(label)}


def _role(code: str) -> dict:
    return _choice(code, Role(code).label)


def _named(obj) -> dict:
    return {"id": obj.pk, "name": obj.name}


def _round_row(rnd: RecruitmentRound, places: int, now: dt.datetime) -> dict:
    return {
        "id": rnd.pk,
        "name": rnd.name,
        "union": _named(rnd.union),
        "term_start": rnd.term_start,
        "opens_at": rnd.opens_at,
        "closes_at": rnd.closes_at,
        "status": _choice(rnd.status, rnd.get_status_display()),
        "accepting": round_services.round_accepts(rnd, now),
        "cancel_reason": rnd.cancel_reason,
        "places": places or 0,
    }


def _seat_ref(seat: Seat | None) -> dict | None:
    if seat is None:
        return None
    return {
        "id": seat.pk,
        "body": _named(seat.body),
        "title": _choice(seat.title, seat.get_title_display()),
    }


def _may_see_verdict(viewer: Viewer, application: Application, access: ApplicationAccess):
    return access.applicant or access.approver or viewer.can_see_personal(application.student)


def _snapshot(application: Application) -> dict:
    snap = application.eligibility or {}
    return {
        "eligible": application.eligible,
        "reasons": [str(r) for r in snap.get("reasons", [])],
        "charter": snap.get("charter"),
        "day": snap.get("day") or application.round.term_start,
    }


def _application_row(
    viewer: Viewer, application: Application, steps: list[ChainStep], access: ApplicationAccess
) -> dict:
    student = application.student
    step = step_of(application, steps)
    personal = viewer.can_see_personal(student)
    return {
        "id": application.pk,
        "round": application.round_id,
        "student": {
            "id": student.pk,
            "name": student.name,
            "student_no": student.student_no if personal else None,
        },
        "college": _named(student.college),
        "seat": _seat_ref(application.seat),
        "second_seat": _seat_ref(application.second_seat),
        "status": _choice(application.status, application.get_status_display()),
        "step": application.step,
        "step_name": step.name if step else None,
        "steps_total": len(steps),
        "cycle": application.cycle,
        "step_since": application.step_since,
        "created_at": application.created_at,
        "eligibility": _snapshot(application)
        if _may_see_verdict(viewer, application, access)
        else None,
    }


def _application_detail(viewer: Viewer, application: Application, steps, access) -> dict:
    actions = list(application.actions.select_related("actor").order_by("at", "pk"))
    current = step_of(application, steps)
    row = _application_row(viewer, application, steps, access)
    labels = {str(Role(r).label): r for step in steps for r in step.roles}
    return {
        **row,
        "statement": application.statement,
        "held_reason": application.held_reason,
        "steps": [
            {
                "order": view.step.order,
                "name": view.step.name,
                "offices": [_role(r) for r in view.step.roles],
                "scope": _choice(view.step.scope, StepScope(view.step.scope).label),
                "state": view.state,
                "awaiting": [_role(labels[label]) for label in view.awaiting],
            }
            for view in timeline(application, steps, actions)
        ],
        "actions": [
            {
                "id": a.pk,
                "cycle": a.cycle,
                "step": a.step,
                "office": _role(a.role),
                "decision": _choice(a.decision, a.get_decision_display()),
                "comment": a.comment,
                "actor": (a.actor.get_full_name() or a.actor.get_username()) if a.actor else None,
                "at": a.at,
            }
            for a in actions
        ],
        "may_decide": [_role(r) for r in open_roles(viewer, application, current, actions)],
    }


def _visible_applications(viewer: Viewer, rnd: RecruitmentRound, chains) -> Q:
    """The applications of ``rnd`` the viewer may see, as a filter: the same rule as
    ``views_common.application_access`` (applicant, an office of the chain in its scope, or
    someone who runs the round)."""
    if may_run_rounds(viewer, rnd.union):
        return Q()
    visible = Q(pk__in=[])
    if viewer.student is not None:
        visible |= Q(student_id=viewer.student.pk)
    presidium = Q(seat__body__kind=BodyKind.PRESIDIUM)
    for kind, steps in chains.items():
        of_kind = presidium if kind == ChainKind.PRESIDIUM else ~presidium
        for step in steps:
            grants = viewer.grants_for(*step.roles)
            if step.scope == StepScope.COLLEGE:
                colleges = {g.college_id for g in grants if g.college_id}
                if colleges:
                    visible |= of_kind & Q(student__college_id__in=colleges)
            elif step.scope == StepScope.SCHOOL:
                if any(g.school_id == rnd.school_id for g in grants):
                    visible |= of_kind
            elif any(g.role == Role.FEDERATION for g in grants):
                visible |= of_kind
    return visible


def _load(application: Application, school) -> Application:
    """The application again with what the responses need (after a service changed it)."""
    fresh = Application.objects.select_related(*APPLICATION_RELATED).get(pk=application.pk)
    fresh.student.school = school
    return fresh


# -- rounds --------------------------------------------------------------------------------


@router.get(
    "/schools/{code}/rounds",
    response={200: list[RoundOut]},
    summary="Recruitment rounds of a school, newest first",
    operation_id="round_list",
)
def round_list(request, code: PathText, status: str | None = STATUS_QUERY):
    school = get_school_for_viewer(code, api_viewer(request))
    rows = (
        RecruitmentRound.objects.filter(school=school)
        .select_related("union")
        .annotate(places=Sum("seats__count"))
        .order_by("-opens_at", "-pk")
    )
    if status is not None:
        if status not in RoundStatus.values:
            return []
        rows = rows.filter(status=status)
    now = timezone.now()
    return [_round_row(r, r.places, now) for r in rows]


@router.get(
    "/schools/{code}/rounds/{round_id}",
    response={200: RoundDetailOut},
    summary="One round with its seats",
    operation_id="round_detail",
)
def round_detail(request, code: PathText, round_id: PathId):
    viewer = api_viewer(request)
    rnd = get_round_for_viewer(code, round_id, viewer)
    seats = list(rnd.seats.select_related("body").order_by("body__order", "body__name", "title"))
    mine = None
    if viewer.student is not None and viewer.student.school_id == rnd.school_id:
        mine = (
            Application.objects.filter(round=rnd, student=viewer.student)
            .values_list("pk", flat=True)
            .first()
        )
    return {
        **_round_row(rnd, sum(s.count for s in seats), timezone.now()),
        "seats": [
            {
                "id": s.pk,
                "body": _named(s.body),
                "title": _choice(s.title, s.get_title_display()),
                "count": s.count,
                "chain": _choice(s.chain_kind, ChainKind(s.chain_kind).label),
            }
            for s in seats
        ],
        "may_manage": may_run_rounds(viewer, rnd.union),
        "my_application": mine,
    }


# -- applications --------------------------------------------------------------------------


@router.get(
    "/schools/{code}/rounds/{round_id}/applications",
    response={200: ApplicationPage},
    summary="Applications of a round that the caller may see, paged",
    operation_id="application_list",
)
def application_list(request, code: PathText, round_id: PathId, page: int = PAGE_QUERY):
    """Those who run the round see every application; an office of a chain sees the
    applications in its scope; a student sees their own."""
    viewer = api_viewer(request)
    rnd = get_round_for_viewer(code, round_id, viewer)
    chains = chains_for(rnd.school)
    rows = (
        Application.objects.filter(round=rnd)
        .filter(_visible_applications(viewer, rnd, chains))
        .select_related("student__college", "seat__body", "second_seat__body")
        .order_by("created_at", "pk")
    )
    count = rows.count()
    start = (page - 1) * PAGE_SIZE
    items = list(rows[start : start + PAGE_SIZE]) if start < count else []
    out = []
    for application in items:
        application.round = rnd
        application.school = rnd.school
        application.student.school = rnd.school
        steps = chains.get(application.seat.chain_kind, [])
        access = application_access(viewer, application, steps)
        out.append(_application_row(viewer, application, steps, access))
    return {
        "items": out,
        "count": count,
        "page": page,
        "pages": max(1, math.ceil(count / PAGE_SIZE)),
    }


@router.get(
    "/schools/{code}/applications/{application_id}",
    response={200: ApplicationDetailOut},
    summary="One application with its steps and actions",
    operation_id="application_detail",
)
def application_detail(request, code: PathText, application_id: PathId):
    viewer = api_viewer(request)
    application, steps, access = get_application_for_viewer(code, application_id, viewer)
    application.student.school = application.school
    return _application_detail(viewer, application, steps, access)


@router.post(
    "/schools/{code}/rounds/{round_id}/applications",
    response={201: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Apply for a seat (students)",
    operation_id="application_submit",
)
def application_submit(request, code: PathText, round_id: PathId, payload: ApplyIn):
    """409 when the round does not take applications, the student has applied already or does
    not meet the charter's conditions (``code`` says which); 422 for bad input."""
    viewer = api_viewer(request)
    rnd = get_round_for_viewer(code, round_id, viewer)
    seats = {s.pk: s for s in rnd.seats.select_related("body")}
    seat = seats.get(payload.seat)
    if seat is None:
        raise DomainError(_("Choose a seat this round offers."), field="seat")
    second = None
    if payload.second_seat is not None:
        second = seats.get(payload.second_seat)
        if second is None:
            raise DomainError(_("Choose a seat this round offers."), field="second_seat")
    application = services.application_submit(
        actor=request.auth, rnd=rnd, seat=seat, second_seat=second, statement=payload.statement
    )
    application = _load(application, rnd.school)
    steps = chains_for(rnd.school).get(seat.chain_kind, [])
    access = application_access(viewer, application, steps)
    return Status(201, _application_detail(viewer, application, steps, access))


@router.post(
    "/schools/{code}/applications/{application_id}/decisions",
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Decide on the step an application waits at",
    operation_id="application_decide",
)
def application_decide(request, code: PathText, application_id: PathId, payload: DecisionIn):
    """``step`` and ``cycle`` are what the caller saw: if the application moved on meanwhile,
    or the caller's office has decided already, the answer is 409. An office that may see the
    application but not decide this step gets 403; one that may not see it (another college's
    League committee) gets 404."""
    viewer = api_viewer(request)
    application, steps, access = get_application_for_viewer(code, application_id, viewer)
    services.step_act(
        actor=request.auth,
        application=application,
        decision=payload.decision,
        comment=payload.comment,
        step=payload.step,
        cycle=payload.cycle,
    )
    application = _load(application, application.school)
    return Status(200, _application_detail(viewer, application, steps, access))


# -- eligibility ---------------------------------------------------------------------------


@router.get(
    "/schools/{code}/students/{student_no}/eligibility",
    response={200: StudentEligibilityOut},
    summary="Whether a student may hold a post on a day, with the reasons",
    operation_id="student_eligibility",
)
def student_eligibility(
    request, code: PathText, student_no: PathText, date: IsoDate | None = DATE_QUERY
):
    """Only for those allowed the student's personal data (the student, the school offices, the
    college's offices, the class's League branch); anyone else gets 404."""
    viewer = api_viewer(request)
    school = get_school_for_viewer(code, viewer)
    student = Student.objects.filter(school=school, student_no=student_no).first()
    if student is None:
        raise Http404
    student.school = school
    if not viewer.can_see_personal(student):
        raise Http404
    verdict = eligibility(student, date or timezone.localdate())
    return {
        "student": {"id": student.pk, "name": student.name, "student_no": student.student_no},
        "eligible": verdict["eligible"],
        "reasons": [str(r) for r in verdict["reasons"]],
        "charter": verdict["charter"],
        "day": verdict["day"],
        "semesters": verdict["semesters"],
    }
