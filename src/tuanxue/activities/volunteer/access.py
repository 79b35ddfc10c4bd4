"""Who may see and run a volunteer project.

A project is seen by everyone of its school once its activity is published; before that only by
those who run it. It is run by the League committee, by those who manage the organiser's union
(registry managers, the college League committee of a college union) and by the union's presidium
and the organising department's heads.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tuanxue.activities.models import Activity, ActivityStatus, Signup, VolunteerProject
from tuanxue.org.access import Viewer
from tuanxue.org.models import HEAD_TITLES, PRESIDIUM_TITLES, Role

PROJECT_RELATED = (
    "school",
    "activity__school",
    "activity__organiser_body__union",
    "activity__organiser_society",
)


def may_manage_activity(viewer: Viewer, activity: Activity) -> bool:
    """Create and run the volunteer projects of ``activity``."""
    if viewer.is_league_committee(activity.school):
        return True
    body = activity.organiser_body
    if body is not None:
        union = body.union
        if union.school_id == activity.school_id and viewer.can_manage_union(union):
            return True
        for post in viewer.posts:
            if post.union_id != union.pk:
                continue
            if post.title in PRESIDIUM_TITLES:
                return True
            if post.title in HEAD_TITLES and post.body_id == body.pk:
                return True
    society = activity.organiser_society
    if society is not None and society.college_id is not None:
        league = {g.college_id for g in viewer.grants_for(Role.COLLEGE_LEAGUE)}
        if society.college_id in league:
            return True
    return False


def may_manage_project(viewer: Viewer, project: VolunteerProject) -> bool:
    return may_manage_activity(viewer, project.activity)


def may_see_project(viewer: Viewer, project: VolunteerProject) -> bool:
    if not viewer.can_see_school(project.school):
        return False
    if project.activity.status == ActivityStatus.PUBLISHED:
        return True
    return may_manage_project(viewer, project)


def get_project_for_viewer(
    project_id: int, viewer: Viewer, *, write: bool = False
) -> VolunteerProject:
    """The project, or 404 when the viewer may not see it, 403 when they may not run it."""
    project = (
        VolunteerProject.objects.select_related(*PROJECT_RELATED).filter(pk=project_id).first()
    )
    if project is None or not may_see_project(viewer, project):
        raise Http404
    if write and not may_manage_project(viewer, project):
        raise PermissionDenied
    return project


def get_activity_for_viewer(activity_id: int, viewer: Viewer, *, write: bool = False) -> Activity:
    activity = (
        Activity.objects.select_related("school", "organiser_body__union", "organiser_society")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None or not viewer.can_see_school(activity.school):
        raise Http404
    manager = may_manage_activity(viewer, activity)
    if activity.status != ActivityStatus.PUBLISHED and not manager:
        raise Http404
    if write and not manager:
        raise PermissionDenied
    return activity


def get_signup_for_viewer(signup_id: int, viewer: Viewer, *, write: bool = False) -> Signup:
    """A sign-up is seen by its student and by those who run its project; ``write`` (withdraw)
    is for its student only."""
    signup = (
        Signup.objects.select_related(
            "role", "student__user", *(f"project__{name}" for name in PROJECT_RELATED)
        )
        .filter(pk=signup_id)
        .first()
    )
    if signup is None or not viewer.can_see_school(signup.project.school):
        raise Http404
    own = viewer.student is not None and viewer.student.pk == signup.student_id
    if not own and not may_manage_project(viewer, signup.project):
        raise Http404
    if write and not own:
        raise PermissionDenied
    return signup
