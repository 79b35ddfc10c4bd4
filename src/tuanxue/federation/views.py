"""The federation's pages: the province table with the consent queue, its Excel export, and a
school's submissions (the frozen copy beside today's assessment, the review)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from tuanxue.charter.assessment import assess
from tuanxue.charter.documents.build import DOCX_TYPE, PDF_TYPE, XLSX_TYPE
from tuanxue.charter.views import FIGURE_LABELS, STATUS_LABELS, STATUS_TAGS, display, school_for
from tuanxue.core.documents.exports import xlsx_cell
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.core.models import School
from tuanxue.federation import jobs, selectors, services
from tuanxue.federation.forms import ReviewForm, SubmitForm
from tuanxue.federation.models import ReviewState, Submission
from tuanxue.org.jobs.services import job_start
from tuanxue.org.views import login_required_page

MORE_FIGURES = {
    "from_college_unions": gettext_lazy("from college unions"),
    "from_college_unions_ratio": gettext_lazy("share from college unions"),
    "congress_date": gettext_lazy("last congress"),
    "congress_delegates": gettext_lazy("delegates"),
}


def _federation_only(request) -> None:
    """The province pages exist only for the federation (and the operator): 404 to others."""
    if not request.viewer.sees_all_schools:
        raise Http404


def _may_read(viewer, school: School) -> bool:
    return viewer.is_federation or viewer.has_school_office(school)


def submissions_school(request, code: str) -> School:
    school = school_for(request, code)
    if not _may_read(request.viewer, school):
        raise Http404
    return school


def get_submission_for_viewer(request, code: str, submission_id: int) -> Submission:
    school = submissions_school(request, code)
    submission = Submission.objects.filter(school=school, pk=submission_id).first()
    if submission is None:
        raise Http404
    return submission


# -- the province -----------------------------------------------------------------------------


@login_required_page
def province(request):
    _federation_only(request)
    today = timezone.localdate()
    rows = selectors.province_rows(today)
    queue = selectors.consent_queue()
    context = {
        "today": today,
        "rows": rows,
        "queue": queue,
        "chart": selectors.province_chart(rows),
        "failing": sum(1 for r in rows if r.standing and not r.standing.passed),
        "unchecked": sum(1 for r in rows if r.standing is None),
        "waiting_review": sum(
            1 for r in rows if r.submission and r.submission.state == ReviewState.SUBMITTED
        ),
        "may_check": request.viewer.is_federation,
    }
    return render(request, "federation/province.html", context)


@login_required_page
@require_POST
def province_check(request):
    _federation_only(request)
    if not request.viewer.is_federation:
        raise PermissionDenied
    # Every school is assessed on the worker; the page follows its progress.
    job = job_start(
        actor=request.user,
        school=None,
        kind=jobs.KIND,
        params={"day": timezone.localdate().isoformat()},
    )
    messages.info(request, _("Every school is being assessed; this page shows the progress."))
    return redirect("org:job_detail", job_id=job.pk)


HEADERS = (
    "school code",
    "school",
    "compliance",
    "checked on",
    "core items not passed",
    "staff in total",
    "presidium members",
    "departments",
    "from college unions",
    "share from college unions",
    "last congress",
    "delegates",
    "latest submission",
    "submission passed",
    "review",
    "presidium candidates waiting for consent",
    "breaches",
)


def _headers() -> list[str]:
    labels = {
        "school code": _("school code"),
        "school": _("school"),
        "compliance": _("compliance"),
        "checked on": _("checked on"),
        "core items not passed": _("core items not passed"),
        "staff in total": _("staff in total"),
        "presidium members": _("presidium members"),
        "departments": _("departments"),
        "from college unions": _("from college unions"),
        "share from college unions": _("share from college unions"),
        "last congress": _("last congress"),
        "delegates": _("delegates"),
        "latest submission": _("latest submission"),
        "submission passed": _("submission passed"),
        "review": _("review"),
        "presidium candidates waiting for consent": _("presidium candidates waiting for consent"),
        "breaches": _("breaches"),
    }
    return [labels[h] for h in HEADERS]


def _verdict(passed) -> str:
    if passed is None:
        return _("not checked yet")
    return _("passed") if passed else _("not passed")


@login_required_page
def province_xlsx(request):
    _federation_only(request)
    today = timezone.localdate()
    rows = selectors.province_rows(today)
    book = Workbook()
    sheet = book.active
    sheet.title = _("schools")[:31]
    for col, value in enumerate(_headers(), start=1):
        xlsx_cell(sheet.cell(row=1, column=col), value)
    for r, row in enumerate(rows, start=2):
        standing, submission = row.standing, row.submission
        values = [
            row.school.code,
            row.school.name,
            _verdict(standing.passed if standing else None),
            standing.assessed_on if standing else None,
            "、".join(standing.failing) if standing else "",
            row.staff_total,
            row.presidium_size,
            row.department_count,
            row.from_college_unions,
            row.from_college_unions_ratio,
            row.congress_date,
            row.congress_delegates,
            submission.assessed_on if submission else None,
            _verdict(submission.passed) if submission else "",
            submission.get_state_display() if submission else "",
            row.consents_waiting,
            "\n".join(standing.breaches) if standing else "",
        ]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=col)
            xlsx_cell(cell, value)
            if col == 10:
                cell.number_format = "0.00%"
            elif hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{_('schools of the province')}-{today.isoformat()}.xlsx"
    )
    return response


# -- a school's submissions ------------------------------------------------------------------


@login_required_page
def submissions(request, school: str):
    school_obj = submissions_school(request, school)
    viewer = request.viewer
    may_submit = services.may_submit(viewer, school_obj)
    form = SubmitForm(
        request.POST or None, initial={"assessed_on": timezone.localdate().isoformat()}
    )
    if request.method == "POST":
        if not may_submit:
            raise PermissionDenied
        if form.is_valid():
            try:
                submission = services.submission_create(
                    actor=request.user, school=school_obj, day=form.cleaned_data["assessed_on"]
                )
            except DomainError as exc:
                refuse_form(form, exc)
            else:
                messages.success(
                    request,
                    _("The self-assessment of %(day)s is submitted to the provincial federation.")
                    % {"day": submission.assessed_on.isoformat()},
                )
                return redirect("federation:submission", school_obj.code, submission.pk)
    context = {
        "school": school_obj,
        "submissions": selectors.submissions_of(school_obj),
        "form": form,
        "may_submit": may_submit,
    }
    return render(request, "federation/submissions.html", context)


def _figure_label(key: str) -> str:
    return str(FIGURE_LABELS.get(key) or MORE_FIGURES.get(key) or key)


def _cell(item: dict | None) -> dict | None:
    if item is None:
        return None
    return {
        "status": STATUS_LABELS.get(item["status"], item["status"]),
        "tag": STATUS_TAGS.get(item["status"], ""),
        "actual": display(item.get("actual")),
        "limit": display(item.get("limit"), limit=True),
        "detail": item.get("detail") or "",
        "basis": item.get("evidence"),
    }


@login_required_page
def submission_detail(request, school: str, submission_id: int):
    submission = get_submission_for_viewer(request, school, submission_id)
    school_obj = submission.school
    today = timezone.localdate()
    live = assess(school_obj, today)
    pairs, figures = selectors.compare(submission.report, live)
    rows = [
        {
            "pair": p,
            "then": _cell(p.then),
            "now": _cell(p.now),
            "changed": set(p.changes),
        }
        for p in pairs
    ]
    context = {
        "school": school_obj,
        "submission": submission,
        "live": live,
        "today": today,
        "rows": rows,
        "changed_count": sum(1 for p in pairs if p.changed),
        "figures": [
            {"label": _figure_label(k), "then": display(a), "now": display(b), "changed": a != b}
            for k, a, b in figures
        ],
        "review_form": ReviewForm() if services.may_review(request.viewer) else None,
    }
    return render(request, "federation/submission.html", context)


@login_required_page
@require_POST
def submission_review(request, school: str, submission_id: int):
    submission = get_submission_for_viewer(request, school, submission_id)
    if not services.may_review(request.viewer):
        raise PermissionDenied
    url = reverse("federation:submission", args=[submission.school.code, submission.pk])
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(url)
    try:
        services.submission_review(
            actor=request.user,
            submission=submission,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        messages.success(request, _("The review is recorded; the school sees it."))
    return redirect(url)


FILES = {"docx": ("docx", "docx_name", DOCX_TYPE), "pdf": ("pdf", "pdf_name", PDF_TYPE)}


@login_required_page
def submission_file(request, school: str, submission_id: int, kind: str):
    if kind not in FILES:
        raise Http404
    submission = get_submission_for_viewer(request, school, submission_id)
    data_field, name_field, content_type = FILES[kind]
    response = HttpResponse(bytes(getattr(submission, data_field)), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, getattr(submission, name_field)
    )
    return response
