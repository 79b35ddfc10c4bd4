"""Who may do what with duty reviews, discipline records and study sessions."""

from __future__ import annotations

from tuanxue.org.access import Viewer
from tuanxue.org.models import HEAD_TITLES, PRESIDIUM_TITLES, Union


def may_manage(viewer: Viewer, union: Union) -> bool:
    """Plan, staff, open, close and publish a review; record sanctions: the League committee
    (the school's, and for a college union also that college's)."""
    return viewer.guides_union(union)


def may_see_results(viewer: Viewer, union: Union) -> bool:
    """Every reviewee's grade: the League committee and the school offices."""
    return may_manage(viewer, union) or viewer.has_school_office(union.school)


def may_see_sheets(viewer: Viewer, union: Union) -> bool:
    """Individual score sheets, with the scorer's name: the League committee only."""
    return may_manage(viewer, union)


def is_presidium_of(viewer: Viewer, union: Union) -> bool:
    return any(p.union_id == union.pk and p.title in PRESIDIUM_TITLES for p in viewer.posts)


def is_member_of(viewer: Viewer, union: Union) -> bool:
    return any(p.union_id == union.pk for p in viewer.posts)


def headed_bodies(viewer: Viewer, union: Union) -> set[int]:
    return {p.body_id for p in viewer.posts if p.union_id == union.pk and p.title in HEAD_TITLES}


def may_run_study(viewer: Viewer, union: Union) -> bool:
    """Record study sessions, roll calls and meetings: the union's presidium and department
    heads, and the League committee."""
    return (
        may_manage(viewer, union)
        or is_presidium_of(viewer, union)
        or bool(headed_bodies(viewer, union))
    )


def may_see_union_records(viewer: Viewer, union: Union) -> bool:
    """Circulated notices, study sessions and meetings: members of the union and the offices."""
    return (
        is_member_of(viewer, union)
        or may_see_results(viewer, union)
        or (union.college_id is not None and union.college_id in viewer.college_office_ids())
    )
