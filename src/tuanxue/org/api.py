"""Read API of the organisation registry: schools, colleges, classes, unions, bodies, posts.

Every endpoint applies the rules of the pages: a record the caller may not see is a 404, and a
student's number is given only to viewers allowed that student's personal data.
"""

from __future__ import annotations

import math

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404
from ninja import Query, Router

from tuanxue.core.api.types import MAX_ID, IsoDate, PathId, PathText
from tuanxue.core.models import School
from tuanxue.org import selectors
from tuanxue.org.access import (
    Viewer,
    api_viewer,
    get_college_for_viewer,
    get_school_for_viewer,
    get_union_for_viewer,
)
from tuanxue.org.api_schemas import (
    BodyOut,
    ClassPage,
    CollegeOut,
    MembershipPage,
    SchoolDetailOut,
    SchoolOut,
    UnionDetailOut,
    UnionOut,
)
from tuanxue.org.models import ClassGroup, College, Membership, Student, Union

PAGE_SIZE = 50

router = Router(tags=["organisation"])

# 400, 401, 403, 404 and 422 (one shape, ``ErrorOut``) are added to every operation that can
# answer them by ``tuanxue.core.api.errors.TuanxueAPI``.

PAGE_QUERY = Query(1, ge=1, description="Page number, from 1; 50 items a page.")
ON_QUERY = Query(None, description="The day the figures are for (YYYY-MM-DD); default today.")
COLLEGE_QUERY = Query(None, ge=1, le=MAX_ID, description="Only the classes of this college (id).")
ACTIVE_QUERY = Query(
    None,
    description=(
        "true: only posts held on the day `on` (default today); false: only posts not held "
        "that day. Left out: every post, unless `on` is given."
    ),
)
HELD_ON_QUERY = Query(
    None, description="The day (YYYY-MM-DD) `active` refers to; alone, it means active=true."
)


# -- helpers -----------------------------------------------------------------------------------


def _page(rows: QuerySet, page: int) -> tuple[list, dict]:
    """One page of ``rows`` and the paging fields: two queries."""
    count = rows.count()
    start = (page - 1) * PAGE_SIZE
    items = list(rows[start : start + PAGE_SIZE]) if start < count else []
    return items, {"count": count, "page": page, "pages": max(1, math.ceil(count / PAGE_SIZE))}


def _choice(code: str, label) -> dict | None:
    return {"code": code, "label": str(label)} if code else None


def _student_ref(viewer: Viewer, student: Student) -> dict:
    personal = viewer.can_see_personal(student)
    return {
        "id": student.pk,
        "name": student.name,
        "student_no": student.student_no if personal else None,
    }


def _named(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _union_row(union: Union, *, staff_total: int, department_count: int) -> dict:
    return {
        "id": union.pk,
        "name": union.name,
        "level": "school" if union.is_school_level else "college",
        "school": union.school.code,
        "college": _named(union.college),
        "staff_total": staff_total,
        "department_count": department_count,
    }


def _memberships(union: Union) -> QuerySet[Membership]:
    """Every post of ``union``, past, present and future, marked like selectors.memberships_on."""
    earlier_college_post = Membership.objects.filter(
        student=OuterRef("student"), union__college__isnull=False, start__lt=OuterRef("start")
    )
    return Membership.objects.filter(union=union).annotate(
        from_college_union=Exists(earlier_college_post)
    )


# -- schools -----------------------------------------------------------------------------------


@router.get(
    "/schools",
    response={200: list[SchoolOut]},
    summary="Schools the caller may see",
    operation_id="school_list",
)
def school_list(request):
    """The federation and superusers see every school; everyone else sees their own."""
    viewer = api_viewer(request)
    if viewer.sees_all_schools:
        return list(School.objects.order_by("code"))
    return [viewer.school] if viewer.school is not None else []


@router.get(
    "/schools/{code}",
    response={200: SchoolDetailOut},
    summary="One school",
    operation_id="school_detail",
)
def school_detail(request, code: PathText):
    school = get_school_for_viewer(code, api_viewer(request))
    union_id = (
        Union.objects.filter(school=school, college__isnull=True).values_list("pk", flat=True)
    ).first()
    return {
        "code": school.code,
        "name": school.name,
        "union_id": union_id,
        "college_count": College.objects.filter(school=school).count(),
        "class_count": ClassGroup.objects.filter(school=school).count(),
        "student_count": Student.objects.filter(school=school).count(),
    }


@router.get(
    "/schools/{code}/colleges",
    response={200: list[CollegeOut]},
    summary="Colleges of a school",
    operation_id="college_list",
)
def college_list(request, code: PathText):
    school = get_school_for_viewer(code, api_viewer(request))
    rows = (
        College.objects.filter(school=school)
        .annotate(
            student_count=Count("students", distinct=True),
            class_count=Count("class_groups", distinct=True),
        )
        .select_related("union")
        .order_by("order", "name")
    )
    out = []
    for college in rows:
        union = getattr(college, "union", None)  # a college may not have its union yet
        out.append(
            {
                "id": college.pk,
                "name": college.name,
                "order": college.order,
                "union_id": union.pk if union is not None else None,
                "class_count": college.class_count,
                "student_count": college.student_count,
            }
        )
    return out


@router.get(
    "/schools/{code}/classes",
    response={200: ClassPage},
    summary="Classes of a school, paged",
    operation_id="class_list",
)
def class_list(
    request,
    code: PathText,
    college: int | None = COLLEGE_QUERY,
    page: int = PAGE_QUERY,
):
    viewer = api_viewer(request)
    school = get_school_for_viewer(code, viewer)
    rows = ClassGroup.objects.filter(school=school)
    if college is not None:
        college_obj = get_college_for_viewer(college, viewer)
        if college_obj.school_id != school.pk:
            raise Http404
        rows = rows.filter(college=college_obj)
    rows = (
        rows.select_related("college", "major")
        .annotate(student_count=Count("students"))
        .order_by("college__order", "college__name", "-grade", "name", "pk")
    )
    items, meta = _page(rows, page)
    return {
        "items": [
            {
                "id": c.pk,
                "name": c.name,
                "grade": c.grade,
                "college": _named(c.college),
                "major": _named(c.major),
                "student_count": c.student_count,
            }
            for c in items
        ],
        **meta,
    }


@router.get(
    "/schools/{code}/unions",
    response={200: list[UnionOut]},
    summary="The school union and the college unions, with staff counts",
    operation_id="union_list",
)
def union_list(request, code: PathText, on: IsoDate | None = ON_QUERY):
    school = get_school_for_viewer(code, api_viewer(request))
    day = on or selectors.today()
    out = []
    school_union = Union.objects.filter(school=school, college__isnull=True).first()
    if school_union is not None:
        school_union.school = school
        structure = selectors.union_structure(school_union, day)
        out.append(
            _union_row(
                school_union,
                staff_total=structure.staff_total,
                department_count=structure.department_count,
            )
        )
    for union in selectors.college_unions_with_counts(school, day):
        union.school = school
        out.append(
            _union_row(
                union, staff_total=union.staff_total, department_count=union.department_count
            )
        )
    return out


# -- unions ------------------------------------------------------------------------------------


@router.get(
    "/unions/{union_id}",
    response={200: UnionDetailOut},
    summary="One union with its figures",
    operation_id="union_detail",
)
def union_detail(request, union_id: PathId, on: IsoDate | None = ON_QUERY):
    viewer = api_viewer(request)
    union = get_union_for_viewer(union_id, viewer)
    s = selectors.union_structure(union, on)
    chair = s.executive_chair
    if chair is not None and chair.student.school_id == union.school_id:
        chair.student.school = union.school  # spares a query in can_see_personal
    return {
        **_union_row(union, staff_total=s.staff_total, department_count=s.department_count),
        "on": s.day,
        "presidium_size": s.presidium_size,
        "from_college_unions": s.from_college_unions,
        "from_college_unions_ratio": s.from_college_unions_ratio,
        "executive_chair": _student_ref(viewer, chair.student) if chair else None,
    }


@router.get(
    "/unions/{union_id}/departments",
    response={200: list[BodyOut]},
    summary="The presidium and the departments of a union",
    operation_id="union_departments",
)
def union_departments(request, union_id: PathId, on: IsoDate | None = ON_QUERY):
    """The presidium first, then the departments; member counts are for the day ``on``."""
    union = get_union_for_viewer(union_id, api_viewer(request))
    s = selectors.union_structure(union, on)
    views = ([s.presidium] if s.presidium else []) + s.departments
    return [
        {
            "id": v.body.pk,
            "name": v.body.name,
            "kind": _choice(v.body.kind, v.body.get_kind_display()),
            "remit": v.body.remit,
            "order": v.body.order,
            "member_count": v.size,
            "head_count": len(v.heads),
        }
        for v in views
    ]


@router.get(
    "/unions/{union_id}/memberships",
    response={200: MembershipPage},
    summary="Posts in a union, paged",
    operation_id="union_memberships",
)
def union_memberships(
    request,
    union_id: PathId,
    active: bool | None = ACTIVE_QUERY,
    on: IsoDate | None = HELD_ON_QUERY,
    page: int = PAGE_QUERY,
):
    viewer = api_viewer(request)
    union = get_union_for_viewer(union_id, viewer)
    if on is not None and active is None:
        active = True
    rows = _memberships(union)
    if active is not None:
        held = selectors.active_on(on or selectors.today())
        rows = rows.filter(held) if active else rows.exclude(held)
    rows = rows.select_related("body", "student__school").order_by(
        "body__order", "body__name", "-start", "student__student_no", "pk"
    )
    items, meta = _page(rows, page)
    return {
        "items": [
            {
                "id": m.pk,
                "union": m.union_id,
                "body": _named(m.body),
                "title": _choice(m.title, m.get_title_display()),
                "start": m.start,
                "end": m.end,
                "end_reason": _choice(m.end_reason, m.get_end_reason_display()),
                "from_college_union": m.from_college_union,
                "student": _student_ref(viewer, m.student),
            }
            for m in items
        ],
        **meta,
    }
