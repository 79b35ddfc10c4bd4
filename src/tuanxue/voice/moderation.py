"""Moderation of demands: a voice officer's audited look at a confidential demand's student,
abuse reports and the League committee's decision on them."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.org.models import Student
from tuanxue.voice.access import rights_for_user
from tuanxue.voice.common import (
    actor_rights,
    clean_reason,
    demand_url,
    league_users,
    step_add,
    student_users,
)
from tuanxue.voice.models import (
    AbuseReport,
    AbuseStatus,
    Demand,
    DemandStatus,
    IdentityReveal,
    StepKind,
)
from tuanxue.voice.setup.services import forbidden


def identity_reveal(*, actor, demand: Demand, reason: str) -> Student:
    """A voice officer looks at who submitted a confidential demand. Audited, with a reason."""
    school = demand.school
    rights = rights_for_user(actor, school)
    if not rights.may_reveal(demand):
        raise forbidden(_("Only a voice officer can see who submitted a confidential demand."))
    reason = clean_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        IdentityReveal.objects.create(demand=demand, user=actor, reason=reason, at=now)
        audit_record(
            school=school,
            actor=actor,
            action="voice.identity.revealed",
            target=demand,
            new={"reason": reason},
        )
    return demand.student


def abuse_report(*, actor, demand: Demand, reason: str) -> AbuseReport:
    school = demand.school
    rights = rights_for_user(actor, school)
    if not rights.may_report(demand):
        raise forbidden(_("You may not report this demand."))
    reason = clean_reason(reason)
    try:
        with transaction.atomic():
            report = AbuseReport.objects.create(demand=demand, reporter=actor, reason=reason)
            audit_record(
                school=school,
                actor=actor,
                action="voice.abuse.reported",
                target=demand,
                new={"reason": reason},
            )
            notify(
                users=league_users(school),
                school=school,
                text=_("Demand %(ref)s was reported as abusive: %(reason)s")
                % {"ref": demand.reference, "reason": reason},
                url=reverse("voice:officer", args=[school.code]),
            )
    except IntegrityError:
        raise DomainError(
            _("This demand has been reported already and waits for the League committee."),
            code="state",
        ) from None
    return report


def abuse_decide(*, actor, report: AbuseReport, uphold: bool, note: str = "") -> AbuseReport:
    """The League committee upholds a report (the demand is removed) or dismisses it."""
    demand = report.demand
    school = demand.school
    rights = actor_rights(actor, school)
    if rights is not None and not rights.may_decide_abuse:
        raise forbidden(_("Only the school League committee decides on abuse reports."))
    note = (note or "").strip()
    if uphold:
        note = clean_reason(note, "note")
    status = AbuseStatus.UPHELD if uphold else AbuseStatus.DISMISSED
    now = timezone.now()
    with transaction.atomic():
        changed = AbuseReport.objects.filter(pk=report.pk, status=AbuseStatus.OPEN).update(
            status=status, decided_by=actor, decided_at=now, decision_note=note[:300]
        )
        if changed != 1:
            raise DomainError(_("This report has been decided already."), code="state")
        old_status = Demand.objects.filter(pk=demand.pk).values_list("status", flat=True).get()
        if uphold:
            Demand.objects.filter(pk=demand.pk).update(status=DemandStatus.REMOVED, closed_at=now)
            step_add(demand, StepKind.REMOVED, text=note, at=now)
        audit_record(
            school=school,
            actor=actor,
            action="voice.abuse.upheld" if uphold else "voice.abuse.dismissed",
            target=demand,
            old={"status": old_status},
            new={"status": DemandStatus.REMOVED if uphold else old_status, "note": note},
        )
        notify(
            users=[report.reporter],
            school=school,
            text=(
                _("Your report on demand %(ref)s was upheld; the demand is removed.")
                if uphold
                else _("Your report on demand %(ref)s was dismissed.")
            )
            % {"ref": demand.reference},
            url=demand_url(demand),
        )
        if uphold:
            notify(
                users=student_users(demand),
                school=school,
                text=_("Your demand %(ref)s was removed by the League committee: %(note)s")
                % {"ref": demand.reference, "note": note},
                url=demand_url(demand),
            )
    report.refresh_from_db()
    return report
