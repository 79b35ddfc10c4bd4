"""Who may see and change the oversight records and filings.

Oversight records (reports heard, lectures, work plans, leaders assigned): the school League
committee writes; the other school offices (Student Affairs, the Party committee), the
federation and the school union's presidium read; everyone else is told the page does not exist.

Filings: a union's presidium files for its union and reads its union's filings; the school
League committee decides on every filing; the other school offices read them all.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tuanxue.core.models import School
from tuanxue.org.access import Viewer, get_school_for_viewer
from tuanxue.org.models import PRESIDIUM_TITLES, Union
from tuanxue.oversight.models import (
    Filing,
    LeaderAssignment,
    LeaderLecture,
    ReportHearing,
    WorkPlan,
)

RECORD_MODELS = {
    "hearing": ReportHearing,
    "lecture": LeaderLecture,
    "plan": WorkPlan,
    "assignment": LeaderAssignment,
}


def presidium_union_ids(viewer: Viewer, school: School) -> set[int]:
    """The unions of ``school`` whose presidium the viewer sits on."""
    return {
        p.union_id for p in viewer.posts if p.title in PRESIDIUM_TITLES and p.school_id == school.pk
    }


def may_read_records(viewer: Viewer, school: School) -> bool:
    if viewer.is_federation or viewer.has_school_office(school):
        return True
    return any(
        p.title in PRESIDIUM_TITLES and p.school_id == school.pk and p.union.college_id is None
        for p in viewer.posts
    )


def may_write_records(viewer: Viewer, school: School) -> bool:
    return viewer.is_league_committee(school)


def get_oversight_school(code: str, viewer: Viewer, *, write: bool = False) -> School:
    school = get_school_for_viewer(code, viewer)
    if not may_read_records(viewer, school):
        raise Http404
    if write and not may_write_records(viewer, school):
        raise PermissionDenied
    return school


def get_record_for_viewer(code: str, kind: str, record_id: int, viewer: Viewer, *, write=False):
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise Http404
    school = get_oversight_school(code, viewer, write=write)
    record = model.objects.filter(pk=record_id, school=school).first()
    if record is None:
        raise Http404
    return school, record


# -- filings ---------------------------------------------------------------------------------


def sees_all_filings(viewer: Viewer, school: School) -> bool:
    """The school offices and the federation read every union's filings."""
    return viewer.is_federation or viewer.has_school_office(school)


def may_see_filings(viewer: Viewer, school: School) -> bool:
    return sees_all_filings(viewer, school) or bool(presidium_union_ids(viewer, school))


def filing_unions(viewer: Viewer, school: School) -> list[Union]:
    """The unions the viewer may file for: those whose presidium they sit on."""
    ids = presidium_union_ids(viewer, school)
    return list(
        Union.objects.filter(pk__in=ids).select_related("college").order_by("college__order")
    )


def get_filings_school(code: str, viewer: Viewer) -> School:
    school = get_school_for_viewer(code, viewer)
    if not may_see_filings(viewer, school):
        raise Http404
    return school


def may_see_filing(viewer: Viewer, filing: Filing) -> bool:
    return sees_all_filings(viewer, filing.school) or filing.union_id in presidium_union_ids(
        viewer, filing.school
    )


def get_filing_for_viewer(
    code: str, filing_id: int, viewer: Viewer, *, decide: bool = False
) -> Filing:
    school = get_school_for_viewer(code, viewer)
    filing = (
        Filing.objects.select_related("union", "school", "filed_by")
        .filter(pk=filing_id, school=school)
        .first()
    )
    if filing is None or not may_see_filing(viewer, filing):
        raise Http404
    if decide and not viewer.is_league_committee(school):
        raise PermissionDenied
    return filing
