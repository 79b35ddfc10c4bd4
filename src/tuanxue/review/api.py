"""Review API: a panel member's scoring on a phone, and results.

- ``GET .../reviews/{id}/scoring``: the reviewees and which the caller has scored (panel only).
- ``POST .../reviews/{id}/sheets``: submit a sheet; 409 ``duplicate`` for a second sheet.
- ``GET .../reviews/{id}/results``: every result (League committee and school offices).
- ``GET .../reviews/mine``: the caller's own published results with the panel's comments,
  without names.

Outsiders get 404; people of the school without the right get 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tuanxue.core.api.errors import ErrorOut
from tuanxue.core.api.types import Id, PathId, PathText, Text
from tuanxue.core.errors import DomainError
from tuanxue.org.access import api_viewer, get_school_for_viewer
from tuanxue.review import selectors, services
from tuanxue.review.access import may_see_results
from tuanxue.review.models import DIMENSIONS, ReviewSession, ReviewStatus

router = Router(tags=["duty review"])


class ScoringRowOut(Schema):
    reviewee: int
    name: str
    post: str
    report: str
    scored: bool


class ScoringOut(Schema):
    session: int
    status: str
    scale_max: int
    grades: dict[str, int]
    dimensions: list[str]
    reviewees: list[ScoringRowOut]


class SheetIn(Schema):
    reviewee: Id
    political: int | Text
    moral: int | Text
    study: int | Text
    work: int | Text
    discipline: int | Text
    comment: Text = ""


class SheetOut(Schema):
    id: int
    reviewee: int


class ResultOut(Schema):
    reviewee: int
    name: str
    post: str
    dimensions: dict[str, str]
    overall: str
    grade: str
    sheets: int
    trimmed: bool


class MyResultOut(Schema):
    session: int
    union: str
    semester: str
    held_on: str
    post: str
    dimensions: dict[str, str]
    overall: str
    grade: str
    comments: list[str]


def _session(request, code: str, session_id: int) -> ReviewSession:
    school = get_school_for_viewer(code, api_viewer(request))
    session = (
        ReviewSession.objects.select_related("school", "union", "semester")
        .filter(pk=session_id, school=school)
        .first()
    )
    if session is None:
        raise Http404
    return session


def _result_row(result) -> dict:
    return {
        "reviewee": result.reviewee_id,
        "name": result.reviewee.student.name,
        "post": result.reviewee.post,
        "dimensions": result.dimensions,
        "overall": str(result.overall),
        "grade": result.grade,
        "sheets": result.sheets,
        "trimmed": result.trimmed,
    }


@router.get(
    "/schools/{code}/reviews/{session_id}/scoring",
    response={200: ScoringOut, 403: ErrorOut},
    summary="A panel member's reviewees and which of them they have scored",
    operation_id="review_scoring",
)
def scoring(request, code: PathText, session_id: PathId):
    session = _session(request, code, session_id)
    member = services.panel_member_of(session, request.auth)
    if member is None:
        raise PermissionDenied
    rules, _label = services.rules_for(session)
    return {
        "session": session.pk,
        "status": session.status,
        "scale_max": rules.review_scale_max,
        "grades": rules.review_scale_grades,
        "dimensions": list(DIMENSIONS),
        "reviewees": [
            {
                "reviewee": r.pk,
                "name": r.student.name,
                "post": r.post,
                "report": r.report,
                "scored": done,
            }
            for r, done in selectors.scoring_rows(session, member)
        ],
    }


@router.post(
    "/schools/{code}/reviews/{session_id}/sheets",
    response={201: SheetOut, 403: ErrorOut, 409: ErrorOut},
    summary="Submit the caller's score sheet for one reviewee",
    operation_id="review_sheet_submit",
)
def sheet_submit(request, code: PathText, session_id: PathId, payload: SheetIn):
    session = _session(request, code, session_id)
    reviewee = session.reviewees.filter(pk=payload.reviewee).select_related("student").first()
    if reviewee is None:
        raise DomainError(_("No such reviewee in this review."), field="reviewee")
    sheet = services.sheet_submit(
        actor=request.auth,
        session=session,
        reviewee=reviewee,
        scores={d: getattr(payload, d) for d in DIMENSIONS},
        comment=payload.comment,
    )
    return Status(201, {"id": sheet.pk, "reviewee": reviewee.pk})


@router.get(
    "/schools/{code}/reviews/{session_id}/results",
    response={200: list[ResultOut], 403: ErrorOut},
    summary="Every reviewee's result (League committee and school offices)",
    operation_id="review_results",
)
def results(request, code: PathText, session_id: PathId):
    session = _session(request, code, session_id)
    if not may_see_results(api_viewer(request), session.union):
        raise PermissionDenied
    if session.status not in (ReviewStatus.CLOSED, ReviewStatus.PUBLISHED):
        return []
    return [_result_row(r) for r in selectors.results_of(session)]


@router.get(
    "/schools/{code}/reviews/mine",
    response={200: list[MyResultOut]},
    summary="The caller's own published results, with the panel's comments without names",
    operation_id="review_mine",
)
def mine(request, code: PathText):
    school = get_school_for_viewer(code, api_viewer(request))
    student = api_viewer(request).student
    if student is None or student.school_id != school.pk:
        return []
    rows = []
    for reviewee in selectors.my_reviews(student):
        session = reviewee.session
        result = getattr(reviewee, "result", None)
        if session.status != ReviewStatus.PUBLISHED or result is None:
            continue
        rows.append(
            {
                "session": session.pk,
                "union": session.union.name,
                "semester": session.semester.code,
                "held_on": session.held_on.isoformat(),
                "post": reviewee.post,
                "dimensions": result.dimensions,
                "overall": str(result.overall),
                "grade": result.grade,
                "comments": selectors.own_comments(reviewee),
            }
        )
    return rows
