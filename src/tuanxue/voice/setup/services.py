"""Configuring a school's student voice: answering departments and their staff, categories with
deadlines, the calendar of holidays and make-up days, voice officers, reception days. The League
committee does this (``actor=None`` is the operator: the demo, commands)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.access import is_league_committee
from tuanxue.org.models import StaffPerson, Student
from tuanxue.voice.access import rights_for_user
from tuanxue.voice.models import (
    AnsweringDepartment,
    BuiltInCategory,
    CalendarDay,
    Category,
    DayKind,
    DepartmentKind,
    DepartmentStaff,
    ReceptionDay,
    VoiceOfficer,
    VoicePolicy,
)

# The built-in categories' names as stored (the school's data is in Chinese, like the seed).
BUILT_IN_NAMES = {
    BuiltInCategory.ACADEMIC: "学业发展",
    BuiltInCategory.HEALTH: "身心健康",
    BuiltInCategory.SOCIAL: "社会融入",
    BuiltInCategory.RIGHTS: "权益维护",
}
# Working days a built-in category allows by default.
BUILT_IN_DEADLINES = {
    BuiltInCategory.ACADEMIC: 5,
    BuiltInCategory.HEALTH: 3,
    BuiltInCategory.SOCIAL: 7,
    BuiltInCategory.RIGHTS: 5,
}


def forbidden(message: str | None = None) -> DomainError:
    return DomainError(message or _("You may not do this."), code="forbidden")


def _require_league(actor, school: School) -> None:
    if not is_league_committee(actor, school):
        raise forbidden(_("Only the school League committee configures the student voice."))


def policy_for(school: School) -> VoicePolicy:
    policy = VoicePolicy.objects.filter(school=school).first()
    return policy if policy is not None else VoicePolicy(school=school)


def voice_setup(*, actor, school: School) -> list[Category]:
    """The policy and the four built-in categories (once; a second call changes nothing)."""
    _require_league(actor, school)
    with transaction.atomic():
        policy, created = VoicePolicy.objects.get_or_create(school=school)
        made = []
        for order, code in enumerate(BuiltInCategory.values, start=1):
            category, new = Category.objects.get_or_create(
                school=school,
                code=code,
                defaults={
                    "name": BUILT_IN_NAMES[code],
                    "deadline_days": BUILT_IN_DEADLINES[code],
                    "order": order,
                },
            )
            if new:
                made.append(category)
        if created or made:
            audit_record(
                school=school,
                actor=actor,
                action="voice.setup",
                target=policy,
                new={"categories": [c.code for c in made], "daily_limit": policy.daily_limit},
            )
    return made


def department_create(
    *, actor, school: School, name: str, kind: str = DepartmentKind.ANSWERING, order: int = 0
) -> AnsweringDepartment:
    _require_league(actor, school)
    name = (name or "").strip()
    if not name or len(name) > 40:
        raise DomainError(_("Give the department a name of at most 40 characters."), field="name")
    if kind not in DepartmentKind.values:
        raise DomainError(_("Choose a kind of department."), field="kind")
    if (
        kind != DepartmentKind.ANSWERING
        and AnsweringDepartment.objects.filter(school=school, kind=kind, active=True).exists()
    ):
        raise DomainError(_("This school already has a department of this kind."), field="kind")
    try:
        with transaction.atomic():
            dept = AnsweringDepartment.objects.create(
                school=school, name=name, kind=kind, order=order
            )
            audit_record(
                school=school,
                actor=actor,
                action="voice.department.created",
                target=dept,
                new={"name": name, "kind": kind},
            )
    except IntegrityError:
        raise DomainError(_("A department of this name exists already."), field="name") from None
    return dept


def department_staff_add(
    *, actor, department: AnsweringDepartment, staff: StaffPerson
) -> DepartmentStaff:
    school = department.school
    _require_league(actor, school)
    if staff.school_id != school.pk:
        raise DomainError(_("Choose a staff member of this school."), field="staff")
    try:
        with transaction.atomic():
            link = DepartmentStaff.objects.create(department=department, staff=staff)
            audit_record(
                school=school,
                actor=actor,
                action="voice.department.staff_added",
                target=department,
                new={"staff": staff.staff_no, "name": staff.name},
            )
    except IntegrityError:
        raise DomainError(
            _("This person answers for the department already."), field="staff"
        ) from None
    return link


def department_staff_remove(*, actor, link: DepartmentStaff) -> None:
    school = link.department.school
    _require_league(actor, school)
    with transaction.atomic():
        audit_record(
            school=school,
            actor=actor,
            action="voice.department.staff_removed",
            target=link.department,
            old={"staff": link.staff.staff_no, "name": link.staff.name},
        )
        link.delete()


def category_create(
    *,
    actor,
    school: School,
    code: str,
    name: str,
    deadline_days: int,
    default_department: AnsweringDepartment | None = None,
    order: int = 10,
) -> Category:
    """The school's own category (the four built-in ones come from ``voice_setup``)."""
    _require_league(actor, school)
    name = (name or "").strip()
    if not name or len(name) > 30:
        raise DomainError(_("Give the category a name of at most 30 characters."), field="name")
    if not 1 <= int(deadline_days) <= 60:
        raise DomainError(_("The deadline is 1 to 60 working days."), field="deadline_days")
    if default_department is not None and default_department.school_id != school.pk:
        raise DomainError(_("Choose a department of this school."), field="default_department")
    try:
        with transaction.atomic():
            category = Category.objects.create(
                school=school,
                code=code,
                name=name,
                deadline_days=int(deadline_days),
                default_department=default_department,
                order=order,
            )
            audit_record(
                school=school,
                actor=actor,
                action="voice.category.created",
                target=category,
                new={"code": code, "name": name, "deadline_days": int(deadline_days)},
            )
    except IntegrityError:
        raise DomainError(_("A category with this code exists already."), field="code") from None
    return category


def category_update(
    *,
    actor,
    category: Category,
    deadline_days: int,
    default_department: AnsweringDepartment | None,
) -> Category:
    school = category.school
    _require_league(actor, school)
    if not 1 <= int(deadline_days) <= 60:
        raise DomainError(_("The deadline is 1 to 60 working days."), field="deadline_days")
    if default_department is not None and default_department.school_id != school.pk:
        raise DomainError(_("Choose a department of this school."), field="default_department")
    with transaction.atomic():
        locked = Category.objects.select_for_update().get(pk=category.pk)
        old = {"deadline_days": locked.deadline_days, "department": str(locked.default_department)}
        locked.deadline_days = int(deadline_days)
        locked.default_department = default_department
        locked.save(update_fields=["deadline_days", "default_department"])
        audit_record(
            school=school,
            actor=actor,
            action="voice.category.updated",
            target=locked,
            old=old,
            new={"deadline_days": locked.deadline_days, "department": str(default_department)},
        )
    return locked


def calendar_day_set(
    *, actor, school: School, date: dt.date, kind: str, name: str = ""
) -> CalendarDay:
    """Mark a date as a holiday or a make-up working day (replacing an earlier mark)."""
    _require_league(actor, school)
    if kind not in DayKind.values:
        raise DomainError(_("Choose holiday or make-up working day."), field="kind")
    with transaction.atomic():
        day, created = CalendarDay.objects.select_for_update().get_or_create(
            school=school, date=date, defaults={"kind": kind, "name": name[:40]}
        )
        old = None if created else {"kind": day.kind, "name": day.name}
        if not created:
            day.kind, day.name = kind, name[:40]
            day.save(update_fields=["kind", "name"])
        audit_record(
            school=school,
            actor=actor,
            action="voice.calendar.set",
            target=day,
            old=old,
            new={"date": date, "kind": kind, "name": name},
        )
    return day


def officer_appoint(*, actor, school: School, user) -> VoiceOfficer:
    """Designate a League committee member to handle confidential demands."""
    _require_league(actor, school)
    if not rights_for_user(user, school).league:
        raise DomainError(
            _("Voice officers are members of the school League committee."), field="user"
        )
    with transaction.atomic():
        officer, created = VoiceOfficer.objects.get_or_create(school=school, user=user)
        if created:
            audit_record(
                school=school,
                actor=actor,
                action="voice.officer.appointed",
                target=officer,
                new={"user": user.get_username()},
            )
    return officer


def reception_day_create(
    *,
    actor,
    school: School,
    date: dt.date,
    starts: dt.time,
    ends: dt.time,
    place: str,
    campus: str = "",
    theme: str = "",
    members: list[Student] = (),
    teachers: list[StaffPerson] = (),
) -> ReceptionDay:
    _require_league(actor, school)
    place = (place or "").strip()
    if not place:
        raise DomainError(_("Say where the reception day takes place."), field="place")
    if starts is None or ends is None or ends <= starts:
        raise DomainError(_("The reception must end after it starts."), field="ends")
    if any(m.school_id != school.pk for m in members):
        raise DomainError(_("Choose union members of this school."), field="members")
    if any(not m.memberships.filter(end__isnull=True).exists() for m in members):
        raise DomainError(_("Only union members can be on duty at the desk."), field="members")
    if any(t.school_id != school.pk for t in teachers):
        raise DomainError(_("Choose teachers of this school."), field="teachers")
    with transaction.atomic():
        day = ReceptionDay.objects.create(
            school=school,
            date=date,
            starts=starts,
            ends=ends,
            place=place[:80],
            campus=(campus or "").strip()[:40],
            theme=(theme or "").strip()[:80],
        )
        day.members.set(members)
        day.teachers.set(teachers)
        audit_record(
            school=school,
            actor=actor,
            action="voice.reception_day.created",
            target=day,
            new={
                "date": date,
                "starts": starts,
                "ends": ends,
                "place": day.place,
                "campus": day.campus,
                "members": len(members),
                "teachers": [t.name for t in teachers],
            },
        )
    return day
