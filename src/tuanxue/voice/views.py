"""Student voice pages: submit and my demands (students), the reception-day desk (union staff),
the department queue and reply, the voice officers' overview, the demand page with its actions.

A demand the viewer may not see is a 404; an action they may not take on a demand they see is
a 403. The student's identity appears only where ``VoiceRights.sees_identity`` says so, or on
the one response that follows an officer's audited reveal.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.views import login_required_page
from tuanxue.voice import moderation, selectors, services
from tuanxue.voice.access import (
    departments_of,
    get_demand_for_rights,
    require,
    rights_for,
)
from tuanxue.voice.export import demands_workbook
from tuanxue.voice.forms import (
    AbuseDecisionForm,
    AnswerForm,
    DemandForm,
    DeskForm,
    ForwardForm,
    MergeForm,
    RateForm,
    ReasonForm,
    ReceptionForm,
)
from tuanxue.voice.models import AbuseReport, Demand, DemandStatus
from tuanxue.voice.services import may_reopen
from tuanxue.voice.setup import services as setup


def _rights(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    return school_obj, rights_for(request.viewer, school_obj)


def _detail_url(demand) -> str:
    return reverse("voice:demand", args=[demand.school.code, demand.pk])


# -- students --------------------------------------------------------------------------------


@login_required_page
def submit(request, school: str):
    school_obj, rights = _rights(request, school)
    require(rights.student is not None)
    form = DemandForm(
        request.POST or None, request.FILES or None, categories=selectors.categories(school_obj)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            demand = services.demand_submit(
                actor=request.user,
                school=school_obj,
                category=data["category"],
                title=data["title"],
                text=data["text"],
                confidential=data["confidential"],
                photos=data["photos"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request,
                _("Your demand %(ref)s was sent to %(dept)s.")
                % {"ref": demand.reference, "dept": demand.department.name},
            )
            return redirect(_detail_url(demand))
    return render(
        request,
        "voice/submit.html",
        {
            "school": school_obj,
            "form": form,
            "policy": setup.policy_for(school_obj),
            "rights": rights,
        },
    )


@login_required_page
def mine(request, school: str):
    school_obj, rights = _rights(request, school)
    require(rights.student is not None)
    return render(
        request,
        "voice/mine.html",
        {
            "school": school_obj,
            "demands": selectors.my_demands(rights),
            "rights": rights,
            "today": timezone.localdate(),
        },
    )


# -- the desk --------------------------------------------------------------------------------


@login_required_page
def desk(request, school: str):
    school_obj, rights = _rights(request, school)
    require(rights.may_record)
    days = selectors.desk_days(school_obj)
    form = DeskForm(
        request.POST or None,
        request.FILES or None,
        categories=selectors.categories(school_obj),
        days=days,
        departments=departments_of(school_obj),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            demand = services.demand_record(
                actor=request.user,
                reception_day=data["reception_day"],
                category=data["category"],
                department=data["department"],
                title=data["title"],
                text=data["text"],
                student_no=data["student_no"],
                confidential=data["confidential"],
                photos=data["photos"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(
                request,
                _("Demand %(ref)s recorded and sent to %(dept)s.")
                % {"ref": demand.reference, "dept": demand.department.name},
            )
            return redirect("voice:desk", school=school_obj.code)
    return render(
        request,
        "voice/desk.html",
        {
            "school": school_obj,
            "form": form,
            "days": days,
            "recorded": selectors.recorded_by(rights),
            "rights": rights,
        },
    )


# -- departments and officers ----------------------------------------------------------------


@login_required_page
def queue(request, school: str):
    school_obj, rights = _rights(request, school)
    require(rights.is_department_staff)
    return render(
        request,
        "voice/queue.html",
        {
            "school": school_obj,
            "open": selectors.department_queue(rights),
            "answered": selectors.department_answered(rights),
            "today": timezone.localdate(),
            "rights": rights,
        },
    )


@login_required_page
def queue_export(request, school: str):
    """The department's open and recently answered demands as an Excel file."""
    school_obj, rights = _rights(request, school)
    require(rights.is_department_staff)
    rows = selectors.department_queue(rights) + selectors.department_answered(rights)
    response = HttpResponse(
        demands_workbook(rows, rights),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"voice-{school_obj.code}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required_page
def officer(request, school: str):
    school_obj, rights = _rights(request, school)
    require(rights.sees_all)
    status = request.GET.get("status", "")
    if status not in DemandStatus.values:
        status = ""
    rows = selectors.all_demands(school_obj, status)
    reception = request.GET.get("reception", "")
    reception_day = None
    if reception.isdigit():
        reception_day = school_obj.reception_days.filter(pk=int(reception)).first()
        if reception_day is not None:
            rows = rows.filter(reception_day=reception_day)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "voice/officer.html",
        {
            "school": school_obj,
            "page": page,
            "status": status,
            "statuses": DemandStatus.choices,
            "reception_day": reception_day,
            "reports": selectors.open_abuse_reports(school_obj),
            "rights": rights,
            "decision_form": AbuseDecisionForm(),
            "today": timezone.localdate(),
        },
    )


@login_required_page
@require_POST
def abuse_decide(request, school: str, report_id: int):
    school_obj, rights = _rights(request, school)
    report = (
        AbuseReport.objects.select_related("demand__school")
        .filter(pk=report_id, demand__school=school_obj)
        .first()
    )
    if report is None or not rights.sees_all:
        raise Http404
    require(rights.may_decide_abuse)
    form = AbuseDecisionForm(request.POST)
    if form.is_valid():
        try:
            moderation.abuse_decide(
                actor=request.user,
                report=report,
                uphold=form.cleaned_data["uphold"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, _("Choose uphold or dismiss."))
    return redirect("voice:officer", school=school_obj.code)


# -- one demand ------------------------------------------------------------------------------


def _demand_context(request, school_obj, rights, demand: Demand, **extra) -> dict:
    forward_departments = [d for d in departments_of(school_obj) if d.pk != demand.department_id]
    context = {
        "school": school_obj,
        "d": demand,
        "rights": rights,
        "show_identity": rights.sees_identity(demand),
        "is_owner": rights.is_owner(demand),
        "revealed": None,
        "steps": list(demand.steps.select_related("department")),
        "photos": list(demand.photos.all()),
        "may_answer": rights.may_answer(demand),
        "may_forward": rights.may_forward(demand) and bool(forward_departments),
        "may_merge": rights.may_merge(demand),
        "may_rate": rights.may_rate(demand),
        "may_reopen": rights.is_owner(demand) and may_reopen(demand),
        "may_reveal": rights.may_reveal(demand),
        "may_report": rights.may_report(demand),
        "answer_form": AnswerForm(),
        "forward_form": ForwardForm(departments=forward_departments),
        "rate_form": RateForm(),
        "reason_form": ReasonForm(),
        "merge_form": MergeForm(),
        "reveals": list(demand.reveals.select_related("user")) if rights.officer else [],
        "merged_in": list(demand.duplicates.all()) if rights.sees_all else [],
    }
    context.update(extra)
    return context


@login_required_page
def demand(request, school: str, demand_id: int):
    school_obj, rights = _rights(request, school)
    row = get_demand_for_rights(demand_id, rights)
    return render(request, "voice/demand.html", _demand_context(request, school_obj, rights, row))


def _action(request, school: str, demand_id: int, allowed, form_class, run, form_key, **kw):
    """POST an action on a demand: 404 unseen, 403 not allowed, the form again on bad input."""
    school_obj, rights = _rights(request, school)
    row = get_demand_for_rights(demand_id, rights)
    require(allowed(rights, row))
    form = form_class(request.POST, **kw)
    if form.is_valid():
        try:
            result = run(row, form.cleaned_data)
        except DomainError as exc:
            if exc.code == "state":  # the form may be gone from the page: say it on top
                refuse_message(request, exc)
            else:
                refuse_form(form, exc)
        else:
            return result
    context = _demand_context(request, school_obj, rights, row, **{form_key: form})
    return render(request, "voice/demand.html", context, status=400)


@login_required_page
@require_POST
def demand_answer(request, school: str, demand_id: int):
    def run(row, data):
        services.demand_answer(actor=request.user, demand=row, **data)
        messages.success(request, _("Answer sent to the student."))
        return redirect(_detail_url(row))

    return _action(
        request, school, demand_id, lambda r, d: r.answers_for(d), AnswerForm, run, "answer_form"
    )


@login_required_page
@require_POST
def demand_forward(request, school: str, demand_id: int):
    school_obj = get_school_for_viewer(school, request.viewer)

    def run(row, data):
        services.demand_forward(
            actor=request.user, demand=row, department=data["department"], reason=data["reason"]
        )
        messages.success(request, _("Forwarded to %(dept)s.") % {"dept": data["department"]})
        rights = rights_for(request.viewer, school_obj)
        row.department = data["department"]
        if rights.may_see(row):
            return redirect(_detail_url(row))
        return redirect("voice:queue", school=school_obj.code)

    return _action(
        request,
        school,
        demand_id,
        lambda r, d: r.may_forward_role(d),
        ForwardForm,
        run,
        "forward_form",
        departments=departments_of(school_obj),
    )


@login_required_page
@require_POST
def demand_rate(request, school: str, demand_id: int):
    def run(row, data):
        services.demand_rate(actor=request.user, demand=row, **data)
        messages.success(request, _("Thank you for your rating."))
        return redirect(_detail_url(row))

    return _action(
        request, school, demand_id, lambda r, d: r.is_owner(d), RateForm, run, "rate_form"
    )


@login_required_page
@require_POST
def demand_reopen(request, school: str, demand_id: int):
    def run(row, data):
        services.demand_reopen(actor=request.user, demand=row, reason=data["reason"])
        messages.success(request, _("Reopened: the department has a new deadline."))
        return redirect(_detail_url(row))

    return _action(
        request,
        school,
        demand_id,
        lambda r, d: r.is_owner(d),
        ReasonForm,
        run,
        "reason_form",
    )


@login_required_page
@require_POST
def demand_merge(request, school: str, demand_id: int):
    school_obj, rights = _rights(request, school)

    def run(row, data):
        into = Demand.objects.filter(pk=data["into"], school=school_obj).first()
        if into is None or not rights.may_see(into):
            raise DomainError(_("No demand with this reference."), field="into")
        target = services.demand_merge(
            actor=request.user, duplicate=row, into=into, reason=data["reason"]
        )
        messages.success(
            request,
            _("Merged into %(ref)s (%(n)d supporters).")
            % {"ref": target.reference, "n": target.supporters},
        )
        return redirect(_detail_url(target))

    return _action(
        request, school, demand_id, lambda r, d: r.may_merge_role(d), MergeForm, run, "merge_form"
    )


@login_required_page
@require_POST
def demand_reveal(request, school: str, demand_id: int):
    """Shows the identity on this response only; the reveal is recorded with its reason."""
    school_obj, rights = _rights(request, school)
    row = get_demand_for_rights(demand_id, rights)
    require(rights.may_reveal(row))
    form = ReasonForm(request.POST)
    revealed = None
    if form.is_valid():
        try:
            revealed = moderation.identity_reveal(
                actor=request.user, demand=row, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
    context = _demand_context(request, school_obj, rights, row, reason_form=form)
    context["revealed"] = revealed
    context["reveals"] = list(row.reveals.select_related("user"))
    response = render(request, "voice/demand.html", context, status=200 if revealed else 400)
    response["Cache-Control"] = "no-store"
    return response


@login_required_page
@require_POST
def demand_report(request, school: str, demand_id: int):
    def run(row, data):
        moderation.abuse_report(actor=request.user, demand=row, reason=data["reason"])
        messages.success(request, _("Reported to the League committee."))
        return redirect(_detail_url(row))

    return _action(
        request, school, demand_id, lambda r, d: r.may_report(d), ReasonForm, run, "reason_form"
    )


@login_required_page
def photo(request, school: str, demand_id: int, photo_id: int):
    _school_obj, rights = _rights(request, school)
    row = get_demand_for_rights(demand_id, rights)
    item = row.photos.filter(pk=photo_id).first()
    if item is None:
        raise Http404
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# -- reception days --------------------------------------------------------------------------


@login_required_page
def reception_new(request, school: str):
    school_obj, rights = _rights(request, school)
    require(rights.may_configure)
    form = ReceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        numbers = data.pop("members").split()
        members = list(school_obj.students.filter(student_no__in=numbers))
        missing = sorted(set(numbers) - {m.student_no for m in members})
        staff_numbers = data.pop("teachers").split()
        teachers = list(school_obj.staff.filter(staff_no__in=staff_numbers))
        missing_staff = sorted(set(staff_numbers) - {t.staff_no for t in teachers})
        if missing:
            form.add_error(
                "members",
                _("No student of this school has the number %(no)s.") % {"no": ", ".join(missing)},
            )
        elif missing_staff:
            form.add_error(
                "teachers",
                _("No staff member of this school has the number %(no)s.")
                % {"no": ", ".join(missing_staff)},
            )
        else:
            try:
                setup.reception_day_create(
                    actor=request.user,
                    school=school_obj,
                    members=members,
                    teachers=teachers,
                    **data,
                )
            except DomainError as exc:
                refuse_form(form, exc)
            else:
                messages.success(request, _("Reception day scheduled."))
                return redirect("voice:reception", school=school_obj.code)
    return render(request, "voice/reception_new.html", {"school": school_obj, "form": form})
