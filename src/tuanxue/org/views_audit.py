"""The audit log pages: the school's log, and one object's history, read as sentences."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from tuanxue.core import auditlog
from tuanxue.core.models import AuditEvent
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.views import login_required_page

EVENTS_PER_PAGE = 50


def _school_for_audit(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    if not request.viewer.can_see_audit(school_obj):
        # Members of the school may know the log exists, but may not read it.
        raise PermissionDenied
    return school_obj


def _personal(request, school) -> bool:
    """Students' numbers inside labels only for the school's own offices (not the federation)."""
    return request.viewer.has_school_office(school)


@login_required_page
def audit_log(request, school: str):
    school_obj = _school_for_audit(request, school)
    events = AuditEvent.objects.filter(school=school_obj).order_by("-seq")
    groups = auditlog.groups()
    action = (request.GET.get("action") or "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    lines = auditlog.describe(
        page.object_list, school_code=school_obj.code, personal=_personal(request, school_obj)
    )
    return render(
        request,
        "org/audit.html",
        {"school": school_obj, "page": page, "lines": lines, "action": action, "groups": groups},
    )


@login_required_page
def object_history(request, school: str, target_type: str, target_id: str):
    school_obj = _school_for_audit(request, school)
    events = list(
        AuditEvent.objects.filter(
            school=school_obj, target_type=target_type, target_id=target_id
        ).order_by("seq")
    )
    if not events:
        raise Http404
    personal = _personal(request, school_obj)
    lines = auditlog.describe(events, school_code=school_obj.code, personal=personal)
    label = events[-1].target_label if personal else auditlog.mask_numbers(events[-1].target_label)
    return render(
        request,
        "org/history.html",
        {
            "school": school_obj,
            "lines": lines,
            "label": label,
            "target_url": lines[-1].target_url,
        },
    )
