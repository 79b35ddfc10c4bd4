"""Who may see and change what.

A ``Viewer`` gathers, once per request, what the acting user is: their school, their student or
staff record, their role grants and the posts they hold. Predicates answer "may this viewer see /
change this record"; fetch-and-authorise helpers turn the answer into 404 (may not see) or 403
(may see, may not change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.models import (
    HEAD_TITLES,
    PRESIDIUM_TITLES,
    College,
    Department,
    Membership,
    Role,
    RoleGrant,
    RotationSlot,
    StaffPerson,
    Student,
    Title,
    Union,
)

# Roles whose holders look after the whole school and need students' personal data.
SCHOOL_OFFICES = {Role.STUDENT_AFFAIRS, Role.SCHOOL_LEAGUE, Role.SCHOOL_PARTY}
# Roles that may change the registry (import, edit structure).
REGISTRY_MANAGERS = {Role.STUDENT_AFFAIRS, Role.SCHOOL_LEAGUE}
COLLEGE_OFFICES = {Role.COLLEGE_LEAGUE, Role.COLLEGE_PARTY}


@dataclass
class Viewer:
    user: object
    school: School | None
    student: Student | None = None
    staff: object | None = None
    grants: list[RoleGrant] = field(default_factory=list)
    posts: list[Membership] = field(default_factory=list)

    # -- who they are -------------------------------------------------------------------------

    @property
    def is_superuser(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))

    @cached_property
    def roles(self) -> set[str]:
        roles = {g.role for g in self.grants}
        if self.student is not None:
            roles.add(Role.STUDENT)
        for post in self.posts:
            roles.add(Role.UNION_MEMBER)
            if post.title in HEAD_TITLES:
                roles.add(Role.DEPARTMENT_HEAD)
            if post.title in PRESIDIUM_TITLES:
                roles.add(Role.PRESIDIUM_MEMBER)
            if post.title == Title.EXECUTIVE_CHAIR:
                roles.add(Role.EXECUTIVE_CHAIR)
        return roles

    @property
    def role_labels(self) -> list[str]:
        return [str(label) for value, label in Role.choices if value in self.roles]

    @property
    def is_federation(self) -> bool:
        return Role.FEDERATION in self.roles

    @property
    def sees_all_schools(self) -> bool:
        return self.is_superuser or self.is_federation

    def belongs_to(self, school: School) -> bool:
        """One of the school's people: a student or staff member of it, or the holder of one of
        its roles. Not the same as ``self.school``, which for the federation is whichever school
        it opened last: the federation reads every school but belongs to none."""
        if self.is_superuser:
            return True
        if self.student is not None and self.student.school_id == school.pk:
            return True
        if self.staff is not None and self.staff.school_id == school.pk:
            return True
        return any(g.school_id == school.pk for g in self.grants)

    @property
    def belongs_to_own_school(self) -> bool:
        """Whether the school the viewer is looking at is theirs (see ``belongs_to``)."""
        return self.school is not None and self.belongs_to(self.school)

    def grants_for(self, *roles: str) -> list[RoleGrant]:
        return [g for g in self.grants if g.role in roles]

    def has_school_office(self, school: School, roles=SCHOOL_OFFICES) -> bool:
        if self.is_superuser:
            return True
        return any(g.school_id == school.pk for g in self.grants_for(*roles))

    def is_league_committee(self, school: School) -> bool:
        """The school League committee (校团委): the one definition every app uses."""
        return self.has_school_office(school, {Role.SCHOOL_LEAGUE})

    def guides_union(self, union: Union) -> bool:
        """The League committee that guides a union: the school's, and for a college union also
        that college's League committee."""
        if self.is_league_committee(union.school):
            return True
        return union.college_id is not None and any(
            g.college_id == union.college_id for g in self.grants_for(Role.COLLEGE_LEAGUE)
        )

    def college_office_ids(self) -> set[int]:
        return {g.college_id for g in self.grants_for(*COLLEGE_OFFICES) if g.college_id}

    def branch_class_ids(self) -> set[int]:
        return {g.class_group_id for g in self.grants_for(Role.LEAGUE_BRANCH) if g.class_group_id}

    # -- what they may see --------------------------------------------------------------------

    @property
    def may_list_students(self) -> bool:
        return self.school is not None and self.can_see_roster(self.school)

    @property
    def may_manage(self) -> bool:
        return self.school is not None and self.can_manage_registry(self.school)

    @property
    def may_assess(self) -> bool:
        """See the self-assessment report: the school offices and the federation."""
        return self.school is not None and (
            self.is_federation or self.has_school_office(self.school)
        )

    @property
    def may_decide_resignations(self) -> bool:
        """Presidium members and the League committee confirm resignations."""
        if self.school is None:
            return False
        return Role.PRESIDIUM_MEMBER in self.roles or bool(self.grants_for(Role.SCHOOL_LEAGUE))

    @property
    def may_audit(self) -> bool:
        return self.school is not None and self.can_see_audit(self.school)

    def can_see_school(self, school: School) -> bool:
        return self.sees_all_schools or (self.school is not None and self.school.pk == school.pk)

    def can_manage_registry(self, school: School) -> bool:
        return self.has_school_office(school, REGISTRY_MANAGERS)

    def can_manage_union(self, union: Union) -> bool:
        """Change a union's departments and posts: the school's registry managers, and for a
        college union also that college's League committee."""
        if self.can_manage_registry(union.school):
            return True
        return union.college_id is not None and any(
            g.college_id == union.college_id for g in self.grants_for(Role.COLLEGE_LEAGUE)
        )

    def can_see_audit(self, school: School) -> bool:
        return self.is_federation or self.has_school_office(school)

    def can_see_roster(self, school: School) -> bool:
        """May list students (with their personal data, within their scope)."""
        return (
            self.has_school_office(school)
            or bool(self.college_office_ids())
            or bool(self.branch_class_ids())
        )

    def can_see_personal(self, student: Student) -> bool:
        """Political status, phone, gender and academic standing."""
        if self.student is not None and self.student.pk == student.pk:
            return True
        if self.has_school_office(student.school):
            return True
        if student.college_id in self.college_office_ids():
            return True
        return student.class_group_id in self.branch_class_ids()

    def can_see_student(self, student: Student) -> bool:
        """The public card of a student: everyone in the school sees a union member's card."""
        if not self.can_see_school(student.school):
            return False
        if self.can_see_personal(student):
            return True
        return student.memberships.exists()

    def roster_scope(self, school: School) -> QuerySet[Student]:
        """The students whose records this viewer may list."""
        students = Student.objects.filter(school=school)
        if self.has_school_office(school):
            return students
        scope = Q(pk__in=[])
        if colleges := self.college_office_ids():
            scope |= Q(college_id__in=colleges)
        if classes := self.branch_class_ids():
            scope |= Q(class_group_id__in=classes)
        return students.filter(scope)


def build_viewer(user, school: School | None = None) -> Viewer:
    """The viewer of a user. Within a request, services given ``actor=request.user`` get the
    request's own viewer back (built once by ``viewer_for``) instead of rebuilding it."""
    request_viewer = getattr(user, "_tuanxue_request_viewer", None)
    if request_viewer is not None and (
        school is None or not request_viewer.sees_all_schools or request_viewer.school == school
    ):
        return request_viewer
    if user is None or not user.is_authenticated:
        return Viewer(user=user, school=None)
    student = Student.objects.select_related("school").filter(user=user).first()
    staff = getattr(user, "staff_person", None) if hasattr(user, "staff_person") else None
    grants = list(RoleGrant.objects.filter(user=user, revoked_at__isnull=True))
    own_school = None
    if student is not None:
        own_school = student.school
    elif staff is not None:
        own_school = staff.school
    else:
        school_ids = {g.school_id for g in grants if g.school_id}
        if len(school_ids) >= 1:
            own_school = School.objects.filter(pk=min(school_ids)).first()
    posts = []
    if student is not None:
        posts = list(
            Membership.objects.filter(student=student, end__isnull=True).select_related(
                "union", "body"
            )
        )
    viewer = Viewer(
        user=user, school=own_school, student=student, staff=staff, grants=grants, posts=posts
    )
    _executive_chair_from_rotation(viewer)
    if viewer.sees_all_schools and school is not None:
        viewer.school = school
    elif viewer.sees_all_schools and viewer.school is None:
        viewer.school = School.objects.order_by("code").first()
    return viewer


def _executive_chair_from_rotation(viewer: Viewer) -> None:
    """The executive chair is whoever holds the rotation slot of the semester containing today
    (so the role changes hands on the semester's first day). The title "executive chair" gives
    the role only in a union that has no rotation slot at all. Two queries, only for a viewer
    with a presidium post."""
    presidium = [p for p in viewer.posts if p.title in PRESIDIUM_TITLES]
    if not presidium:
        return
    union_ids = {p.union_id for p in presidium}
    today = timezone.localdate()
    rotating = set(
        RotationSlot.objects.filter(union_id__in=union_ids)
        .values_list("union_id", flat=True)
        .distinct()
    )
    chairing = set()
    if rotating:
        chairing = set(
            RotationSlot.objects.filter(
                union_id__in=rotating,
                membership_id__in=[p.pk for p in presidium],
                semester__start__lte=today,
                semester__end__gte=today,
            ).values_list("membership_id", flat=True)
        )
    is_chair = any(p.pk in chairing for p in presidium) or any(
        p.title == Title.EXECUTIVE_CHAIR and p.union_id not in rotating for p in presidium
    )
    roles = viewer.roles  # computed once and cached on the viewer; adjusted here
    if is_chair:
        roles.add(Role.EXECUTIVE_CHAIR)
    elif not viewer.grants_for(Role.EXECUTIVE_CHAIR):
        roles.discard(Role.EXECUTIVE_CHAIR)


def student_of(actor, school: School | None = None) -> Student | None:
    """The student record of a user or a viewer (in ``school`` if given): the one definition.
    Cheap: a request's viewer already holds it, and a user caches its reverse one-to-one."""
    if isinstance(actor, Viewer):
        student = actor.student
    elif actor is None or not getattr(actor, "is_authenticated", False):
        return None
    elif (request_viewer := getattr(actor, "_tuanxue_request_viewer", None)) is not None:
        student = request_viewer.student
    else:
        try:
            student = actor.student
        except ObjectDoesNotExist:
            return None
    if student is None or (school is not None and student.school_id != school.pk):
        return None
    return student


def as_viewer(actor) -> Viewer:
    """The viewer of an actor that is a user or already a viewer."""
    return actor if isinstance(actor, Viewer) else build_viewer(actor)


def is_league_committee(actor, school: School) -> bool:
    """For services: the operator (``actor=None``) or the school League committee."""
    return actor is None or as_viewer(actor).is_league_committee(school)


def require_league_committee(actor, school: School) -> None:
    if not is_league_committee(actor, school):
        raise DomainError(_("Only the school League committee may do this."), code="forbidden")


def user_for_campus_id(campus_id: str, school_code: str = ""):
    """The account linked to the student or staff record whose number is ``campus_id`` (in the
    school with ``school_code``, or in the only school that has such a record)."""
    students = Student.objects.filter(student_no=campus_id, user__isnull=False)
    staff = StaffPerson.objects.filter(staff_no=campus_id, user__isnull=False)
    if school_code:
        students = students.filter(school__code=school_code)
        staff = staff.filter(school__code=school_code)
    users = [s.user for s in students.select_related("user")[:2]]
    users += [s.user for s in staff.select_related("user")[:2]]
    return users[0] if len(users) == 1 else None


def api_viewer(request) -> Viewer:
    """The API caller's viewer, built once per request from the token's user; services called
    with ``actor=request.auth`` reuse it."""
    viewer = getattr(request, "_api_viewer", None)
    if viewer is None:
        viewer = build_viewer(request.auth)
        request._api_viewer = viewer
        if getattr(request.auth, "is_authenticated", False):
            request.auth._tuanxue_request_viewer = viewer
    return viewer


def viewer_for(request) -> Viewer:
    """The request's viewer, built once per request."""
    cached = getattr(request, "_tuanxue_viewer", None)
    if cached is not None:
        return cached
    school = None
    code = request.session.get("school_code") if hasattr(request, "session") else None
    if code:
        school = School.objects.filter(code=code).first()
    viewer = build_viewer(request.user, school)
    request._tuanxue_viewer = viewer
    if getattr(request.user, "is_authenticated", False):
        # services called with actor=request.user reuse it (see build_viewer)
        request.user._tuanxue_request_viewer = viewer
    return viewer


# -- fetch-and-authorise helpers -------------------------------------------------------------


def ensure_school_code(school: School, code: str) -> None:
    """A record reached under another school's URL is not found there."""
    if school.code != code:
        raise Http404


def get_school_for_viewer(code: str, viewer: Viewer, *, write: bool = False) -> School:
    school = School.objects.filter(code=code).first()
    if school is None or not viewer.can_see_school(school):
        raise Http404
    if write and not viewer.can_manage_registry(school):
        raise PermissionDenied
    return school


def get_union_for_viewer(union_id: int, viewer: Viewer, *, write: bool = False) -> Union:
    union = Union.objects.select_related("school", "college").filter(pk=union_id).first()
    if union is None or not viewer.can_see_school(union.school):
        raise Http404
    if write and not viewer.can_manage_union(union):
        raise PermissionDenied
    return union


def get_body_for_viewer(body_id: int, viewer: Viewer, *, write: bool = False) -> Department:
    body = (
        Department.objects.select_related("union__school", "union__college")
        .filter(pk=body_id)
        .first()
    )
    if body is None or not viewer.can_see_school(body.union.school):
        raise Http404
    if write and not viewer.can_manage_union(body.union):
        raise PermissionDenied
    return body


def get_membership_for_viewer(
    membership_id: int, viewer: Viewer, *, write: bool = False
) -> Membership:
    membership = (
        Membership.objects.select_related("union__school", "union__college", "body", "student")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None or not viewer.can_see_school(membership.union.school):
        raise Http404
    if write and not viewer.can_manage_union(membership.union):
        raise PermissionDenied
    return membership


def get_college_for_viewer(college_id: int, viewer: Viewer) -> College:
    college = College.objects.select_related("school").filter(pk=college_id).first()
    if college is None or not viewer.can_see_school(college.school):
        raise Http404
    return college


def get_student_for_viewer(student_id: int, viewer: Viewer, *, write: bool = False) -> Student:
    student = (
        Student.objects.select_related("school", "college", "major", "class_group")
        .filter(pk=student_id)
        .first()
    )
    if student is None or not viewer.can_see_student(student):
        raise Http404
    if write and not viewer.can_manage_registry(student.school):
        raise PermissionDenied
    return student
