"""The League committee downloads the school's signed audit checkpoints, to keep outside the
database (``tuanxue audit verify --checkpoint FILE`` checks the log still extends them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from tuanxue.core import checkpoints, sealer
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.models import Role
from tuanxue.org.views import login_required_page

CHECKPOINT_KEEPERS = {Role.SCHOOL_LEAGUE}


def may_download_checkpoints(viewer, school) -> bool:
    return viewer.has_school_office(school, CHECKPOINT_KEEPERS)


@login_required_page
def checkpoints_download(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    if not may_download_checkpoints(request.viewer, school_obj):
        raise PermissionDenied
    sealer.seal_until_done(school_obj.pk, patience=2.0)
    fresh = checkpoints.current(school_obj)
    checkpoints.append(fresh)
    lines = [cp.to_line() for cp in checkpoints.from_file(school_obj.code)]
    response = HttpResponse("\n".join(lines) + "\n", content_type="application/jsonl")
    name = f"audit-checkpoints-{school_obj.code}-{timezone.localdate():%Y%m%d}.jsonl"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
