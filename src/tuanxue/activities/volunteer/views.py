"""Pages of the volunteer projects: the list, a project with its roles and the sign-up buttons,
my sign-ups with withdrawal, and the organisers' pages (create, sign-ups per role, lottery,
review, close)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Sum, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuanxue.activities.models import (
    ACTIVE_SIGNUP,
    Activity,
    ActivityStatus,
    ProjectStatus,
    Signup,
    SignupMode,
    SignupStatus,
    VolunteerProject,
)
from tuanxue.activities.volunteer import signup as services
from tuanxue.activities.volunteer.access import (
    PROJECT_RELATED,
    get_activity_for_viewer,
    get_project_for_viewer,
    get_signup_for_viewer,
    may_manage_activity,
    may_manage_project,
)
from tuanxue.activities.volunteer.forms import CloseForm, DrawForm, ProjectForm, RoleFormSet
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refusal_text
from tuanxue.org.access import get_school_for_viewer, student_of
from tuanxue.org.views import login_required_page

MANAGED_LIMIT = 50


def _project(request, school: str, project_id: int, *, write: bool = False) -> VolunteerProject:
    project = get_project_for_viewer(project_id, request.viewer, write=write)
    if project.school.code != school:
        raise Http404
    return project


def _with_places(rows):
    return rows.annotate(places=Sum("roles__slots"), places_taken=Sum("roles__taken"))


# -- students ------------------------------------------------------------------------------


@login_required_page
def projects(request, school: str):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    now = timezone.now()
    student = student_of(request.user, school_obj)
    open_rows = VolunteerProject.objects.filter(
        school=school_obj,
        activity__status=ActivityStatus.PUBLISHED,
        status=ProjectStatus.RECRUITING,
        closes_at__gt=now,
    )
    mine: dict[int, Signup] = {}
    if student is not None:
        through = VolunteerProject.from_classes.through
        restricted = Exists(through.objects.filter(volunteerproject_id=OuterRef("pk")))
        includes_mine = Exists(
            through.objects.filter(
                volunteerproject_id=OuterRef("pk"), classgroup_id=student.class_group_id
            )
        )
        open_rows = open_rows.filter(~restricted | includes_mine)
        mine = {
            s.project_id: s
            for s in Signup.objects.filter(student=student, project__in=open_rows).select_related(
                "role"
            )
        }
    current = list(_with_places(open_rows.select_related("activity")).order_by("closes_at", "pk"))
    for project in current:
        project.left = (project.places or 0) - (project.places_taken or 0)
        project.mine = mine.get(project.pk)
        project.opened = project.opens_at <= now
    # The organisers' part: the projects they run and the activities they may add one to.
    activities = list(
        Activity.objects.filter(school=school_obj, ends_at__gt=now)
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("school", "organiser_body__union", "organiser_society")
        .order_by("starts_at", "pk")[:MANAGED_LIMIT]
    )
    managed_activities = [a for a in activities if may_manage_activity(viewer, a)]
    run = []
    if viewer.grants or viewer.posts or viewer.is_superuser:
        candidates = _with_places(
            VolunteerProject.objects.filter(school=school_obj).select_related(*PROJECT_RELATED)
        ).order_by("-opens_at", "-pk")[:MANAGED_LIMIT]
        run = [p for p in candidates if may_manage_project(viewer, p)]
    return render(
        request,
        "activities/project_list.html",
        {
            "school": school_obj,
            "student": student,
            "current": current,
            "managed_activities": managed_activities,
            "run": run,
        },
    )


@login_required_page
def project_detail(request, school: str, project_id: int):
    project = _project(request, school, project_id)
    viewer = request.viewer
    now = timezone.now()
    student = student_of(request.user, project.school)
    roles = list(project.roles.prefetch_related("colleges", "classes"))
    mine = position = None
    if student is not None:
        mine = (
            Signup.objects.filter(project=project, student=student).select_related("role").first()
        )
        position = services.waiting_position(mine) if mine else None
        prefetch_related_objects([project], "from_classes")  # once for every role's check
    accepts = services.accepts_signups(project, now)
    for role in roles:
        role.left = max(0, role.slots - role.taken)
        role.problem = (
            services.requirement_problem(student, project, role) if student is not None else None
        )
        role.requirements = _requirements(role)
    return render(
        request,
        "activities/project_detail.html",
        {
            "school": project.school,
            "project": project,
            "roles": roles,
            "student": student,
            "mine": mine,
            "position": position,
            "accepts": accepts,
            "may_withdraw": bool(mine) and services.may_withdraw(mine, now),
            "manager": may_manage_project(viewer, project),
            "first_come": project.mode == SignupMode.FIRST_COME,
            "now": now,
        },
    )


def _requirements(role) -> list[str]:
    parts = []
    colleges = [c.name for c in role.colleges.all()]
    if colleges:
        parts.append("、".join(colleges))
    if role.grades:
        parts.append(_("grades %(grades)s") % {"grades": "、".join(str(g) for g in role.grades)})
    classes = [c.name for c in role.classes.all()]
    if classes:
        parts.append("、".join(classes))
    return parts


@require_POST
@login_required_page
def signup_create(request, school: str, project_id: int, role_id: int):
    project = _project(request, school, project_id)
    role = services.role_for_signup(project, role_id, student_of(request.user, project.school))
    if role is None:
        raise Http404
    try:
        row, position = services.signup(actor=request.user, project=project, role=role)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        if row.status == SignupStatus.CONFIRMED:
            messages.success(
                request, _("Confirmed: you have a place as %(role)s.") % {"role": role.name}
            )
        elif row.status == SignupStatus.WAITING:
            messages.info(
                request,
                _("%(role)s is full. You are number %(n)s on the waiting list.")
                % {"role": role.name, "n": position},
            )
        else:
            messages.info(
                request,
                _("Signed up as %(role)s. You will be told when the organisers decide.")
                % {"role": role.name},
            )
    return redirect("volunteer:project", school=school, project_id=project.pk)


@login_required_page
def my_signups(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    student = student_of(request.user, school_obj)
    if student is None:
        raise PermissionDenied(_("Only students sign up for volunteer projects."))
    now = timezone.now()
    rows = list(
        Signup.objects.filter(student=student)
        .select_related("project", "role")
        .order_by("-created_at", "-pk")[:200]
    )
    for row in rows:
        row.position = services.waiting_position(row)
        row.may_withdraw = services.may_withdraw(row, now)
    return render(
        request,
        "activities/signup_mine.html",
        {"school": school_obj, "signups": rows},
    )


@login_required_page
def signup_withdraw(request, school: str, signup_id: int):
    signup = get_signup_for_viewer(signup_id, request.viewer, write=True)
    if signup.project.school.code != school:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.signup_withdraw(actor=request.user, signup=signup)
        except DomainError as exc:
            error = refusal_text(exc)
        else:
            messages.success(
                request,
                _("You withdrew from %(project)s.") % {"project": signup.project.title},
            )
            return redirect("volunteer:mine", school=school)
    return render(
        request,
        "activities/signup_withdraw.html",
        {
            "school": signup.project.school,
            "signup": signup,
            "may_withdraw": services.may_withdraw(signup),
            "error": error,
        },
        status=409 if error else 200,
    )


# -- organisers ----------------------------------------------------------------------------


@login_required_page
def project_new(request, school: str, activity_id: int):
    activity = get_activity_for_viewer(activity_id, request.viewer, write=True)
    if activity.school.code != school:
        raise Http404
    school_obj = activity.school
    form = ProjectForm(request.POST or None, school=school_obj, activity=activity)
    roles = RoleFormSet(
        request.POST or None,
        prefix="roles",
        form_kwargs={"school": school_obj, "activity": activity},
    )
    if request.method == "POST" and form.is_valid() and roles.is_valid():
        data = form.cleaned_data
        specs = [f.spec() for f in roles.forms if f.has_changed() and not f.is_blank]
        try:
            project = services.project_create(
                actor=request.user,
                activity=activity,
                title=data["title"],
                description=data["description"],
                mode=data["mode"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                withdraw_until=data["withdraw_until"],
                roles=specs,
                from_classes=list(data["from_classes"]),
                from_societies=list(data["from_societies"]),
            )
        except DomainError as exc:
            message = refusal_text(exc)
            form.add_error(exc.field if exc.field in form.fields else None, message)
        else:
            messages.success(
                request, _("The project %(title)s is recruiting.") % {"title": project.title}
            )
            return redirect("volunteer:manage", school=school, project_id=project.pk)
    return render(
        request,
        "activities/project_new.html",
        {"school": school_obj, "activity": activity, "form": form, "roles": roles},
    )


@login_required_page
def project_manage(request, school: str, project_id: int):
    project = _project(request, school, project_id, write=True)
    return _manage_page(request, project)


def _manage_page(request, project, *, draw_form=None, status=200):
    viewer = request.viewer
    now = timezone.now()
    roles = list(project.roles.order_by("shift_starts_at", "name", "pk"))
    rows = list(
        Signup.objects.filter(project=project)
        .select_related("student__school", "student__class_group")
        .order_by("role_id", "status", "queue_no", "pk")
    )
    by_role: dict[int, list[Signup]] = {r.pk: [] for r in roles}
    order = {
        SignupStatus.CONFIRMED: 0,
        SignupStatus.PENDING: 1,
        SignupStatus.WAITING: 2,
        SignupStatus.REJECTED: 3,
        SignupStatus.WITHDRAWN: 4,
        SignupStatus.RELEASED: 5,
    }
    for row in sorted(rows, key=lambda r: (order.get(r.status, 9), r.queue_no or 0, r.pk)):
        row.show_number = viewer.can_see_personal(row.student)
        by_role.setdefault(row.role_id, []).append(row)
    counts = {value: 0 for value in SignupStatus.values}
    for row in rows:
        counts[row.status] += 1
    for role in roles:
        role.rows = by_role.get(role.pk, [])
        role.left = max(0, role.slots - role.taken)
    recruiting = project.status == ProjectStatus.RECRUITING
    return render(
        request,
        "activities/project_manage.html",
        {
            "school": project.school,
            "project": project,
            "roles": roles,
            "counts": [(SignupStatus(k).label, n) for k, n in counts.items() if n],
            "total": len(rows),
            "recruiting": recruiting,
            "review": recruiting and project.mode == SignupMode.REVIEW,
            "may_draw": recruiting
            and project.mode == SignupMode.LOTTERY
            and now >= project.closes_at
            and counts[SignupStatus.PENDING] > 0,
            "lottery_waits": recruiting
            and project.mode == SignupMode.LOTTERY
            and now < project.closes_at,
            "draw_form": draw_form or DrawForm(),
        },
        status=status,
    )


@require_POST
@login_required_page
def lottery_draw(request, school: str, project_id: int):
    project = _project(request, school, project_id, write=True)
    form = DrawForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, project, draw_form=form, status=422)
    try:
        result = services.lottery_draw(
            actor=request.user, project=project, seed=form.cleaned_data["seed"]
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("Drawn with seed %(seed)s: %(confirmed)s confirmed, %(waiting)s waiting.")
            % {"seed": result.seed, "confirmed": result.confirmed, "waiting": result.waiting},
        )
    return redirect("volunteer:manage", school=school, project_id=project.pk)


@require_POST
@login_required_page
def signup_review(request, school: str, signup_id: int):
    signup = get_signup_for_viewer(signup_id, request.viewer)
    project = signup.project
    if project.school.code != school:
        raise Http404
    if not may_manage_project(request.viewer, project):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose accept or decline."))
        return redirect("volunteer:manage", school=school, project_id=project.pk)
    accept = decision == "accept"
    try:
        services.signup_review(actor=request.user, signup=signup, accept=accept)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        text = _("%(name)s accepted.") if accept else _("%(name)s declined.")
        messages.success(request, text % {"name": signup.student.name})
    return redirect("volunteer:manage", school=school, project_id=project.pk)


@login_required_page
def project_close(request, school: str, project_id: int):
    project = _project(request, school, project_id, write=True)
    form = CloseForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.project_close(actor=request.user, project=project)
        except DomainError as exc:
            error = refusal_text(exc)
        else:
            messages.success(
                request,
                _("%(title)s is closed; its volunteers are released.") % {"title": project.title},
            )
            return redirect("volunteer:manage", school=school, project_id=project.pk)
    active = Signup.objects.filter(project=project, status__in=ACTIVE_SIGNUP).count()
    return render(
        request,
        "activities/project_close.html",
        {
            "school": project.school,
            "project": project,
            "form": form,
            "active": active,
            "error": error,
            "closed": project.status == ProjectStatus.CLOSED,
        },
        status=409 if error else 200,
    )
