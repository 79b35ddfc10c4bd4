"""Volunteer API: a project with its roles and places, signing up (the rush endpoint), the
caller's sign-up, withdrawing, and a trivial authenticated ping used as a benchmark baseline.

A project is seen by everyone of its school once its activity is published, before that only
by its organisers; anyone else gets 404. A refused sign-up is a 409 with a ``code``: ``closed``,
``duplicate``, ``overlap``, ``not_eligible`` or ``full``. In first-come mode a full role is
not an error: the student goes on the waiting list and gets 201 with ``status: "waiting"`` and
their ``position``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from tuanxue.activities.api_schemas import (
    PingOut,
    ProjectOut,
    SignupIn,
    SignupOut,
)
from tuanxue.activities.models import ActivityStatus, Signup, VolunteerProject
from tuanxue.activities.volunteer import hotsql
from tuanxue.activities.volunteer import signup as services
from tuanxue.activities.volunteer.access import (
    PROJECT_RELATED,
    get_signup_for_viewer,
    may_see_project,
)
from tuanxue.core.api.errors import ErrorOut
from tuanxue.core.api.types import PathId
from tuanxue.core.errors import DomainError
from tuanxue.org.access import api_viewer, student_of

router = Router(tags=["volunteering"])

# A refused sign-up (``DomainError``) is answered by ``tuanxue.core.api.errors``: its codes
# ``closed``, ``duplicate``, ``overlap``, ``not_eligible`` and ``full`` are 409; 400, 401, 403,
# 404 and 422 are documented on every operation that can answer them.


def _student_sees(project: VolunteerProject, student) -> bool:
    """A student of the project's school sees it once its activity is published."""
    return (
        student is not None
        and student.school_id == project.school_id
        and project.activity.status == ActivityStatus.PUBLISHED
    )


def _visible_project(request, project_id: PathId) -> VolunteerProject:
    """The project or 404. A student who sees it (``_student_sees``) needs no viewer, and only
    the school and the activity are loaded, by one hand-written statement."""
    project = hotsql.project_with_school_and_activity(project_id)
    if project is None:
        raise Http404
    if _student_sees(project, student_of(request.auth)):
        return project
    project = VolunteerProject.objects.select_related(*PROJECT_RELATED).get(pk=project.pk)
    if not may_see_project(api_viewer(request), project):
        raise Http404
    return project


def _signup_out(row: Signup, position: int | None) -> dict:
    return {
        "id": row.pk,
        "project": row.project_id,
        "role": row.role_id,
        "status": row.status,
        "position": position,
        "created_at": row.created_at,
    }


@router.get(
    "/ping",
    response={200: PingOut},
    summary="Who am I (a trivial authenticated request)",
    operation_id="ping",
)
def ping(request):
    return {"user": request.auth.get_username()}


@router.get(
    "/volunteer-projects/{project_id}",
    response={200: ProjectOut},
    summary="A volunteer project with its roles and places",
    operation_id="volunteer_project_detail",
)
def project_detail(request, project_id: PathId):
    project = _visible_project(request, project_id)
    roles = list(project.roles.prefetch_related("colleges", "classes"))
    return {
        "id": project.pk,
        "title": project.title,
        "description": project.description,
        "activity": project.activity_id,
        "activity_title": project.activity.title,
        "mode": project.mode,
        "status": project.status,
        "accepts_signups": services.accepts_signups(project, timezone.now()),
        "opens_at": project.opens_at,
        "closes_at": project.closes_at,
        "withdraw_until": project.withdraw_until,
        "from_classes": list(project.from_classes.values_list("pk", flat=True)),
        "roles": [
            {
                "id": r.pk,
                "name": r.name,
                "slots": r.slots,
                "taken": r.taken,
                "left": max(0, r.slots - r.taken),
                "shift_starts_at": r.shift_starts_at,
                "shift_ends_at": r.shift_ends_at,
                "grades": r.grades,
                "colleges": [c.pk for c in r.colleges.all()],
                "classes": [c.pk for c in r.classes.all()],
            }
            for r in roles
        ],
    }


@router.post(
    "/volunteer-projects/{project_id}/signups",
    response={201: SignupOut, 409: ErrorOut},
    summary="Sign up for a role (students)",
    operation_id="volunteer_signup_create",
)
def signup_create(request, project_id: PathId, payload: SignupIn):
    """201 with the place: ``confirmed``, ``waiting`` (with ``position``) or ``pending`` (lottery
    and review modes). The row is committed before the answer is sent. 409 with a ``code`` when
    refused: ``duplicate``, ``closed``, ``overlap``, ``not_eligible``, ``full``."""
    student = student_of(request.auth)
    # The rush's path: one statement reads the project and the role with the student's checks.
    context = hotsql.signup_context(project_id, payload.role, student) if student else None
    if context is not None and _student_sees(context[0], student):
        project, role = context
    else:
        project = _visible_project(request, project_id)
        role = services.role_for_signup(
            project, payload.role, student_of(request.auth, project.school)
        )
    if role is None:
        raise DomainError(_("Choose a role of this project."), field="role")
    row, position = services.signup(actor=request.auth, project=project, role=role)
    return Status(201, _signup_out(row, position))


@router.get(
    "/volunteer-projects/{project_id}/signups/mine",
    response={200: list[SignupOut]},
    summary="The caller's sign-up in a project (an empty list when none)",
    operation_id="volunteer_signup_mine",
)
def signup_mine(request, project_id: PathId):
    project = _visible_project(request, project_id)
    student = student_of(request.auth, project.school)
    if student is None:
        return []
    rows = Signup.objects.filter(project=project, student=student).order_by("pk")
    return [_signup_out(row, services.waiting_position(row)) for row in rows]


@router.delete(
    "/signups/{signup_id}",
    response={200: SignupOut, 409: ErrorOut},
    summary="Withdraw a sign-up (its student, before the withdrawal deadline)",
    operation_id="volunteer_signup_withdraw",
)
def signup_withdraw(request, signup_id: PathId):
    """A confirmed place goes to the first on the waiting list. 409 ``closed`` after the
    project's withdrawal deadline or when the sign-up is no longer active."""
    try:
        row = get_signup_for_viewer(signup_id, api_viewer(request), write=True)
    except PermissionDenied as exc:
        raise PermissionDenied(_("Only the student who signed up can withdraw.")) from exc
    row = services.signup_withdraw(actor=request.auth, signup=row)
    return Status(200, _signup_out(row, None))
