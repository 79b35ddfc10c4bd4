"""Reads for the people pages: grants in a viewer's scope, grantee search, account counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from tuanxue.core.models import School
from tuanxue.org.models import RoleGrant, StaffPerson, Student

SEARCH_LIMIT = 20


def open_grants(school: School, college_ids: set[int] | None) -> QuerySet[RoleGrant]:
    """Open grants of the school; for a college office only its colleges' and classes'."""
    grants = RoleGrant.objects.filter(school=school, revoked_at__isnull=True).select_related(
        "user", "college", "class_group__college", "user__student", "user__staff_person"
    )
    if college_ids is not None:
        grants = grants.filter(
            Q(college_id__in=college_ids) | Q(class_group__college_id__in=college_ids)
        )
    return grants.order_by("role", "college__name", "class_group__name", "user__username")


@dataclass
class Candidate:
    username: str
    number: str
    name: str
    where: str


def search_people(school: School, query: str, college_ids: set[int] | None) -> list[Candidate]:
    """Students and staff of the school who have a login, by number or name. A college office
    finds the students of its colleges and all the school's staff."""
    query = query.strip()
    if not query:
        return []
    found: list[Candidate] = []
    staff = StaffPerson.objects.filter(school=school, user__isnull=False).filter(
        Q(staff_no__startswith=query) | Q(name__contains=query)
    )
    for person in staff.select_related("user").order_by("staff_no")[:SEARCH_LIMIT]:
        found.append(Candidate(person.user.username, person.staff_no, person.name, person.unit))
    students = Student.objects.filter(school=school, user__isnull=False).filter(
        Q(student_no__startswith=query) | Q(name__contains=query)
    )
    if college_ids is not None:
        students = students.filter(college_id__in=college_ids)
    for student in students.select_related("user", "class_group").order_by("student_no")[
        :SEARCH_LIMIT
    ]:
        found.append(
            Candidate(
                student.user.username, student.student_no, student.name, student.class_group.name
            )
        )
    return found[:SEARCH_LIMIT]


def account_counts(school: School, college_ids: set[int] | None) -> dict:
    """Students with and without a login per college, and staff with and without one."""
    students = Student.objects.filter(school=school)
    if college_ids is not None:
        students = students.filter(college_id__in=college_ids)
    rows = (
        students.values("college__name")
        .annotate(total=Count("pk"), without=Count("pk", filter=Q(user__isnull=True)))
        .order_by("college__name")
    )
    staff = None
    if college_ids is None:
        staff = StaffPerson.objects.filter(school=school).aggregate(
            total=Count("pk"), without=Count("pk", filter=Q(user__isnull=True))
        )
    return {"colleges": list(rows), "staff": staff}


def resolve_person(school: School, text: str):
    """The account named by a username, student number or staff number in this school."""
    text = text.strip()
    student = Student.objects.filter(school=school, student_no=text).select_related("user").first()
    if student is not None and student.user is not None:
        return student.user
    staff = StaffPerson.objects.filter(school=school, staff_no=text).select_related("user").first()
    if staff is not None and staff.user is not None:
        return staff.user
    student = Student.objects.filter(school=school, user__username=text).select_related("user")
    staff_by_user = StaffPerson.objects.filter(school=school, user__username=text)
    hit = student.first() or staff_by_user.select_related("user").first()
    return hit.user if hit is not None else None
