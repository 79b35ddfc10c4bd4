"""班团一体化: class roles per term, the school's rules on them, and joint class–League meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import Semester
from tuanxue.linkage import access
from tuanxue.linkage.models import ClassRole, ClassRoleKind, JointMeeting
from tuanxue.org.access import build_viewer
from tuanxue.org.models import ClassGroup, Student


def _check_editor(actor, group: ClassGroup) -> None:
    if actor is None:
        return
    if not access.may_edit_class(build_viewer(actor, group.school), group):
        raise DomainError(
            _("Only the college League committee or the class's League secretary edits it."),
            code="forbidden",
        )


def class_role_set(
    *,
    actor,
    class_group: ClassGroup,
    semester: Semester,
    role: str,
    student: Student | None,
) -> ClassRole | None:
    """Give ``role`` in the class for the term to ``student`` (a student of the class), or
    leave it empty when ``student`` is None."""
    _check_editor(actor, class_group)
    if role not in ClassRoleKind.values:
        raise DomainError(_("Choose a role."), field="role")
    if semester.school_id != class_group.school_id:
        raise DomainError(_("Choose a semester of this school."), field="semester")
    if student is not None and student.class_group_id != class_group.pk:
        raise DomainError(
            _("%(name)s is not a student of class %(class)s.")
            % {"name": student.name, "class": class_group.name},
            field="student",
        )
    label = ClassRoleKind(role).label
    with transaction.atomic():
        current = (
            ClassRole.objects.select_for_update()
            .select_related("student")
            .filter(class_group=class_group, semester=semester, role=role)
            .first()
        )
        old = {"student": current.student.name} if current else None
        if current is None and student is None:
            return None
        if current is not None and student is not None and current.student_id == student.pk:
            return current
        target = class_group
        if current is None:
            try:
                with transaction.atomic():
                    row = ClassRole.objects.create(
                        school=class_group.school,
                        class_group=class_group,
                        semester=semester,
                        role=role,
                        student=student,
                    )
            except IntegrityError as exc:
                raise DomainError(
                    _("Someone gave this role at the same moment; look again.")
                ) from exc
        elif student is None:
            current.delete()
            row = None
        else:
            current.student = student
            current.save(update_fields=["student"])
            row = current
        audit_record(
            school=class_group.school,
            actor=actor,
            action="linkage.class_role.set",
            target=target,
            old=old,
            new={
                "semester": semester.code,
                "role": str(label),
                "student": student.name if student else None,
            },
        )
    return row


def joint_meeting_record(
    *,
    actor,
    class_group: ClassGroup,
    held_on: dt.date,
    attendees: str,
    decisions: str,
    today: dt.date | None = None,
) -> JointMeeting:
    """Record a joint class–League branch meeting as the class's decision record."""
    _check_editor(actor, class_group)
    attendees, decisions = (attendees or "").strip(), (decisions or "").strip()
    if held_on is None:
        raise DomainError(_("The date is required."), field="held_on")
    if today is not None and held_on > today:
        raise DomainError(_("The meeting's date is in the future."), field="held_on")
    if not attendees:
        raise DomainError(_("Name who attended."), field="attendees")
    if not decisions:
        raise DomainError(_("Write down the matters decided."), field="decisions")
    with transaction.atomic():
        meeting = JointMeeting.objects.create(
            school=class_group.school,
            class_group=class_group,
            held_on=held_on,
            attendees=attendees,
            decisions=decisions,
            recorded_by=actor,
        )
        audit_record(
            school=class_group.school,
            actor=actor,
            action="linkage.joint_meeting.recorded",
            target=meeting,
            new={"held_on": held_on, "attendees": attendees, "decisions": decisions},
        )
    return meeting


# -- the rules -------------------------------------------------------------------------------


@dataclass
class ClassCheck:
    class_group: ClassGroup
    breaches: list[str]

    @property
    def ok(self) -> bool:
        return not self.breaches


def check_roles(group: ClassGroup, roles: dict[str, ClassRole]) -> ClassCheck:
    """The school's rules for one class's roles in one term: the class monitor is the League
    branch's deputy secretary; the class has an innovation and entrepreneurship member."""
    breaches = []
    monitor, deputy = roles.get(ClassRoleKind.MONITOR), roles.get(ClassRoleKind.DEPUTY)
    if monitor is None:
        breaches.append(_("no class monitor"))
    elif deputy is None or deputy.student_id != monitor.student_id:
        breaches.append(
            _("the class monitor %(name)s is not the League branch's deputy secretary")
            % {"name": monitor.student.name}
        )
    if ClassRoleKind.INNOVATION not in roles:
        breaches.append(_("no innovation and entrepreneurship committee member"))
    return ClassCheck(group, breaches)


def school_class_checks(school, semester: Semester) -> list[ClassCheck] | None:
    """Every class of the school checked for the term; None when the school recorded no class
    role for that term at all (the rules are then not yet checked). Two queries."""
    return schools_class_checks([(school, semester)])[school.pk]


def schools_class_checks(terms) -> dict[int, list[ClassCheck] | None]:
    """``school_class_checks`` of each (school, term) pair, by school id, in two queries for
    all of them (one when no school recorded a class role)."""
    semester_of = {semester.pk: school.pk for school, semester in terms}
    by_class: dict[int, dict[int, dict[str, ClassRole]]] = {}
    for r in ClassRole.objects.filter(semester_id__in=list(semester_of)).select_related("student"):
        if r.school_id == semester_of[r.semester_id]:
            by_class.setdefault(r.school_id, {}).setdefault(r.class_group_id, {})[r.role] = r
    out: dict[int, list[ClassCheck] | None] = {school.pk: None for school, _s in terms}
    if not by_class:
        return out
    for school_id in by_class:
        out[school_id] = []
    for g in ClassGroup.objects.filter(school_id__in=list(by_class)).order_by(
        "college__order", "name"
    ):
        out[g.school_id].append(check_roles(g, by_class[g.school_id].get(g.pk, {})))
    return out
