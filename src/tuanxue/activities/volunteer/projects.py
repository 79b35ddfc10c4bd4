"""Creating a volunteer project with its roles, and closing it (事完人散)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.activities.models import (
    ACTIVE_SIGNUP,
    Activity,
    ActivityStatus,
    ProjectStatus,
    Signup,
    SignupMode,
    SignupStatus,
    VolunteerProject,
    VolunteerRole,
)
from tuanxue.activities.volunteer.common import lock_project, require_manager
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.models import ClassGroup, College, Society

# -- creating a project --------------------------------------------------------------------


@dataclass
class _RoleSpec:
    name: str
    slots: int
    shift_starts_at: object
    shift_ends_at: object
    grades: list[int]
    colleges: list[int] = field(default_factory=list)
    classes: list[int] = field(default_factory=list)
    societies: list[int] = field(default_factory=list)


def _ids(values) -> list[int]:
    out = []
    for value in values or []:
        out.append(value.pk if hasattr(value, "pk") else int(value))
    return sorted(set(out))


def _check_scope(model, ids: list[int], school, message: str, field_name: str) -> None:
    if ids and model.objects.filter(school=school, pk__in=ids).count() != len(ids):
        raise DomainError(message, field=field_name)


def _clean_role(school, number: int, raw: dict) -> _RoleSpec:
    where = {"n": number}
    name = str(raw.get("name") or "").strip()
    if not name:
        raise DomainError(_("Role %(n)s: give it a name.") % where, field="roles")
    try:
        slots = int(raw.get("slots"))
    except (TypeError, ValueError):
        slots = 0
    if slots < 1:
        raise DomainError(
            _("Role %(n)s (%(name)s): give at least one place.") % {**where, "name": name},
            field="roles",
        )
    starts, ends = raw.get("shift_starts_at"), raw.get("shift_ends_at")
    if starts is None or ends is None or ends <= starts:
        raise DomainError(
            _("Role %(n)s (%(name)s): the shift must end after it starts.")
            % {**where, "name": name},
            field="roles",
        )
    try:
        grades = sorted({int(g) for g in raw.get("grades") or []})
    except (TypeError, ValueError) as exc:
        raise DomainError(
            _("Role %(n)s (%(name)s): grades are years such as 2023.") % {**where, "name": name},
            field="roles",
        ) from exc
    spec = _RoleSpec(
        name=name[:80],
        slots=slots,
        shift_starts_at=starts,
        shift_ends_at=ends,
        grades=grades,
        colleges=_ids(raw.get("colleges")),
        classes=_ids(raw.get("classes")),
        societies=_ids(raw.get("societies")),
    )
    outside = _("Role %(n)s (%(name)s): a requirement names another school's records.") % {
        **where,
        "name": name,
    }
    _check_scope(College, spec.colleges, school, outside, "roles")
    _check_scope(ClassGroup, spec.classes, school, outside, "roles")
    _check_scope(Society, spec.societies, school, outside, "roles")
    return spec


def project_create(
    *,
    actor,
    activity: Activity,
    title: str,
    description: str = "",
    mode: str,
    opens_at,
    closes_at,
    withdraw_until,
    roles: list[dict],
    from_classes=(),
    from_societies=(),
) -> VolunteerProject:
    """A project for ``activity`` with its roles. Each role is a dict: ``name``, ``slots``,
    ``shift_starts_at``, ``shift_ends_at`` and optionally ``grades`` (years), ``colleges``,
    ``classes``, ``societies`` (records or ids)."""
    require_manager(actor, activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError(_("This activity was cancelled."), field="activity")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the project a title."), field="title")
    if mode not in SignupMode.values:
        raise DomainError(_("Choose a sign-up mode."), field="mode")
    if closes_at <= opens_at:
        raise DomainError(_("Sign-up must close after it opens."), field="closes_at")
    if withdraw_until < opens_at:
        raise DomainError(
            _("Withdrawals must stay possible for a while after sign-up opens."),
            field="withdraw_until",
        )
    if not roles:
        raise DomainError(_("Add at least one role."), field="roles")
    school = activity.school
    specs = [_clean_role(school, n, raw) for n, raw in enumerate(roles, 1)]
    class_ids, society_ids = _ids(from_classes), _ids(from_societies)
    outside = _("Recruit only from this school's classes and societies.")
    _check_scope(ClassGroup, class_ids, school, outside, "from_classes")
    _check_scope(Society, society_ids, school, outside, "from_societies")
    with transaction.atomic():
        project = VolunteerProject.objects.create(
            school=school,
            activity=activity,
            title=title[:120],
            description=(description or "").strip(),
            mode=mode,
            opens_at=opens_at,
            closes_at=closes_at,
            withdraw_until=withdraw_until,
            created_by=actor if actor is not None and actor.pk else None,
        )
        project.from_classes.set(class_ids)
        project.from_societies.set(society_ids)
        for spec in specs:
            role = VolunteerRole.objects.create(
                project=project,
                name=spec.name,
                slots=spec.slots,
                shift_starts_at=spec.shift_starts_at,
                shift_ends_at=spec.shift_ends_at,
                grades=spec.grades,
            )
            role.colleges.set(spec.colleges)
            role.classes.set(spec.classes)
            role.societies.set(spec.societies)
        audit_record(
            school=school,
            actor=actor,
            action="volunteer.project.created",
            target=project,
            new={
                "activity": activity.pk,
                "title": project.title,
                "mode": mode,
                "opens_at": opens_at,
                "closes_at": closes_at,
                "withdraw_until": withdraw_until,
                "roles": [{"name": s.name, "slots": s.slots} for s in specs],
            },
        )
    return project


# -- closing -------------------------------------------------------------------------------


def project_close(*, actor, project: VolunteerProject) -> VolunteerProject:
    """Close the project: its volunteers' roles end (事完人散). Every confirmed, waiting or
    pending sign-up becomes released; attendance and hours stay. ``taken`` keeps the number
    of places that were filled."""
    require_manager(actor, project.activity)
    with transaction.atomic():
        locked = lock_project(project)
        list(VolunteerRole.objects.select_for_update().filter(project=locked).order_by("pk"))
        active = Signup.objects.filter(project=locked, status__in=ACTIVE_SIGNUP)
        counts = {
            status: n
            for status, n in active.values_list("status").annotate(n=Count("pk")).order_by()
        }
        confirmed = list(
            active.filter(status=SignupStatus.CONFIRMED).order_by("pk").values_list("pk", flat=True)
        )
        now = timezone.now()
        released = active.update(status=SignupStatus.RELEASED, updated_at=now)
        locked.status = ProjectStatus.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at"])
        audit_record(
            school=project.school,
            actor=actor,
            action="volunteer.project.closed",
            target=locked,
            old={"status": ProjectStatus.RECRUITING, "signups": counts},
            new={"status": ProjectStatus.CLOSED, "released": released, "confirmed": confirmed},
        )
    project.status, project.closed_at = locked.status, locked.closed_at
    return project
