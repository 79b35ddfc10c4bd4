"""Pages for cascading notices and tasks: the list, sending, a notice's page per level
(dashboard, forwarding, reading, reporting), reminders and report attachments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.linkage import access, selectors, services
from tuanxue.linkage.forms import ForwardForm, NoticeForm, ReportForm
from tuanxue.linkage.models import ClassCopy
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.models import ClassGroup, College
from tuanxue.org.views import login_required_page


def _school(request, code: str):
    """The school of the URL, for its own people only (``Viewer.belongs_to``)."""
    school = get_school_for_viewer(code, request.viewer)
    if not request.viewer.belongs_to(school):
        raise Http404
    return school


def _back(notice):
    return redirect("linkage:notice", notice.school.code, notice.pk)


@login_required_page
def notices(request, school: str):
    school_obj = _school(request, school)
    viewer = request.viewer
    classes = access.class_reader_ids(viewer, school_obj)
    colleges = access.college_reader_ids(viewer, school_obj)
    editable = (
        ClassGroup.objects.filter(Q(pk__in=classes) | Q(college_id__in=colleges))
        .filter(school=school_obj)
        .order_by("college__order", "name")[:300]
    )
    return render(
        request,
        "linkage/notices.html",
        {
            "school": school_obj,
            "notices": selectors.notices_for_viewer(viewer, school_obj),
            "may_send": access.may_send(viewer, school_obj),
            "my_classes": list(editable),
        },
    )


@login_required_page
def notice_new(request, school: str):
    school_obj = _school(request, school)
    senders = access.sender_choices(request.viewer, school_obj)
    if not senders:
        raise PermissionDenied
    colleges = list(College.objects.filter(school=school_obj))
    form = NoticeForm(request.POST or None, senders=senders, colleges=colleges)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [c for c in colleges if str(c.pk) in data["colleges"]] or None
        try:
            notice = services.notice_send(
                actor=request.user,
                school=school_obj,
                kind=data["kind"],
                sender=data["sender"],
                title=data["title"],
                body=data["body"],
                deadline=data["deadline"],
                colleges=chosen,
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Sent to %(n)s colleges.") % {"n": len(chosen or colleges)})
            return _back(notice)
    return render(
        request,
        "linkage/form.html",
        {"school": school_obj, "form": form, "heading": _("Send a notice or a task")},
    )


@login_required_page
def notice_detail(request, school: str, notice_id: int):
    viewer = request.viewer
    notice = access.get_notice_for_viewer(notice_id, school, viewer)
    school_obj = notice.school
    whole = access.sees_whole_school(viewer, school_obj)
    colleges = access.college_reader_ids(viewer, school_obj)
    board = selectors.dashboard(notice, college_ids=None if whole else colleges)
    forwarders = access.forwarder_college_ids(viewer, school_obj)
    readers = access.class_reader_ids(viewer, school_obj)
    my_colleges = [c for c in board.colleges.rows if c.college_id in forwarders]
    my_classes = list(
        ClassCopy.objects.filter(notice=notice, class_group_id__in=readers)
        .select_related("class_group", "college_copy__college")
        .prefetch_related("receipts")
    )
    for c in my_classes:
        c.read_by_me = any(r.user_id == request.user.pk for r in c.receipts.all())
    for c in my_colleges:
        c.read_by_me = any(r.user_id == request.user.pk for r in c.receipts.all())
        c.class_choices = list(ClassGroup.objects.filter(college_id=c.college_id))
    return render(
        request,
        "linkage/notice.html",
        {
            "school": school_obj,
            "notice": notice,
            "board": board,
            "show_board": whole or bool(colleges & {c.college_id for c in board.colleges.rows}),
            "whole": whole,
            "may_remind": access.may_send(viewer, school_obj),
            "my_colleges": my_colleges,
            "my_classes": my_classes,
            "now": timezone.now(),
        },
    )


def _college_copy(request, school, notice_id, college_id, *, write=True):
    notice = access.get_notice_for_viewer(notice_id, school, request.viewer)
    return access.get_college_copy(notice, college_id, request.viewer, write=write)


def _class_copy(request, school, notice_id, class_id, *, write=True):
    notice = access.get_notice_for_viewer(notice_id, school, request.viewer)
    return access.get_class_copy(notice, class_id, request.viewer, write=write)


@require_POST
@login_required_page
def college_forward(request, school: str, notice_id: int, college_id: int):
    copy = _college_copy(request, school, notice_id, college_id)
    classes = list(ClassGroup.objects.filter(college_id=copy.college_id))
    form = ForwardForm(request.POST, classes=classes)
    if not form.is_valid():
        messages.error(request, _("Check the classes chosen."))
        return _back(copy.notice)
    chosen = [c for c in classes if str(c.pk) in form.cleaned_data["classes"]] or None
    try:
        rows = services.college_forward(
            actor=request.user, copy=copy, addition=form.cleaned_data["addition"], classes=chosen
        )
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        messages.success(request, _("Forwarded to %(n)s classes.") % {"n": len(rows)})
    return _back(copy.notice)


@require_POST
@login_required_page
def college_read(request, school: str, notice_id: int, college_id: int):
    copy = _college_copy(request, school, notice_id, college_id)
    return _read(request, copy)


@require_POST
@login_required_page
def class_read(request, school: str, notice_id: int, class_id: int):
    copy = _class_copy(request, school, notice_id, class_id)
    return _read(request, copy)


def _read(request, copy):
    try:
        services.copy_read(actor=request.user, copy=copy)
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        messages.success(request, _("Marked as read."))
    return _back(copy.notice)


@login_required_page
def college_done(request, school: str, notice_id: int, college_id: int):
    copy = _college_copy(request, school, notice_id, college_id)
    return _report(request, copy, copy.college.name)


@login_required_page
def class_done(request, school: str, notice_id: int, class_id: int):
    copy = _class_copy(request, school, notice_id, class_id)
    return _report(request, copy, copy.class_group.name)


def _report(request, copy, unit: str):
    notice = copy.notice
    if not notice.is_task:
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.copy_report_done(
                actor=request.user,
                copy=copy,
                report=form.cleaned_data["report"],
                file=form.cleaned_data["file"],
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            messages.success(request, _("Reported done."))
            return _back(notice)
    return render(
        request,
        "linkage/form.html",
        {
            "school": notice.school,
            "form": form,
            "heading": _("Report %(title)s done for %(unit)s")
            % {"title": notice.title, "unit": unit},
            "notice": notice,
        },
    )


@require_POST
@login_required_page
def notice_remind(request, school: str, notice_id: int):
    notice = access.get_notice_for_viewer(notice_id, school, request.viewer)
    return _remind(request, notice, None)


@require_POST
@login_required_page
def college_remind(request, school: str, notice_id: int, college_id: int):
    copy = _college_copy(request, school, notice_id, college_id)
    return _remind(request, copy.notice, copy.college_id)


def _remind(request, notice, college_id):
    try:
        told = services.notice_remind(actor=request.user, notice=notice, college_id=college_id)
    except DomainError as exc:
        refuse_message(request, exc)
    else:
        messages.success(request, _("Reminded %(n)s people.") % {"n": told})
    return _back(notice)


def _file(copy):
    if not copy.report_file:
        raise Http404
    return FileResponse(copy.report_file.open("rb"), as_attachment=True)


@login_required_page
def college_file(request, school: str, notice_id: int, college_id: int):
    return _file(_college_copy(request, school, notice_id, college_id, write=False))


@login_required_page
def class_file(request, school: str, notice_id: int, class_id: int):
    return _file(_class_copy(request, school, notice_id, class_id, write=False))
