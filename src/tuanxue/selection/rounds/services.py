"""Recruitment rounds: open, extend, close early, cancel with a reason."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.org import services as org_services
from tuanxue.org.access import build_viewer
from tuanxue.org.models import Department, Union
from tuanxue.selection.access import may_run_rounds
from tuanxue.selection.chains import chains_ensure
from tuanxue.selection.models import (
    OPEN_APPLICATION,
    Application,
    ApplicationStatus,
    RecruitmentRound,
    RoundStatus,
    Seat,
)


def _forbidden(message: str | None = None) -> DomainError:
    return DomainError(message or _("You may not do this."), code="forbidden")


# -- rounds ---------------------------------------------------------------------------------


def round_open(
    *,
    actor,
    union: Union,
    name: str,
    term_start: dt.date,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    seats: list[tuple[Department, str, int]],
) -> RecruitmentRound:
    if not may_run_rounds(build_viewer(actor), union):
        raise _forbidden()
    name = name.strip()
    if not name:
        raise DomainError(_("Give the round a name."), field="name")
    if closes_at <= opens_at:
        raise DomainError(_("Applications must close after they open."), field="closes_at")
    if not seats:
        raise DomainError(_("Offer at least one seat."), field="seats")
    for body, title, count in seats:
        if body.union_id != union.pk:
            raise DomainError(
                _("%(body)s is not part of %(union)s.") % {"body": body.name, "union": union.name},
                field="seats",
            )
        org_services.check_title_fits_body(title=title, body=body)
        if count < 1:
            raise DomainError(_("A seat needs at least one place."), field="seats")
    chains_ensure(actor=actor, school=union.school)
    with transaction.atomic():
        rnd = RecruitmentRound.objects.create(
            school=union.school,
            union=union,
            name=name,
            term_start=term_start,
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=actor,
        )
        try:
            with transaction.atomic():
                for body, title, count in seats:
                    Seat.objects.create(round=rnd, body=body, title=title, count=count)
        except IntegrityError as exc:
            raise DomainError(_("The same seat is listed twice."), field="seats") from exc
        audit_record(
            school=union.school,
            actor=actor,
            action="selection.round.opened",
            target=rnd,
            new={
                "name": name,
                "union": union.name,
                "term_start": term_start,
                "opens_at": opens_at,
                "closes_at": closes_at,
                "seats": [[b.name, t, c] for b, t, c in seats],
            },
        )
    return rnd


def _locked_round(actor, rnd: RecruitmentRound) -> RecruitmentRound:
    if not may_run_rounds(build_viewer(actor), rnd.union):
        raise _forbidden()
    return (
        RecruitmentRound.objects.select_for_update(of=("self",))
        .select_related("union__school")
        .get(pk=rnd.pk)
    )


def round_extend(*, actor, rnd: RecruitmentRound, closes_at: dt.datetime) -> RecruitmentRound:
    with transaction.atomic():
        rnd = _locked_round(actor, rnd)
        if rnd.status not in (RoundStatus.OPEN, RoundStatus.CLOSED):
            raise DomainError(_("This round is %(status)s.") % {"status": rnd.get_status_display()})
        if closes_at <= max(rnd.closes_at, timezone.now()):
            raise DomainError(
                _("The new closing time must be later than the current one and than now."),
                field="closes_at",
            )
        old = {"closes_at": rnd.closes_at, "status": rnd.status}
        rnd.closes_at = closes_at
        rnd.status = RoundStatus.OPEN
        rnd.save(update_fields=["closes_at", "status"])
        audit_record(
            school=rnd.school,
            actor=actor,
            action="selection.round.extended",
            target=rnd,
            old=old,
            new={"closes_at": closes_at, "status": rnd.status},
        )
    return rnd


def may_close(rnd: RecruitmentRound) -> bool:
    return rnd.status == RoundStatus.OPEN


def round_close(*, actor, rnd: RecruitmentRound) -> RecruitmentRound:
    """Close applications now (early, or at the end of the window)."""
    with transaction.atomic():
        rnd = _locked_round(actor, rnd)
        if not may_close(rnd):
            raise DomainError(_("This round is %(status)s.") % {"status": rnd.get_status_display()})
        now = timezone.now()
        old = {"closes_at": rnd.closes_at, "status": rnd.status}
        rnd.status = RoundStatus.CLOSED
        if rnd.closes_at > now:
            rnd.closes_at = max(now, rnd.opens_at + dt.timedelta(seconds=1))
        rnd.save(update_fields=["status", "closes_at"])
        audit_record(
            school=rnd.school,
            actor=actor,
            action="selection.round.closed",
            target=rnd,
            old=old,
            new={"closes_at": rnd.closes_at, "status": rnd.status},
        )
    return rnd


def round_cancel(*, actor, rnd: RecruitmentRound, reason: str) -> RecruitmentRound:
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the round is cancelled."), field="reason")
    with transaction.atomic():
        rnd = _locked_round(actor, rnd)
        if rnd.status in (RoundStatus.CANCELLED, RoundStatus.FINISHED):
            raise DomainError(_("This round is %(status)s.") % {"status": rnd.get_status_display()})
        old_status = rnd.status
        rnd.status = RoundStatus.CANCELLED
        rnd.cancel_reason = reason
        rnd.save(update_fields=["status", "cancel_reason"])
        affected = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("student__user")
            .filter(round=rnd, status__in=OPEN_APPLICATION)
        )
        Application.objects.filter(pk__in=[a.pk for a in affected]).update(
            status=ApplicationStatus.CANCELLED
        )
        audit_record(
            school=rnd.school,
            actor=actor,
            action="selection.round.cancelled",
            target=rnd,
            old={"status": old_status},
            new={"status": rnd.status, "reason": reason, "applications": len(affected)},
        )
        notify(
            users=[a.student.user for a in affected],
            school=rnd.school,
            text=_("The round %(round)s was cancelled: %(reason)s")
            % {"round": rnd.name, "reason": reason},
        )
    return rnd


def round_accepts(rnd: RecruitmentRound, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return rnd.status == RoundStatus.OPEN and rnd.opens_at <= now < rnd.closes_at
