"""Leaving a post (退出): resignation, removal, the end of a term, and the semester check.

Roles that follow from a post (union member, department head, presidium member, executive chair)
are computed from the open posts each time a viewer is built, so ending a post ends them at once.
Every function checks the actor's right, ends posts through ``org.services.membership_end``
inside one transaction, writes its own audit event there, and notifies those concerned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import Semester
from tuanxue.core.notify import notify
from tuanxue.org import services as org_services
from tuanxue.org.access import Viewer, build_viewer
from tuanxue.org.models import (
    PRESIDIUM_TITLES,
    EndReason,
    Membership,
    Student,
    Union,
)
from tuanxue.org.services import lock_union
from tuanxue.selection.eligibility import eligibility_many
from tuanxue.selection.models import ExitRequestStatus, ResignationRequest

REMOVAL_BASES = ("discipline", "academic", "review")


def removal_basis_choices() -> list[tuple[str, str]]:
    return [
        ("discipline", _("after a discipline decision")),
        ("academic", _("no longer meets the academic rule")),
        ("review", _("failed the semester duty review")),
    ]


def _forbidden(message: str | None = None) -> DomainError:
    return DomainError(message or _("You may not do this."), code="forbidden")


# -- who may --------------------------------------------------------------------------------


def is_presidium_of(viewer: Viewer, union: Union) -> bool:
    return any(p.union_id == union.pk and p.title in PRESIDIUM_TITLES for p in viewer.posts)


def may_decide_resignations(viewer: Viewer, union: Union) -> bool:
    """A presidium member of the union (an open presidium post) or the League committee."""
    return is_presidium_of(viewer, union) or viewer.guides_union(union)


def presidium_users(union: Union) -> list:
    posts = Membership.objects.filter(
        union=union, end__isnull=True, title__in=list(PRESIDIUM_TITLES), student__user__isnull=False
    ).select_related("student__user")
    return [p.student.user for p in posts]


def _queue_url(union: Union) -> str:
    return reverse("exits:resignations", args=[union.school.code])


def _my_posts_url(union: Union) -> str:
    return reverse("exits:my_posts", args=[union.school.code])


# -- resignation ----------------------------------------------------------------------------


def resignation_request(*, actor, membership: Membership, reason: str) -> ResignationRequest:
    """The member asks to leave their post; the union's presidium is told."""
    membership = Membership.objects.select_related("student", "union__school", "body").get(
        pk=membership.pk
    )
    if actor is None or membership.student.user_id != actor.pk:
        raise _forbidden(_("Only the holder of a post can ask to leave it."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why you want to leave the post."), field="reason")
    student, body, union = membership.student, membership.body, membership.union
    with transaction.atomic():
        membership = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
        if membership.end is not None:
            raise DomainError(_("This post has already ended."), code="stale")
        try:
            with transaction.atomic():
                request = ResignationRequest.objects.create(
                    membership=membership, reason=reason, requested_at=timezone.now()
                )
        except IntegrityError as exc:
            raise DomainError(
                _("You have already asked to leave this post; the presidium will answer."),
                code="duplicate",
            ) from exc
        audit_record(
            school=membership.school,
            actor=actor,
            action="selection.resignation.requested",
            target=request,
            new={"membership": membership.pk, "reason": reason},
        )
        notify(
            users=[u for u in presidium_users(union) if u.pk != actor.pk],
            school=membership.school,
            text=_("%(name)s asks to leave the post of %(title)s in %(body)s.")
            % {
                "name": student.name,
                "title": membership.get_title_display(),
                "body": body.name,
            },
            url=_queue_url(union),
        )
    return request


def resignation_withdraw(*, actor, request: ResignationRequest) -> ResignationRequest:
    with transaction.atomic():
        request = (
            ResignationRequest.objects.select_for_update(of=("self",))
            .select_related("membership__student", "membership__union__school")
            .get(pk=request.pk)
        )
        if actor is None or request.membership.student.user_id != actor.pk:
            raise _forbidden()
        if request.status != ExitRequestStatus.PENDING:
            raise DomainError(_("This request has already been answered."), code="stale")
        request.status = ExitRequestStatus.WITHDRAWN
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
        audit_record(
            school=request.membership.school,
            actor=actor,
            action="selection.resignation.withdrawn",
            target=request,
            old={"status": ExitRequestStatus.PENDING},
            new={"status": request.status},
        )
    return request


def resignation_decide(
    *, actor, request: ResignationRequest, confirm: bool, comment: str = ""
) -> ResignationRequest:
    """The presidium (or the League committee) confirms or declines. Confirming ends the post
    today. A second decision on the same request is refused, so a double click acts once."""
    comment = comment.strip()
    if not confirm and not comment:
        raise DomainError(_("Say why the request is declined."), field="comment")
    viewer = build_viewer(actor)
    with transaction.atomic():
        request = (
            ResignationRequest.objects.select_for_update(of=("self",))
            .select_related("membership__student__user", "membership__union__school")
            .get(pk=request.pk)
        )
        membership = request.membership
        union = membership.union
        if not may_decide_resignations(viewer, union):
            raise _forbidden(_("Only the presidium or the League committee may decide this."))
        if membership.student.user_id == getattr(actor, "pk", None):
            raise _forbidden(_("You cannot decide on your own request."))
        if request.status != ExitRequestStatus.PENDING:
            raise DomainError(
                _("This request has already been answered (%(status)s).")
                % {"status": request.get_status_display()},
                code="stale",
            )
        if membership.end is not None and confirm:
            raise DomainError(_("This post has already ended."), code="stale")
        today = timezone.localdate()
        if confirm:
            org_services.membership_end(
                actor=actor, membership=membership, end=today, reason=EndReason.RESIGNATION
            )
        request.status = ExitRequestStatus.CONFIRMED if confirm else ExitRequestStatus.DECLINED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_comment = comment
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        audit_record(
            school=membership.school,
            actor=actor,
            action=(
                "selection.resignation.confirmed" if confirm else "selection.resignation.declined"
            ),
            target=request,
            old={"status": ExitRequestStatus.PENDING},
            new={
                "status": request.status,
                "comment": comment,
                "end": today if confirm else None,
            },
        )
        if confirm:
            text = _("Your resignation from %(title)s of %(body)s is confirmed.")
        else:
            text = _("Your resignation from %(title)s of %(body)s was declined: %(comment)s")
        notify(
            users=[membership.student.user],
            school=membership.school,
            text=text
            % {
                "title": membership.get_title_display(),
                "body": membership.body.name,
                "comment": comment,
            },
            url=_my_posts_url(union),
        )
    return request


def pending_resignations(viewer: Viewer, school) -> list[ResignationRequest]:
    """Pending requests on open posts of the unions whose requests ``viewer`` may decide."""
    rows = (
        ResignationRequest.objects.filter(
            membership__school=school,
            status=ExitRequestStatus.PENDING,
            membership__end__isnull=True,
        )
        .select_related("membership__student", "membership__body", "membership__union__school")
        .order_by("requested_at")
    )
    return [
        r
        for r in rows
        if may_decide_resignations(viewer, r.membership.union)
        and r.membership.student_id != getattr(viewer.student, "pk", None)
    ]


# -- removal and the end of a term -----------------------------------------------------------


def member_remove(*, actor, membership: Membership, reason: str, basis: str) -> Membership:
    """The League committee removes a member after a discipline decision or a failed academic
    check. The reason and its basis go into the audit event."""
    membership = Membership.objects.select_related("union__school", "student__user", "body").get(
        pk=membership.pk
    )
    union = membership.union
    if actor is not None and not build_viewer(actor).guides_union(union):
        raise _forbidden(_("Only the League committee may remove a member."))
    if basis not in REMOVAL_BASES:
        raise DomainError(_("Choose the basis for the removal."), field="basis")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Write the reason for the removal."), field="reason")
    today = timezone.localdate()
    with transaction.atomic():
        ended = org_services.membership_end(
            actor=actor, membership=membership, end=today, reason=EndReason.REMOVAL
        )
        audit_record(
            school=union.school,
            actor=actor,
            action="selection.member.removed",
            target=ended,
            old={"end": None},
            new={
                "end": today,
                "end_reason": EndReason.REMOVAL,
                "basis": basis,
                "reason": reason,
                "student": membership.student.student_no,
            },
        )
        notify(
            users=[membership.student.user],
            school=union.school,
            text=_("You were removed from %(title)s of %(body)s: %(reason)s")
            % {
                "title": membership.get_title_display(),
                "body": membership.body.name,
                "reason": reason,
            },
            url=_my_posts_url(union),
        )
    return ended


def term_end(*, actor, union: Union, day: dt.date) -> list[Membership]:
    """The League committee ends every open post of the union on ``day`` (all or nothing)."""
    if actor is not None and not build_viewer(actor).guides_union(union):
        raise _forbidden(_("Only the League committee may end the term."))
    if day > timezone.localdate():
        raise DomainError(_("The term can only be ended on today or an earlier day."), field="day")
    with transaction.atomic():
        lock_union(union)
        posts = list(
            Membership.objects.filter(union=union, end__isnull=True).select_related("student")
        )
        if not posts:
            raise DomainError(_("%(union)s has no open post.") % {"union": union.name})
        late = [p for p in posts if p.start > day]
        if late:
            raise DomainError(
                _("%(name)s's term starts on %(start)s, after %(day)s.")
                % {
                    "name": late[0].student.name,
                    "start": late[0].start.isoformat(),
                    "day": day.isoformat(),
                },
                field="day",
            )
        ended = [
            org_services.membership_end(
                actor=actor, membership=p, end=day, reason=EndReason.TERM_END
            )
            for p in posts
        ]
        audit_record(
            school=union.school,
            actor=actor,
            action="selection.term.ended",
            target=union,
            new={
                "day": day,
                "posts": len(ended),
                "students": [p.student.student_no for p in posts],
            },
        )
    return ended


# -- the semester check ----------------------------------------------------------------------


@dataclass
class Failing:
    membership: Membership
    eligible: bool | None
    reasons: list[str]

    @property
    def student(self) -> Student:
        return self.membership.student


def verdicts(students: list[Student], day: dt.date) -> dict[int, dict]:
    """What ``selection.eligibility.eligibility`` says for each student, with the charter and
    the records loaded once (a fixed number of queries for any number of students)."""
    return {s.pk: verdict for s, verdict in eligibility_many(students, day)}


def check_day(semester: Semester) -> dt.date:
    """The rule is judged on the day after the semester ends, so the semester counts."""
    return semester.end + dt.timedelta(days=1)


def members_failing_rule(union: Union, semester: Semester) -> list[Failing]:
    """Every open post holder of ``union`` judged on the day after ``semester`` ends; those who
    fail (False) or cannot be judged (None), with the reasons."""
    posts = list(
        Membership.objects.filter(union=union, end__isnull=True)
        .select_related("student__school", "body")
        .order_by("body__order", "body__name", "student__student_no")
    )
    judged = verdicts([p.student for p in posts], check_day(semester))
    return [
        Failing(
            membership=p,
            eligible=judged[p.student_id]["eligible"],
            reasons=judged[p.student_id]["reasons"],
        )
        for p in posts
        if judged[p.student_id]["eligible"] is not True
    ]
