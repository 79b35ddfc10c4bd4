"""Student voice API: the public board's figures (no login), a student's demands (submit, list
mine), a department's queue and its answer.

The same rules as the pages: a school or demand the caller may not see is 404, an action they may
not take 403, bad input 422 naming the field. A confidential demand's student is never in a
response to anyone but that student.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tuanxue.core.api.errors import ErrorOut
from tuanxue.core.api.types import PathId, PathText, Text
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.access import api_viewer
from tuanxue.voice import selectors, services
from tuanxue.voice.access import VoiceRights, get_demand_for_rights, rights_for
from tuanxue.voice.board.stats import board_stats
from tuanxue.voice.models import Category, Closure, Demand

router = Router(tags=["student voice"])


class StudentOut(Schema):
    name: str
    student_no: str


class DemandOut(Schema):
    """A demand. ``student`` is present only for those allowed to see who submitted it: the
    student, and for a demand that is not confidential, the department handling it."""

    id: int
    reference: str = Field(..., examples=["V00012"])
    title: str
    text: str
    category: str
    department: str
    status: str = Field(..., description="open, answered, closed, merged or removed")
    channel: str = Field(..., description="online or desk")
    confidential: bool
    created_at: dt.datetime
    due_date: dt.date
    escalation: int = Field(..., description="0, 1 (Student Affairs) or 2 (school leader)")
    supporters: int
    answer: str
    closure: str = Field(..., description="resolved, explained, not_feasible or empty")
    closure_reason: str
    answered_at: dt.datetime | None
    rating: int | None
    student: StudentOut | None = None


class DemandIn(Schema):
    category: Text = Field(
        ..., description="the category's code, e.g. academic", examples=["academic"]
    )
    title: Text = Field(..., max_length=60)
    text: Text = Field(..., max_length=1500)
    confidential: bool = False


class AnswerIn(Schema):
    answer: Text = Field(..., max_length=2000)
    closure: Closure
    reason: Text = ""


class CountOut(Schema):
    label: str
    count: int


class StatusCountOut(Schema):
    status: str
    label: str
    count: int


class MonthOut(Schema):
    month: str = Field(..., examples=["2020-09"])
    submitted: int
    first_answered: int


class ShareOut(Schema):
    count: int
    of: int
    percent: float | None


class StatsOut(Schema):
    """The public board's figures; definitions in docs/voice.md."""

    school: str
    total: int
    by_category: list[CountOut]
    by_status: list[StatusCountOut]
    by_department: list[CountOut]
    by_month: list[MonthOut]
    median_first_response_hours: float | None
    median_resolution_hours: float | None
    on_time: ShareOut
    resolved: ShareOut
    satisfaction_average: float | None
    satisfaction: list[CountOut] = Field(..., description="ratings 5 … 1 with their counts")


def _school(code: str) -> School:
    school = School.objects.filter(code=code).first()
    if school is None:
        raise Http404
    return school


def _rights(request, code: str) -> VoiceRights:
    school = _school(code)
    viewer = api_viewer(request)
    if not viewer.can_see_school(school):
        raise Http404
    return rights_for(viewer, school)


def demand_out(demand: Demand, rights: VoiceRights) -> dict:
    student = None
    if rights.sees_identity(demand):
        student = {"name": demand.student.name, "student_no": demand.student.student_no}
    return {
        "id": demand.pk,
        "reference": demand.reference,
        "title": demand.title,
        "text": demand.text,
        "category": demand.category.name,
        "department": demand.department.name,
        "status": demand.status,
        "channel": demand.channel,
        "confidential": demand.confidential,
        "created_at": demand.created_at,
        "due_date": demand.due_date,
        "escalation": demand.escalation,
        "supporters": demand.supporters,
        "answer": demand.answer,
        "closure": demand.closure,
        "closure_reason": demand.closure_reason,
        "answered_at": demand.answered_at,
        "rating": demand.rating,
        "student": student,
    }


@router.get(
    "/schools/{code}/demands/stats",
    auth=None,
    response={200: StatsOut},
    summary="The public board's figures (no login)",
    operation_id="voice_stats",
)
def stats(request, code: PathText):
    school = _school(code)
    s = board_stats(school)
    return {
        "school": school.code,
        "total": s.total,
        "by_category": [{"label": label, "count": n} for label, n in s.by_category],
        "by_status": [
            {"status": code_, "label": label, "count": n} for code_, label, n in s.by_status
        ],
        "by_department": [{"label": label, "count": n} for label, n in s.by_department],
        "by_month": [{"month": m, "submitted": n, "first_answered": a} for m, n, a in s.by_month],
        "median_first_response_hours": s.first_response_hours,
        "median_resolution_hours": s.resolution_hours,
        "on_time": {"count": s.on_time.count, "of": s.on_time.of, "percent": s.on_time.percent},
        "resolved": {
            "count": s.resolved.count,
            "of": s.resolved.of,
            "percent": s.resolved.percent,
        },
        "satisfaction_average": s.rating_average,
        "satisfaction": [{"label": str(stars), "count": n} for stars, n in s.ratings],
    }


@router.post(
    "/schools/{code}/demands",
    response={201: DemandOut, 409: ErrorOut},
    summary="Submit a demand (students)",
    operation_id="voice_demand_submit",
)
def demand_submit(request, code: PathText, payload: DemandIn):
    """201 with the demand, routed to its department with its deadline. 409 ``limit`` when the
    student's daily limit is reached; 422 naming the field for bad input (HTML, length)."""
    rights = _rights(request, code)
    category = Category.objects.filter(school=rights.school, code=payload.category).first()
    if category is None:
        raise DomainError(_("Choose a category of this school."), field="category")
    demand = services.demand_submit(
        actor=request.auth,
        school=rights.school,
        category=category,
        title=payload.title,
        text=payload.text,
        confidential=payload.confidential,
    )
    demand = get_demand_for_rights(demand.pk, rights)
    return Status(201, demand_out(demand, rights))


@router.get(
    "/schools/{code}/demands/mine",
    response={200: list[DemandOut]},
    summary="The caller's demands and those they support (students)",
    operation_id="voice_demand_mine",
)
def demand_mine(request, code: PathText):
    rights = _rights(request, code)
    return [demand_out(d, rights) for d in selectors.my_demands(rights)]


@router.get(
    "/schools/{code}/demands/queue",
    response={200: list[DemandOut], 403: ErrorOut},
    summary="Open demands of the caller's departments, by deadline (department staff)",
    operation_id="voice_demand_queue",
)
def demand_queue(request, code: PathText):
    rights = _rights(request, code)
    if not rights.is_department_staff:
        raise PermissionDenied(_("Only department staff have a queue."))
    return [demand_out(d, rights) for d in selectors.department_queue(rights)]


@router.post(
    "/schools/{code}/demands/{demand_id}/answer",
    response={200: DemandOut, 409: ErrorOut},
    summary="Answer a demand (the department handling it)",
    operation_id="voice_demand_answer",
)
def demand_answer(request, code: PathText, demand_id: PathId, payload: AnswerIn):
    """``closure``: resolved, explained or not_feasible (which needs a ``reason``). 409 when the
    demand is no longer open."""
    rights = _rights(request, code)
    demand = get_demand_for_rights(demand_id, rights)
    if demand.department_id not in rights.department_ids:
        raise PermissionDenied(_("Only the department handling this demand can answer it."))
    services.demand_answer(
        actor=request.auth,
        demand=demand,
        answer=payload.answer,
        closure=payload.closure,
        reason=payload.reason,
    )
    return demand_out(get_demand_for_rights(demand_id, rights), rights)
