"""Handover notes (传帮带): what a post holder leaves for whoever holds the seat next.

A seat is a title in a body (e.g. the minister of the secretariat). Notes stay with the seat
across terms. The holder writes them while in post or within ``WRITE_AFTER_END_DAYS`` days after
leaving. They are read by whoever holds the seat now, by the League committee and by their
authors; everyone else gets 404.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import Viewer
from tuanxue.org.models import Department, Membership
from tuanxue.selection.models import HandoverNote

WRITE_AFTER_END_DAYS = 60


def may_write(membership: Membership, day: dt.date | None = None) -> bool:
    """The post is open, or ended within the last 60 days."""
    day = day or timezone.localdate()
    return membership.end is None or membership.end >= day - dt.timedelta(days=WRITE_AFTER_END_DAYS)


def handover_note_write(
    *, actor, membership: Membership, ongoing_work: str, contacts: str = "", files: str = ""
) -> HandoverNote:
    membership = Membership.objects.select_related("student", "body", "union__school").get(
        pk=membership.pk
    )
    if actor is None or membership.student.user_id != actor.pk:
        raise DomainError(
            _("Only the holder of the post can write its handover note."), code="forbidden"
        )
    if not may_write(membership):
        raise DomainError(
            _("Handover notes can be written up to %(days)s days after leaving the post.")
            % {"days": WRITE_AFTER_END_DAYS},
            code="closed",
        )
    ongoing_work = ongoing_work.strip()
    if not ongoing_work:
        raise DomainError(_("Describe the ongoing work."), field="ongoing_work")
    with transaction.atomic():
        note = HandoverNote.objects.create(
            school=membership.school,
            body=membership.body,
            title=membership.title,
            author=membership,
            ongoing_work=ongoing_work,
            contacts=contacts.strip(),
            files=files.strip(),
            written_at=timezone.now(),
        )
        audit_record(
            school=membership.school,
            actor=actor,
            action="selection.handover.written",
            target=note,
            new={
                "body": membership.body.name,
                "title": membership.title,
                "author": membership.student.student_no,
            },
        )
    return note


def notes_for_seat(body: Department, title: str) -> QuerySet[HandoverNote]:
    return (
        HandoverNote.objects.filter(body=body, title=title)
        .select_related("author__student", "body")
        .order_by("-written_at")
    )


def holds_seat(viewer: Viewer, body: Department, title: str) -> bool:
    return any(p.body_id == body.pk and p.title == title for p in viewer.posts)


def notes_visible_to(viewer: Viewer, body: Department, title: str) -> QuerySet[HandoverNote]:
    """The seat's notes this viewer may read: all of them for the seat's holder and the League
    committee, their own for an author, none for anyone else."""
    notes = notes_for_seat(body, title)
    if holds_seat(viewer, body, title) or viewer.guides_union(body.union):
        return notes
    if viewer.student is None:
        return notes.none()
    return notes.filter(author__student=viewer.student)
