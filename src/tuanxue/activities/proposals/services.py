"""The crowd model (众创众筹众评): students propose activities, others support them within a
window, the department decides in public, and participants who checked in rate the activity.

A support is one row per student and proposal (a unique constraint) and the count moves by a
conditional ``UPDATE`` in the same transaction, so two clicks never count twice and a support
after the window never counts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.activities import selectors
from tuanxue.activities.models import (
    Activity,
    ActivityStatus,
    Attendance,
    Proposal,
    ProposalStatus,
    ProposalSupport,
    Rating,
)
from tuanxue.activities.services import acting_student, forbidden
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.org.access import build_viewer
from tuanxue.org.models import HEAD_TITLES, BodyKind, Department, Membership, Student

SUPPORT_THRESHOLD = 20
MAX_WINDOW = dt.timedelta(days=90)


def support_threshold() -> int:
    """Supports a proposal needs to reach the department's list (setting
    ``PROPOSAL_SUPPORT_THRESHOLD``, else 20)."""
    return int(getattr(settings, "PROPOSAL_SUPPORT_THRESHOLD", SUPPORT_THRESHOLD))


def proposal_url(proposal: Proposal) -> str:
    return reverse("activities:proposal", args=[proposal.school.code, proposal.pk])


def body_heads(body: Department) -> list:
    posts = Membership.objects.filter(
        body=body, end__isnull=True, title__in=HEAD_TITLES
    ).select_related("student__user")
    return [p.student.user for p in posts if p.student.user_id]


def proposal_create(
    *,
    actor,
    body: Department,
    title: str,
    goal: str,
    audience: str,
    budget,
    organisers: str,
    support_until: dt.datetime,
    student: Student | None = None,
) -> Proposal:
    """A student proposes an activity to a union department. ``student`` is for the operator
    (``actor=None``) only."""
    if actor is not None and student is not None:
        raise ValueError("student is given only when the operator acts (actor=None)")
    school = body.union.school
    proposer = acting_student(actor, school, student)
    if body.kind != BodyKind.DEPARTMENT:
        raise DomainError(_("Propose to a department of a union."), field="body")
    title, goal = (title or "").strip(), (goal or "").strip()
    audience, organisers = (audience or "").strip(), (organisers or "").strip()
    if not title:
        raise DomainError(_("Give the proposal a title."), field="title")
    if len(goal) < 10:
        raise DomainError(_("Describe the goal in at least 10 characters."), field="goal")
    if not audience:
        raise DomainError(_("Say who the activity is for."), field="audience")
    if not organisers:
        raise DomainError(_("Say who would organise it."), field="organisers")
    try:
        budget = Decimal(str(budget if budget not in (None, "") else 0))
    except InvalidOperation as exc:
        raise DomainError(_("The budget must be a number."), field="budget") from exc
    if budget < 0 or budget >= Decimal("10000000"):
        raise DomainError(_("The budget must be between 0 and 9,999,999 yuan."), field="budget")
    now = timezone.now()
    if actor is not None and (support_until <= now or support_until > now + MAX_WINDOW):
        raise DomainError(
            _("Support can be collected from now for at most 90 days."), field="support_until"
        )
    with transaction.atomic():
        proposal = Proposal.objects.create(
            school=school,
            proposer=proposer,
            body=body,
            title=title,
            goal=goal,
            audience=audience,
            budget=budget,
            organisers=organisers,
            support_until=support_until,
            threshold=support_threshold(),
        )
        audit_record(
            school=school,
            actor=actor,
            action="activities.proposal.created",
            target=proposal,
            new={
                "proposer": proposer.student_no,
                "body": str(body),
                "title": title,
                "budget": budget,
                "support_until": support_until,
                "threshold": proposal.threshold,
            },
        )
    return proposal


def proposal_support(*, actor, proposal: Proposal, student: Student | None = None) -> Proposal:
    """A student of the school supports a proposal once, within its window. Reaching the
    threshold puts it on the department's list and tells the department's heads."""
    if actor is not None and student is not None:
        raise ValueError("student is given only when the operator acts (actor=None)")
    school = proposal.school
    supporter = acting_student(actor, school, student)
    if supporter.pk == proposal.proposer_id:
        raise DomainError(_("You cannot support your own proposal."), code="own")
    now = timezone.now()
    # Everything that can be checked before the transaction is: the window as loaded, and a
    # support already given (the unique constraint stays the last word).
    open_statuses = (ProposalStatus.COLLECTING, ProposalStatus.ON_LIST)
    if proposal.status not in open_statuses or proposal.support_until <= now:
        raise DomainError(_("This proposal no longer collects support."), code="closed")
    duplicate = DomainError(_("You have already supported this proposal."), code="duplicate")
    if ProposalSupport.objects.filter(proposal=proposal, student=supporter).exists():
        raise duplicate
    with transaction.atomic():
        try:
            # A failed insert ends the transaction with the refusal, so it needs no savepoint.
            ProposalSupport.objects.create(proposal=proposal, student=supporter)
        except IntegrityError as exc:
            raise duplicate from exc
        # From here the proposal's row is held: the conditional UPDATEs, the events, commit.
        counted = Proposal.objects.filter(
            pk=proposal.pk,
            status__in=[ProposalStatus.COLLECTING, ProposalStatus.ON_LIST],
            support_until__gt=now,
        ).update(supports=F("supports") + 1)
        if counted != 1:
            raise DomainError(_("This proposal no longer collects support."), code="closed")
        reached = Proposal.objects.filter(
            pk=proposal.pk,
            status=ProposalStatus.COLLECTING,
            supports__gte=F("threshold"),
        ).update(status=ProposalStatus.ON_LIST)
        fresh = Proposal.objects.select_related("school", "body__union").get(pk=proposal.pk)
        audit_record(
            school=school,
            actor=actor,
            action="activities.proposal.supported",
            target=fresh,
            new={"student": supporter.student_no, "supports": fresh.supports},
        )
        if reached:
            audit_record(
                school=school,
                actor=actor,
                action="activities.proposal.listed",
                target=fresh,
                old={"status": ProposalStatus.COLLECTING},
                new={"status": ProposalStatus.ON_LIST, "supports": fresh.supports},
            )
            notify(
                users=body_heads(fresh.body),
                school=school,
                text=_("The proposal %(title)s reached %(n)s supports and waits for your decision.")
                % {"title": fresh.title, "n": fresh.supports},
                url=proposal_url(fresh),
            )
    proposal.supports, proposal.status = fresh.supports, fresh.status
    return fresh


def proposal_decide(
    *,
    actor,
    proposal: Proposal,
    adopt: bool,
    reason: str,
    activity: Activity | None = None,
) -> Proposal:
    """The department's heads, its union's presidium or the League committee adopt a listed
    proposal (optionally linking the activity that carries it out) or decline it with a reason.
    The decision is public."""
    school = proposal.school
    if actor is not None and not selectors.may_decide_proposal(build_viewer(actor), proposal.body):
        raise forbidden(_("Only the department's heads or the presidium decide on this proposal."))
    reason = (reason or "").strip()
    if not adopt and not reason:
        raise DomainError(_("Give the reason for declining; it is published."), field="reason")
    if activity is not None:
        if not adopt:
            raise DomainError(_("Only an adopted proposal links an activity."), field="activity")
        if activity.school_id != school.pk or activity.status == ActivityStatus.CANCELLED:
            raise DomainError(_("Choose an activity of this school."), field="activity")
    status = ProposalStatus.ADOPTED if adopt else ProposalStatus.DECLINED
    now = timezone.now()
    with transaction.atomic():
        changed = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.ON_LIST).update(
            status=status,
            decision_reason=reason,
            decided_by=actor,
            decided_at=now,
            activity=activity,
        )
        if changed != 1:
            raise DomainError(
                _("This proposal is not on the department's list (it may be decided already)."),
                code="state",
            )
        proposal.refresh_from_db()
        audit_record(
            school=school,
            actor=actor,
            action=("activities.proposal.adopted" if adopt else "activities.proposal.declined"),
            target=proposal,
            old={"status": ProposalStatus.ON_LIST},
            new={
                "status": status,
                "reason": reason,
                "activity": activity.title if activity is not None else None,
            },
        )
        text = (
            _("Your proposal %(title)s was adopted.")
            if adopt
            else _("Your proposal %(title)s was declined: %(reason)s")
        ) % {"title": proposal.title, "reason": reason}
        notify(
            users=[proposal.proposer.user],
            school=school,
            text=text,
            url=proposal_url(proposal),
        )
    return proposal


# -- ratings ---------------------------------------------------------------------------------


def rating_add(
    *,
    actor,
    activity: Activity,
    score: int,
    comment: str,
    student: Student | None = None,
) -> Rating:
    """A participant who checked in rates the activity once, 1 to 5, after it started.
    ``student`` is for the operator (``actor=None``) only."""
    if actor is not None and student is not None:
        raise ValueError("student is given only when the operator acts (actor=None)")
    school = activity.school
    student = acting_student(actor, school, student)
    if not Attendance.objects.filter(activity=activity, student=student).exists():
        raise forbidden(_("Only participants who checked in can rate this activity."))
    if activity.starts_at > timezone.now():
        raise DomainError(_("You can rate the activity once it has started."), code="state")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_("Give a score from 1 to 5."), field="score")
    comment = (comment or "").strip()
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    activity=activity, student=student, score=score, comment=comment
                )
        except IntegrityError as exc:
            raise DomainError(_("You have already rated this activity."), code="duplicate") from exc
        audit_record(
            school=school,
            actor=actor,
            action="activities.rating.added",
            target=rating,
            label=activity.title,
            new={"student": student.student_no, "score": score, "comment": comment},
        )
    return rating
