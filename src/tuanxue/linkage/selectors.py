"""Reads for the notice pages: the list a viewer sees and the per-level dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from tuanxue.linkage import access
from tuanxue.linkage.models import ClassCopy, CollegeCopy, Notice, Receipt
from tuanxue.linkage.services import is_late
from tuanxue.org.models import ClassGroup


def notices_for_viewer(viewer, school) -> list[Notice]:
    """The notices this viewer may see, newest first (at most 200)."""
    notices = Notice.objects.filter(school=school)
    if not access.sees_whole_school(viewer, school):
        colleges = access.college_reader_ids(viewer, school)
        classes = access.class_reader_ids(viewer, school)
        notices = notices.filter(
            Q(college_copies__college_id__in=colleges) | Q(class_copies__class_group_id__in=classes)
        ).distinct()
    return list(notices.order_by("-sent_at")[:200])


@dataclass
class Level:
    """One level's figures: every expected unit, who has read, forwarded, done it."""

    total: int = 0
    read: int = 0
    forwarded: int = 0
    forwarded_late: int = 0
    done: int = 0
    done_late: int = 0
    not_read: list = field(default_factory=list)
    not_forwarded: list = field(default_factory=list)
    not_done: list = field(default_factory=list)
    not_reached: list = field(default_factory=list)
    rows: list = field(default_factory=list)


@dataclass
class Dashboard:
    notice: Notice
    colleges: Level
    classes: Level


def _receipts():
    return Prefetch("receipts", queryset=Receipt.objects.order_by("read_at"))


def dashboard(notice: Notice, *, college_ids: set[int] | None = None) -> Dashboard:
    """Per level, who has not read, forwarded or done it. A class of a college that has not
    forwarded is "not reached" and counts as neither read nor done; a forwarding or a report
    after a task's deadline counts, and is marked late. ``college_ids`` limits it to those
    colleges. Five queries, whatever the number of colleges and classes."""
    copies = list(
        CollegeCopy.objects.filter(notice=notice)
        .select_related("college", "done_by", "forwarded_by")
        .prefetch_related(_receipts())
        .order_by("college__order", "college__name")
    )
    if college_ids is not None:
        copies = [c for c in copies if c.college_id in college_ids]
    colleges = Level(total=len(copies))
    for c in copies:
        c.late_forward = is_late(notice, c.forwarded_at)
        c.late_done = is_late(notice, c.done_at)
        colleges.rows.append(c)
        if c.read_at:
            colleges.read += 1
        else:
            colleges.not_read.append(c.college)
        if c.forwarded_at:
            colleges.forwarded += 1
            colleges.forwarded_late += c.late_forward
        else:
            colleges.not_forwarded.append(c.college)
        if notice.is_task:
            if c.done_at:
                colleges.done += 1
                colleges.done_late += c.late_done
            else:
                colleges.not_done.append(c.college)
    class_copies = list(
        ClassCopy.objects.filter(college_copy__in=copies)
        .select_related("class_group", "done_by")
        .prefetch_related(_receipts())
        .order_by("class_group__name")
    )
    unforwarded = [c.college_id for c in copies if c.forwarded_at is None]
    waiting = list(
        ClassGroup.objects.filter(college_id__in=unforwarded).order_by("college__order", "name")
    )
    classes = Level(total=len(class_copies) + len(waiting), not_reached=waiting)
    for c in class_copies:
        c.late_done = is_late(notice, c.done_at)
        classes.rows.append(c)
        if c.read_at:
            classes.read += 1
        else:
            classes.not_read.append(c.class_group)
        if notice.is_task:
            if c.done_at:
                classes.done += 1
                classes.done_late += c.late_done
            else:
                classes.not_done.append(c.class_group)
    return Dashboard(notice, colleges, classes)
