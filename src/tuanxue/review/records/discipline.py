"""Discipline records (从严治会): 约谈, 批评, 通报, 处分, with their basis, facts, decider, date,
appeal and outcome. Only the League committee records a sanction; a department head may record a
talk with a member of their own department; the presidium records criticism and notices."""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.org.access import Viewer, build_viewer
from tuanxue.org.models import Membership, Student, Union
from tuanxue.review.access import headed_bodies, is_presidium_of, may_manage
from tuanxue.review.models import AppealStatus, DisciplineKind, DisciplineRecord


def may_record(viewer: Viewer, union: Union, kind: str, student: Student) -> bool:
    if may_manage(viewer, union):
        return True
    if kind == DisciplineKind.SANCTION:
        return False
    if is_presidium_of(viewer, union):
        return True
    if kind == DisciplineKind.TALK:
        bodies = headed_bodies(viewer, union)
        return (
            bool(bodies)
            and Membership.objects.filter(
                student=student, body_id__in=bodies, end__isnull=True
            ).exists()
        )
    return False


def discipline_record(
    *,
    actor,
    union: Union,
    student: Student,
    kind: str,
    basis: str,
    facts: str,
    decided_by: str,
    decided_on: dt.date,
) -> DisciplineRecord:
    if kind not in DisciplineKind.values:
        raise DomainError(_("Choose the kind of record."), field="kind")
    if student.school_id != union.school_id:
        raise DomainError(_("Choose a student of this school."), field="student")
    viewer = build_viewer(actor)
    if actor is not None and not may_record(viewer, union, kind, student):
        if kind == DisciplineKind.SANCTION:
            raise DomainError(_("Only the League committee records a sanction."), code="forbidden")
        raise DomainError(
            _("A department head records a talk only with a member of their own department."),
            code="forbidden",
        )
    if actor is not None and viewer.student is not None and viewer.student.pk == student.pk:
        raise DomainError(_("You cannot record discipline about yourself."), code="forbidden")
    basis, facts, decided_by = basis.strip(), facts.strip(), decided_by.strip()
    for value, field, message in (
        (basis, "basis", _("Name the regulation and article this rests on.")),
        (facts, "facts", _("Write the facts.")),
        (decided_by, "decided_by", _("Say who decided.")),
    ):
        if not value:
            raise DomainError(message, field=field)
    if decided_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="decided_on")
    with transaction.atomic():
        record = DisciplineRecord.objects.create(
            school=union.school,
            union=union,
            student=student,
            kind=kind,
            basis=basis[:200],
            facts=facts,
            decided_by=decided_by[:80],
            decided_on=decided_on,
            recorded_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            school=union.school,
            actor=actor,
            action="review.discipline.recorded",
            target=record,
            new={
                "student": student.student_no,
                "kind": kind,
                "basis": record.basis,
                "decided_by": record.decided_by,
                "decided_on": decided_on,
            },
        )
        if kind == DisciplineKind.SANCTION:
            from tuanxue.review.effects import proposal_open_for_sanction

            proposal_open_for_sanction(actor=actor, record=record)
        if student.user_id:
            notify(
                users=[student.user],
                school=union.school,
                text=_("A %(kind)s was recorded about you: %(basis)s")
                % {"kind": record.get_kind_display(), "basis": record.basis},
            )
    return record


def appeal_submit(*, actor, record: DisciplineRecord, text: str) -> DisciplineRecord:
    if actor is None or record.student.user_id != actor.pk:
        raise DomainError(_("Only the person concerned may appeal."), code="forbidden")
    text = text.strip()
    if not text:
        raise DomainError(_("Write the grounds of the appeal."), field="appeal")
    with transaction.atomic():
        updated = DisciplineRecord.objects.filter(pk=record.pk, appeal_status="").update(
            appeal=text, appeal_status=AppealStatus.PENDING
        )
        if not updated:
            raise DomainError(_("This record has already been appealed."), code="stale")
        record.refresh_from_db()
        audit_record(
            school=record.school,
            actor=actor,
            action="review.discipline.appealed",
            target=record,
            new={"appeal": text},
        )
    return record


def appeal_decide(
    *, actor, record: DisciplineRecord, upheld: bool, outcome: str
) -> DisciplineRecord:
    if actor is not None and not may_manage(build_viewer(actor), record.union):
        raise DomainError(_("Only the League committee decides an appeal."), code="forbidden")
    outcome = outcome.strip()
    if not outcome:
        raise DomainError(_("Write the outcome of the appeal."), field="appeal_outcome")
    status = AppealStatus.UPHELD if upheld else AppealStatus.OVERTURNED
    with transaction.atomic():
        updated = DisciplineRecord.objects.filter(
            pk=record.pk, appeal_status=AppealStatus.PENDING
        ).update(appeal_status=status, appeal_outcome=outcome)
        if not updated:
            raise DomainError(_("No appeal is waiting on this record."), code="stale")
        record.refresh_from_db()
        audit_record(
            school=record.school,
            actor=actor,
            action="review.discipline.appeal_decided",
            target=record,
            old={"appeal_status": AppealStatus.PENDING},
            new={"appeal_status": status, "outcome": outcome},
        )
    return record


def sanctions_in_force(students, day: dt.date, semesters: int) -> dict[int, DisciplineRecord]:
    """The latest sanction (not overturned on appeal) of each of ``students`` decided within
    ``semesters`` semesters up to ``day`` — the sanction's own semester and the next ones count.
    One query for any number of students."""
    if semesters <= 0 or not students:
        return {}
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from tuanxue.core.models import Semester

    started = Semester.objects.filter(school_id=OuterRef("school_id"), start__lte=day)
    nth = started.order_by("-start").values("start")[semesters - 1 : semesters]
    earliest = started.order_by("start").values("start")[:1]
    records = (
        DisciplineRecord.objects.annotate(
            since=Coalesce(Subquery(nth), Subquery(earliest), Value(day))
        )
        .filter(
            student__in=[s.pk for s in students],
            kind=DisciplineKind.SANCTION,
            decided_on__gte=models.F("since"),
            decided_on__lte=day,
        )
        .exclude(appeal_status=AppealStatus.OVERTURNED)
        .order_by("decided_on")
    )
    return {r.student_id: r for r in records}
