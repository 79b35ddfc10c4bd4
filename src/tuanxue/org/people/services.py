"""Staff records and role grants: every change checks the actor's right, writes in one
transaction and records its audit event there.

``actor=None`` is the operator at the command line, who may do everything.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record, old_new
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org import services as org_services
from tuanxue.org.access import build_viewer
from tuanxue.org.imports.staff import PHONE, clean_phone
from tuanxue.org.models import ClassGroup, College, Role, RoleGrant, StaffPerson, Student
from tuanxue.org.people import rules


def forbidden() -> DomainError:
    return DomainError(_("You may not make this change."), code="forbidden")


# -- staff records ---------------------------------------------------------------------------

STAFF_FIELDS = ["staff_no", "name", "unit", "position", "phone", "email", "college"]


def _clean_staff(school: School, values: dict) -> dict:
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    labels = {
        "staff_no": _("Staff number"),
        "name": _("Name"),
        "unit": _("Unit"),
    }
    for name, label in labels.items():
        if not values.get(name):
            raise DomainError(_("%(field)s is required.") % {"field": label}, field=name)
    phone = clean_phone(values.get("phone") or "")
    if phone and not PHONE.match(phone):
        raise DomainError(
            _("%(value)s is not a mobile number or an office line such as 020-12345678.")
            % {"value": phone},
            field="phone",
        )
    values["phone"] = phone
    email = (values.get("email") or "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                _("%(value)s is not an e-mail address.") % {"value": email}, field="email"
            ) from None
    values["email"] = email
    college = values.get("college")
    if college is not None and college.school_id != school.pk:
        raise DomainError(_("The college belongs to another school."), field="college")
    return values


def _check_staff_right(actor, school: School) -> None:
    if actor is not None and not rules.may_edit_staff(build_viewer(actor), school):
        raise forbidden()


def staff_create(
    *,
    actor,
    school: School,
    staff_no: str,
    name: str,
    unit: str,
    position: str = "",
    phone: str = "",
    email: str = "",
    college: College | None = None,
) -> StaffPerson:
    _check_staff_right(actor, school)
    values = _clean_staff(
        school,
        {
            "staff_no": staff_no,
            "name": name,
            "unit": unit,
            "position": position,
            "phone": phone,
            "email": email,
            "college": college,
        },
    )
    taken = DomainError(
        _("Staff number %(no)s is already in this school.") % {"no": values["staff_no"]},
        field="staff_no",
    )
    with transaction.atomic():
        if StaffPerson.objects.filter(school=school, staff_no=values["staff_no"]).exists():
            raise taken
        try:
            with transaction.atomic():
                person = StaffPerson.objects.create(school=school, **values)
        except IntegrityError as exc:
            raise taken from exc
        audit_record(
            school=school,
            actor=actor,
            action="org.staff.created",
            target=person,
            new={**values, "college": college.name if college else None},
        )
    return person


def staff_update(*, actor, person: StaffPerson, **changes) -> StaffPerson:
    school = person.school
    _check_staff_right(actor, school)
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise ValueError(f"unknown staff fields {sorted(unknown)}")
    with transaction.atomic():
        person = StaffPerson.objects.select_for_update().get(pk=person.pk)
        current = {name: getattr(person, name) for name in STAFF_FIELDS}
        values = _clean_staff(school, {**current, **changes})
        if (
            values["staff_no"] != person.staff_no
            and StaffPerson.objects.filter(school=school, staff_no=values["staff_no"]).exists()
        ):
            raise DomainError(
                _("Staff number %(no)s is already in this school.") % {"no": values["staff_no"]},
                field="staff_no",
            )
        old, new = old_new(person, STAFF_FIELDS, values)
        if not new:
            return person
        for name, value in new.items():
            setattr(person, name, value)
        person.save(update_fields=list(new))
        if person.user_id and "email" in new:
            get_user_model().objects.filter(pk=person.user_id).update(email=person.email)
        for side in (old, new):
            if "college" in side:
                side["college"] = side["college"].name if side["college"] else None
        audit_record(
            school=school, actor=actor, action="org.staff.updated", target=person, old=old, new=new
        )
    return person


# -- role grants -----------------------------------------------------------------------------


def user_in_school(user, school: School) -> bool:
    """The user has a student or staff record in this school."""
    return (
        Student.objects.filter(school=school, user=user).exists()
        or StaffPerson.objects.filter(school=school, user=user).exists()
    )


def scope_label(grant: RoleGrant) -> str:
    if grant.class_group_id:
        return _("class %(name)s") % {"name": grant.class_group.name}
    if grant.college_id:
        return grant.college.name
    return _("whole school")


def _check_scope(
    *, school: School, role: str, college: College | None, class_group: ClassGroup | None
) -> tuple[College | None, ClassGroup | None]:
    """The scope a role takes, checked against the school. Returns (college, class) to store."""
    if role not in rules.GRANTABLE:
        label = Role(role).label if role in Role.values else role
        raise DomainError(
            _("%(role)s cannot be given here.") % {"role": label},
            field="role",
        )
    scope = rules.scope_of(role)
    if college is not None and college.school_id != school.pk:
        raise DomainError(_("The college belongs to another school."), field="college")
    if class_group is not None and class_group.school_id != school.pk:
        raise DomainError(_("The class belongs to another school."), field="class_group")
    if scope == "school":
        if college is not None or class_group is not None:
            raise DomainError(
                _("%(role)s is a school-level role; choose no college or class.")
                % {"role": Role(role).label},
                field="college",
            )
        return None, None
    if scope == "college":
        if college is None:
            raise DomainError(
                _("%(role)s is given for a college; choose the college.")
                % {"role": Role(role).label},
                field="college",
            )
        if class_group is not None:
            raise DomainError(
                _("%(role)s is given for a whole college; choose no class.")
                % {"role": Role(role).label},
                field="class_group",
            )
        return college, None
    if class_group is None:
        raise DomainError(
            _("%(role)s is given for a class; choose the class.") % {"role": Role(role).label},
            field="class_group",
        )
    if college is not None and class_group.college_id != college.pk:
        raise DomainError(
            _("Class %(class)s belongs to %(real)s, not %(college)s.")
            % {
                "class": class_group.name,
                "real": class_group.college.name,
                "college": college.name,
            },
            field="class_group",
        )
    return None, class_group


def role_grant_give(
    *,
    actor,
    school: School,
    user,
    role: str,
    college: College | None = None,
    class_group: ClassGroup | None = None,
) -> RoleGrant:
    """Give a role in a scope. A second identical grant (even at the same moment) is refused."""
    college, class_group = _check_scope(
        school=school, role=role, college=college, class_group=class_group
    )
    college_id = college.pk if college else (class_group.college_id if class_group else None)
    if actor is not None and not rules.may_grant(build_viewer(actor), school, role, college_id):
        raise forbidden()
    if not user_in_school(user, school):
        raise DomainError(
            _(
                "%(user)s has no student or staff record in this school; add the staff record "
                "and link the account first."
            )
            % {"user": user.get_username()},
            field="user",
        )
    if (
        class_group is not None
        and not Student.objects.filter(user=user, class_group=class_group).exists()
    ):
        raise DomainError(
            _(
                "%(user)s is not a student of class %(class)s; a League branch secretary is one "
                "of the class's students."
            )
            % {"user": user.get_username(), "class": class_group.name},
            field="user",
        )
    duplicate = DomainError(
        _("%(user)s already holds this role there.") % {"user": user.get_username()},
        field="role",
    )
    with transaction.atomic():
        if RoleGrant.objects.filter(
            user=user,
            role=role,
            school=school,
            college=college,
            class_group=class_group,
            union__isnull=True,
            body__isnull=True,
            revoked_at__isnull=True,
        ).exists():
            raise duplicate
        try:
            with transaction.atomic():
                grant = org_services.role_grant_create(
                    actor=actor,
                    user=user,
                    role=role,
                    school=school,
                    college=college,
                    class_group=class_group,
                )
        except IntegrityError as exc:
            raise duplicate from exc
    return grant


def grant_college_id(grant: RoleGrant) -> int | None:
    if grant.college_id:
        return grant.college_id
    if grant.class_group_id:
        return grant.class_group.college_id
    return None


def role_grant_withdraw(*, actor, grant: RoleGrant) -> RoleGrant:
    """Revoke a grant; whoever may give the role may take it back."""
    if actor is not None and not rules.may_grant(
        build_viewer(actor), grant.school, grant.role, grant_college_id(grant)
    ):
        raise forbidden()
    return org_services.role_grant_revoke(actor=actor, grant=grant)
