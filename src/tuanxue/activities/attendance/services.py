"""Check-in and check-out, the hours they give, and the credit they write to the ledger.

Who may run an activity's check-in: the school League committee, and the managers, department
heads and presidium of the organiser's union (for a society's activity, its college's League
committee). A student checks themself in or out only with a valid rotating token or code.

Every scan is idempotent: a second check-in returns the first attendance (the unique constraint
``one_attendance_each`` settles a race), a second check-out returns the settled one, and the
ledger entry is written once per source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.activities import qr
from tuanxue.activities.models import (
    Activity,
    ActivityStatus,
    Attendance,
    CheckMethod,
    Signup,
    SignupStatus,
)
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.ledger import services as ledger
from tuanxue.ledger.models import CreditCategory, CreditUnit
from tuanxue.org.access import Viewer, build_viewer
from tuanxue.org.models import HEAD_TITLES, PRESIDIUM_TITLES, Role, Student

GRACE = dt.timedelta(minutes=30)
HUNDREDTH = Decimal("0.01")
SELF_METHODS = {CheckMethod.QR, CheckMethod.CODE}


# -- who may do what --------------------------------------------------------------------------


def may_run_checkin(viewer: Viewer, activity: Activity) -> bool:
    """Check people in and out, settle hours: the League committee or the organiser's union."""
    if viewer.is_league_committee(activity.school):
        return True
    body = activity.organiser_body
    if body is not None:
        union = body.union
        if viewer.can_manage_union(union):
            return True
        return any(
            post.union_id == union.pk
            and (post.title in HEAD_TITLES or post.title in PRESIDIUM_TITLES)
            for post in viewer.posts
        )
    society = activity.organiser_society
    if society is not None and society.college_id:
        return any(
            g.college_id == society.college_id and g.school_id == activity.school_id
            for g in viewer.grants_for(Role.COLLEGE_LEAGUE)
        )
    return False


def may_watch_checkin(viewer: Viewer, activity: Activity) -> bool:
    """See who is in and out without changing anything: the school offices and the League
    committee of the organiser's college."""
    if may_run_checkin(viewer, activity):
        return True
    if viewer.has_school_office(activity.school):
        return True
    college_id = None
    if activity.organiser_body is not None:
        college_id = activity.organiser_body.union.college_id
    elif activity.organiser_society is not None:
        college_id = activity.organiser_society.college_id
    return college_id is not None and college_id in viewer.college_office_ids()


# -- time windows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def opens_at(self) -> dt.datetime:
        return self.starts_at - GRACE

    @property
    def length_hours(self) -> Decimal:
        return _hours(self.ends_at - self.starts_at)


def _hours(delta: dt.timedelta) -> Decimal:
    seconds = max(Decimal(0), Decimal(str(delta.total_seconds())))
    return (seconds / Decimal(3600)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def confirmed_signups(activity: Activity, student: Student) -> list[Signup]:
    return list(
        Signup.objects.filter(
            project__activity=activity, student=student, status=SignupStatus.CONFIRMED
        )
        .select_related("role", "project")
        .order_by("role__shift_starts_at", "pk")
    )


def _pick_signup(signups: list[Signup], at: dt.datetime) -> Signup | None:
    """The confirmed sign-up whose shift is open at ``at``, else the next one, else the first."""
    for signup in signups:
        if signup.role.shift_starts_at - GRACE <= at <= signup.role.shift_ends_at:
            return signup
    upcoming = [s for s in signups if s.role.shift_starts_at > at]
    return upcoming[0] if upcoming else (signups[0] if signups else None)


def window_of(attendance: Attendance) -> Window:
    """The time that counts for an attendance: the volunteer's shift, else the activity."""
    if attendance.signup_id is not None:
        role = attendance.signup.role
        return Window(role.shift_starts_at, role.shift_ends_at)
    return Window(attendance.activity.starts_at, attendance.activity.ends_at)


def hours_between(window: Window, checked_in: dt.datetime, checked_out: dt.datetime) -> Decimal:
    """(min(out, end) − max(in, start)) in hours, rounded to 0.01, never negative, capped at
    the window's length."""
    start = max(checked_in, window.starts_at)
    end = min(checked_out, window.ends_at)
    return min(_hours(end - start), window.length_hours)


# -- the services -----------------------------------------------------------------------------


def _authorise(
    *, actor, activity: Activity, student: Student, method: str, token: str, code: str, at
) -> Viewer:
    if method not in CheckMethod.values:
        raise DomainError(_("Unknown check-in method."), field="method")
    viewer = build_viewer(actor)
    if student.school_id != activity.school_id:
        raise DomainError(_("This student is not in the activity's school."), code="forbidden")
    if may_run_checkin(viewer, activity):
        return viewer
    own = viewer.student is not None and viewer.student.pk == student.pk
    if not own or method not in SELF_METHODS:
        raise DomainError(_("Only the organisers check other people in or out."), code="forbidden")
    if method == CheckMethod.QR:
        check = qr.check_token(token, now=at)
        if not check.ok or check.activity_id != activity.pk:
            raise DomainError(_("This check-in code has expired; scan it again."), field="token")
    elif qr.code_matches(activity.pk, code, now=at) is None:
        raise DomainError(_("This check-in code has expired; ask for the new one."), field="code")
    return viewer


def _require_running(activity: Activity) -> None:
    if activity.status != ActivityStatus.PUBLISHED:
        raise DomainError(_("This activity is not open for check-in."), code="closed")


def check_in(
    *,
    actor,
    activity: Activity,
    student: Student,
    method: str,
    at: dt.datetime | None = None,
    token: str = "",
    code: str = "",
    reason: str = "",
) -> Attendance:
    """Check a student in. Refused outside the event's time (the shift for a volunteer with a
    confirmed sign-up, else the activity; 30 minutes early is fine). A repeated scan returns the
    existing attendance."""
    at = at or timezone.now()
    _authorise(
        actor=actor,
        activity=activity,
        student=student,
        method=method,
        token=token,
        code=code,
        at=at,
    )
    existing = (
        Attendance.objects.filter(activity=activity, student=student)
        .select_related("signup__role")
        .first()
    )
    if existing is not None:
        return existing
    _require_running(activity)
    if method == CheckMethod.HAND and not reason.strip():
        raise DomainError(_("Say why the check-in is entered by hand."), field="reason")
    signup = _pick_signup(confirmed_signups(activity, student), at)
    window = (
        Window(signup.role.shift_starts_at, signup.role.shift_ends_at)
        if signup is not None
        else Window(activity.starts_at, activity.ends_at)
    )
    if at < window.opens_at:
        raise DomainError(
            _("Check-in opens at %(time)s.")
            % {"time": timezone.localtime(window.opens_at).strftime("%Y-%m-%d %H:%M")},
            code="outside_time",
        )
    if at > window.ends_at:
        raise DomainError(
            _("Check-in closed at %(time)s, when the event ended.")
            % {"time": timezone.localtime(window.ends_at).strftime("%Y-%m-%d %H:%M")},
            code="outside_time",
        )
    hand = method == CheckMethod.HAND
    with transaction.atomic():
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    school=activity.school,
                    activity=activity,
                    signup=signup,
                    student=student,
                    checked_in_at=at,
                    check_in_method=method,
                    hand_entered_by=actor if hand else None,
                    hand_entered_reason=_hand_note(_("check-in"), reason) if hand else "",
                )
        except IntegrityError:
            return Attendance.objects.select_related("signup__role").get(
                activity=activity, student=student
            )
        audit_record(
            school=activity.school,
            actor=actor,
            action="attendance.checked_in",
            target=attendance,
            new={
                "activity": activity.pk,
                "student": student.student_no,
                "at": at,
                "method": method,
                "signup": signup.pk if signup else None,
                "reason": reason.strip(),
            },
        )
    return attendance


def _hand_note(what: str, reason: str) -> str:
    return f"{what}: {reason.strip()}"


def check_out(
    *,
    actor,
    activity: Activity,
    student: Student,
    method: str,
    at: dt.datetime | None = None,
    token: str = "",
    code: str = "",
) -> Attendance:
    """Check a student out, compute the hours and credit them. A repeated check-out returns
    the settled attendance unchanged."""
    at = at or timezone.now()
    _authorise(
        actor=actor,
        activity=activity,
        student=student,
        method=method,
        token=token,
        code=code,
        at=at,
    )
    attendance = (
        Attendance.objects.filter(activity=activity, student=student)
        .select_related("signup__role", "signup__project", "activity__school", "student")
        .first()
    )
    if attendance is None:
        raise DomainError(_("This student has not checked in."), code="not_checked_in")
    if attendance.checked_out_at is not None:
        return attendance
    out = max(at, attendance.checked_in_at)
    hours = hours_between(window_of(attendance), attendance.checked_in_at, out)
    return _settle(
        actor=actor,
        attendance=attendance,
        checked_out_at=out,
        method=method,
        hours=hours,
        action="attendance.checked_out",
    )


def settle_hours(*, actor, attendance: Attendance, hours, reason: str) -> Attendance:
    """The organiser settles a missed check-out by hand: the hours, who and why."""
    attendance = Attendance.objects.select_related(
        "activity__school",
        "activity__organiser_body__union",
        "activity__organiser_society",
        "signup__role",
        "signup__project",
        "student",
    ).get(pk=attendance.pk)
    viewer = build_viewer(actor)
    if not may_run_checkin(viewer, attendance.activity):
        raise DomainError(_("Only the organisers settle hours."), code="forbidden")
    if not (reason or "").strip():
        raise DomainError(_("Say why the hours are entered by hand."), field="reason")
    try:
        hours = Decimal(str(hours)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    except ArithmeticError as exc:
        raise DomainError(_("Enter the hours as a number."), field="hours") from exc
    cap = window_of(attendance).length_hours
    if hours < 0 or hours > cap:
        raise DomainError(
            _("The hours must be between 0 and %(cap)s.") % {"cap": cap}, field="hours"
        )
    if attendance.checked_out_at is not None:
        raise DomainError(_("This attendance is already settled."), code="settled")
    return _settle(
        actor=actor,
        attendance=attendance,
        checked_out_at=timezone.now(),
        method=CheckMethod.HAND,
        hours=hours,
        action="attendance.hours_settled",
        reason=reason.strip(),
    )


def _settle(
    *, actor, attendance: Attendance, checked_out_at, method, hours: Decimal, action, reason=""
) -> Attendance:
    hand_by = attendance.hand_entered_by_id
    hand_reason = attendance.hand_entered_reason
    if reason:
        hand_by = actor.pk
        hand_reason = "\n".join(
            filter(None, [hand_reason, _hand_note(_("hours entered by hand"), reason)])
        )
    with transaction.atomic():
        changed = Attendance.objects.filter(pk=attendance.pk, checked_out_at__isnull=True).update(
            checked_out_at=checked_out_at,
            check_out_method=method,
            hours=hours,
            hand_entered_by_id=hand_by,
            hand_entered_reason=hand_reason,
        )
        if changed != 1:
            # Someone else checked this student out a moment ago: theirs stands.
            return Attendance.objects.get(pk=attendance.pk)
        attendance.checked_out_at = checked_out_at
        attendance.check_out_method = method
        attendance.hours = hours
        attendance.hand_entered_by_id = hand_by
        attendance.hand_entered_reason = hand_reason
        audit_record(
            school=attendance.school,
            actor=actor,
            action=action,
            target=attendance,
            old={"checked_out_at": None, "hours": None},
            new={
                "checked_out_at": checked_out_at,
                "method": method,
                "hours": hours,
                "reason": reason,
            },
        )
        credit_attendance(actor=actor, attendance=attendance)
    return attendance


def credit_attendance(*, actor, attendance: Attendance):
    """Write the attendance's credit to the ledger (once per source): a volunteer's hours
    from their sign-up, a participant's credit from the activity. Nothing for zero."""
    activity = attendance.activity
    hand = attendance.hand_entered_by_id is not None
    note = attendance.hand_entered_reason if hand else ""
    if attendance.signup_id is not None:
        signup = attendance.signup
        if not attendance.hours:
            return None
        return ledger.credit_record(
            actor=actor,
            student=attendance.student,
            category=CreditCategory.VOLUNTEER,
            amount=attendance.hours,
            unit=CreditUnit.HOURS,
            source_type="activities.signup",
            source_id=str(signup.pk),
            source_label=f"{activity.title} · {signup.project.title} · {signup.role.name}",
            hand_entered=hand,
            note=note,
        )
    if not activity.credit or activity.credit_unit not in CreditUnit.values:
        return None
    return ledger.credit_record(
        actor=actor,
        student=attendance.student,
        category=CreditCategory.ACTIVITY,
        amount=activity.credit,
        unit=activity.credit_unit,
        source_type="activities.attendance",
        source_id=str(attendance.pk),
        source_label=activity.title,
        hand_entered=hand,
        note=note,
    )


# -- reads ------------------------------------------------------------------------------------


def attendance_list(activity: Activity) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(activity=activity)
        .select_related(
            "student__class_group", "signup__role", "signup__project", "hand_entered_by"
        )
        .order_by("checked_in_at", "pk")
    )


def missing_checkouts(activity: Activity, *, now: dt.datetime | None = None) -> list[Attendance]:
    """Attendances still open after their shift (or the activity) ended."""
    now = now or timezone.now()
    rows = (
        Attendance.objects.filter(activity=activity, checked_out_at__isnull=True)
        .filter(
            Q(signup__isnull=False, signup__role__shift_ends_at__lt=now)
            | Q(signup__isnull=True, activity__ends_at__lt=now)
        )
        .select_related("student__class_group", "signup__role", "activity")
        .order_by("checked_in_at", "pk")
    )
    return list(rows)


def find_student(activity: Activity, student_no: str) -> Student | None:
    student_no = (student_no or "").strip()
    if not student_no:
        return None
    return Student.objects.filter(school_id=activity.school_id, student_no=student_no).first()


def activity_for_code(school, code: str, *, now: dt.datetime | None = None):
    """The running activity in ``school`` whose six-digit code is ``code`` now, with the window
    it matched, or (None, None)."""
    now = now or timezone.now()
    running = Activity.objects.filter(
        school=school,
        status=ActivityStatus.PUBLISHED,
        starts_at__lte=now + dt.timedelta(days=1),
        ends_at__gte=now - dt.timedelta(days=1),
    ).order_by("starts_at", "pk")
    for activity in running:
        window = qr.code_matches(activity.pk, code, now=now)
        if window is not None:
            return activity, window
    return None, None
