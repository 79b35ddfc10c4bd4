"""Pages to record what the self-assessment reads from outside the system: the League committee's
guidance, documents (attestations) and congresses held before the platform."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tuanxue.charter import services as charter_services
from tuanxue.charter.models import Attestation, CongressRecord, Guidance
from tuanxue.charter.records import checks, services
from tuanxue.charter.records.access import (
    get_attestation_for_viewer,
    get_congress_record_for_viewer,
    get_records_school,
    may_write,
)
from tuanxue.charter.records.forms import AttestationForm, CongressRecordForm, GuidanceForm
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.org.access import get_union_for_viewer
from tuanxue.org.models import StaffPerson, Union
from tuanxue.org.views import login_required_page


def _form_page(request, school, form, *, heading, back, intro=""):
    return render(
        request,
        "charter/records/form.html",
        {"school": school, "form": form, "heading": heading, "back": back, "intro": intro},
    )


def _confirm_page(request, school, *, heading, what, back):
    return render(
        request,
        "charter/records/confirm_delete.html",
        {"school": school, "heading": heading, "what": what, "back": back},
    )


# -- guidance --------------------------------------------------------------------------------


@login_required_page
def guidance(request, school: str):
    school_obj = get_records_school(school, request.viewer)
    unions = list(
        Union.objects.filter(school=school_obj)
        .select_related("college", "guidance__advisor", "guidance__secretary_general")
        .order_by("college__order", "college__name")
    )
    rows = [(u, getattr(u, "guidance", None)) for u in unions]
    return render(
        request,
        "charter/records/guidance.html",
        {
            "school": school_obj,
            "rows": rows,
            "may_write": may_write(request.viewer, school_obj),
            "has_staff": StaffPerson.objects.filter(school=school_obj).exists(),
            "staff_url": reverse("people:staff", args=[school_obj.code]),
        },
    )


def _guidance_union(request, school: str, union_id: int):
    school_obj = get_records_school(school, request.viewer, write=True)
    union = get_union_for_viewer(union_id, request.viewer)
    if union.school_id != school_obj.pk:
        raise Http404
    return school_obj, union


@login_required_page
def guidance_edit(request, school: str, union_id: int):
    school_obj, union = _guidance_union(request, school, union_id)
    current = Guidance.objects.filter(union=union).first()
    initial = (
        {"advisor": current.advisor_id, "secretary_general": current.secretary_general_id}
        if current
        else None
    )
    form = GuidanceForm(request.POST or None, school=school_obj, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            charter_services.guidance_set(
                actor=request.user,
                union=union,
                advisor=form.cleaned_data["advisor"],
                secretary_general=form.cleaned_data["secretary_general"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request, _("The guidance of %(union)s is recorded.") % {"union": union.name}
            )
            return redirect("records:guidance", school=school_obj.code)
    intro = ""
    if not form.fields["advisor"].queryset.exists():
        intro = _(
            "No teacher is on the staff list yet. Add the teachers first, then come back to "
            "choose them here."
        )
    return _form_page(
        request,
        school_obj,
        form,
        heading=_("Guidance of %(union)s") % {"union": union.name},
        back=("records:guidance", _("League committee guidance")),
        intro=intro,
    )


@login_required_page
def guidance_clear(request, school: str, union_id: int):
    school_obj, union = _guidance_union(request, school, union_id)
    if request.method == "POST":
        try:
            services.guidance_clear(actor=request.user, union=union)
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(
                request,
                _("The guidance of %(union)s is no longer recorded.") % {"union": union.name},
            )
        return redirect("records:guidance", school=school_obj.code)
    return _confirm_page(
        request,
        school_obj,
        heading=_("Remove the guidance of %(union)s?") % {"union": union.name},
        what=_(
            "The advisor and secretary-general teachers of %(union)s will no longer be recorded; "
            "checklist item 13 will then fail until they are recorded again."
        )
        % {"union": union.name},
        back=("records:guidance", _("League committee guidance")),
    )


# -- documents -------------------------------------------------------------------------------


@login_required_page
def documents(request, school: str):
    school_obj = get_records_school(school, request.viewer)
    items = checks.attested_items()
    by_code: dict[str, list[Attestation]] = {}
    for a in Attestation.objects.filter(school=school_obj).order_by("item_code", "dated"):
        by_code.setdefault(a.item_code, []).append(a)
    seen, groups = set(), []
    for item in items:
        if item.code not in seen:
            seen.add(item.code)
            groups.append((item, by_code.pop(item.code, [])))
    others = [a for rows in by_code.values() for a in rows]
    return render(
        request,
        "charter/records/documents.html",
        {
            "school": school_obj,
            "groups": groups,
            "others": others,
            "may_write": may_write(request.viewer, school_obj),
        },
    )


@login_required_page
def document_new(request, school: str):
    school_obj = get_records_school(school, request.viewer, write=True)
    initial = {"item_code": request.GET.get("item")} if request.GET.get("item") else None
    form = AttestationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            attestation = charter_services.attestation_add(
                actor=request.user, school=school_obj, **form.fields_for_service()
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request, _("Document %(title)s is recorded.") % {"title": attestation.title}
            )
            return redirect("records:documents", school=school_obj.code)
    return _form_page(
        request,
        school_obj,
        form,
        heading=_("Record a document"),
        back=("records:documents", _("Documents")),
        intro=_(
            "Record the documents that show a checklist item is met where the facts live outside "
            "this system: minutes of a Party committee meeting, appointment letters, a filing "
            "register. The self-assessment cites each one."
        ),
    )


@login_required_page
def document_edit(request, school: str, attestation_id: int):
    attestation = get_attestation_for_viewer(school, attestation_id, request.viewer, write=True)
    form = AttestationForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "item_code": attestation.item_code,
            "title": attestation.title,
            "dated": attestation.dated,
            "summary": attestation.summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attestation_update(
                actor=request.user, attestation=attestation, **form.fields_for_service()
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("The document is saved."))
            return redirect("records:documents", school=attestation.school.code)
    return _form_page(
        request,
        attestation.school,
        form,
        heading=_("Edit document %(title)s") % {"title": attestation.title},
        back=("records:documents", _("Documents")),
    )


@login_required_page
def document_file(request, school: str, attestation_id: int):
    """The document's file, for those who may read the records (404 for anyone else)."""
    attestation = get_attestation_for_viewer(school, attestation_id, request.viewer)
    if not attestation.file:
        raise Http404
    try:
        handle = attestation.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=attestation.file_name or attestation.file.name
    )


@login_required_page
def document_delete(request, school: str, attestation_id: int):
    attestation = get_attestation_for_viewer(school, attestation_id, request.viewer, write=True)
    if request.method == "POST":
        try:
            services.attestation_delete(actor=request.user, attestation=attestation)
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(
                request, _("Document %(title)s was deleted.") % {"title": attestation.title}
            )
        return redirect("records:documents", school=attestation.school.code)
    return _confirm_page(
        request,
        attestation.school,
        heading=_("Delete document %(title)s?") % {"title": attestation.title},
        what=_(
            "Checklist item %(code)s will no longer cite it. The deletion is kept in the audit log."
        )
        % {"code": attestation.item_code},
        back=("records:documents", _("Documents")),
    )


# -- congresses ------------------------------------------------------------------------------


@login_required_page
def congresses(request, school: str):
    school_obj = get_records_school(school, request.viewer)
    rows = (
        CongressRecord.objects.filter(school=school_obj)
        .select_related("union")
        .order_by("-held_on", "pk")
    )
    return render(
        request,
        "charter/records/congresses.html",
        {
            "school": school_obj,
            "rows": rows,
            "may_write": may_write(request.viewer, school_obj),
        },
    )


def _congress_values(form) -> dict:
    return {k: form.cleaned_data[k] for k in form.fields}


@login_required_page
def congress_new(request, school: str):
    school_obj = get_records_school(school, request.viewer, write=True)
    union = Union.objects.filter(school=school_obj, college__isnull=True).first()
    form = CongressRecordForm(
        request.POST or None, school=school_obj, initial={"union": union, "elected_presidium": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = charter_services.congress_record_add(
                actor=request.user, school=school_obj, **_congress_values(form)
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("%(name)s is recorded.") % {"name": record.name})
            return redirect("records:congresses", school=school_obj.code)
    return _form_page(
        request,
        school_obj,
        form,
        heading=_("Record a congress held before"),
        back=("records:congresses", _("Congresses")),
        intro=_(
            "Congresses run in this system's congress module are recorded by it. Here, record "
            "those held before, from their minutes: checklist items 8 and 9 read the latest one."
        ),
    )


@login_required_page
def congress_edit(request, school: str, record_id: int):
    record = get_congress_record_for_viewer(school, record_id, request.viewer, write=True)
    form = CongressRecordForm(
        request.POST or None,
        school=record.school,
        initial={
            "union": record.union,
            "name": record.name,
            "held_on": record.held_on,
            "delegates": record.delegates,
            "elected_presidium": record.elected_presidium,
            "notes": record.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.congress_record_update(
                actor=request.user, record=record, **_congress_values(form)
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": form.cleaned_data["name"]})
            return redirect("records:congresses", school=record.school.code)
    return _form_page(
        request,
        record.school,
        form,
        heading=_("Edit %(name)s") % {"name": record.name},
        back=("records:congresses", _("Congresses")),
    )


@login_required_page
def congress_delete(request, school: str, record_id: int):
    record = get_congress_record_for_viewer(school, record_id, request.viewer, write=True)
    if request.method == "POST":
        try:
            services.congress_record_delete(actor=request.user, record=record)
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(request, _("%(name)s was deleted.") % {"name": record.name})
        return redirect("records:congresses", school=record.school.code)
    return _confirm_page(
        request,
        record.school,
        heading=_("Delete %(name)s?") % {"name": record.name},
        what=_(
            "The self-assessment will no longer count this congress. The deletion is kept in the "
            "audit log."
        ),
        back=("records:congresses", _("Congresses")),
    )
