"""Who sends, forwards, reads and reports notices, and who edits a class's roles.

- The school sends: the school League committee, or a member of the school union's presidium.
- A college forwards: its League committee, or a member of its college union's presidium.
- A class reads and reports: its League branch secretary (the ``league_branch`` grant) and the
  students who hold a class role this term.
- The school offices (League committee, Student Affairs, Party committee) see every notice; a
  college's Party branch sees its college's copies. Anyone else gets 404 — the federation too:
  it reads every school's records, but notices and classes are the school's own business.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from tuanxue.core.models import School, Semester
from tuanxue.linkage.models import ClassCopy, ClassRole, CollegeCopy, Notice
from tuanxue.org.access import COLLEGE_OFFICES, Viewer
from tuanxue.org.models import PRESIDIUM_TITLES, ClassGroup, Role


def term_on(school: School, day: dt.date, semesters=None) -> Semester | None:
    """The semester containing ``day``, or else the last one that started before it.
    ``semesters``: the school's calendar, when already read."""
    if semesters is None:
        semesters = Semester.objects.filter(school=school, start__lte=day)
    started = sorted((s for s in semesters if s.start <= day), key=lambda s: s.start, reverse=True)
    current = next((s for s in started if s.end >= day), None)
    return current or (started[0] if started else None)


def _presidium_unions(viewer: Viewer) -> list:
    return [p.union for p in viewer.posts if p.title in PRESIDIUM_TITLES]


def sender_choices(viewer: Viewer, school: School) -> list[str]:
    """The senders this viewer may send as (``league``, ``union``)."""
    out = []
    if viewer.is_superuser or any(
        g.school_id == school.pk for g in viewer.grants_for(Role.SCHOOL_LEAGUE)
    ):
        out.append("league")
    if any(u.school_id == school.pk and u.college_id is None for u in _presidium_unions(viewer)):
        out.append("union")
    return out


def may_send(viewer: Viewer, school: School) -> bool:
    return bool(sender_choices(viewer, school))


def forwarder_college_ids(viewer: Viewer, school: School) -> set[int]:
    """Colleges whose copies this viewer forwards and reports on."""
    ids = {
        g.college_id
        for g in viewer.grants_for(Role.COLLEGE_LEAGUE)
        if g.college_id and g.school_id == school.pk
    }
    ids |= {
        u.college_id
        for u in _presidium_unions(viewer)
        if u.school_id == school.pk and u.college_id is not None
    }
    return ids


def college_reader_ids(viewer: Viewer, school: School) -> set[int]:
    """Colleges whose copies this viewer may see: the forwarders and the college offices."""
    offices = {g.college_id for g in viewer.grants_for(*COLLEGE_OFFICES) if g.college_id}
    return forwarder_college_ids(viewer, school) | offices


def class_reader_ids(viewer: Viewer, school: School, day: dt.date | None = None) -> set[int]:
    """Classes whose copies this viewer reads and reports on: the League branch secretary's
    class, and the classes where the viewer's student holds a role this term."""
    ids = {
        g.class_group_id
        for g in viewer.grants_for(Role.LEAGUE_BRANCH)
        if g.class_group_id and g.school_id == school.pk
    }
    if viewer.student is not None and viewer.student.school_id == school.pk:
        term = term_on(school, day or timezone.localdate())
        if term is not None:
            ids |= set(
                ClassRole.objects.filter(student=viewer.student, semester=term).values_list(
                    "class_group_id", flat=True
                )
            )
    return ids


def sees_whole_school(viewer: Viewer, school: School) -> bool:
    return viewer.has_school_office(school) or may_send(viewer, school)


def may_see_notice(viewer: Viewer, notice: Notice) -> bool:
    school = notice.school
    if not viewer.belongs_to(school):
        return False
    if sees_whole_school(viewer, school):
        return True
    colleges = college_reader_ids(viewer, school)
    if colleges and notice.college_copies.filter(college_id__in=colleges).exists():
        return True
    classes = class_reader_ids(viewer, school)
    return bool(classes) and notice.class_copies.filter(class_group_id__in=classes).exists()


def get_notice_for_viewer(notice_id: int, school_code: str, viewer: Viewer) -> Notice:
    notice = Notice.objects.select_related("school").filter(pk=notice_id).first()
    if notice is None or notice.school.code != school_code or not may_see_notice(viewer, notice):
        raise Http404
    return notice


def get_college_copy(notice: Notice, college_id: int, viewer: Viewer, *, write=False):
    copy = (
        CollegeCopy.objects.select_related("college", "notice__school")
        .filter(notice=notice, college_id=college_id)
        .first()
    )
    if copy is None:
        raise Http404
    if not (
        sees_whole_school(viewer, notice.school)
        or college_id in college_reader_ids(viewer, notice.school)
    ):
        raise Http404
    if write and college_id not in forwarder_college_ids(viewer, notice.school):
        raise PermissionDenied
    return copy


def get_class_copy(notice: Notice, class_id: int, viewer: Viewer, *, write=False):
    copy = (
        ClassCopy.objects.select_related("class_group", "college_copy", "notice__school")
        .filter(notice=notice, class_group_id=class_id)
        .first()
    )
    if copy is None:
        raise Http404
    school = notice.school
    readers = class_reader_ids(viewer, school)
    if not (
        sees_whole_school(viewer, school)
        or copy.class_group.college_id in college_reader_ids(viewer, school)
        or class_id in readers
    ):
        raise Http404
    if write and class_id not in readers:
        raise PermissionDenied
    return copy


# -- classes ---------------------------------------------------------------------------------


def may_see_class(viewer: Viewer, group: ClassGroup) -> bool:
    """The class page: the school offices, the college's offices and union presidium, the
    class's League branch and role holders, and the class's own students."""
    school = group.school
    if not viewer.belongs_to(school):
        return False
    if viewer.has_school_office(school) or group.college_id in college_reader_ids(viewer, school):
        return True
    if viewer.student is not None and viewer.student.class_group_id == group.pk:
        return True
    return group.pk in class_reader_ids(viewer, school)


def may_edit_class(viewer: Viewer, group: ClassGroup) -> bool:
    """Class roles and joint meetings: the school's registry managers, the college League
    committee, and the class's League branch secretary."""
    school = group.school
    if viewer.can_manage_registry(school):
        return True
    if any(g.college_id == group.college_id for g in viewer.grants_for(Role.COLLEGE_LEAGUE)):
        return True
    return any(g.class_group_id == group.pk for g in viewer.grants_for(Role.LEAGUE_BRANCH))


def get_class_for_viewer(class_id: int, school_code: str, viewer: Viewer, *, write=False):
    group = (
        ClassGroup.objects.select_related("school", "college", "major")
        .filter(pk=class_id, school__code=school_code)
        .first()
    )
    if group is None or not may_see_class(viewer, group):
        raise Http404
    if write and not may_edit_class(viewer, group):
        raise PermissionDenied
    return group
