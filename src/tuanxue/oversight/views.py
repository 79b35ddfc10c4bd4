"""Pages of the oversight records (League committee edits; the school offices, the federation
and the school union's presidium read) and of the filing register (a union's presidium files;
the League committee decides)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.org.views import login_required_page
from tuanxue.oversight import filing as filing_services
from tuanxue.oversight import selectors
from tuanxue.oversight import services as s
from tuanxue.oversight.access import (
    filing_unions,
    get_filing_for_viewer,
    get_filings_school,
    get_oversight_school,
    get_record_for_viewer,
    may_write_records,
    presidium_union_ids,
    sees_all_filings,
)
from tuanxue.oversight.forms import (
    AssignmentForm,
    DecisionForm,
    FilingForm,
    HearingForm,
    LectureForm,
    PlanForm,
)
from tuanxue.oversight.models import FilingKind, FilingStatus


def _back():
    return ("oversight:index", _("Party and League oversight"))


@login_required_page
def index(request, school: str):
    school_obj = get_oversight_school(school, request.viewer)
    return render(
        request,
        "oversight/index.html",
        {
            "school": school_obj,
            "may_write": may_write_records(request.viewer, school_obj),
            **selectors.records_of(school_obj),
        },
    )


# -- one table of what each kind of record needs ---------------------------------------------


def _hearing_initial(r):
    return {
        "union": r.union_id,
        "held_on": r.held_on,
        "meeting": r.meeting,
        "topics": r.topics,
        "summary": r.summary,
    }


KINDS = {
    "hearing": {
        "form": HearingForm,
        "school_form": True,
        "add": lambda actor, school, d: s.hearing_add(
            actor=actor, school=school, upload=d.pop("minutes", None) or None, **d
        ),
        "update": lambda actor, r, d: s.hearing_update(
            actor=actor, hearing=r, upload=d.pop("minutes", None) or None, **d
        ),
        "delete": lambda actor, r: s.hearing_delete(actor=actor, hearing=r),
        "initial": _hearing_initial,
    },
    "lecture": {
        "form": LectureForm,
        "school_form": False,
        "add": lambda actor, school, d: s.lecture_add(actor=actor, school=school, **d),
        "update": lambda actor, r, d: s.lecture_update(actor=actor, lecture=r, **d),
        "delete": lambda actor, r: s.lecture_delete(actor=actor, lecture=r),
        "initial": lambda r: {
            "given_on": r.given_on,
            "occasion": r.occasion,
            "leader": r.leader,
            "title": r.title,
        },
    },
    "plan": {
        "form": PlanForm,
        "school_form": False,
        "add": lambda actor, school, d: s.plan_add(actor=actor, school=school, **d),
        "update": lambda actor, r, d: s.plan_update(actor=actor, plan=r, **d),
        "delete": lambda actor, r: s.plan_delete(actor=actor, plan=r),
        "initial": lambda r: {"year": r.year, "document": r.document, "excerpt": r.excerpt},
    },
    "assignment": {
        "form": AssignmentForm,
        "school_form": True,
        "add": lambda actor, school, d: s.assignment_add(actor=actor, school=school, **d),
        "update": lambda actor, r, d: s.assignment_update(actor=actor, assignment=r, **d),
        "delete": lambda actor, r: s.assignment_delete(actor=actor, assignment=r),
        "initial": lambda r: {
            "union": r.union_id,
            "kind": r.kind,
            "leader": r.leader,
            "position": r.position,
            "start": r.start,
            "end": r.end,
        },
    },
}


def _headings(kind: str) -> tuple[str, str]:
    return {
        "hearing": (_("Record a report heard by the Party committee"), _("Report heard")),
        "lecture": (_("Record a leader's lecture"), _("Leader's lecture")),
        "plan": (_("Record a work plan naming the union"), _("Work plan")),
        "assignment": (_("Record a school leader assigned to the union"), _("Leader assigned")),
    }[kind]


def _form(kind, school, *args, **kwargs):
    spec = KINDS[kind]
    if spec["school_form"]:
        kwargs["school"] = school
    return spec["form"](*args, **kwargs)


def _form_page(request, school, form, heading):
    return render(
        request,
        "charter/records/form.html",
        {"school": school, "form": form, "heading": heading, "back": _back()},
    )


@login_required_page
def record_new(request, school: str, kind: str):
    if kind not in KINDS:
        raise Http404
    school_obj = get_oversight_school(school, request.viewer, write=True)
    form = _form(kind, school_obj, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            KINDS[kind]["add"](request.user, school_obj, dict(form.cleaned_data))
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("oversight:index", school=school_obj.code)
    return _form_page(request, school_obj, form, _headings(kind)[0])


@login_required_page
def record_edit(request, school: str, kind: str, record_id: int):
    if kind not in KINDS:
        raise Http404
    school_obj, record = get_record_for_viewer(school, kind, record_id, request.viewer, write=True)
    form = _form(
        kind,
        school_obj,
        request.POST or None,
        request.FILES or None,
        initial=KINDS[kind]["initial"](record),
    )
    if request.method == "POST" and form.is_valid():
        try:
            KINDS[kind]["update"](request.user, record, dict(form.cleaned_data))
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("oversight:index", school=school_obj.code)
    return _form_page(request, school_obj, form, f"{_headings(kind)[1]}：{record}")


@login_required_page
def record_delete(request, school: str, kind: str, record_id: int):
    if kind not in KINDS:
        raise Http404
    school_obj, record = get_record_for_viewer(school, kind, record_id, request.viewer, write=True)
    if request.method == "POST":
        try:
            KINDS[kind]["delete"](request.user, record)
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(request, _("Deleted."))
        return redirect("oversight:index", school=school_obj.code)
    return render(
        request,
        "charter/records/confirm_delete.html",
        {
            "school": school_obj,
            "heading": _("Delete %(what)s?") % {"what": _headings(kind)[1]},
            "what": str(record),
            "back": _back(),
        },
    )


@login_required_page
def hearing_minutes(request, school: str, record_id: int):
    _school, record = get_record_for_viewer(school, "hearing", record_id, request.viewer)
    if not record.minutes:
        raise Http404
    return FileResponse(
        record.minutes.open("rb"), as_attachment=True, filename=record.file_name or "minutes"
    )


# -- filings ---------------------------------------------------------------------------------


def _union_scope(viewer, school):
    """None for the school offices (every union), else the unions whose presidium they are."""
    return None if sees_all_filings(viewer, school) else presidium_union_ids(viewer, school)


@login_required_page
def filings(request, school: str):
    school_obj = get_filings_school(school, request.viewer)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    status = status if status in FilingStatus.values else ""
    kind = kind if kind in FilingKind.values else ""
    rows = selectors.filing_register(
        school_obj, union_ids=_union_scope(request.viewer, school_obj), status=status, kind=kind
    )
    return render(
        request,
        "oversight/filings.html",
        {
            "school": school_obj,
            "rows": rows,
            "status": status,
            "kind": kind,
            "statuses": FilingStatus.choices,
            "kinds": FilingKind.choices,
            "may_file": bool(filing_unions(request.viewer, school_obj)),
            "decides": request.viewer.is_league_committee(school_obj),
        },
    )


def _filing_form_page(request, school, form, heading):
    return render(
        request,
        "charter/records/form.html",
        {
            "school": school,
            "form": form,
            "heading": heading,
            "back": ("oversight:filings", _("Filings")),
        },
    )


@login_required_page
def filing_new(request, school: str):
    school_obj = get_filings_school(school, request.viewer)
    unions = filing_unions(request.viewer, school_obj)
    if not unions:
        raise PermissionDenied
    form = FilingForm(
        request.POST or None,
        unions=unions,
        initial={"union": unions[0].pk, "kind": request.GET.get("kind", FilingKind.MATTER)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            filing = filing_services.filing_submit(actor=request.user, **data)
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Filed with the League committee."))
            return redirect("oversight:filing", school=school_obj.code, filing_id=filing.pk)
    return _filing_form_page(request, school_obj, form, _("File a matter"))


@login_required_page
def filing_detail(request, school: str, filing_id: int):
    filing = get_filing_for_viewer(school, filing_id, request.viewer)
    decides = request.viewer.is_league_committee(filing.school)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not decides:
            raise PermissionDenied
        if form.is_valid():
            try:
                filing_services.filing_decide(
                    actor=request.user,
                    filing=filing,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                refuse_form(form, exc)
            else:
                messages.success(request, _("Decided."))
                return redirect("oversight:filings", school=filing.school.code)
    return render(
        request,
        "oversight/filing.html",
        {
            "school": filing.school,
            "filing": filing,
            "reviews": list(filing.reviews.select_related("actor")),
            "form": form if decides and filing.status == FilingStatus.FILED else None,
            "may_refile": filing.status == FilingStatus.RETURNED
            and filing.union_id in presidium_union_ids(request.viewer, filing.school),
        },
    )


@login_required_page
def filing_refile(request, school: str, filing_id: int):
    filing = get_filing_for_viewer(school, filing_id, request.viewer)
    unions = filing_unions(request.viewer, filing.school)
    if filing.union_id not in {u.pk for u in unions}:
        raise PermissionDenied
    form = FilingForm(
        request.POST or None,
        unions=unions,
        initial={
            "union": filing.union_id,
            "kind": filing.kind,
            "title": filing.title,
            "occurs_on": filing.occurs_on,
            "counterpart": filing.counterpart,
            "content": filing.content,
        },
    )
    form.fields["union"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("union")
        try:
            filing_services.filing_resubmit(actor=request.user, filing=filing, **data)
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Filed again."))
            return redirect("oversight:filing", school=filing.school.code, filing_id=filing.pk)
    return _filing_form_page(request, filing.school, form, _("File again: %(t)s") % {"t": filing})


@login_required_page
def activity_filing(request, school: str, activity_id: int):
    """A filed activity seen from the register; the League committee decides here too."""
    from tuanxue.activities.models import Activity, ActivityStatus

    school_obj = get_filings_school(school, request.viewer)
    activity = (
        Activity.objects.select_related("organiser_body__union", "organiser_society", "school")
        .filter(pk=activity_id, school=school_obj)
        .first()
    )
    if activity is None or not (activity.is_major or activity.external_contact.strip()):
        raise Http404
    scope = _union_scope(request.viewer, school_obj)
    if scope is not None and (
        activity.organiser_body is None or activity.organiser_body.union_id not in scope
    ):
        raise Http404
    decides = request.viewer.is_league_committee(school_obj)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not decides:
            raise PermissionDenied
        if form.is_valid():
            try:
                filing_services.activity_filing_decide(
                    actor=request.user,
                    activity=activity,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                refuse_form(form, exc)
            else:
                messages.success(request, _("Decided."))
                return redirect("oversight:filings", school=school_obj.code)
    return render(
        request,
        "oversight/activity_filing.html",
        {
            "school": school_obj,
            "activity": activity,
            "decisions": list(activity.filings.select_related("actor")),
            "form": form if decides and activity.status == ActivityStatus.FILED else None,
        },
    )
