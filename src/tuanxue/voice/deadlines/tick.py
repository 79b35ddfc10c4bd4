"""The scheduled pass over open demands (``tuanxue voice tick``, from cron, e.g. hourly):

- remind the department of a demand due within the school's reminder window (once per deadline);
- escalate an overdue demand to Student Affairs, and when it stays open for the school's
  further working days, to the school leader in charge;
- close an answered demand whose reopen window has passed without a rating.

Every change is a conditional UPDATE, so two runs at once (or a run repeated) act once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.notify import notify
from tuanxue.voice.common import (
    demand_url,
    escalation_department,
    staff_users,
    step_add,
    student_users,
)
from tuanxue.voice.deadlines.workdays import add_working_days, working_days_between
from tuanxue.voice.models import Demand, DemandStatus, StepKind
from tuanxue.voice.setup.services import policy_for


@dataclass
class TickResult:
    reminded: int = 0
    escalated: int = 0
    to_leader: int = 0
    closed: int = 0


def voice_tick(*, now: dt.datetime | None = None, school=None) -> TickResult:
    """One pass over every school's demands (or ``school``'s only)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = TickResult()
    open_rows = (
        Demand.objects.filter(status=DemandStatus.OPEN)
        .select_related("school", "department")
        .order_by("due_date", "pk")
    )
    answered = Demand.objects.filter(status=DemandStatus.ANSWERED).select_related("school")
    if school is not None:
        open_rows = open_rows.filter(school=school)
        answered = answered.filter(school=school)
    policies = {}
    for demand in open_rows:
        home = demand.school
        policy = policies.setdefault(home.pk, policy_for(home))
        if demand.due_date < today:
            if demand.escalation == 0:
                result.escalated += _escalate(demand, 1, now)
            elif demand.escalation == 1:
                leader_day = add_working_days(home, demand.due_date, policy.leader_after_days)
                if leader_day < today:
                    result.to_leader += _escalate(demand, 2, now)
        elif demand.reminded_for != demand.due_date and (
            working_days_between(home, today, demand.due_date) <= policy.remind_days
        ):
            result.reminded += _remind(demand, now)
    for demand in answered:
        policy = policies.setdefault(demand.school_id, policy_for(demand.school))
        if demand.answered_at + dt.timedelta(days=policy.reopen_days) < now:
            result.closed += _close(demand, now)
    return result


def _remind(demand: Demand, now) -> int:
    with transaction.atomic():
        claimed = (
            Demand.objects.filter(pk=demand.pk, status=DemandStatus.OPEN)
            .exclude(reminded_for=demand.due_date)
            .update(reminded_for=demand.due_date)
        )
        if not claimed:
            return 0
        audit_record(
            school=demand.school,
            actor=None,
            action="voice.demand.reminded",
            target=demand,
            new={"due_date": demand.due_date, "department": demand.department.name},
        )
        notify(
            users=staff_users(demand.department),
            school=demand.school,
            text=_("Reminder: demand %(ref)s is due on %(due)s.")
            % {"ref": demand.reference, "due": demand.due_date.isoformat()},
            url=demand_url(demand),
        )
    return 1


def _escalate(demand: Demand, level: int, now) -> int:
    school = demand.school
    with transaction.atomic():
        claimed = Demand.objects.filter(
            pk=demand.pk, status=DemandStatus.OPEN, escalation=level - 1
        ).update(escalation=level, escalated_at=now)
        if not claimed:
            return 0
        target = escalation_department(school, level)
        step_add(demand, StepKind.ESCALATED, department=target, text=str(level), at=now)
        audit_record(
            school=school,
            actor=None,
            action="voice.demand.escalated",
            target=demand,
            old={"escalation": level - 1},
            new={
                "escalation": level,
                "to": target.name if target else "",
                "due_date": demand.due_date,
            },
        )
        notify(
            users=staff_users(target, demand.department),
            school=school,
            text=_("Demand %(ref)s is overdue (due %(due)s) and was escalated to %(to)s.")
            % {
                "ref": demand.reference,
                "due": demand.due_date.isoformat(),
                "to": target.name if target else _("the school"),
            },
            url=demand_url(demand),
        )
        if level == 1:
            notify(
                users=student_users(demand),
                school=school,
                text=_("Your demand %(ref)s is overdue and was escalated to %(to)s.")
                % {"ref": demand.reference, "to": target.name if target else _("the school")},
                url=demand_url(demand),
            )
    return 1


def _close(demand: Demand, now) -> int:
    with transaction.atomic():
        claimed = Demand.objects.filter(pk=demand.pk, status=DemandStatus.ANSWERED).update(
            status=DemandStatus.CLOSED, closed_at=now
        )
        if not claimed:
            return 0
        step_add(demand, StepKind.CLOSED, at=now)
        audit_record(
            school=demand.school,
            actor=None,
            action="voice.demand.closed",
            target=demand,
            old={"status": DemandStatus.ANSWERED},
            new={"status": DemandStatus.CLOSED, "rated": False},
        )
        notify(
            users=student_users(demand),
            school=demand.school,
            text=_("Demand %(ref)s is closed: the time to rate or reopen it has passed.")
            % {"ref": demand.reference},
            url=demand_url(demand),
        )
    return 1
