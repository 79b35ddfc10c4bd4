"""Reads used by the pages, the API and (later) documents. Each bounds its query count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tuanxue.core.models import School
from tuanxue.org.models import (
    HEAD_TITLES,
    BodyKind,
    College,
    Department,
    Membership,
    RotationSlot,
    Student,
    Title,
    Union,
)


def today() -> dt.date:
    return timezone.localdate()


def active_on(day: dt.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


def memberships_on(union: Union, day: dt.date) -> QuerySet[Membership]:
    """The posts held in ``union`` on ``day``, each marked with ``from_college_union``."""
    earlier_college_post = Membership.objects.filter(
        student=OuterRef("student"), union__college__isnull=False, start__lt=OuterRef("start")
    )
    return (
        Membership.objects.filter(union=union)
        .filter(active_on(day))
        .select_related("student", "student__college", "body")
        .annotate(from_college_union=Exists(earlier_college_post))
        .order_by("body__order", "body__name", "title", "student__student_no")
    )


TITLE_ORDER = {t: i for i, t in enumerate(Title.values)}


@dataclass
class BodyView:
    body: Department
    heads: list[Membership] = field(default_factory=list)
    staff: list[Membership] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class UnionStructure:
    union: Union
    day: dt.date
    presidium: BodyView | None
    departments: list[BodyView]
    executive_chair: Membership | None

    @property
    def members(self) -> list[Membership]:
        out = list(self.presidium.members) if self.presidium else []
        for d in self.departments:
            out.extend(d.members)
        return out

    @property
    def staff_total(self) -> int:
        return len(self.members)

    @property
    def presidium_size(self) -> int:
        return self.presidium.size if self.presidium else 0

    @property
    def department_count(self) -> int:
        return len(self.departments)

    @property
    def from_college_unions(self) -> int:
        return sum(1 for m in self.members if m.from_college_union)

    @property
    def from_college_unions_ratio(self) -> float:
        total = self.staff_total
        return round(self.from_college_unions / total, 4) if total else 0.0

    @property
    def from_college_unions_percent(self) -> str:
        """The share as the report writes it: 0.6774 → 67.74%."""
        return f"{self.from_college_unions_ratio * 100:.2f}%"


def union_structure(union: Union, day: dt.date | None = None) -> UnionStructure:
    """Presidium, departments, heads and staff of ``union`` on ``day``: four queries."""
    return union_structures([union], day)[0]


def union_structures(unions: list[Union], day: dt.date | None = None) -> list[UnionStructure]:
    """``union_structure`` of each union, in the same six queries however many unions."""
    day = day or today()
    if not unions:
        return []
    ids = [u.pk for u in unions]
    views_of: dict[int, dict[int, BodyView]] = {pk: {} for pk in ids}
    for b in Department.objects.filter(union_id__in=ids).order_by("order", "name"):
        views_of[b.union_id][b.pk] = BodyView(body=b)
    titled_chair: dict[int, Membership] = {}
    by_id = {u.pk: u for u in unions}
    posts = list(memberships_in(ids, day))
    # The students by their keys, apart: joined to the posts of a whole province, PostgreSQL
    # would scan every student instead of looking up the few thousand holding a post. Each
    # body and college is one object shared by its members, not one per member.
    students = Student.objects.filter(pk__in={m.student_id for m in posts}).order_by()
    colleges = {
        c.pk: c for c in College.objects.filter(school_id__in={u.school_id for u in unions})
    }
    holders = {}
    for student in students:
        student.college = colleges[student.college_id]
        holders[student.pk] = student
    for m in posts:
        m.student = holders[m.student_id]
        m.body = views_of[m.union_id][m.body_id].body
    posts.sort(key=lambda m: (m.body.order, m.body.name, m.title, m.student.student_no))
    for m in posts:
        m.union = by_id[m.union_id]  # the union at hand, not one query per member
        view = views_of[m.union_id][m.body_id]
        view.members.append(m)
        if m.title in HEAD_TITLES:
            view.heads.append(m)
        elif m.title == Title.STAFF:
            view.staff.append(m)
        if m.title == Title.EXECUTIVE_CHAIR:
            titled_chair[m.union_id] = m
    rotating = set(
        RotationSlot.objects.filter(union_id__in=ids)
        .order_by()
        .values_list("union_id", flat=True)
        .distinct()
    )
    current: dict[int, int] = {}
    if rotating:
        for union_id, membership_id in RotationSlot.objects.filter(
            union_id__in=list(rotating), semester__start__lte=day, semester__end__gte=day
        ).values_list("union_id", "membership_id"):
            current.setdefault(union_id, membership_id)
    out = []
    for union in unions:
        views = views_of[union.pk]
        chair = titled_chair.get(union.pk)
        if union.pk in rotating:
            chair = None
            if union.pk in current:
                chair = next(
                    (
                        m
                        for view in views.values()
                        for m in view.members
                        if m.pk == current[union.pk]
                    ),
                    None,
                )
        for view in views.values():
            view.members.sort(key=lambda m: (TITLE_ORDER[m.title], m.student.student_no))
            view.heads.sort(key=lambda m: (TITLE_ORDER[m.title], m.student.student_no))
        presidium = next((v for v in views.values() if v.body.kind == BodyKind.PRESIDIUM), None)
        departments = [v for v in views.values() if v.body.kind == BodyKind.DEPARTMENT]
        out.append(
            UnionStructure(
                union=union,
                day=day,
                presidium=presidium,
                departments=departments,
                executive_chair=chair,
            )
        )
    return out


def memberships_in(union_ids: list[int], day: dt.date) -> QuerySet[Membership]:
    """``memberships_on`` for several unions at once, without their students and bodies (nor
    an order)."""
    earlier_college_post = Membership.objects.filter(
        student=OuterRef("student"), union__college__isnull=False, start__lt=OuterRef("start")
    )
    return (
        Membership.objects.filter(union_id__in=union_ids)
        .filter(active_on(day))
        .annotate(from_college_union=Exists(earlier_college_post))
        .order_by()
    )


def school_union(school: School) -> Union:
    return Union.objects.select_related("school").get(school=school, college__isnull=True)


def college_unions_with_counts(school: School, day: dt.date | None = None) -> QuerySet[Union]:
    day = day or today()
    open_posts = Q(memberships__start__lte=day) & (
        Q(memberships__end__isnull=True) | Q(memberships__end__gt=day)
    )
    return (
        Union.objects.filter(school=school, college__isnull=False)
        .select_related("college")
        .annotate(
            staff_total=Count("memberships", filter=open_posts, distinct=True),
            department_count=Count(
                "bodies", filter=Q(bodies__kind=BodyKind.DEPARTMENT), distinct=True
            ),
        )
        .order_by("college__order", "college__name")
    )


def member_history(student) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(student=student)
        .select_related("union", "body")
        .order_by("-start", "union__name")
    )
