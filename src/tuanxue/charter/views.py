"""Charter pages: live compliance, the self-assessment with its documents, the narrative form and
the public self-assessment table."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tuanxue.charter.assessment import assess, build_context
from tuanxue.charter.compliance import union_rules
from tuanxue.charter.documents import build as documents
from tuanxue.charter.documents.charts import compliance_chart
from tuanxue.charter.documents.outline import SECTIONS, evidence_labels
from tuanxue.charter.documents.text import items_by_check
from tuanxue.charter.forms import AssessmentForm, field_name
from tuanxue.charter.measures import describe
from tuanxue.charter.models import Assessment
from tuanxue.charter.records.fixes import fix_link
from tuanxue.charter.services import assessment_save
from tuanxue.charter.verdicts import PASS, Report
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.models import Role
from tuanxue.org.views import login_required_page

FIGURE_LABELS = {
    "staff_total": gettext_lazy("staff in total"),
    "presidium_size": gettext_lazy("presidium members"),
    "department_count": gettext_lazy("departments"),
}
STATUS_LABELS = {
    "pass": gettext_lazy("passed"),
    "fail": gettext_lazy("not passed"),
    "not_evidenced": gettext_lazy("not evidenced"),
}
STATUS_TAGS = {"pass": "green", "fail": "red", "not_evidenced": ""}
DOWNLOADS = {
    "docx": (documents.docx_bytes, documents.DOCX_TYPE),
    "pdf": (documents.pdf_bytes, documents.PDF_TYPE),
    "xlsx": (documents.xlsx_bytes, documents.XLSX_TYPE),
}
YEARS = range(2000, 2101)


# -- helpers ---------------------------------------------------------------------------------


def parse_day(request) -> tuple[dt.date | None, str]:
    """The ``?date=`` of the request: (day or None, an error message or "")."""
    raw = (request.GET.get("date") or "").strip()
    if not raw:
        return None, ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or len(raw) != 10 or day.year not in YEARS:
        return None, _(
            "“%(value)s” is not a date this page understands. Write it as YYYY-MM-DD, "
            "for example 2020-09-30."
        ) % {"value": raw}
    return day, ""


def school_for(request, code: str) -> School:
    """The school of the URL, for any logged-in user of it (404 to others); the federation
    switches to the school it opens."""
    viewer = request.viewer
    school = get_school_for_viewer(code, viewer)
    if viewer.sees_all_schools and (viewer.school is None or viewer.school.pk != school.pk):
        request.session["school_code"] = school.code
        viewer.school = school
    return school


def may_assess(viewer, school: School) -> bool:
    return viewer.is_federation or viewer.has_school_office(school)


def may_edit(viewer, school: School) -> bool:
    return viewer.is_league_committee(school)


def assessment_school(request, code: str) -> School:
    school = school_for(request, code)
    if not may_assess(request.viewer, school):
        raise PermissionDenied
    return school


FIGURE_UNITS = {
    "staff_total": pgettext_lazy("unit", "people"),
    "presidium_size": pgettext_lazy("unit", "people"),
    "department_count": pgettext_lazy("unit", "departments"),
}


def display(value, *, limit: bool = False) -> str:
    """An item's actual or limit as the page shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        mark = "≤ " if limit else ""
        return " · ".join(
            f"{FIGURE_LABELS.get(k, k)} "
            + (str(_("no limit")) if v is None else f"{mark}{v} {FIGURE_UNITS.get(k, '')}".strip())
            for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def item_rows(report: Report, *, evidence: bool = True, viewer=None) -> list[dict]:
    labels = evidence_labels(report) if evidence else {}
    checks = {id(item): check for check, item in items_by_check(report).items()}
    rows = []
    for item in report.items:
        check = checks.get(id(item))
        described = describe(check, item)
        actual, limit = described or (display(item.actual), display(item.limit, limit=True))
        row = {
            "item": item,
            "check": check,
            "actual": actual,
            "limit": limit,
            "fix": fix_link(report.school, check, item, viewer) if evidence else None,
            "status": STATUS_LABELS.get(item.status, item.status),
            "tag": STATUS_TAGS.get(item.status, ""),
        }
        if evidence:
            row["evidence"] = [
                (labels.get(e, e), e if e.startswith("/") else None) for e in item.evidence
            ]
        rows.append(row)
    return rows


# -- pages -----------------------------------------------------------------------------------


NAME_READERS = {Role.SCHOOL_LEAGUE, Role.STUDENT_AFFAIRS}


@login_required_page
def compliance(request, school: str):
    school_obj = school_for(request, school)
    day, error = parse_day(request)
    day = day or timezone.localdate()
    ctx = build_context(school_obj, day)
    unions = []
    for s in ctx.structures:
        rows = union_rules(s, ctx.rules) if ctx.charter else []
        unions.append(
            {
                "s": s,
                "rows": rows,
                "breaches": sum(1 for r in rows if not r.ok),
                "chart": compliance_chart(s.union.name, rows),
            }
        )
    context = {
        "school": school_obj,
        "day": day,
        "date_error": error,
        "charter": ctx.charter,
        "unions": unions,
        "breaches": sum(u["breaches"] for u in unions),
        "may_assess": may_assess(request.viewer, school_obj),
        # Who breaks the political-status or academic rule reveals personal data: names only
        # for the League committee and Student Affairs; everyone else sees how many.
        "may_see_names": request.viewer.has_school_office(school_obj, NAME_READERS),
        "congress": ctx.congress,
        "congress_due": next_congress_due(ctx),
    }
    return render(request, "charter/compliance.html", context, status=400 if error else 200)


def next_congress_due(ctx) -> dt.date | None:
    """The last day the next congress may be held: the latest one plus the charter's interval."""
    if ctx.congress is None:
        return None
    held = ctx.congress.held_on
    months = held.month - 1 + ctx.rules.congress_interval_months
    year, month = held.year + months // 12, months % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(held.day, last_day))


@login_required_page
def assessment(request, school: str):
    school_obj = assessment_school(request, school)
    day, error = parse_day(request)
    report = assess(school_obj, day)
    record = Assessment.objects.filter(school=school_obj, year=report.day.year).first()
    written = {key for key, text in (record.narrative if record else {}).items() if text}
    figures = report.figures
    ratio = figures["from_college_unions_ratio"]
    context = {
        "school": school_obj,
        "report": report,
        "day": report.day,
        "date_error": error,
        "figures": figures,
        "ratio": f"{ratio * 100:.2f}%",
        "rows": item_rows(report, viewer=request.viewer),
        "core_open": [i.code for i in report.items if i.core and i.status != PASS],
        "record": record,
        "sections": [(label, key in written) for key, _h, label, _c in SECTIONS],
        "may_edit": may_edit(request.viewer, school_obj),
        "query": f"?date={report.day.isoformat()}",
    }
    return render(request, "charter/assessment.html", context, status=400 if error else 200)


def _download(request, school: str, kind: str):
    school_obj = assessment_school(request, school)
    day, error = parse_day(request)
    if error:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    with translation.override("zh-hans"):
        report = assess(school_obj, day)
    build, content_type = DOWNLOADS[kind]
    response = HttpResponse(build(report), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, documents.filename(report, kind)
    )
    return response


@login_required_page
def assessment_docx(request, school: str):
    return _download(request, school, "docx")


@login_required_page
def assessment_pdf(request, school: str):
    return _download(request, school, "pdf")


@login_required_page
def assessment_xlsx(request, school: str):
    return _download(request, school, "xlsx")


@login_required_page
def assessment_edit(request, school: str, year: int):
    school_obj = school_for(request, school)
    if not may_edit(request.viewer, school_obj):
        raise PermissionDenied
    if year not in YEARS:
        raise Http404
    record = Assessment.objects.filter(school=school_obj, year=year).first()
    today = timezone.localdate()
    if record is not None:
        initial = {"assessed_on": record.assessed_on, "published": record.published}
        initial.update({field_name(k): v for k, v in (record.narrative or {}).items()})
    else:
        default = today if today.year == year else dt.date(year, 12, 31)
        initial = {"assessed_on": default, "published": False}
    form = AssessmentForm(request.POST or None, initial=initial, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            saved = assessment_save(
                actor=request.user,
                school=school_obj,
                year=year,
                assessed_on=form.cleaned_data["assessed_on"],
                narrative=form.narrative(),
                published=form.cleaned_data["published"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("The self-assessment for %(year)s is saved.") % {"year": year}
            )
            url = reverse("charter:assessment", args=[school_obj.code])
            return redirect(f"{url}?date={saved.assessed_on.isoformat()}")
    preview_day = initial["assessed_on"]
    if form.is_bound and form.is_valid():
        preview_day = form.cleaned_data["assessed_on"]
    with translation.override("zh-hans"):
        outline = documents.outline_of(assess(school_obj, preview_day))
    generated = {s.key: s.paragraphs for s in outline.sections}
    context = {
        "school": school_obj,
        "year": year,
        "form": form,
        "record": record,
        "preview_day": preview_day,
        "sections": [(field, generated.get(key, [])) for key, field in form.sections()],
    }
    return render(request, "charter/assessment_edit.html", context)


def public_table(request, school: str, year: int):
    """The published self-assessment table: no login, no names, no personal data."""
    school_obj = School.objects.filter(code=school).first()
    if school_obj is None or year not in YEARS:
        raise Http404
    record = Assessment.objects.filter(school=school_obj, year=year, published=True).first()
    if record is None:
        raise Http404
    report = assess(school_obj, record.assessed_on)
    context = {
        "school": school_obj,
        "year": year,
        "report": report,
        "rows": item_rows(report, evidence=False),
    }
    return render(request, "charter/public_table.html", context)
