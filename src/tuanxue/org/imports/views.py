"""Upload pages for the registry imports: upload and check, preview, confirm or cancel.

Only registry managers of the school (League committee, Student Affairs) reach these pages;
others of the same school get 403, users of another school 404.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tuanxue.core.errors import DomainError
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.imports import (
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    memberships,
    records,
    staff,
    students,
)
from tuanxue.org.imports.common import ImportRefused
from tuanxue.org.imports.files.reading import check_file
from tuanxue.org.imports.jobs import (
    import_job_confirm_later,
    import_job_queue,
    in_background_to_check,
    in_background_to_import,
    refuse_unread,
)
from tuanxue.org.imports.labels import COUNT_LABELS
from tuanxue.org.jobs.services import STATUS_HELP, job_recover, job_state
from tuanxue.org.models import ImportJob, ImportKind, ImportStatus
from tuanxue.org.views import login_required_page

RECENT_JOBS = 30
IN_BACKGROUND = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


KIND_HELP = [
    (
        ImportKind.STUDENTS,
        students.REQUIRED,
        students.OPTIONAL,
        gettext_lazy(
            "性别 is 男 or 女; 政治面貌 is 中共党员, 中共预备党员, 共青团员 or 群众 (党员, 预备党员 and "
            "团员 are understood too); 年级 is the year of entry, such as 2023 or 2023级. New colleges, majors and classes are created. A student already in the "
            "registry (same 学号) is updated; a blank 校区 or 手机 keeps the old value."
        ),
    ),
    (
        ImportKind.RECORDS,
        records.REQUIRED,
        (),
        gettext_lazy(
            "One row per student and semester; 学期 looks like 2019-2020-2. Importing a "
            "semester replaces all of that semester's records."
        ),
    ),
    (
        ImportKind.MEMBERSHIPS,
        memberships.REQUIRED,
        memberships.OPTIONAL,
        gettext_lazy(
            "组织 is 校学生会 or a college's union (such as 信息学院学生会); 部门 is 主席团 or a "
            "department, created if new; 职务 is 执行主席, 主席团成员, 主席, 副主席, 部长, 副部长, "
            "干事 or 工作人员; dates look like 2020-09-01."
        ),
    ),
    (
        ImportKind.STAFF,
        staff.REQUIRED,
        staff.OPTIONAL,
        gettext_lazy(
            "Teachers and officers: 部门 is their unit (校团委, 党委学生工作部, a college…); 手机 is "
            "a mobile number or an office line; 邮箱 is used for password reset by e-mail. A "
            "person already in the registry (same 工号) is updated."
        ),
    ),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _manager_school(request, school: str):
    """The school, for a viewer who may manage its registry (404 / 403 otherwise)."""
    return get_school_for_viewer(school, request.viewer, write=True)


def _job(school_obj, job_id: int) -> ImportJob:
    job = (
        ImportJob.objects.select_related("school", "created_by", "background")
        .filter(school=school_obj, pk=job_id)
        .first()
    )
    if job is None:
        raise Http404
    return job


@login_required_page
@require_http_methods(["GET", "POST"])
def imports_index(request, school: str):
    school_obj = _manager_school(request, school)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        try:
            check_file(upload.name, upload.size)
        except ImportRefused as refused:
            job = refuse_unread(
                actor=request.user,
                school=school_obj,
                kind=kind,
                filename=upload.name,
                errors=refused.errors,
            )
        else:
            # The upload itself, not its bytes: a large one is read from Django's temporary file.
            start = import_job_queue if in_background_to_check(upload.size) else import_job_create
            job = start(
                actor=request.user,
                school=school_obj,
                kind=kind,
                filename=upload.name,
                content=upload,
            )
        return redirect("org:import_detail", school=school_obj.code, job_id=job.pk)
    jobs = ImportJob.objects.filter(school=school_obj).select_related("created_by")[:RECENT_JOBS]
    return render(
        request,
        "org/imports.html",
        {
            "school": school_obj,
            "form": form,
            "jobs": jobs,
            "kinds": KIND_HELP,
            "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
            "max_rows": settings.IMPORT_MAX_ROWS,
        },
    )


@login_required_page
def import_detail(request, school: str, job_id: int):
    school_obj = _manager_school(request, school)
    job = _job(school_obj, job_id)
    summary = job.summary or {}
    background = job.background if job.status in IN_BACKGROUND else None
    if background is not None:
        job_recover(background)
    counts = [
        (COUNT_LABELS.get(key, key), value) for key, value in (summary.get("counts") or {}).items()
    ]
    return render(
        request,
        "org/import_detail.html",
        {
            "school": school_obj,
            "job": job,
            "counts": counts,
            "columns": summary.get("columns") or [],
            "preview": summary.get("preview") or [],
            "is_previewed": job.status == ImportStatus.PREVIEWED,
            "is_refused": job.status == ImportStatus.REFUSED,
            "is_done": job.status == ImportStatus.DONE,
            "background": background,
            "state": job_state(background) if background is not None else None,
            "help": STATUS_HELP.get(background.status, "") if background is not None else "",
        },
    )


@login_required_page
@require_POST
def import_confirm(request, school: str, job_id: int):
    school_obj = _manager_school(request, school)
    job = _job(school_obj, job_id)
    try:
        if in_background_to_import(job):
            job = import_job_confirm_later(actor=request.user, job=job)
        else:
            job = import_job_confirm(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if job.status == ImportStatus.IMPORTING:
            messages.info(
                request,
                _("The import runs in the background; this page shows its progress."),
            )
        elif job.status == ImportStatus.DONE:
            messages.success(
                request,
                _("Imported %(rows)s rows from %(file)s.")
                % {
                    "rows": job.rows,
                    "file": job.filename,
                },
            )
        else:
            messages.error(
                request,
                _(
                    "The registry changed since the check; the file no longer passes. See why below."
                ),
            )
    return redirect("org:import_detail", school=school_obj.code, job_id=job.pk)


@login_required_page
@require_POST
def import_cancel(request, school: str, job_id: int):
    school_obj = _manager_school(request, school)
    job = _job(school_obj, job_id)
    try:
        import_job_cancel(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("org:import_detail", school=school_obj.code, job_id=job.pk)
    messages.success(request, _("The import was cancelled; nothing was written."))
    return redirect("org:imports", school=school_obj.code)
