"""Pages of the organisation registry."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render

from tuanxue.org import home_panels, selectors
from tuanxue.org.access import (
    get_college_for_viewer,
    get_school_for_viewer,
    get_student_for_viewer,
    get_union_for_viewer,
    viewer_for,
)
from tuanxue.org.models import ClassGroup, College, Union

PAGE_SIZE = 50


def login_required_page(view):
    """Like Django's login_required, and puts the viewer on the request."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.viewer = viewer_for(request)
        return view(request, *args, **kwargs)

    return wrapper


@login_required_page
def home(request):
    viewer = request.viewer
    if viewer.school is None:
        return render(request, "org/no_school.html", status=200)
    return redirect("org:school_home", school=viewer.school.code)


@login_required_page
def school_home(request, school: str):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    if viewer.sees_all_schools and school_obj.code != request.session.get("school_code"):
        request.session["school_code"] = school_obj.code
        viewer.school = school_obj
    structure = selectors.union_structure(selectors.school_union(school_obj))
    context = {
        "school": school_obj,
        "structure": structure,
        "posts": viewer.posts,
        "schools": (list(school_obj.__class__.objects.all()) if viewer.sees_all_schools else []),
        "panels": home_panels.collect(request, school_obj),
    }
    return render(request, "org/home.html", context)


@login_required_page
def structure(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    union = selectors.school_union(school_obj)
    return render(
        request,
        "org/structure.html",
        {
            "school": school_obj,
            "s": selectors.union_structure(union),
            "college_unions": selectors.college_unions_with_counts(school_obj),
            "can_manage": request.viewer.can_manage_union(union),
        },
    )


@login_required_page
def union_detail(request, school: str, union_id: int):
    union = get_union_for_viewer(union_id, request.viewer)
    if union.school.code != school:
        raise Http404
    return render(
        request,
        "org/union.html",
        {
            "school": union.school,
            "s": selectors.union_structure(union),
            "can_manage": request.viewer.can_manage_union(union),
        },
    )


@login_required_page
def colleges(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    rows = (
        College.objects.filter(school=school_obj)
        .annotate(
            student_count=Count("students", distinct=True),
            class_count=Count("class_groups", distinct=True),
        )
        .select_related("union")
        .order_by("order", "name")
    )
    return render(request, "org/colleges.html", {"school": school_obj, "colleges": rows})


@login_required_page
def college_detail(request, school: str, college_id: int):
    college = get_college_for_viewer(college_id, request.viewer)
    if college.school.code != school:
        raise Http404
    classes = (
        ClassGroup.objects.filter(college=college)
        .select_related("major", "league_branch__secretary")
        .annotate(student_count=Count("students"))
        .order_by("-grade", "name")
    )
    union = Union.objects.filter(college=college).first()
    return render(
        request,
        "org/college.html",
        {"school": college.school, "college": college, "classes": classes, "union": union},
    )


@login_required_page
def students(request, school: str):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    if not viewer.can_see_roster(school_obj):
        raise Http404
    query = (request.GET.get("q") or "").strip()
    rows = viewer.roster_scope(school_obj).select_related("college", "major", "class_group")
    if query:
        rows = rows.filter(
            Q(name__contains=query)
            | Q(student_no__startswith=query)
            | Q(class_group__name__contains=query)
        )
    page = Paginator(rows.order_by("student_no"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/students.html",
        {"school": school_obj, "page": page, "q": query, "total": page.paginator.count},
    )


@login_required_page
def student_detail(request, school: str, student_id: int):
    viewer = request.viewer
    student = get_student_for_viewer(student_id, viewer)
    if student.school.code != school:
        raise Http404
    personal = viewer.can_see_personal(student)
    records = (
        student.academic_records.select_related("semester").order_by("-semester__start")
        if personal
        else []
    )
    return render(
        request,
        "org/student.html",
        {
            "school": student.school,
            "student": student,
            "personal": personal,
            "history": selectors.member_history(student),
            "records": records,
        },
    )
