"""Who may see and do what with demands.

``VoiceRights`` is built once per request from the viewer: the departments whose staff the user
is, whether they are a designated voice officer, the League committee, union staff. One home for
each rule; views, API, templates and services use these predicates.

The identity of a confidential demand's student is never shown by these pages to anyone but the
student; a voice officer sees it only through ``identity_reveal`` (audited, with a reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tuanxue.core.models import School
from tuanxue.org.access import Viewer, build_viewer
from tuanxue.org.models import Role
from tuanxue.voice.models import (
    AnsweringDepartment,
    Demand,
    DemandStatus,
    DepartmentKind,
    DepartmentStaff,
    VoiceOfficer,
)

DEMAND_RELATED = ("school", "category", "department", "reception_day", "student", "answered_by")


@dataclass
class VoiceRights:
    viewer: Viewer
    school: School
    department_ids: set[int] = field(default_factory=set)
    student_affairs: bool = False  # staff of the first escalation department
    leader: bool = False  # staff of the second escalation department
    officer: bool = False
    league: bool = False
    oversight: bool = False  # school offices that read every demand (without identities)

    @property
    def user(self):
        return self.viewer.user

    @property
    def student(self):
        s = self.viewer.student
        return s if s is not None and s.school_id == self.school.pk else None

    @property
    def is_department_staff(self) -> bool:
        return bool(self.department_ids) or self.student_affairs or self.leader

    @property
    def union_staff(self) -> bool:
        return any(p.union.school_id == self.school.pk for p in self.viewer.posts)

    @property
    def may_record(self) -> bool:
        """Record demands at a reception-day desk: union staff and the League committee."""
        return self.union_staff or self.league or self.officer

    @property
    def may_configure(self) -> bool:
        return self.league

    @property
    def sees_all(self) -> bool:
        return self.officer or self.league or self.oversight

    # -- a single demand ------------------------------------------------------------------

    def is_owner(self, demand: Demand) -> bool:
        return self.student is not None and demand.student_id == self.student.pk

    def is_supporter(self, demand: Demand) -> bool:
        if self.student is None:
            return False
        return demand.supporter_rows.filter(student=self.student).exists()

    def handles(self, demand: Demand) -> bool:
        """Staff of the department the demand is with, or of the escalation it reached."""
        if demand.department_id in self.department_ids:
            return True
        if self.student_affairs and demand.escalation >= 1:
            return True
        return self.leader and demand.escalation >= 2

    def may_see(self, demand: Demand) -> bool:
        if demand.school_id != self.school.pk:
            return False
        if self.sees_all or self.is_owner(demand) or self.handles(demand):
            return True
        if self.recorded(demand):
            return True
        return self.is_supporter(demand)

    def recorded(self, demand: Demand) -> bool:
        """The union staff member who recorded it at the desk."""
        user_id = getattr(self.user, "pk", None)
        return user_id is not None and demand.recorded_by_id == user_id

    def sees_identity(self, demand: Demand) -> bool:
        """The student's name and number on the page: the student, and for a demand that is
        not confidential, those who handle or oversee it."""
        if demand.student_id is None:
            return False
        if self.is_owner(demand):
            return True
        if demand.confidential:
            return False
        return self.sees_all or self.handles(demand) or self.recorded(demand)

    # The role predicates (``*_role``) say who may act at all: a refusal is a 403. The others
    # add the demand's state, to offer the action on the page; a state refusal is a message.

    def answers_for(self, demand: Demand) -> bool:
        return demand.department_id in self.department_ids

    def may_answer(self, demand: Demand) -> bool:
        return demand.status == DemandStatus.OPEN and self.answers_for(demand)

    def may_forward_role(self, demand: Demand) -> bool:
        return self.handles(demand) or self.officer or self.league

    def may_forward(self, demand: Demand) -> bool:
        return demand.status == DemandStatus.OPEN and self.may_forward_role(demand)

    def may_merge_role(self, demand: Demand) -> bool:
        return self.officer or self.league or self.answers_for(demand)

    def may_merge(self, demand: Demand) -> bool:
        return demand.status == DemandStatus.OPEN and self.may_merge_role(demand)

    def may_rate(self, demand: Demand) -> bool:
        return demand.status == DemandStatus.ANSWERED and self.is_owner(demand)

    def may_reveal(self, demand: Demand) -> bool:
        return self.officer and demand.confidential and demand.student_id is not None

    def may_report(self, demand: Demand) -> bool:
        if demand.status in (DemandStatus.REMOVED, DemandStatus.MERGED):
            return False
        return self.handles(demand) or self.officer or self.league or self.union_staff

    @property
    def may_decide_abuse(self) -> bool:
        return self.league


def rights_for(viewer: Viewer, school: School) -> VoiceRights:
    user = viewer.user
    rights = VoiceRights(viewer=viewer, school=school)
    if user is None or not getattr(user, "is_authenticated", False):
        return rights
    links = DepartmentStaff.objects.filter(
        staff__user=user, department__school=school, department__active=True
    ).values_list("department_id", "department__kind")
    for dept_id, kind in links:
        if kind == DepartmentKind.STUDENT_AFFAIRS:
            rights.student_affairs = True
        elif kind == DepartmentKind.LEADER:
            rights.leader = True
        rights.department_ids.add(dept_id)
    rights.officer = VoiceOfficer.objects.filter(school=school, user=user).exists()
    rights.league = viewer.is_superuser or any(
        g.school_id == school.pk for g in viewer.grants_for(Role.SCHOOL_LEAGUE)
    )
    rights.oversight = any(
        g.school_id == school.pk for g in viewer.grants_for(Role.STUDENT_AFFAIRS, Role.SCHOOL_PARTY)
    )
    return rights


def rights_for_user(user, school: School) -> VoiceRights:
    return rights_for(build_viewer(user), school)


def get_demand_for_rights(demand_id: int, rights: VoiceRights) -> Demand:
    """The demand or 404 when the viewer may not see it."""
    demand = (
        Demand.objects.select_related(*DEMAND_RELATED)
        .filter(pk=demand_id, school=rights.school)
        .first()
    )
    if demand is None or not rights.may_see(demand):
        raise Http404
    return demand


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def departments_of(school: School, *, kinds=None) -> list[AnsweringDepartment]:
    qs = AnsweringDepartment.objects.filter(school=school, active=True)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return list(qs.order_by("order", "name"))
