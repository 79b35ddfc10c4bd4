"""Theory study (理论学习): sessions with attendance, the yearly study of the self-discipline
convention by new members, and union meetings whose first agenda item is study (第一议题).

Attendance comes from the QR check-in of the activity a session is linked to, plus a roll call
kept here for sessions without one."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import build_viewer
from tuanxue.org.models import Membership, Student, Union
from tuanxue.review.access import may_run_study
from tuanxue.review.models import StudyAttendance, StudyKind, StudySession, UnionMeeting

STUDY_WORDS = ("学习", "学原文", "谈体会", "大讨论", "网课", "视频", "主题团日", "第一议题")


def _require(actor, union: Union) -> None:
    if actor is not None and not may_run_study(build_viewer(actor), union):
        raise DomainError(
            _("Only the union's presidium, department heads or the League committee may do this."),
            code="forbidden",
        )


def study_create(
    *,
    actor,
    union: Union,
    kind: str,
    topic: str,
    held_on: dt.date,
    materials: str = "",
    convention: bool = False,
    activity=None,
) -> StudySession:
    _require(actor, union)
    if kind not in StudyKind.values:
        raise DomainError(_("Choose the form of study."), field="kind")
    topic = topic.strip()
    if not topic:
        raise DomainError(_("Write the topic."), field="topic")
    if activity is not None and activity.school_id != union.school_id:
        raise DomainError(_("Choose an activity of this school."), field="activity")
    with transaction.atomic():
        session = StudySession.objects.create(
            school=union.school,
            union=union,
            kind=kind,
            topic=topic[:200],
            materials=materials.strip(),
            held_on=held_on,
            convention=convention,
            activity=activity,
        )
        audit_record(
            school=union.school,
            actor=actor,
            action="review.study.created",
            target=session,
            new={
                "kind": kind,
                "topic": session.topic,
                "held_on": held_on,
                "convention": convention,
                "activity": activity.pk if activity else None,
            },
        )
    return session


def roll_call(*, actor, session: StudySession, student: Student) -> StudyAttendance:
    """Mark a student present (idempotent: a second mark returns the first)."""
    _require(actor, session.union)
    if student.school_id != session.school_id:
        raise DomainError(_("Choose a student of this school."), field="student")
    existing = StudyAttendance.objects.filter(session=session, student=student).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = StudyAttendance.objects.create(
                    session=session, student=student, recorded_at=timezone.now()
                )
        except IntegrityError:
            return StudyAttendance.objects.get(session=session, student=student)
        audit_record(
            school=session.school,
            actor=actor,
            action="review.study.attended",
            target=row,
            new={"session": session.pk, "student": student.student_no},
        )
    return row


def attendee_ids(session: StudySession) -> set[int]:
    ids = set(session.roll.values_list("student_id", flat=True))
    if session.activity_id:
        from tuanxue.activities.models import Attendance

        ids |= set(
            Attendance.objects.filter(activity_id=session.activity_id).values_list(
                "student_id", flat=True
            )
        )
    return ids


NEW_MEMBER_DAYS = 365
EARLY_STUDY_DAYS = 60


def reference_day(school) -> dt.date:
    """Today, or the end of the school's latest semester when the calendar stops earlier."""
    from tuanxue.core.models import Semester

    today = timezone.localdate()
    latest = Semester.objects.filter(school=school).order_by("-end").first()
    return min(today, latest.end) if latest is not None else today


def convention_missing(union: Union, day: dt.date) -> list[Membership]:
    """New members (a post that started within a year before ``day`` and is still held) who
    have not attended a convention study of the union held since shortly before they started."""
    since = day - dt.timedelta(days=NEW_MEMBER_DAYS)
    posts = list(
        Membership.objects.filter(union=union, start__gt=since, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("student", "body")
        .order_by("body__order", "student__student_no")
    )
    sessions = list(
        StudySession.objects.filter(
            union=union,
            convention=True,
            held_on__gt=since - dt.timedelta(days=EARLY_STUDY_DAYS),
            held_on__lte=day,
        )
    )
    attended: dict[int, list[dt.date]] = {}
    for session in sessions:
        for student_id in attendee_ids(session):
            attended.setdefault(student_id, []).append(session.held_on)
    early = dt.timedelta(days=EARLY_STUDY_DAYS)
    return [
        p
        for p in posts
        if not any(held >= p.start - early for held in attended.get(p.student_id, []))
    ]


def is_study_item(item: str) -> bool:
    return any(word in item for word in STUDY_WORDS)


def meeting_record(
    *,
    actor,
    union: Union,
    title: str,
    held_on: dt.date,
    agenda: list[str],
    minutes: str,
    study: StudySession | None = None,
) -> UnionMeeting:
    """Record a meeting with its minutes. A meeting whose first item is not study is recorded
    (the minutes are a fact) and flagged on the compliance page."""
    _require(actor, union)
    agenda = [a.strip() for a in agenda if a.strip()]
    if not title.strip():
        raise DomainError(_("Write the meeting's title."), field="title")
    if not agenda:
        raise DomainError(_("List the agenda items, one per line."), field="agenda")
    if not minutes.strip():
        raise DomainError(_("Write the minutes."), field="minutes")
    if study is not None and study.union_id != union.pk:
        raise DomainError(_("Choose a study session of this union."), field="study")
    first_is_study = study is not None or is_study_item(agenda[0])
    with transaction.atomic():
        meeting = UnionMeeting.objects.create(
            school=union.school,
            union=union,
            title=title.strip()[:120],
            held_on=held_on,
            agenda=agenda,
            first_item_study=first_is_study,
            minutes=minutes.strip(),
            study=study,
        )
        audit_record(
            school=union.school,
            actor=actor,
            action="review.meeting.recorded",
            target=meeting,
            new={"title": meeting.title, "held_on": held_on, "first_item_study": first_is_study},
        )
    return meeting


def meetings_without_study(union: Union) -> list[UnionMeeting]:
    return list(UnionMeeting.objects.filter(union=union, first_item_study=False))
