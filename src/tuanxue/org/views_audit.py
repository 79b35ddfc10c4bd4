"""The audit log pages: the school's log, and one object's history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from tuanxue.core.models import AuditEvent
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.views import login_required_page


def _school_for_audit(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    if not request.viewer.can_see_audit(school_obj):
        # Members of the school may know the log exists, but may not read it.
        raise PermissionDenied
    return school_obj


@login_required_page
def audit_log(request, school: str):
    school_obj = _school_for_audit(request, school)
    events = AuditEvent.objects.filter(school=school_obj).order_by("-id")
    action = (request.GET.get("action") or "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    from tuanxue.core.views_checkpoints import may_download_checkpoints

    context = {
        "school": school_obj,
        "page": page,
        "action": action,
        "checkpoints": may_download_checkpoints(request.viewer, school_obj),
    }
    return render(request, "org/audit.html", context)


@login_required_page
def object_history(request, school: str, target_type: str, target_id: str):
    school_obj = _school_for_audit(request, school)
    events = list(
        AuditEvent.objects.filter(
            school=school_obj, target_type=target_type, target_id=target_id
        ).order_by("id")
    )
    if not events:
        raise Http404
    return render(
        request,
        "org/history.html",
        {"school": school_obj, "events": events, "label": events[-1].target_label},
    )
