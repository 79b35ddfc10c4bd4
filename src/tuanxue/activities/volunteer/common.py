"""What the volunteer sign-up services share: refusal codes, the actor's student, the
organisers' right, and the conditional update that takes a place."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.activities.models import (
    Activity,
    ProjectStatus,
    VolunteerProject,
)
from tuanxue.activities.volunteer import hotsql
from tuanxue.activities.volunteer.access import may_manage_activity
from tuanxue.core.errors import DomainError
from tuanxue.org.access import build_viewer

# What a refused sign-up's ``code`` means (the API answers 409 with it).
CODE_CLOSED = "closed"  # the project does not take sign-ups (or withdrawals) now
CODE_DUPLICATE = "duplicate"  # the student has a sign-up in this project already
CODE_OVERLAP = "overlap"  # the student holds an overlapping shift in another project
CODE_NOT_ELIGIBLE = "not_eligible"  # the student does not meet the role's requirements
CODE_FULL = "full"  # no place is free (review mode; first come has a waiting list)


def forbidden(message: str | None = None) -> DomainError:
    return DomainError(message or _("You may not do this."), code="forbidden")


def local_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def require_manager(actor, activity: Activity) -> None:
    """``actor`` None is the system (imports, demo data)."""
    if actor is not None and not may_manage_activity(build_viewer(actor), activity):
        raise forbidden(_("Only the organisers and the League committee run this project."))


def project_url(project: VolunteerProject) -> str:
    return reverse(
        "volunteer:project", kwargs={"school": project.school.code, "project_id": project.pk}
    )


def still_recruiting(project_id: int) -> None:
    """Re-read the project's status after the role's lock: a close that committed meanwhile
    refuses the sign-up (and rolls it back)."""
    if not hotsql.is_recruiting(project_id):
        raise DomainError(_("This project has closed."), code=CODE_CLOSED)


def lock_project(project: VolunteerProject) -> VolunteerProject:
    locked = VolunteerProject.objects.select_for_update().get(pk=project.pk)
    if locked.status != ProjectStatus.RECRUITING:
        raise DomainError(_("This project has closed."), code=CODE_CLOSED)
    return locked
