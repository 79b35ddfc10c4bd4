"""Who may run rounds and act on approval steps."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from tuanxue.org.access import Viewer
from tuanxue.org.models import PRESIDIUM_TITLES, Role, RoleGrant, Union
from tuanxue.selection.models import Application, ChainStep, StepScope


def may_run_rounds(viewer: Viewer, union: Union) -> bool:
    """The League committee (school, or the college's for a college union) or the union's
    presidium opens, extends, closes and cancels rounds."""
    if viewer.can_manage_union(union):
        return True
    return any(p.union_id == union.pk and p.title in PRESIDIUM_TITLES for p in viewer.posts)


def _grant_fits(grant: RoleGrant, step: ChainStep, application: Application) -> bool:
    if step.scope == StepScope.COLLEGE:
        return grant.college_id == application.student.college_id
    if step.scope == StepScope.SCHOOL:
        return grant.school_id == application.school_id
    return grant.role == Role.FEDERATION


def acting_roles(viewer: Viewer, step: ChainStep, application: Application) -> list[str]:
    """The offices of ``step`` that ``viewer`` holds for this application's scope."""
    return [
        role
        for role in step.roles
        if any(_grant_fits(g, step, application) for g in viewer.grants_for(role))
    ]


def approvers(step: ChainStep, application: Application):
    """Everyone who may act on ``step`` for ``application`` (for notifications)."""
    scope = Q(role__in=step.roles, revoked_at__isnull=True)
    if step.scope == StepScope.COLLEGE:
        scope &= Q(college_id=application.student.college_id)
    elif step.scope == StepScope.SCHOOL:
        scope &= Q(school_id=application.school_id)
    user_ids = RoleGrant.objects.filter(scope).values("user_id")
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True))
