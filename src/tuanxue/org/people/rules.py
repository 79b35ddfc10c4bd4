"""Who may see and change a school's people, roles and accounts. One home for each rule: the
services enforce these, the views and templates ask the same questions."""

from __future__ import annotations

from tuanxue.core.models import School
from tuanxue.org.access import Viewer
from tuanxue.org.models import Role

SCHOOL_SCOPED = (
    Role.SCHOOL_LEAGUE,
    Role.STUDENT_AFFAIRS,
    Role.SCHOOL_PARTY,
    Role.SCHOOL_DEPARTMENT,
)
COLLEGE_SCOPED = (Role.COLLEGE_LEAGUE, Role.COLLEGE_PARTY)
CLASS_SCOPED = (Role.LEAGUE_BRANCH,)
# Roles given on the people pages and with `tuanxue role`, in the order they are offered.
GRANTABLE = (*SCHOOL_SCOPED, *COLLEGE_SCOPED, *CLASS_SCOPED)


def scope_of(role: str) -> str:
    if role in SCHOOL_SCOPED:
        return "school"
    if role in COLLEGE_SCOPED:
        return "college"
    return "class"


def league_college_ids(viewer: Viewer, school: School) -> set[int]:
    """The colleges whose League committee this viewer is."""
    return {
        g.college_id
        for g in viewer.grants_for(Role.COLLEGE_LEAGUE)
        if g.school_id == school.pk and g.college_id
    }


def office_college_ids(viewer: Viewer, school: School) -> set[int]:
    return {
        g.college_id
        for g in viewer.grants_for(Role.COLLEGE_LEAGUE, Role.COLLEGE_PARTY)
        if g.school_id == school.pk and g.college_id
    }


# -- roles -----------------------------------------------------------------------------------


def may_grant(viewer: Viewer, school: School, role: str, college_id: int | None) -> bool:
    """The school League committee gives every grantable role; a college League committee
    gives its own college's roles and its classes' League branch secretaries."""
    if role not in GRANTABLE:
        return False
    if viewer.is_league_committee(school):
        return True
    return role not in SCHOOL_SCOPED and college_id in league_college_ids(viewer, school)


def may_manage_roles(viewer: Viewer, school: School) -> bool:
    return viewer.is_league_committee(school) or bool(league_college_ids(viewer, school))


def may_see_roles(viewer: Viewer, school: School) -> bool:
    return (
        may_manage_roles(viewer, school)
        or viewer.has_school_office(school)
        or bool(office_college_ids(viewer, school))
    )


# -- staff records ---------------------------------------------------------------------------


def may_see_staff(viewer: Viewer, school: School) -> bool:
    """Staff phone numbers and e-mail: the school offices and the college offices."""
    return viewer.has_school_office(school) or bool(office_college_ids(viewer, school))


def may_edit_staff(viewer: Viewer, school: School) -> bool:
    return viewer.can_manage_registry(school)


# -- accounts --------------------------------------------------------------------------------


def may_manage_accounts(viewer: Viewer, school: School) -> bool:
    return viewer.is_league_committee(school) or bool(league_college_ids(viewer, school))


def may_see_accounts(viewer: Viewer, school: School) -> bool:
    return may_manage_accounts(viewer, school) or viewer.has_school_office(school)


def account_colleges(viewer: Viewer, school: School) -> set[int] | None:
    """The colleges whose people's accounts this viewer looks after; None means every one."""
    if viewer.is_league_committee(school):
        return None
    return league_college_ids(viewer, school)


def may_see_people(viewer: Viewer) -> bool:
    """Whether the menu offers the people pages (staff, roles, accounts) of the viewer's school."""
    return viewer.school is not None and (
        may_see_roles(viewer, viewer.school) or may_see_staff(viewer, viewer.school)
    )
