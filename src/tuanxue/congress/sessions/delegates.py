"""Delegates: nominated by the class League branch, elected by the college, credentials reviewed by
the League committee, then on public notice where anyone of the school may object."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.congress.models import (
    CongressSession,
    Delegate,
    DelegateStatus,
    Objection,
)
from tuanxue.congress.sessions.services import (
    lock_session,
    notice_running,
    require_editable,
)
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import build_viewer, is_league_committee, require_league_committee
from tuanxue.org.models import Role, Society, Student

# A delegate in one of these counts; withdrawn and rejected ones make room for another.
ACTIVE = (DelegateStatus.NOMINATED, DelegateStatus.ELECTED, DelegateStatus.CONFIRMED)


def may_nominate(actor, student: Student) -> bool:
    """The League branch of the student's class, or the League committee of their college."""
    if actor is None:
        return True
    viewer = build_viewer(actor)
    if viewer.school is None or viewer.school.pk != student.school_id:
        return False
    return (
        student.class_group_id in viewer.branch_class_ids()
        or student.college_id in _college_league_ids(viewer)
    )


def may_elect(actor, delegate: Delegate) -> bool:
    if actor is None:
        return True
    viewer = build_viewer(actor)
    return delegate.college_id in _college_league_ids(viewer)


def _college_league_ids(viewer) -> set[int]:
    return {g.college_id for g in viewer.grants_for(Role.COLLEGE_LEAGUE) if g.college_id}


def nominable_students(actor, session: CongressSession):
    """The students this actor may nominate who are not delegates of the session yet."""
    students = Student.objects.filter(school=session.school)
    if actor is not None:
        viewer = build_viewer(actor)
        if viewer.school is None or viewer.school.pk != session.school_id:
            return students.none()
        students = students.filter(
            Q(class_group_id__in=viewer.branch_class_ids())
            | Q(college_id__in=_college_league_ids(viewer))
        )
    taken = Delegate.objects.filter(session=session).values("student_id")
    return students.exclude(pk__in=taken).select_related("college", "class_group")


def _snapshot(delegate: Delegate) -> dict:
    return {
        "student": delegate.student.student_no,
        "name": delegate.student.name,
        "college": delegate.college.name,
        "society": delegate.society.name if delegate.society_id else None,
        "status": delegate.status,
    }


def delegate_nominate(
    *, actor, session: CongressSession, student: Student, society: Society | None = None
) -> Delegate:
    if student.school_id != session.school_id:
        raise DomainError(_("This student is not of the session's school."), field="student")
    if society is not None and society.school_id != session.school_id:
        raise DomainError(_("This society is not of the session's school."), field="society")
    if not may_nominate(actor, student):
        raise DomainError(
            _(
                "Only the League branch of %(class)s or the League committee of %(college)s "
                "may nominate %(name)s."
            )
            % {
                "class": student.class_group.name,
                "college": student.college.name,
                "name": student.name,
            },
            code="forbidden",
        )
    with transaction.atomic():
        locked = lock_session(session)
        require_editable(locked)
        existing = Delegate.objects.filter(session=session, student=student).first()
        if existing is not None and existing.status in ACTIVE:
            raise DomainError(
                _("%(name)s is already a delegate (%(status)s).")
                % {"name": student.name, "status": existing.get_status_display()},
                field="student",
            )
        if existing is not None:
            # Nominated again after a withdrawal or a refused credential: start afresh.
            old = _snapshot(existing)
            existing.status = DelegateStatus.NOMINATED
            existing.society = society
            existing.nominated_by = student.class_group
            existing.credential_note = ""
            existing.save(update_fields=["status", "society", "nominated_by", "credential_note"])
            delegate = existing
        else:
            old = None
            delegate = Delegate.objects.create(
                session=session,
                student=student,
                college=student.college,
                nominated_by=student.class_group,
                society=society,
            )
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.delegate.nominated",
            target=delegate,
            old=old,
            new=_snapshot(delegate),
        )
    return delegate


def _transition(
    *, actor, delegate: Delegate, source, target: str, action: str, note: str | None = None
) -> Delegate:
    session = delegate.session
    with transaction.atomic():
        locked = lock_session(session)
        require_editable(locked)
        changes = {"status": target}
        if note is not None:
            changes["credential_note"] = note
        updated = Delegate.objects.filter(pk=delegate.pk, status__in=source).update(**changes)
        if not updated:
            current = Delegate.objects.get(pk=delegate.pk)
            raise DomainError(
                _("%(name)s is %(status)s: this step does not apply.")
                % {"name": delegate.student.name, "status": current.get_status_display()},
                code="state",
            )
        old = {"status": delegate.status}
        delegate.status = target
        if note is not None:
            delegate.credential_note = note
        audit_record(
            school=session.school,
            actor=actor,
            action=action,
            target=delegate,
            old=old,
            new=changes,
        )
    return delegate


def delegate_elect(*, actor, delegate: Delegate) -> Delegate:
    """The college's election or confirmation of a nominated delegate."""
    if not may_elect(actor, delegate):
        raise DomainError(
            _("Only the League committee of %(college)s may elect its delegates.")
            % {"college": delegate.college.name},
            code="forbidden",
        )
    return _transition(
        actor=actor,
        delegate=delegate,
        source=[DelegateStatus.NOMINATED],
        target=DelegateStatus.ELECTED,
        action="congress.delegate.elected",
    )


def credential_review(*, actor, delegate: Delegate, confirmed: bool, note: str = "") -> Delegate:
    """The League committee's credential review (代表资格审查). A refusal needs a reason."""
    require_league_committee(actor, delegate.session.school)
    note = (note or "").strip()
    if not confirmed and not note:
        raise DomainError(_("Say why the credentials are not confirmed."), field="note")
    # A confirmed delegate may still be refused, e.g. after an upheld objection.
    source = (
        [DelegateStatus.ELECTED]
        if confirmed
        else [
            DelegateStatus.ELECTED,
            DelegateStatus.CONFIRMED,
        ]
    )
    return _transition(
        actor=actor,
        delegate=delegate,
        source=source,
        target=DelegateStatus.CONFIRMED if confirmed else DelegateStatus.REJECTED,
        action="congress.delegate.confirmed" if confirmed else "congress.delegate.rejected",
        note=note,
    )


def delegate_withdraw(*, actor, delegate: Delegate) -> Delegate:
    """Withdraw a delegate before the session opens: whoever may nominate them, or the League
    committee."""
    if not (
        may_nominate(actor, delegate.student) or is_league_committee(actor, delegate.session.school)
    ):
        raise DomainError(_("You may not withdraw this delegate."), code="forbidden")
    return _transition(
        actor=actor,
        delegate=delegate,
        source=list(ACTIVE),
        target=DelegateStatus.WITHDRAWN,
        action="congress.delegate.withdrawn",
    )


# -- public notice -------------------------------------------------------------------------------


def objection_file(*, actor, delegate: Delegate, text: str) -> Objection:
    session = delegate.session
    viewer = build_viewer(actor)
    if actor is None or viewer.school is None or viewer.school.pk != session.school_id:
        raise DomainError(
            _("Only a member of the school may object to a delegate."), code="forbidden"
        )
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write what the objection is."), field="text")
    if not notice_running(session):
        raise DomainError(
            _("Objections can be filed only while the delegates are on public notice."),
            code="state",
        )
    if delegate.status not in ACTIVE:
        raise DomainError(
            _("%(name)s is no longer a delegate.") % {"name": delegate.student.name},
            code="state",
        )
    with transaction.atomic():
        objection = Objection.objects.create(
            delegate=delegate, text=text, filed_by=actor, filed_at=timezone.now()
        )
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.objection.filed",
            target=objection,
            new={"delegate": delegate.student.name, "text": text},
        )
    return objection


def objection_answer(*, actor, objection: Objection, answer: str) -> Objection:
    session = objection.delegate.session
    require_league_committee(actor, session.school)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("Write the answer."), field="answer")
    now = timezone.now()
    with transaction.atomic():
        updated = Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
            answer=answer,
            answered_by=actor if actor is not None and actor.pk else None,
            answered_at=now,
        )
        if not updated:
            raise DomainError(_("This objection is already answered."), code="state")
        objection.answer, objection.answered_at = answer, now
        objection.answered_by = actor if actor is not None and actor.pk else None
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.objection.answered",
            target=objection,
            old={"answer": ""},
            new={"answer": answer},
        )
    return objection
