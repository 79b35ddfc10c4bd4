"""Fetch-and-authorise helpers and bounded reads shared by the recruitment pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.timesince import timesince

from tuanxue.org.access import Viewer, get_school_for_viewer
from tuanxue.org.models import BodyKind, Role
from tuanxue.selection.access import acting_roles, may_run_rounds
from tuanxue.selection.models import (
    Application,
    ApplicationStatus,
    ChainKind,
    ChainStep,
    RecruitmentRound,
    StepAction,
    StepScope,
)

APPLICATION_RELATED = (
    "school",
    "round__union__school",
    "round__union__college",
    "student__college",
    "student__major",
    "student__class_group",
    "seat__body",
    "second_seat__body",
)


def waited(since: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long something has waited, in the largest unit ("3 天", "5 小时")."""
    if since is None:
        return ""
    return timesince(since, now or timezone.now(), depth=1)


def chains_for(school) -> dict[str, list[ChainStep]]:
    """The school's chains as ordered step lists by kind, in one query."""
    chains: dict[str, list[ChainStep]] = {}
    for step in (
        ChainStep.objects.filter(chain__school=school).select_related("chain").order_by("order")
    ):
        chains.setdefault(step.chain.kind, []).append(step)
    return chains


def step_of(application: Application, steps: list[ChainStep]) -> ChainStep | None:
    if 1 <= application.step <= len(steps):
        return steps[application.step - 1]
    return None


def get_round_for_viewer(code: str, round_id: int, viewer: Viewer) -> RecruitmentRound:
    school = get_school_for_viewer(code, viewer)
    rnd = (
        RecruitmentRound.objects.select_related("school", "union__school", "union__college")
        .filter(pk=round_id, school=school)
        .first()
    )
    if rnd is None:
        raise Http404
    return rnd


@dataclass
class ApplicationAccess:
    applicant: bool = False
    approver: bool = False
    manager: bool = False

    @property
    def visible(self) -> bool:
        return self.applicant or self.approver or self.manager


def application_access(
    viewer: Viewer, application: Application, steps: list[ChainStep]
) -> ApplicationAccess:
    return ApplicationAccess(
        applicant=viewer.student is not None and viewer.student.pk == application.student_id,
        approver=any(acting_roles(viewer, step, application) for step in steps),
        manager=may_run_rounds(viewer, application.round.union),
    )


def get_application_for_viewer(
    code: str, application_id: int, viewer: Viewer
) -> tuple[Application, list[ChainStep], ApplicationAccess]:
    """The application, its chain and what the viewer is to it. Who may not see it gets 404,
    also on an action: an office of the chain outside its scope (another college's League
    committee) may not see the application, so it may not learn that it exists either."""
    school = get_school_for_viewer(code, viewer)
    application = (
        Application.objects.select_related(*APPLICATION_RELATED)
        .filter(pk=application_id, school=school)
        .first()
    )
    if application is None:
        raise Http404
    steps = chains_for(school).get(application.seat.chain_kind, [])
    access = application_access(viewer, application, steps)
    if not access.visible:
        raise Http404
    return application, steps, access


# -- the chain as a timeline ----------------------------------------------------------------

FINISHED = {
    ApplicationStatus.HELD,
    ApplicationStatus.CANDIDATE,
    ApplicationStatus.APPOINTED,
    ApplicationStatus.NOT_ELECTED,
}


@dataclass
class StepView:
    step: ChainStep
    state: str  # done, current, returned, rejected, stopped, pending
    actions: list[StepAction] = field(default_factory=list)
    awaiting: list[str] = field(default_factory=list)
    waited: str = ""

    @property
    def offices(self) -> list[str]:
        return self.step.role_labels()


def step_state(application: Application, order: int) -> str:
    if order < application.step:
        return "done"
    if order > application.step:
        return "pending"
    status = application.status
    if status == ApplicationStatus.IN_REVIEW:
        return "current"
    if status == ApplicationStatus.RETURNED:
        return "returned"
    if status == ApplicationStatus.REJECTED:
        return "rejected"
    if status in FINISHED:
        return "done"
    return "stopped"


def timeline(
    application: Application, steps: list[ChainStep], actions: list[StepAction]
) -> list[StepView]:
    by_step: dict[int, list[StepAction]] = {}
    for action in actions:
        by_step.setdefault(action.step, []).append(action)
    done_now = {
        a.role for a in actions if a.step == application.step and a.cycle == application.cycle
    }
    views = []
    for step in steps:
        view = StepView(step=step, state=step_state(application, step.order))
        view.actions = by_step.get(step.order, [])
        if view.state == "current":
            view.awaiting = [str(Role(r).label) for r in step.roles if r not in done_now]
            view.waited = waited(application.step_since)
        views.append(view)
    return views


def open_roles(viewer: Viewer, application: Application, step: ChainStep | None, actions) -> list:
    """The viewer's offices that may still decide on the current step in this cycle."""
    if step is None or application.status != ApplicationStatus.IN_REVIEW:
        return []
    done = {a.role for a in actions if a.step == application.step and a.cycle == application.cycle}
    return [r for r in acting_roles(viewer, step, application) if r not in done]


def where_it_stands(application: Application, steps: list[ChainStep]) -> str:
    """A short line for lists: the step it waits at, or its outcome."""
    step = step_of(application, steps)
    if application.status in (ApplicationStatus.IN_REVIEW, ApplicationStatus.RETURNED) and step:
        return f"{step.order}/{len(steps)} {step.name}"
    return ""


# -- what waits for a viewer ----------------------------------------------------------------


@dataclass
class QueueRow:
    application: Application
    step: ChainStep
    steps_total: int
    roles: list[str]
    waited: str

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles]


def _scope_filter(viewer: Viewer, step: ChainStep, school) -> Q | None:
    """Which applications at ``step`` fall in the viewer's scope, as a query (None: none)."""
    grants = viewer.grants_for(*step.roles)
    if step.scope == StepScope.COLLEGE:
        colleges = {g.college_id for g in grants if g.college_id}
        return Q(student__college_id__in=colleges) if colleges else None
    if step.scope == StepScope.SCHOOL:
        return Q() if any(g.school_id == school.pk for g in grants) else None
    return Q() if any(g.role == Role.FEDERATION for g in grants) else None


def waiting_for(viewer: Viewer, school) -> list[QueueRow]:
    """Applications at a step the viewer's office decides, in scope, not yet decided by that
    office in the current cycle; oldest first. A fixed number of queries."""
    if not viewer.grants:
        return []
    chains = chains_for(school)
    wanted = Q(pk__in=[])
    for kind, steps in chains.items():
        body = Q(seat__body__kind=BodyKind.PRESIDIUM)
        kind_q = body if kind == ChainKind.PRESIDIUM else ~body
        for step in steps:
            scope = _scope_filter(viewer, step, school)
            if scope is not None:
                wanted |= kind_q & Q(step=step.order) & scope
    candidates = list(
        Application.objects.filter(school=school, status=ApplicationStatus.IN_REVIEW)
        .filter(wanted)
        .select_related("school", "round", "student__college", "seat__body")
        .order_by("step_since", "pk")
    )
    if not candidates:
        return []
    done = set(
        StepAction.objects.filter(application_id__in=[a.pk for a in candidates]).values_list(
            "application_id", "cycle", "step", "role"
        )
    )
    now = timezone.now()
    rows = []
    for application in candidates:
        steps = chains.get(application.seat.chain_kind, [])
        step = step_of(application, steps)
        if step is None:
            continue
        roles = [
            r
            for r in acting_roles(viewer, step, application)
            if (application.pk, application.cycle, application.step, r) not in done
        ]
        if roles:
            rows.append(
                QueueRow(
                    application=application,
                    step=step,
                    steps_total=len(steps),
                    roles=roles,
                    waited=waited(application.step_since, now),
                )
            )
    return rows
