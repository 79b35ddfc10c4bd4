"""Who may see and change the records pages: the school League committee writes; the school
offices (and the federation) read; everyone else is told the page does not exist."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tuanxue.charter.models import Attestation, CongressRecord
from tuanxue.core.models import School
from tuanxue.org.access import Viewer, get_school_for_viewer


def may_read(viewer: Viewer, school: School) -> bool:
    return viewer.is_federation or viewer.has_school_office(school)


def may_write(viewer: Viewer, school: School) -> bool:
    return viewer.is_league_committee(school)


def get_records_school(code: str, viewer: Viewer, *, write: bool = False) -> School:
    school = get_school_for_viewer(code, viewer)
    if not may_read(viewer, school):
        raise Http404
    if write and not may_write(viewer, school):
        raise PermissionDenied
    return school


def get_congress_record_for_viewer(
    code: str, record_id: int, viewer: Viewer, *, write: bool = False
) -> CongressRecord:
    school = get_records_school(code, viewer, write=write)
    record = (
        CongressRecord.objects.select_related("union", "school")
        .filter(pk=record_id, school=school)
        .first()
    )
    if record is None:
        raise Http404
    return record


def get_attestation_for_viewer(
    code: str, attestation_id: int, viewer: Viewer, *, write: bool = False
) -> Attestation:
    school = get_records_school(code, viewer, write=write)
    attestation = (
        Attestation.objects.select_related("school")
        .filter(pk=attestation_id, school=school)
        .first()
    )
    if attestation is None:
        raise Http404
    return attestation
