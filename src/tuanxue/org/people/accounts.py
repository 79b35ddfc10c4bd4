"""Logins for the people of a school: created in bulk from the roster with one-time passwords,
linked to a student or staff record, passwords reset by the League committee or changed by
their owner. One-time passwords are only ever returned to the caller, never stored in clear.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.access import build_viewer
from tuanxue.org.models import (
    AccountState,
    ClassGroup,
    College,
    PasswordReason,
    Role,
    RoleGrant,
    StaffPerson,
    Student,
)
from tuanxue.org.people import rules
from tuanxue.org.people.hashers import ALGORITHM
from tuanxue.org.people.services import forbidden

# No 0/o, 1/l/i: the passwords are read off paper and typed on phones.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 10


def one_time_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))


def hash_one_time(raw: str) -> str:
    """The quick hasher when it is configured (see hashers.py), the default otherwise."""
    configured = any(path.endswith(".OneTimePasswordHasher") for path in settings.PASSWORD_HASHERS)
    return make_password(raw, hasher=ALGORITHM if configured else "default")


def school_of_user(user) -> School | None:
    student = Student.objects.filter(user=user).select_related("school").first()
    if student is not None:
        return student.school
    staff = StaffPerson.objects.filter(user=user).select_related("school").first()
    if staff is not None:
        return staff.school
    grant = RoleGrant.objects.filter(user=user, revoked_at__isnull=True, school__isnull=False)
    grant = grant.select_related("school").order_by("school_id").first()
    return grant.school if grant is not None else None


def record_college_id(user) -> int | None:
    student = Student.objects.filter(user=user).first()
    if student is not None:
        return student.college_id
    staff = StaffPerson.objects.filter(user=user).first()
    return staff.college_id if staff is not None else None


def must_change_password(user) -> bool:
    return AccountState.objects.filter(user=user, must_change_password=True).exists()


# -- creating logins in bulk -----------------------------------------------------------------

# Values per IN (...) query: well under SQLite's limit on variables, whatever the school's size.
CHUNK = 2000


def chunks(values: list[str]):
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


@dataclass
class IssuedLogin:
    group: str  # the class (students) or department (staff): one sheet each
    number: str
    name: str
    username: str
    password: str


@dataclass
class AccountsResult:
    people: str  # "students" or "staff"
    logins: list[IssuedLogin] = field(default_factory=list)
    # (number, name) of people whose number is already another account's username.
    taken: list[tuple[str, str]] = field(default_factory=list)
    already: int = 0  # people in scope who already have a login

    @property
    def created(self) -> int:
        return len(self.logins)


def _student_scope(
    school: School, college: College | None, class_group: ClassGroup | None, allowed
) -> Q:
    scope = Q(school=school)
    if class_group is not None:
        if class_group.school_id != school.pk:
            raise DomainError(_("The class belongs to another school."), field="class_group")
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
        scope &= Q(class_group=class_group)
    if college is not None:
        if college.school_id != school.pk:
            raise DomainError(_("The college belongs to another school."), field="college")
        scope &= Q(college=college)
    if allowed is not None:
        wanted = class_group.college_id if class_group else (college.pk if college else None)
        if wanted is None or wanted not in allowed:
            raise forbidden()
    return scope


def accounts_create(
    *,
    actor,
    school: School,
    people: str,
    college: College | None = None,
    class_group: ClassGroup | None = None,
    limit: int | None = None,
) -> AccountsResult:
    """Logins for every student (in a college or class) or every staff member who has none.

    ``limit`` (the page's) refuses a run larger than a web request should take.
    The username is the student or staff number; the account is linked to the record, given a
    one-time password and marked to change it at first login. A number already used as another
    account's username is skipped and reported, never linked blindly.
    """
    allowed = None
    if actor is not None:
        viewer = build_viewer(actor)
        if not rules.may_manage_accounts(viewer, school):
            raise forbidden()
        allowed = rules.account_colleges(viewer, school)
    if people == "students":
        model, number_field, group_of = Student, "student_no", lambda r: r.class_group.name
        scope = _student_scope(school, college, class_group, allowed)
        order = ("college__order", "college__name", "class_group__name", "student_no")
        related = ("class_group",)
    elif people == "staff":
        if allowed is not None:
            raise forbidden()
        model, number_field, group_of = StaffPerson, "staff_no", lambda r: r.unit
        scope, order, related = Q(school=school), ("unit", "staff_no"), ()
    else:
        raise ValueError(people)
    User = get_user_model()
    result = AccountsResult(people=people)
    with transaction.atomic():
        result.already = model.objects.filter(scope, user__isnull=False).count()
        # Lock only the records this run links; a concurrent run waits, then skips them.
        ids = list(
            model.objects.select_for_update()
            .filter(scope, user__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if limit is not None and len(ids) > limit:
            raise DomainError(
                _(
                    "%(count)s people here have no login, more than %(limit)s at once: choose a "
                    "college or a class, or use the command tuanxue accounts create."
                )
                % {"count": len(ids), "limit": limit},
                field="college",
            )
        # The same rows, now locked: read them with their class, in the workbook's order.
        locked = set(ids)
        records = [
            r
            for r in model.objects.filter(scope, user__isnull=True)
            .select_related(*related)
            .order_by(*order)
            if r.pk in locked
        ]
        numbers = [getattr(r, number_field) for r in records]
        taken = set()
        for chunk in chunks(numbers):
            taken |= set(User.objects.filter(username__in=chunk).values_list("username", flat=True))
        fresh = []
        for record in records:
            number = getattr(record, number_field)
            if number in taken:
                result.taken.append((number, record.name))
                continue
            raw = one_time_password()
            user = User(
                username=number,
                first_name=record.name[:150],
                email=getattr(record, "email", "") or "",
                password=hash_one_time(raw),
            )
            fresh.append((record, user))
            result.logins.append(IssuedLogin(group_of(record), number, record.name, number, raw))
        try:
            with transaction.atomic():
                User.objects.bulk_create([user for _, user in fresh], batch_size=500)
        except IntegrityError as exc:
            raise DomainError(
                _("Another run created some of these accounts at the same time; try again.")
            ) from exc
        users = {}
        for chunk in chunks([u.username for _, u in fresh]):
            users.update({u.username: u for u in User.objects.filter(username__in=chunk)})
        for record, user in fresh:
            record.user = users[user.username]
        model.objects.bulk_update([r for r, _ in fresh], ["user"], batch_size=500)
        AccountState.objects.bulk_create(
            [
                AccountState(
                    user=users[u.username],
                    must_change_password=True,
                    reason=PasswordReason.INITIAL,
                )
                for _, u in fresh
            ],
            batch_size=500,
        )
        if fresh or result.taken:
            audit_record(
                school=school,
                actor=actor,
                action="org.accounts.created",
                target=school,
                label=school.name,
                new={
                    "people": people,
                    "college": college.name if college else None,
                    "class": class_group.name if class_group else None,
                    "created": len(fresh),
                    "usernames": [u.username for _, u in fresh],
                    "skipped_taken": [n for n, _ in result.taken],
                },
            )
    return result


def logins_workbook_bytes(result: AccountsResult) -> bytes:
    from tuanxue.org.people.workbook import logins_workbook

    groups: dict[str, list[list[str]]] = {}
    for login in result.logins:
        groups.setdefault(login.group, []).append(
            [login.number, login.name, login.group, login.username, login.password]
        )
    if result.people == "students":
        headers = ["学号", "姓名", "班级", "用户名", "初始密码"]
    else:
        headers = ["工号", "姓名", "部门", "用户名", "初始密码"]
    note = _("Initial password: it must be changed at first login. Hand out, then destroy.")
    return logins_workbook(groups, headers, note)


# -- linking an account to a record ----------------------------------------------------------


def _user_of_school(username: str, school: School):
    """An account by username that belongs to this school (or to no school yet)."""
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None or user.is_superuser:
        return None
    home = school_of_user(user)
    if home is not None and home.pk != school.pk:
        return None
    return user


def find_user(*, school: School, username: str):
    user = _user_of_school(username, school)
    if user is None:
        raise DomainError(
            _("There is no account %(name)s in this school.") % {"name": username},
            field="username",
        )
    return user


def account_link(
    *, actor, school: School, user, student: Student | None = None, staff: StaffPerson | None = None
):
    """Link an account to one student or staff record (moving it off any record it had)."""
    if (student is None) == (staff is None):
        raise DomainError(_("Choose one student or one staff record."), field="record")
    record = student or staff
    if record.school_id != school.pk:
        raise DomainError(_("The record belongs to another school."), field="record")
    if actor is not None:
        viewer = build_viewer(actor)
        allowed = rules.account_colleges(viewer, school)
        if not rules.may_manage_accounts(viewer, school) or (
            allowed is not None
            and (
                student is None
                or student.college_id not in allowed
                or StaffPerson.objects.filter(user=user).exists()
                or Student.objects.filter(user=user).exclude(college_id__in=allowed).exists()
                or not _holds_only_grantable(viewer, user)
            )
        ):
            raise forbidden()
    if user.is_superuser:
        raise DomainError(_("A superuser's account is not linked to a record."), field="username")
    model = Student if student is not None else StaffPerson
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=record.pk)
        if locked.user_id == user.pk:
            raise DomainError(_("The account is already linked to this record."), field="record")
        if locked.user_id is not None:
            raise DomainError(
                _("%(record)s is already linked to another account.") % {"record": locked},
                field="record",
            )
        old_student = Student.objects.filter(user=user).first()
        old_staff = StaffPerson.objects.filter(user=user).first()
        Student.objects.filter(user=user).update(user=None)
        StaffPerson.objects.filter(user=user).update(user=None)
        try:
            with transaction.atomic():
                linked = model.objects.filter(pk=record.pk, user__isnull=True).update(user=user)
        except IntegrityError:
            # The account was linked to another record at the same moment.
            linked = 0
        if linked != 1:
            raise DomainError(
                _("%(record)s is already linked to another account.") % {"record": locked},
                field="record",
            )
        audit_record(
            school=school,
            actor=actor,
            action="org.account.linked",
            target=user,
            label=user.get_username(),
            old={
                "student": old_student.student_no if old_student else None,
                "staff": old_staff.staff_no if old_staff else None,
            },
            new={
                "student": student.student_no if student else None,
                "staff": staff.staff_no if staff else None,
            },
        )
    return locked


# -- passwords -------------------------------------------------------------------------------


def _holds_only_grantable(viewer, user) -> bool:
    """A college League committee acts on an account only when every role it holds is one the
    committee itself could give: never on a school office's account."""
    from tuanxue.org.people.services import grant_college_id

    grants = RoleGrant.objects.filter(user=user, revoked_at__isnull=True).select_related(
        "school", "class_group"
    )
    return all(
        g.school is not None and rules.may_grant(viewer, g.school, g.role, grant_college_id(g))
        for g in grants
    )


def password_reset_by_office(*, actor, school: School, user) -> str:
    """A new one-time password for a user of the school, returned once; the owner must change
    it at the next login. The League committee resets anyone in the school, a college League
    committee the people of its college. Superusers and other schools' users are not reset."""
    if user.is_superuser or school_of_user(user) is None or school_of_user(user).pk != school.pk:
        raise DomainError(
            _("There is no account %(name)s in this school.") % {"name": user.get_username()},
            field="username",
        )
    if RoleGrant.objects.filter(user=user, role=Role.FEDERATION, revoked_at__isnull=True).exists():
        raise forbidden()
    if actor is not None:
        viewer = build_viewer(actor)
        allowed = rules.account_colleges(viewer, school)
        if not rules.may_manage_accounts(viewer, school):
            raise forbidden()
        if allowed is not None and (
            record_college_id(user) not in allowed or not _holds_only_grantable(viewer, user)
        ):
            raise forbidden()
    raw = one_time_password()
    User = get_user_model()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.password = hash_one_time(raw)
        locked.save(update_fields=["password"])
        AccountState.objects.update_or_create(
            user=locked,
            defaults={"must_change_password": True, "reason": PasswordReason.RESET},
        )
        audit_record(
            school=school,
            actor=actor,
            action="org.account.password_reset",
            target=locked,
            label=locked.get_username(),
            new={"by": "office"},
        )
    return raw


def password_change(*, actor, user, password: str, how: str = "changed") -> None:
    """The owner sets their own password (after login, or through an e-mailed link); any
    forced change is then done. ``how`` is "changed" or "email_reset" for the audit log."""
    with transaction.atomic():
        User = get_user_model()
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        user.password = locked.password
        AccountState.objects.filter(user=locked).update(must_change_password=False)
        school = school_of_user(locked)
        if school is not None:
            audit_record(
                school=school,
                actor=actor,
                action=f"org.account.password_{how}",
                target=locked,
                label=locked.get_username(),
                new={"user": locked.get_username()},
            )
