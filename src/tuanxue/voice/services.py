"""Demands: submit online, record at the desk, forward, merge, answer, rate, reopen (identity
reveals and abuse reports are in ``moderation``).

Every function checks the state and the actor's right (a ``DomainError`` a user can read), changes
the row under a lock or a conditional UPDATE in one transaction, writes the audit event and the
visible step there, and notifies. ``actor=None`` is the operator (the demo, commands).

A confidential demand's student is never written into an audit event, a step or a notification
that anyone but the student receives: the audit event of a student's own action on a confidential
demand carries no actor (the demand row keeps who it was, shown only through an audited reveal).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.core.notify import notify
from tuanxue.org.access import student_of
from tuanxue.org.models import Student
from tuanxue.voice.common import (
    ANSWER_MAX,
    REASON_MAX,
    TEXT_MIN,
    TITLE_MIN,
    _student_actor,
    actor_rights,
    clean_reason,
    demand_url,
    officer_users,
    plain_text,
    staff_users,
    step_add,
    student_users,
)
from tuanxue.voice.deadlines.workdays import add_working_days
from tuanxue.voice.models import (
    AnsweringDepartment,
    Category,
    Channel,
    Closure,
    Demand,
    DemandStatus,
    DepartmentKind,
    ReceptionDay,
    StepKind,
    Supporter,
)
from tuanxue.voice.photos import clean_photos, save_photos
from tuanxue.voice.setup.services import forbidden, policy_for


def _route(school: School, category: Category, department: AnsweringDepartment | None):
    if department is not None:
        if department.school_id != school.pk or not department.active:
            raise DomainError(_("Choose a department of this school."), field="department")
        return department
    if category.default_department_id and category.default_department.active:
        return category.default_department
    fallback = (
        AnsweringDepartment.objects.filter(
            school=school, active=True, kind=DepartmentKind.ANSWERING
        )
        .order_by("order", "name")
        .first()
    )
    if fallback is None:
        raise DomainError(
            _("This school has no department that answers demands yet."), field="category"
        )
    return fallback


def _check_daily_limit(school: School, student: Student) -> None:
    """Lock the student's row (theirs only) and count today's demands."""
    Student.objects.select_for_update().filter(pk=student.pk).first()
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    count = Demand.objects.filter(school=school, student=student, created_at__gte=start).count()
    limit = policy_for(school).daily_limit
    if count >= limit:
        raise DomainError(
            _("You can submit at most %(n)d demands a day; please try again tomorrow.")
            % {"n": limit},
            code="limit",
        )


def _create(
    *,
    actor,
    school: School,
    category: Category,
    department: AnsweringDepartment | None,
    title: str,
    text: str,
    channel: str,
    student: Student | None,
    confidential: bool,
    reception_day: ReceptionDay | None,
    photos,
) -> Demand:
    if category.school_id != school.pk:
        raise DomainError(_("Choose a category of this school."), field="category")
    title = plain_text(title, field="title", label=_("The title"), low=TITLE_MIN, high=60)
    text = plain_text(text, field="text", label=_("The text"), low=TEXT_MIN, high=Demand.TEXT_MAX)
    department = _route(school, category, department)
    cleaned = clean_photos(photos)
    now = timezone.now()
    due = add_working_days(school, timezone.localdate(now), category.deadline_days)
    with transaction.atomic():
        if student is not None:
            _check_daily_limit(school, student)
        demand = Demand.objects.create(
            school=school,
            category=category,
            department=department,
            title=title,
            text=text,
            channel=channel,
            reception_day=reception_day,
            student=student,
            confidential=confidential,
            recorded_by=actor if channel == Channel.DESK else None,
            created_at=now,
            due_date=due,
        )
        save_photos(demand, cleaned)
        kind = StepKind.RECORDED if channel == Channel.DESK else StepKind.SUBMITTED
        step_add(demand, kind, department=department, at=now)
        audit_record(
            school=school,
            actor=actor if channel == Channel.DESK else _student_actor(actor, demand),
            action="voice.demand.recorded" if channel == Channel.DESK else "voice.demand.submitted",
            target=demand,
            new={
                "category": category.code,
                "department": department.name,
                "channel": channel,
                "confidential": confidential,
                "anonymous": student is None,
                "due_date": due,
                "photos": len(cleaned),
                "reception_day": reception_day.pk if reception_day else None,
            },
        )
        notify(
            users=staff_users(department),
            school=school,
            text=_("New demand %(ref)s: %(title)s (answer by %(due)s)")
            % {"ref": demand.reference, "title": title, "due": due.isoformat()},
            url=demand_url(demand),
        )
        if student is not None and student.user_id:
            notify(
                users=[student.user],
                school=school,
                text=_("Your demand %(ref)s was received and sent to %(dept)s.")
                % {"ref": demand.reference, "dept": department.name},
                url=demand_url(demand),
            )
        if confidential:
            notify(
                users=officer_users(school),
                school=school,
                text=_("A confidential demand %(ref)s was submitted.") % {"ref": demand.reference},
                url=demand_url(demand),
            )
    return demand


# -- submitting ------------------------------------------------------------------------------


def demand_submit(
    *,
    actor,
    school: School,
    category: Category,
    title: str,
    text: str,
    confidential: bool = False,
    photos=(),
    student: Student | None = None,
) -> Demand:
    """A student submits a demand online (Voice of Youth). The operator passes ``student``."""
    if actor is not None:
        student = student_of(actor, school)
    if student is None or student.school_id != school.pk:
        raise forbidden(_("Only a student of this school can submit a demand."))
    return _create(
        actor=actor,
        school=school,
        category=category,
        department=None,
        title=title,
        text=text,
        channel=Channel.ONLINE,
        student=student,
        confidential=bool(confidential),
        reception_day=None,
        photos=photos,
    )


def demand_record(
    *,
    actor,
    reception_day: ReceptionDay,
    category: Category,
    title: str,
    text: str,
    student_no: str = "",
    confidential: bool = False,
    department: AnsweringDepartment | None = None,
    photos=(),
) -> Demand:
    """Union staff record a demand at a reception-day desk: for the student present (by
    student number) or anonymously (no number)."""
    school = reception_day.school
    rights = actor_rights(actor, school)
    if rights is not None and not rights.may_record:
        raise forbidden(_("Only union staff record demands at the desk."))
    student = None
    student_no = (student_no or "").strip()
    if student_no:
        student = Student.objects.filter(school=school, student_no=student_no).first()
        if student is None:
            raise DomainError(
                _("No student of this school has the number %(no)s.") % {"no": student_no},
                field="student_no",
            )
    elif confidential:
        confidential = False  # an anonymous demand has no identity to hide
    return _create(
        actor=actor,
        school=school,
        category=category,
        department=department,
        title=title,
        text=text,
        channel=Channel.DESK,
        student=student,
        confidential=bool(confidential),
        reception_day=reception_day,
        photos=photos,
    )


# -- handling --------------------------------------------------------------------------------


def _lock_open(demand: Demand) -> Demand:
    locked = Demand.objects.select_for_update().select_related("school").get(pk=demand.pk)
    if locked.status != DemandStatus.OPEN:
        raise DomainError(
            _("This demand is no longer waiting for an answer (someone may have acted on it)."),
            code="state",
        )
    return locked


def demand_forward(
    *, actor, demand: Demand, department: AnsweringDepartment, reason: str
) -> Demand:
    """Send an open demand to another department, with the reason. The deadline stays."""
    school = demand.school
    rights = actor_rights(actor, school)
    if rights is not None and not rights.may_forward_role(demand):
        raise forbidden(_("Only the department handling this demand can forward it."))
    if department.school_id != school.pk or not department.active:
        raise DomainError(_("Choose a department of this school."), field="department")
    reason = clean_reason(reason)
    with transaction.atomic():
        locked = _lock_open(demand)
        if locked.department_id == department.pk:
            raise DomainError(_("The demand is with this department already."), field="department")
        old = locked.department
        locked.department = department
        locked.save(update_fields=["department"])
        step_add(locked, StepKind.FORWARDED, department=department, text=reason)
        audit_record(
            school=school,
            actor=actor,
            action="voice.demand.forwarded",
            target=locked,
            old={"department": old.name},
            new={"department": department.name, "reason": reason},
        )
        notify(
            users=staff_users(department),
            school=school,
            text=_("Demand %(ref)s was forwarded to you by %(from)s: %(reason)s")
            % {"ref": locked.reference, "from": old.name, "reason": reason},
            url=demand_url(locked),
        )
        notify(
            users=student_users(locked),
            school=school,
            text=_("Your demand %(ref)s was forwarded to %(dept)s.")
            % {"ref": locked.reference, "dept": department.name},
            url=demand_url(locked),
        )
    return locked


def demand_answer(*, actor, demand: Demand, answer: str, closure: str, reason: str = "") -> Demand:
    """The department answers: resolved, explained, or not feasible (with the reason)."""
    school = demand.school
    rights = actor_rights(actor, school)
    if rights is not None and not rights.answers_for(demand):
        raise forbidden(_("Only the department handling this demand can answer it."))
    answer = plain_text(answer, field="answer", label=_("The answer"), low=5, high=ANSWER_MAX)
    if closure not in Closure.values:
        raise DomainError(_("Choose resolved, explained or not feasible."), field="closure")
    reason = (reason or "").strip()
    if closure == Closure.NOT_FEASIBLE or reason:
        reason = clean_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_open(demand)
        first = locked.first_response_at is None
        if first:
            locked.first_response_at = now
            locked.on_time = timezone.localdate(now) <= locked.due_date
        locked.status = DemandStatus.ANSWERED
        locked.answer = answer
        locked.answered_at = now
        locked.answered_by = locked.department
        locked.closure = closure
        locked.closure_reason = reason
        locked.save()
        step_add(locked, StepKind.ANSWERED, department=locked.department, text=answer, at=now)
        audit_record(
            school=school,
            actor=actor,
            action="voice.demand.answered",
            target=locked,
            old={"status": DemandStatus.OPEN},
            new={
                "status": DemandStatus.ANSWERED,
                "closure": closure,
                "reason": reason,
                "on_time": locked.on_time,
                "first_answer": first,
            },
        )
        notify(
            users=student_users(locked),
            school=school,
            text=_("%(dept)s answered demand %(ref)s: %(title)s")
            % {"dept": locked.department.name, "ref": locked.reference, "title": locked.title},
            url=demand_url(locked),
        )
    return locked


def demand_rate(*, actor, demand: Demand, rating: int, comment: str = "") -> Demand:
    """The student rates the answer (1–5), which closes the demand."""
    school = demand.school
    rights = actor_rights(actor, school)
    if rights is not None and not rights.is_owner(demand):
        raise forbidden(_("Only the student who submitted the demand rates the answer."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(_("Choose a rating from 1 to 5."), field="rating")
    comment = (comment or "").strip()
    if comment:
        comment = plain_text(comment, field="comment", label=_("The comment"), low=1, high=300)
    now = timezone.now()
    with transaction.atomic():
        changed = Demand.objects.filter(pk=demand.pk, status=DemandStatus.ANSWERED).update(
            status=DemandStatus.CLOSED, rating=rating, rating_comment=comment, closed_at=now
        )
        if changed != 1:
            raise DomainError(_("This demand is not waiting for your rating."), code="state")
        demand.refresh_from_db()
        step_add(demand, StepKind.RATED, text=str(rating), at=now)
        audit_record(
            school=school,
            actor=_student_actor(actor, demand),
            action="voice.demand.rated",
            target=demand,
            old={"status": DemandStatus.ANSWERED},
            new={"status": DemandStatus.CLOSED, "rating": rating},
        )
        notify(
            users=staff_users(demand.answered_by),
            school=school,
            text=_("Demand %(ref)s was rated %(n)d of 5.") % {"ref": demand.reference, "n": rating},
            url=demand_url(demand),
        )
    return demand


def may_reopen(demand: Demand, now=None) -> bool:
    if demand.reopened_at is not None or demand.answered_at is None:
        return False
    if demand.status not in (DemandStatus.ANSWERED, DemandStatus.CLOSED):
        return False
    days = policy_for(demand.school).reopen_days
    return (now or timezone.now()) <= demand.answered_at + dt.timedelta(days=days)


def demand_reopen(*, actor, demand: Demand, reason: str) -> Demand:
    """The student reopens an answered demand, once, within the school's window. The department
    gets a new deadline."""
    school = demand.school
    rights = actor_rights(actor, school)
    if rights is not None and not rights.is_owner(demand):
        raise forbidden(_("Only the student who submitted the demand can reopen it."))
    reason = clean_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Demand.objects.select_for_update()
            .select_related("school", "category")
            .get(pk=demand.pk)
        )
        if not may_reopen(locked, now):
            raise DomainError(
                _("This demand can no longer be reopened (once, within %(n)d days of the answer).")
                % {"n": policy_for(school).reopen_days},
                code="state",
            )
        old = {"status": locked.status, "rating": locked.rating, "due_date": locked.due_date}
        locked.status = DemandStatus.OPEN
        locked.reopened_at = now
        locked.reopen_reason = reason
        locked.rating = None
        locked.rating_comment = ""
        locked.closed_at = None
        locked.escalation = 0
        locked.escalated_at = None
        locked.due_date = add_working_days(
            school, timezone.localdate(now), locked.category.deadline_days
        )
        locked.save()
        step_add(locked, StepKind.REOPENED, department=locked.department, text=reason, at=now)
        audit_record(
            school=school,
            actor=_student_actor(actor, locked),
            action="voice.demand.reopened",
            target=locked,
            old=old,
            new={"status": DemandStatus.OPEN, "due_date": locked.due_date, "reason": reason},
        )
        notify(
            users=staff_users(locked.department),
            school=school,
            text=_("Demand %(ref)s was reopened: %(reason)s (answer by %(due)s)")
            % {"ref": locked.reference, "reason": reason, "due": locked.due_date.isoformat()},
            url=demand_url(locked),
        )
    return locked


def demand_merge(*, actor, duplicate: Demand, into: Demand, reason: str = "") -> Demand:
    """Merge a duplicate into another demand on the same issue. Its student (and supporters)
    become supporters of ``into`` and are told of its answer."""
    school = into.school
    if duplicate.school_id != school.pk:
        raise DomainError(_("Choose a demand of this school."), field="into")
    if duplicate.pk == into.pk:
        raise DomainError(_("A demand cannot be merged into itself."), field="into")
    rights = actor_rights(actor, school)
    if rights is not None:
        allowed = (
            rights.officer
            or rights.league
            or (
                duplicate.department_id in rights.department_ids
                and into.department_id in rights.department_ids
            )
        )
        if not allowed:
            raise forbidden(_("Only the department holding both demands can merge them."))
    reason = (reason or "").strip()[:REASON_MAX]
    with transaction.atomic():
        first, second = sorted([duplicate.pk, into.pk])
        rows = {
            d.pk: d
            for d in Demand.objects.select_for_update(of=("self",))
            .select_related("school", "department", "answered_by", "student__user")
            .filter(pk__in=[first, second])
            .order_by("pk")
        }
        dup, target = rows[duplicate.pk], rows[into.pk]
        if dup.status != DemandStatus.OPEN:
            raise DomainError(_("Only an open demand can be merged."), code="state")
        if target.status not in (DemandStatus.OPEN, DemandStatus.ANSWERED):
            raise DomainError(
                _("Merge into a demand that is open or answered."), field="into", code="state"
            )
        new_students = []
        if dup.student_id and dup.student_id != target.student_id:
            new_students.append(dup.student_id)
        new_students += list(
            Supporter.objects.filter(demand=dup)
            .exclude(student_id=target.student_id)
            .values_list("student_id", flat=True)
        )
        known = set(Supporter.objects.filter(demand=target).values_list("student_id", flat=True))
        added = []
        for student_id in dict.fromkeys(new_students):
            if student_id in known:
                continue
            Supporter.objects.create(demand=target, student_id=student_id, source=dup)
            added.append(student_id)
        Supporter.objects.filter(demand=dup).delete()
        Demand.objects.filter(merged_into=dup).update(merged_into=target)
        dup.status = DemandStatus.MERGED
        dup.merged_into = target
        dup.closed_at = timezone.now()
        dup.save(update_fields=["status", "merged_into", "closed_at"])
        target.supporters = 1 + Supporter.objects.filter(demand=target).count()
        target.save(update_fields=["supporters"])
        step_add(target, StepKind.MERGED, text=dup.reference)
        step_add(dup, StepKind.MERGED, text=target.reference)
        audit_record(
            school=school,
            actor=actor,
            action="voice.demand.merged",
            target=dup,
            old={"status": DemandStatus.OPEN},
            new={
                "status": DemandStatus.MERGED,
                "into": target.pk,
                "supporters": target.supporters,
                "reason": reason,
            },
        )
        users = [
            s.user
            for s in Student.objects.filter(pk__in=added, user__isnull=False).select_related("user")
        ]
        if target.status == DemandStatus.ANSWERED:
            text = _("Your demand %(ref)s joined %(into)s, which %(dept)s answered already.") % {
                "ref": dup.reference,
                "into": target.reference,
                "dept": target.answered_by.name if target.answered_by else "",
            }
        else:
            text = _(
                "Your demand %(ref)s raised the same issue as %(into)s and joined it; you will "
                "be told of its answer."
            ) % {"ref": dup.reference, "into": target.reference}
        notify(users=users, school=school, text=text, url=demand_url(target))
    return target
