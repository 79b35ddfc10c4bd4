"""The audit log pages: the school's log, and one object's history, read as sentences."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tuanxue.core import auditlog
from tuanxue.core.chain import checkpoints, sealer
from tuanxue.core.models import AuditEvent
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.models import Role
from tuanxue.org.views import login_required_page

EVENTS_PER_PAGE = 50
# Who may download the signed checkpoints, to keep them outside the database.
CHECKPOINT_KEEPERS = {Role.SCHOOL_LEAGUE}


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
    events = AuditEvent.objects.filter(school=school_obj).order_by("-id")
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
        {
            "school": school_obj,
            "page": page,
            "lines": lines,
            "action": action,
            "groups": groups,
            "checkpoints": may_download_checkpoints(request.viewer, school_obj),
        },
    )


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


def may_download_checkpoints(viewer, school) -> bool:
    return viewer.has_school_office(school, CHECKPOINT_KEEPERS)


@login_required_page
def checkpoints_download(request, school: str):
    """The school's signed audit checkpoints (``tuanxue audit verify --checkpoint FILE`` checks
    that the log still extends them)."""
    school_obj = get_school_for_viewer(school, request.viewer)
    if not may_download_checkpoints(request.viewer, school_obj):
        raise PermissionDenied
    sealer.seal_until_done(school_obj.pk, patience=2.0)
    checkpoints.append(checkpoints.current(school_obj))
    lines = [cp.to_line() for cp in checkpoints.from_file(school_obj.code)]
    response = HttpResponse("\n".join(lines) + "\n", content_type="application/jsonl")
    name = f"audit-checkpoints-{school_obj.code}-{timezone.localdate():%Y%m%d}.jsonl"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
