"""The transcript pages: a student's own, the offices' view of any student in their scope,
issuing, the PDF, revoking, the school's requirements, batches, and the public verification."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.core.parsing import to_id
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.jobs.services import job_recover, job_state
from tuanxue.org.models import BackgroundJob, ClassGroup, College, JobStatus, Student, Title
from tuanxue.org.views import login_required_page
from tuanxue.review.models import Grade
from tuanxue.transcript import batch, selectors, services
from tuanxue.transcript.documents import transcript_pdf, verify_path, verify_url
from tuanxue.transcript.forms import LookUpForm, RevokeForm, SettingsForm
from tuanxue.transcript.models import IssuedTranscript, TranscriptStatus

PDF = "application/pdf"


def _student_for_viewer(viewer, school, student_id) -> Student:
    student = (
        Student.objects.select_related("school", "college", "major", "class_group")
        .filter(pk=student_id, school=school)
        .first()
    )
    if student is None or not selectors.may_see(viewer, student):
        raise Http404
    return student


def _transcript_page(request, school, student):
    viewer = request.viewer
    content = selectors.transcript_content(student)
    current = selectors.current_transcript(student)
    return render(
        request,
        "transcript/student.html",
        {
            "school": school,
            "student": student,
            "own": selectors.is_own(viewer, student),
            "content": content,
            "totals": selectors.area_totals(content),
            "chart": selectors.area_chart(selectors.area_totals(content)),
            "groups": selectors.entries_by_area(content),
            "posts": [
                {**p, "title_label": dict(Title.choices).get(p["title"], p["title"])}
                for p in content["posts"]
            ],
            "reviews": [{**r, "grade_label": Grade(r["grade"]).label} for r in content["reviews"]],
            "current": current,
            "changed": current is None or current.content_hash != selectors.content_hash(content),
            "issued": selectors.issued_for(student),
            "may_issue": selectors.may_issue(viewer, student),
            "may_revoke": selectors.may_revoke(viewer, school),
            "may_look_up": selectors.may_look_up(viewer, school),
        },
    )


@login_required_page
def home(request, school: str):
    """A student's own transcript; the offices' look-up page."""
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    if viewer.student is not None and viewer.student.school_id == school_obj.pk:
        student = _student_for_viewer(viewer, school_obj, viewer.student.pk)
        return _transcript_page(request, school_obj, student)
    return staff(request, school)


@login_required_page
def staff(request, school: str):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    if not selectors.may_look_up(viewer, school_obj):
        raise Http404
    form = LookUpForm(request.GET or None)
    if form.is_valid():
        student = Student.objects.filter(
            school=school_obj, student_no=form.cleaned_data["student_no"].strip()
        ).first()
        if student is not None and selectors.may_see(viewer, student):
            return redirect("transcript:student", school=school, student_id=student.pk)
        form.add_error("student_no", _("No student with this number in your scope."))
    colleges, classes = selectors.batch_scopes(viewer, school_obj)
    jobs = BackgroundJob.objects.filter(
        school=school_obj, kind=batch.KIND, owner=request.user
    ).order_by("-created_at")[:10]
    return render(
        request,
        "transcript/staff.html",
        {
            "school": school_obj,
            "form": form,
            "colleges": colleges,
            "classes": classes,
            "jobs": jobs,
            "may_edit_settings": selectors.may_edit_settings(viewer, school_obj),
        },
    )


@login_required_page
def student(request, school: str, student_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)
    found = _student_for_viewer(request.viewer, school_obj, student_id)
    return _transcript_page(request, school_obj, found)


@login_required_page
@require_POST
def issue(request, school: str, student_id: int):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    found = _student_for_viewer(viewer, school_obj, student_id)
    if not selectors.may_issue(viewer, found):
        raise PermissionDenied
    try:
        issued, created = services.transcript_issue(actor=request.user, student=found)
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        if created:
            messages.success(
                request, _("Transcript issued. Verification code: %(code)s") % {"code": issued.code}
            )
        else:
            messages.info(
                request,
                _("Nothing has changed since the current transcript %(code)s; it stays valid.")
                % {"code": issued.code},
            )
    return redirect("transcript:student", school=school, student_id=found.pk)


def _issued_for_viewer(viewer, school, issued_id) -> IssuedTranscript:
    issued = (
        IssuedTranscript.objects.select_related("student__school", "school")
        .filter(pk=issued_id, school=school)
        .first()
    )
    if issued is None or not selectors.may_see(viewer, issued.student):
        raise Http404
    return issued


@login_required_page
def pdf(request, school: str, issued_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)
    issued = _issued_for_viewer(request.viewer, school_obj, issued_id)
    response = HttpResponse(transcript_pdf(issued), content_type=PDF)
    title = f"{issued.student.name}-第二课堂成绩单-{issued.code}.pdf"
    response["Content-Disposition"] = (
        f"attachment; filename=transcript-{issued.code}.pdf; "
        f"filename*=UTF-8''{quote(title, safe='')}"
    )
    return response


@login_required_page
def revoke(request, school: str, issued_id: int):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    issued = _issued_for_viewer(viewer, school_obj, issued_id)
    if not selectors.may_revoke(viewer, school_obj):
        raise PermissionDenied
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transcript_revoke(
                actor=request.user, transcript=issued, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request, _("The transcript %(code)s is revoked.") % {"code": issued.code}
            )
            return redirect("transcript:student", school=school, student_id=issued.student_id)
    return render(
        request,
        "transcript/revoke.html",
        {"school": school_obj, "issued": issued, "form": form},
    )


@login_required_page
def settings_page(request, school: str):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    if not selectors.may_look_up(viewer, school_obj):
        raise Http404
    may_edit = selectors.may_edit_settings(viewer, school_obj)
    rules = selectors.settings_for(school_obj)
    form = SettingsForm(request.POST or None, rules=rules)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.transcript_settings_update(
                    actor=request.user, school=school_obj, values=form.cleaned_data
                )
            except DomainError as exc:
                refuse_form(form, exc)
            else:
                messages.success(request, _("The transcript requirements are saved."))
                return redirect("transcript:settings", school=school)
    return render(
        request,
        "transcript/settings.html",
        {"school": school_obj, "form": form, "may_edit": may_edit},
    )


@login_required_page
@require_POST
def batch_start(request, school: str):
    viewer = request.viewer
    school_obj = get_school_for_viewer(school, viewer)
    if not selectors.may_look_up(viewer, school_obj):
        raise Http404
    if not selectors.batch_scopes(viewer, school_obj)[0]:
        raise PermissionDenied
    target = None
    if request.POST.get("class"):
        target = (
            ClassGroup.objects.select_related("college", "school")
            .filter(pk=to_id(request.POST["class"]) or 0, school=school_obj)
            .first()
        )
    elif request.POST.get("college"):
        target = College.objects.filter(
            pk=to_id(request.POST["college"]) or 0, school=school_obj
        ).first()
    if target is None:
        messages.error(request, _("Choose a class or a college."))
        return redirect("transcript:staff", school=school)
    try:
        job = batch.transcript_batch_start(actor=request.user, target=target)
    except DomainError as exc:
        refuse_message(request, exc)
        return redirect("transcript:staff", school=school)
    return redirect("transcript:batch_detail", school=school, batch_id=job.pk)


def _batch_for_viewer(viewer, school, job_id) -> BackgroundJob:
    job = (
        BackgroundJob.objects.select_related("school", "owner")
        .filter(pk=job_id, school=school, kind=batch.KIND)
        .first()
    )
    if job is None:
        raise Http404
    batch.may_view(viewer, job)
    job_recover(job)
    return job


@login_required_page
@never_cache
def batch_detail(request, school: str, batch_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)
    job = _batch_for_viewer(request.viewer, school_obj, batch_id)
    ready = job.status == JobStatus.DONE and batch.zip_path(job).exists()
    return render(
        request,
        "transcript/batch.html",
        {
            "school": school_obj,
            "job": job,
            "state": job_state(job),
            "ready": ready,
            "kind_label": _("Batch of transcripts"),
        },
    )


@login_required_page
def batch_download(request, school: str, batch_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)
    job = _batch_for_viewer(request.viewer, school_obj, batch_id)
    path = batch.zip_path(job)
    if job.status != JobStatus.DONE or not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"transcripts-{school_obj.code}-{job.pk}.zip",
        content_type="application/zip",
    )


@never_cache
def verify(request, verification: str):
    """Public: anyone with the code sees the summary, never the student's details."""
    issued = selectors.by_code(verification)
    if issued is None:
        return render(
            request, "transcript/verify_missing.html", {"code": verification[:20]}, status=404
        )
    content = issued.content
    return render(
        request,
        "transcript/verify.html",
        {
            "issued": issued,
            "school_name": content["school"]["name"],
            "name": selectors.masked_name(content["student"]["name"]),
            "totals": selectors.area_totals(content),
            "chart": selectors.area_chart(selectors.area_totals(content)),
            "total_hours": content["total_hours"],
            "statuses": TranscriptStatus,
            "url": verify_url(issued.code),
            "path": verify_path(issued.code),
        },
    )
