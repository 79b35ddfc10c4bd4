"""Per-union pages of 从严治会: discipline records, study sessions with attendance and the
convention list, and union meetings with their first agenda item.

A circulated notice (通报) is visible to the union's members and the offices; other records only
to the League committee, the school offices and the person concerned. Outsiders get 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.core.parsing import to_id
from tuanxue.org.access import ensure_school_code, get_union_for_viewer
from tuanxue.org.models import Student
from tuanxue.org.views import login_required_page
from tuanxue.review.access import may_manage, may_run_study, may_see_results, may_see_union_records
from tuanxue.review.forms import DisciplineForm, MeetingForm, RollCallForm, StudyForm
from tuanxue.review.models import DisciplineKind, DisciplineRecord, StudySession, UnionMeeting
from tuanxue.review.records import discipline as discipline_services
from tuanxue.review.records import study as study_services


def _union(request, school: str, union_id: int):
    union = get_union_for_viewer(union_id, request.viewer)
    ensure_school_code(union.school, school)
    return union


def _student(union, student_no: str) -> Student | None:
    return Student.objects.filter(school=union.school, student_no=student_no.strip()).first()


@login_required_page
def discipline(request, school: str, union_id: int):
    union = _union(request, school, union_id)
    viewer = request.viewer
    records = DisciplineRecord.objects.filter(union=union).select_related("student")
    if may_see_results(viewer, union):
        visible = list(records)
    else:
        own = viewer.student.pk if viewer.student else None
        visible = [
            r
            for r in records
            if r.student_id == own
            or (r.kind == DisciplineKind.NOTICE and may_see_union_records(viewer, union))
        ]
    may_record = may_manage(viewer, union) or may_run_study(viewer, union)
    form = DisciplineForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            student = _student(union, data["student_no"])
            if student is None:
                form.add_error("student_no", _("No student has this number."))
            else:
                try:
                    discipline_services.discipline_record(
                        actor=request.user,
                        union=union,
                        student=student,
                        kind=data["kind"],
                        basis=data["basis"],
                        facts=data["facts"],
                        decided_by=data["decided_by"],
                        decided_on=data["decided_on"],
                    )
                except DomainError as exc:
                    refuse_form(form, exc)
                else:
                    messages.success(request, _("The record is saved."))
                    return redirect("review:discipline", school=school, union_id=union.pk)
    return render(
        request,
        "review/discipline.html",
        {
            "school": union.school,
            "union": union,
            "records": visible,
            "form": form,
            "may_record": may_record,
        },
    )


@login_required_page
def study(request, school: str, union_id: int):
    union = _union(request, school, union_id)
    viewer = request.viewer
    if not may_see_union_records(viewer, union):
        raise PermissionDenied
    may_run = may_run_study(viewer, union)
    form = StudyForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            activity = None
            if data["activity"]:
                from tuanxue.activities.models import Activity

                activity_id = to_id(data["activity"])
                activity = Activity.objects.filter(pk=activity_id, school=union.school).first()
                if activity is None:
                    form.add_error("activity", _("No activity of this school has this id."))
            if not form.errors:
                try:
                    study_services.study_create(
                        actor=request.user,
                        union=union,
                        kind=data["kind"],
                        topic=data["topic"],
                        held_on=data["held_on"],
                        materials=data["materials"],
                        convention=data["convention"],
                        activity=activity,
                    )
                except DomainError as exc:
                    refuse_form(form, exc)
                else:
                    messages.success(request, _("The study session is recorded."))
                    return redirect("review:study", school=school, union_id=union.pk)
    try:
        day = parse_date(request.GET.get("day", ""))
    except ValueError:
        day = None
    day = day or study_services.reference_day(union.school)
    sessions = list(StudySession.objects.filter(union=union).order_by("-held_on"))
    meetings = list(UnionMeeting.objects.filter(union=union).order_by("-held_on"))
    return render(
        request,
        "review/study.html",
        {
            "school": union.school,
            "union": union,
            "sessions": sessions,
            "meetings": meetings,
            "missing": study_services.convention_missing(union, day),
            "day": day,
            "form": form,
            "may_run": may_run,
        },
    )


@login_required_page
def study_detail(request, school: str, union_id: int, study_id: int):
    union = _union(request, school, union_id)
    session = StudySession.objects.filter(pk=study_id, union=union).first()
    if session is None:
        raise Http404
    viewer = request.viewer
    if not may_see_union_records(viewer, union):
        raise PermissionDenied
    form = RollCallForm(request.POST or None)
    if request.method == "POST":
        if not may_run_study(viewer, union):
            raise PermissionDenied
        if form.is_valid():
            student = _student(union, form.cleaned_data["student_no"])
            if student is None:
                form.add_error("student_no", _("No student has this number."))
            else:
                try:
                    study_services.roll_call(actor=request.user, session=session, student=student)
                except DomainError as exc:
                    refuse_form(form, exc)
                else:
                    return redirect(
                        "review:study_detail", school=school, union_id=union.pk, study_id=session.pk
                    )
    attendees = Student.objects.filter(pk__in=study_services.attendee_ids(session)).order_by(
        "student_no"
    )
    return render(
        request,
        "review/study_detail.html",
        {
            "school": union.school,
            "union": union,
            "session": session,
            "attendees": attendees,
            "form": form,
            "may_run": may_run_study(viewer, union),
        },
    )


@login_required_page
def meeting_new(request, school: str, union_id: int):
    union = _union(request, school, union_id)
    if not may_run_study(request.viewer, union):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = study_services.meeting_record(
                actor=request.user,
                union=union,
                title=data["title"],
                held_on=data["held_on"],
                agenda=data["agenda"].splitlines(),
                minutes=data["minutes"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            if meeting.first_item_study:
                messages.success(request, _("The meeting is recorded."))
            else:
                messages.warning(
                    request,
                    _("The meeting is recorded and flagged: its first item is not study."),
                )
            return redirect("review:study", school=school, union_id=union.pk)
    return render(
        request,
        "review/form.html",
        {
            "school": union.school,
            "form": form,
            "heading": _("Record a meeting"),
            "button": _("Record"),
            "back": reverse("review:study", args=[school, union.pk]),
        },
    )


@login_required_page
def discipline_appeal(request, school: str, union_id: int, record_id: int):
    """The person concerned appeals; the League committee decides the appeal."""
    union = _union(request, school, union_id)
    record = (
        DisciplineRecord.objects.filter(pk=record_id, union=union)
        .select_related("student", "school", "union")
        .first()
    )
    viewer = request.viewer
    own = (
        viewer.student is not None and record is not None and viewer.student.pk == record.student_id
    )
    if record is None or not (own or may_see_results(viewer, union)):
        raise Http404
    if request.method != "POST":
        return redirect("review:discipline", school=school, union_id=union.pk)
    try:
        if request.POST.get("action") == "decide":
            discipline_services.appeal_decide(
                actor=request.user,
                record=record,
                upheld=request.POST.get("upheld") == "yes",
                outcome=request.POST.get("outcome", ""),
            )
        else:
            discipline_services.appeal_submit(
                actor=request.user, record=record, text=request.POST.get("appeal", "")
            )
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        messages.success(request, _("The record is saved."))
    return redirect("review:discipline", school=school, union_id=union.pk)
