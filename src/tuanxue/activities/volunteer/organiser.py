"""The organisers' decisions on sign-ups: the lottery after the window and the review."""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.activities.models import (
    Signup,
    SignupMode,
    SignupStatus,
    VolunteerProject,
    VolunteerRole,
)
from tuanxue.activities.volunteer.common import (
    CODE_CLOSED,
    CODE_FULL,
    local_time,
    lock_project,
    project_url,
    require_manager,
)
from tuanxue.activities.volunteer.hotsql import take_place
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify

# -- lottery and review --------------------------------------------------------------------


@dataclass
class LotteryResult:
    seed: int
    confirmed: int
    waiting: int


def lottery_draw(*, actor, project: VolunteerProject, seed: int | None = None) -> LotteryResult:
    """After the window: per role, draw up to the free places among the pending sign-ups;
    the others go on the waiting list in the drawn order. The seed is recorded in the audit
    log, and the same seed over the same sign-ups draws the same result."""
    require_manager(actor, project.activity)
    if project.mode != SignupMode.LOTTERY:
        raise DomainError(_("This project does not use a lottery."))
    if timezone.now() < project.closes_at:
        raise DomainError(
            _("The lottery is drawn after sign-up closes at %(time)s.")
            % {"time": local_time(project.closes_at)},
            code=CODE_CLOSED,
        )
    if seed is None:
        seed = secrets.randbits(48)
    rng = random.Random(seed)
    drawn: dict[str, dict] = {}
    winners_all, waiting_all = [], []
    with transaction.atomic():
        lock_project(project)
        roles = list(
            VolunteerRole.objects.select_for_update().filter(project=project).order_by("pk")
        )
        pending = list(
            Signup.objects.select_for_update(of=("self",))
            .filter(project=project, status=SignupStatus.PENDING)
            .select_related("student__user")
            .order_by("pk")
        )
        if not pending:
            raise DomainError(_("Nobody is left to draw."), code=CODE_CLOSED)
        by_role = defaultdict(list)
        for row in pending:
            by_role[row.role_id].append(row)
        now = timezone.now()
        for role in roles:
            entries = by_role.get(role.pk, [])
            if not entries:
                continue
            rng.shuffle(entries)
            free = max(0, role.slots - role.taken)
            winners, rest = entries[:free], entries[free:]
            if winners:
                updated = VolunteerRole.objects.filter(
                    pk=role.pk, taken__lte=F("slots") - len(winners)
                ).update(taken=F("taken") + len(winners))
                if updated != 1:  # cannot happen under the role's lock
                    raise DomainError(_("The places changed during the draw; draw again."))
            base = (
                Signup.objects.filter(role=role, status=SignupStatus.WAITING).aggregate(
                    m=Max("queue_no")
                )["m"]
                or 0
            )
            for row in winners:
                row.status, row.queue_no, row.updated_at = SignupStatus.CONFIRMED, None, now
            for n, row in enumerate(rest, 1):
                row.status, row.queue_no, row.updated_at = SignupStatus.WAITING, base + n, now
            Signup.objects.bulk_update(entries, ["status", "queue_no", "updated_at"])
            winners_all += winners
            waiting_all += rest
            drawn[str(role.pk)] = {
                "confirmed": [r.pk for r in winners],
                "waiting": [r.pk for r in rest],
            }
        audit_record(
            school=project.school,
            actor=actor,
            action="volunteer.lottery.drawn",
            target=project,
            new={"seed": seed, "roles": drawn},
        )
        url = project_url(project)
        notify(
            users=[r.student.user for r in winners_all],
            school=project.school,
            text=_("You were drawn for %(project)s: your place is confirmed.")
            % {"project": project.title},
            url=url,
        )
        notify(
            users=[r.student.user for r in waiting_all],
            school=project.school,
            text=_("You were not drawn for %(project)s this time; you are on the waiting list.")
            % {"project": project.title},
            url=url,
        )
    return LotteryResult(seed=seed, confirmed=len(winners_all), waiting=len(waiting_all))


def signup_review(*, actor, signup: Signup, accept: bool) -> Signup:
    """The organiser accepts (only while a place is free) or declines a pending sign-up."""
    project = signup.project
    require_manager(actor, project.activity)
    if project.mode != SignupMode.REVIEW:
        raise DomainError(_("This project does not review sign-ups."))
    with transaction.atomic():
        lock_project(project)
        role = VolunteerRole.objects.select_for_update().get(pk=signup.role_id)
        row = (
            Signup.objects.select_for_update(of=("self",))
            .select_related("student__user")
            .get(pk=signup.pk)
        )
        if row.status != SignupStatus.PENDING:
            raise DomainError(
                _("This sign-up was decided already (%(status)s).")
                % {"status": row.get_status_display()},
                code=CODE_CLOSED,
            )
        if accept:
            if not take_place(role.pk):
                raise DomainError(
                    _("No place is left in %(role)s.") % {"role": role.name}, code=CODE_FULL
                )
            row.status = SignupStatus.CONFIRMED
            text = _("Your sign-up for %(role)s in %(project)s was accepted.")
        else:
            row.status = SignupStatus.REJECTED
            text = _("Your sign-up for %(role)s in %(project)s was not accepted.")
        row.save(update_fields=["status", "updated_at"])
        audit_record(
            school=project.school,
            actor=actor,
            action="volunteer.signup.reviewed",
            target=row,
            old={"status": SignupStatus.PENDING},
            new={"status": row.status},
            label=f"{row.student.name} · {project.title} · {role.name}",
        )
        notify(
            users=[row.student.user],
            school=project.school,
            text=text % {"role": role.name, "project": project.title},
            url=project_url(project),
        )
    return row
