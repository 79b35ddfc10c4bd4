"""Every write to the organisation registry goes through these functions.

Each one checks the current state, changes it inside one transaction and writes the audit event
in that same transaction. Arguments are keyword-only and the acting user is explicit
(``actor=None`` means the system itself, e.g. a command run by the operator).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AcademicYear, School, Semester
from tuanxue.org import policy
from tuanxue.org.models import (
    PRESIDIUM_TITLES,
    BodyKind,
    ClassGroup,
    College,
    Department,
    EndReason,
    LeagueBranch,
    Major,
    Membership,
    Role,
    RoleGrant,
    Student,
    Title,
    Union,
)

SCHOOL_UNION_NAME = "校学生会"
PRESIDIUM_NAME = "主席团"
SEMESTER_CODE = re.compile(r"^(\d{4})-(\d{4})-([12])$")


def college_union_name(college_name: str) -> str:
    return f"{college_name}学生会"


# -- schools and the calendar -----------------------------------------------------------------


def school_add(*, actor, code: str, name: str) -> School:
    """Create a school with its school-level union and that union's presidium."""
    code = code.strip().lower()
    name = name.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,31}", code):
        raise DomainError(
            _("School code %(code)s must be lower-case letters, digits or '-'.") % {"code": code},
            field="code",
        )
    if not name:
        raise DomainError(_("The school's name is required."), field="name")
    with transaction.atomic():
        if School.objects.filter(code=code).exists():
            raise DomainError(_("School code %(code)s is taken.") % {"code": code}, field="code")
        school = School.objects.create(code=code, name=name)
        union = Union.objects.create(school=school, name=SCHOOL_UNION_NAME)
        Department.objects.create(union=union, kind=BodyKind.PRESIDIUM, name=PRESIDIUM_NAME)
        audit_record(
            school=school,
            actor=actor,
            action="org.school.created",
            target=school,
            new={"code": code, "name": name},
        )
    return school


def parse_semester_code(code: str) -> tuple[int, int]:
    """'2019-2020-2' -> (2019, 2). Raises DomainError for anything else."""
    match = SEMESTER_CODE.match(code.strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise DomainError(
            _("Semester %(code)s is not in the form 2019-2020-2.") % {"code": code},
            field="semester",
        )
    return int(match.group(1)), int(match.group(3))


def semester_dates(first_year: int, number: int) -> tuple[dt.date, dt.date]:
    """Default dates: first semester 1 Sep – 31 Jan, second 15 Feb – 15 Jul (the summer
    holiday belongs to no semester, so "last semester" in August is the one just finished)."""
    if number == 1:
        return dt.date(first_year, 9, 1), dt.date(first_year + 1, 1, 31)
    return dt.date(first_year + 1, 2, 15), dt.date(first_year + 1, 7, 15)


def semester_ensure(*, actor, school: School, code: str) -> Semester:
    """The semester with this code, created with its academic year if it is new."""
    first_year, number = parse_semester_code(code)
    existing = Semester.objects.filter(school=school, code=code).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        year, created = AcademicYear.objects.get_or_create(
            school=school,
            code=f"{first_year}-{first_year + 1}",
            defaults={
                "start": dt.date(first_year, 9, 1),
                "end": dt.date(first_year + 1, 8, 31),
            },
        )
        if created:
            audit_record(
                school=school,
                actor=actor,
                action="org.year.created",
                target=year,
                new={"code": year.code},
            )
        start, end = semester_dates(first_year, number)
        semester = Semester.objects.create(
            school=school, academic_year=year, code=code, number=number, start=start, end=end
        )
        audit_record(
            school=school,
            actor=actor,
            action="org.semester.created",
            target=semester,
            new={"code": code, "start": start, "end": end},
        )
    return semester


def semester_on(school: School, day: dt.date) -> Semester | None:
    return Semester.objects.filter(school=school, start__lte=day, end__gte=day).first()


# -- colleges, majors, classes -------------------------------------------------------------------


def college_create(*, actor, school: School, name: str, order: int = 0) -> College:
    """A college and its college-level union with a presidium."""
    name = name.strip()
    if not name:
        raise DomainError(_("The college's name is required."), field="name")
    with transaction.atomic():
        if College.objects.filter(school=school, name=name).exists():
            raise DomainError(_("College %(name)s already exists.") % {"name": name}, field="name")
        college = College.objects.create(school=school, name=name, order=order)
        union = Union.objects.create(school=school, college=college, name=college_union_name(name))
        Department.objects.create(union=union, kind=BodyKind.PRESIDIUM, name=PRESIDIUM_NAME)
        audit_record(
            school=school,
            actor=actor,
            action="org.college.created",
            target=college,
            new={"name": name},
        )
    return college


def class_group_create(
    *, actor, school: School, college: College, major: Major, name: str, grade: int
) -> ClassGroup:
    with transaction.atomic():
        if ClassGroup.objects.filter(school=school, name=name).exists():
            raise DomainError(_("Class %(name)s already exists.") % {"name": name}, field="name")
        group = ClassGroup.objects.create(
            school=school, college=college, major=major, name=name, grade=grade
        )
        LeagueBranch.objects.create(class_group=group)
        audit_record(
            school=school,
            actor=actor,
            action="org.class.created",
            target=group,
            new={"name": name, "college": college.name, "major": major.name, "grade": grade},
        )
    return group


# -- union bodies -----------------------------------------------------------------------------


def lock_union(union: Union) -> Union:
    """Lock the union row so that cap checks and the write that follows cannot interleave."""
    return Union.objects.select_for_update().get(pk=union.pk)


def department_create(
    *,
    actor,
    union: Union,
    name: str,
    remit: str = "",
    order: int = 0,
    enforce_charter: bool = True,
) -> Department:
    name = name.strip()
    if not name:
        raise DomainError(_("The department's name is required."), field="name")
    if name == PRESIDIUM_NAME:
        raise DomainError(_("Every union already has its presidium."), field="name")
    with transaction.atomic():
        lock_union(union)
        if Department.objects.filter(union=union, name=name).exists():
            raise DomainError(
                _("%(union)s already has a department named %(name)s.")
                % {"union": union.name, "name": name},
                field="name",
            )
        if enforce_charter:
            policy.check_department(union=union, name=name, remit=remit)
        department = Department.objects.create(
            union=union, kind=BodyKind.DEPARTMENT, name=name, remit=remit, order=order
        )
        audit_record(
            school=union.school,
            actor=actor,
            action="org.department.created",
            target=department,
            new={"name": name, "remit": remit},
        )
    return department


def department_update_remit(*, actor, department: Department, remit: str) -> Department:
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=department.pk)
        old = department.remit
        if old == remit:
            return department
        policy.check_department(
            union=department.union, name=department.name, remit=remit, department=department
        )
        department.remit = remit
        department.save(update_fields=["remit"])
        audit_record(
            school=department.union.school,
            actor=actor,
            action="org.department.remit_changed",
            target=department,
            old={"remit": old},
            new={"remit": remit},
        )
    return department


# -- memberships ------------------------------------------------------------------------------


def check_title_fits_body(*, title: str, body: Department) -> None:
    if title not in Title.values:
        raise DomainError(_("%(title)s is not an allowed title.") % {"title": title}, field="title")
    if body.is_presidium and title not in PRESIDIUM_TITLES:
        raise DomainError(
            _(
                "The presidium takes executive chair, presidium member, chair or vice-chair, "
                "not %(title)s."
            )
            % {"title": Title(title).label},
            field="title",
        )
    if not body.is_presidium and title in PRESIDIUM_TITLES:
        raise DomainError(
            _("A department takes minister, vice-minister or staff member, not %(title)s.")
            % {"title": Title(title).label},
            field="title",
        )


def membership_create(
    *,
    actor,
    body: Department,
    student: Student,
    title: str,
    start: dt.date,
    end: dt.date | None = None,
    end_reason: str = "",
    source: str = "",
    enforce_charter: bool = True,
) -> Membership:
    """Record a post. Legacy imports pass ``enforce_charter=False`` to load what already exists;
    a breach then shows on the compliance page instead of being refused."""
    union = body.union
    if student.school_id != union.school_id:
        raise DomainError(_("The student belongs to another school."), field="student")
    check_title_fits_body(title=title, body=body)
    if end is not None and end < start:
        raise DomainError(_("The term cannot end before it starts."), field="end")
    with transaction.atomic():
        lock_union(union)
        if enforce_charter and (end is None or end > timezone.localdate()):
            policy.check_membership(body=body, student=student, title=title, day=start)
        if (
            end is None
            and Membership.objects.filter(student=student, union=union, end__isnull=True).exists()
        ):
            raise DomainError(
                _("%(student)s already holds a post in %(union)s.")
                % {"student": student.name, "union": union.name},
                field="student",
            )
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    school=union.school,
                    union=union,
                    body=body,
                    student=student,
                    title=title,
                    start=start,
                    end=end,
                    end_reason=end_reason if end else "",
                    source=source,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("%(student)s already holds a post in %(union)s.")
                % {"student": student.name, "union": union.name},
                field="student",
            ) from exc
        audit_record(
            school=union.school,
            actor=actor,
            action="org.membership.created",
            target=membership,
            new={
                "student": student.student_no,
                "union": union.name,
                "body": body.name,
                "title": title,
                "start": start,
                "end": end,
            },
        )
    return membership


def membership_end(*, actor, membership: Membership, end: dt.date, reason: str) -> Membership:
    if reason not in EndReason.values:
        raise DomainError(_("Choose why the term ends."), field="end_reason")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.end is not None:
            raise DomainError(_("This term has already ended."), field="end")
        if end < membership.start:
            raise DomainError(_("The term cannot end before it starts."), field="end")
        membership.end = end
        membership.end_reason = reason
        membership.save(update_fields=["end", "end_reason"])
        audit_record(
            school=membership.school,
            actor=actor,
            action="org.membership.ended",
            target=membership,
            old={"end": None},
            new={"end": end, "end_reason": reason},
        )
    return membership


# -- role grants ------------------------------------------------------------------------------

_SCOPE_OF_ROLE = {
    Role.LEAGUE_BRANCH: "class_group",
    Role.COLLEGE_LEAGUE: "college",
    Role.COLLEGE_PARTY: "college",
    Role.STUDENT_AFFAIRS: "school",
    Role.SCHOOL_LEAGUE: "school",
    Role.SCHOOL_PARTY: "school",
    Role.SCHOOL_DEPARTMENT: "school",
    Role.FEDERATION: "federation",
    Role.DELEGATE: "union",
}


def role_grant_create(
    *,
    actor,
    user,
    role: str,
    school: School | None,
    college: College | None = None,
    class_group: ClassGroup | None = None,
    union: Union | None = None,
) -> RoleGrant:
    """Give a staff role. Roles that follow from a post come from memberships, not grants."""
    scope = _SCOPE_OF_ROLE.get(role)
    if scope is None:
        raise DomainError(
            _("%(role)s follows from holding a post; record the membership instead.")
            % {"role": Role(role).label if role in Role.values else role},
            field="role",
        )
    needed = {"college": college, "class_group": class_group, "union": union}
    if scope in needed and needed[scope] is None:
        raise DomainError(_("This role needs a %(scope)s.") % {"scope": scope}, field=scope)
    if scope != "federation" and school is None:
        raise DomainError(_("This role needs a school."), field="school")
    with transaction.atomic():
        grant = RoleGrant.objects.create(
            user=user,
            role=role,
            school=school,
            college=college,
            class_group=class_group,
            union=union,
        )
        audit_school = school
        if audit_school is not None:
            audit_record(
                school=audit_school,
                actor=actor,
                action="org.role.granted",
                target=grant,
                new={"user": user.get_username(), "role": role, "scope": str(grant)},
            )
    return grant


def role_grant_revoke(*, actor, grant: RoleGrant) -> RoleGrant:
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
        if grant.revoked_at is not None:
            raise DomainError(_("This role was already revoked."))
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        if grant.school is not None:
            audit_record(
                school=grant.school,
                actor=actor,
                action="org.role.revoked",
                target=grant,
                old={"revoked_at": None},
                new={"revoked_at": grant.revoked_at},
            )
    return grant
