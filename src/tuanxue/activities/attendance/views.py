"""Pages of check-in and the credit ledger.

The organiser's desk shows the rotating QR (refreshed by a small script of ours), takes the
student's personal code from a scanner, checks in by student number when someone has no phone,
and settles missed check-outs. A student scans the QR (a GET: the scan *is* the check-in; the
token is short-lived and the call idempotent) and checks out with a button that sends the token
back. The ledger pages show a student their entries, let the League committee certify a batch
and correct an entry, and export a class or college for the comprehensive assessment.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tuanxue.activities import qr
from tuanxue.activities.attendance import services
from tuanxue.activities.attendance.forms import (
    CodeForm,
    HandForm,
    ScanForm,
    SettleForm,
)
from tuanxue.activities.models import Activity, ActivityStatus, Attendance, CheckMethod
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_message
from tuanxue.core.security import attempts
from tuanxue.org.access import Viewer, get_school_for_viewer, student_of
from tuanxue.org.models import Student
from tuanxue.org.views import login_required_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- helpers ----------------------------------------------------------------------------------


def get_activity_for_viewer(code: str, activity_id: int, viewer: Viewer) -> Activity:
    """The activity in this school; a draft or a filed one only for those who run or watch
    its check-in."""
    school = get_school_for_viewer(code, viewer)
    activity = (
        Activity.objects.select_related(
            "school", "organiser_body__union__college", "organiser_society"
        )
        .filter(pk=activity_id, school=school)
        .first()
    )
    if activity is None:
        raise Http404
    if activity.status != ActivityStatus.PUBLISHED and not services.may_watch_checkin(
        viewer, activity
    ):
        raise Http404
    return activity


def _desk_activity(request, school: str, activity_id: int, *, write: bool) -> Activity:
    activity = get_activity_for_viewer(school, activity_id, request.viewer)
    allowed = (
        services.may_run_checkin(request.viewer, activity)
        if write
        else services.may_watch_checkin(request.viewer, activity)
    )
    if not allowed:
        raise PermissionDenied
    return activity


def _scan_url(request, activity: Activity, token: str) -> str:
    return request.build_absolute_uri(
        reverse("attendance:scan", args=[activity.school.code, token])
    )


def _qr_state(request, activity: Activity) -> dict:
    now = timezone.now()
    token = qr.make_token(activity.pk, now=now)
    url = _scan_url(request, activity, token)
    return {
        "token": token,
        "url": url,
        "code": qr.make_code(activity.pk, now=now),
        "seconds_left": qr.seconds_left(now),
        "window": qr.window_seconds(),
        "svg": qr.qr_svg(url, title=activity.title),
    }


def _desk(request, activity_id: int, school: str):
    return redirect("attendance:desk", school=school, activity_id=activity_id)


# -- the organiser's desk ---------------------------------------------------------------------


@login_required_page
def desk(request, school: str, activity_id: int):
    activity = _desk_activity(request, school, activity_id, write=False)
    may_run = services.may_run_checkin(request.viewer, activity)
    rows = list(services.attendance_list(activity))
    missing = services.missing_checkouts(activity)
    context = {
        "school": activity.school,
        "activity": activity,
        "may_run": may_run,
        "rows": rows,
        # Student numbers only for those allowed the students' personal data.
        "numbers_for": {
            r.student_id for r in [*rows, *missing] if request.viewer.can_see_personal(r.student)
        },
        "inside": sum(1 for r in rows if r.checked_out_at is None),
        "missing": missing,
        "scan_form": ScanForm(),
        "hand_form": HandForm(),
        "settle_form": SettleForm(),
    }
    if may_run:
        context["qr"] = _qr_state(request, activity)
    return render(request, "activities/attendance_desk.html", context)


@login_required_page
@require_GET
def desk_qr(request, school: str, activity_id: int):
    """The current QR for the desk's script: JSON with the SVG, URL, code and countdown."""
    activity = _desk_activity(request, school, activity_id, write=True)
    response = JsonResponse(_qr_state(request, activity))
    response["Cache-Control"] = "no-store"
    return response


@login_required_page
@require_POST
def desk_scan(request, school: str, activity_id: int):
    activity = _desk_activity(request, school, activity_id, write=True)
    form = ScanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scan or type the student's code."))
        return _desk(request, activity_id, school)
    found = qr.read_student_code(form.cleaned_data["code"])
    student = None
    if found is not None and found[0] == activity.school_id:
        student = Student.objects.filter(school_id=found[0], pk=found[1]).first()
    if student is None:
        messages.error(request, _("This student code is not valid or has expired."))
        return _desk(request, activity_id, school)
    _staff_action(request, activity, student, form.cleaned_data["action"], CheckMethod.STAFF)
    return _desk(request, activity_id, school)


def _staff_action(request, activity, student, action: str, method: str, reason: str = ""):
    try:
        if action == "out":
            row = services.check_out(
                actor=request.user, activity=activity, student=student, method=CheckMethod.STAFF
            )
            messages.success(
                request,
                _("%(name)s checked out: %(hours)s hours.")
                % {"name": student.name, "hours": row.hours},
            )
        else:
            row = services.check_in(
                actor=request.user,
                activity=activity,
                student=student,
                method=method,
                reason=reason,
            )
            messages.success(
                request,
                _("%(name)s checked in at %(time)s.")
                % {
                    "name": student.name,
                    "time": timezone.localtime(row.checked_in_at).strftime("%H:%M"),
                },
            )
    except DomainError as exc:
        refuse_message(request, exc)


@login_required_page
@require_POST
def desk_hand(request, school: str, activity_id: int):
    activity = _desk_activity(request, school, activity_id, write=True)
    form = HandForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the student number and say why."))
        return _desk(request, activity_id, school)
    student = services.find_student(activity, form.cleaned_data["student_no"])
    if student is None:
        messages.error(
            request,
            _("No student with the number %(no)s in this school.")
            % {"no": form.cleaned_data["student_no"]},
        )
        return _desk(request, activity_id, school)
    _staff_action(request, activity, student, "in", CheckMethod.HAND, form.cleaned_data["reason"])
    return _desk(request, activity_id, school)


def _desk_attendance(activity: Activity, attendance_id: int) -> Attendance:
    row = (
        Attendance.objects.filter(pk=attendance_id, activity=activity)
        .select_related("student")
        .first()
    )
    if row is None:
        raise Http404
    return row


@login_required_page
@require_POST
def desk_out(request, school: str, activity_id: int, attendance_id: int):
    activity = _desk_activity(request, school, activity_id, write=True)
    row = _desk_attendance(activity, attendance_id)
    _staff_action(request, activity, row.student, "out", CheckMethod.STAFF)
    return _desk(request, activity_id, school)


@login_required_page
@require_POST
def desk_settle(request, school: str, activity_id: int, attendance_id: int):
    activity = _desk_activity(request, school, activity_id, write=True)
    row = _desk_attendance(activity, attendance_id)
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the hours and say why they are entered by hand."))
        return _desk(request, activity_id, school)
    try:
        services.settle_hours(
            actor=request.user,
            attendance=row,
            hours=form.cleaned_data["hours"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s: %(hours)s hours entered by hand.")
            % {"name": row.student.name, "hours": form.cleaned_data["hours"]},
        )
    return _desk(request, activity_id, school)


# -- the student's side -----------------------------------------------------------------------


def _scan_page(request, school, context: dict, status: int = 200):
    context.setdefault("school", school)
    return render(request, "activities/checkin_scan.html", context, status=status)


@login_required_page
def scan(request, school: str, token: str):
    """The page a student's phone opens from the organiser's QR: checks in (GET), checks out
    (POST with the same token), or says clearly why not."""
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    check = qr.check_token(token)
    if check.activity_id is None:
        return _scan_page(request, school_obj, {"outcome": "invalid"}, status=400)
    activity = (
        Activity.objects.select_related("school", "organiser_body__union", "organiser_society")
        .filter(pk=check.activity_id, school=school_obj)
        .first()
    )
    if activity is None:
        raise Http404
    context = {"activity": activity, "token": token}
    code = (request.GET.get("code") or request.POST.get("code") or "").strip()
    method = CheckMethod.CODE if code else CheckMethod.QR
    context["code"] = code
    student = student_of(viewer, school_obj)
    if student is None:
        return _scan_page(request, school_obj, {**context, "outcome": "not_student"}, 400)
    if request.method == "POST":
        try:
            row = services.check_out(
                actor=request.user,
                activity=activity,
                student=student,
                method=method,
                token=token,
                code=code,
            )
        except DomainError as exc:
            return _scan_page(
                request, school_obj, {**context, "outcome": "refused", "reason": exc.message}, 400
            )
        return _scan_page(request, school_obj, {**context, "outcome": "checked_out", "row": row})
    row = Attendance.objects.filter(activity=activity, student=student).first()
    if row is not None:
        outcome = "checked_out" if row.checked_out_at else "checked_in"
        return _scan_page(
            request,
            school_obj,
            {**context, "outcome": outcome, "row": row, "may_check_out": check.ok, "again": True},
        )
    if not check.ok:
        return _scan_page(request, school_obj, {**context, "outcome": "expired"}, 400)
    try:
        row = services.check_in(
            actor=request.user,
            activity=activity,
            student=student,
            method=method,
            token=token,
            code=code,
        )
    except DomainError as exc:
        outcome = "outside_time" if exc.code == "outside_time" else "refused"
        return _scan_page(
            request, school_obj, {**context, "outcome": outcome, "reason": exc.message}, 400
        )
    return _scan_page(
        request,
        school_obj,
        {**context, "outcome": "checked_in", "row": row, "may_check_out": True},
    )


@login_required_page
def my_code(request, school: str):
    """The student's personal code for the organiser's scanner, and the six-digit code form."""
    school_obj = get_school_for_viewer(school, request.viewer)
    student = student_of(request.viewer, school_obj)
    if student is None:
        raise Http404
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit = {
            "scope": "checkin-code",
            "key": str(request.user.pk),
            "seconds": settings.CODE_ATTEMPT_WINDOW,
        }
        wait = attempts.wait_seconds(limit=settings.CODE_ATTEMPT_LIMIT, **limit)
        if wait:
            form.add_error("code", attempts.too_many_message(wait))
        else:
            activity, window = services.activity_for_code(school_obj, form.cleaned_data["code"])
            if activity is not None:
                token = qr.make_token(activity.pk, window=window)
                url = reverse("attendance:scan", args=[school_obj.code, token])
                return redirect(f"{url}?{urlencode({'code': form.cleaned_data['code']})}")
            attempts.record_failure(**limit)
            form.add_error("code", _("No activity has this code now; ask for the current one."))
    code = qr.make_student_code(student)
    return render(
        request,
        "activities/checkin_my_code.html",
        {
            "school": school_obj,
            "student": student,
            "personal_code": code,
            "svg": qr.qr_svg(code, title=student.name),
            "valid_seconds": qr.student_code_seconds(),
            "reload_seconds": max(30, qr.student_code_seconds() // 2),
            "form": form,
        },
    )
