"""Notices and tasks that cascade school -> colleges -> classes: send, forward, read, report,
remind. Every write checks the actor's right, runs in one transaction with its audit event, and
changes a copy with a conditional UPDATE so that two people acting at once act once."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.records.files import check_upload
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.linkage import access
from tuanxue.linkage.models import (
    ClassCopy,
    ClassRole,
    CollegeCopy,
    Notice,
    NoticeKind,
    Receipt,
    Sender,
)
from tuanxue.org.access import build_viewer
from tuanxue.org.models import PRESIDIUM_TITLES, ClassGroup, College, Membership, Role, RoleGrant

MAX_TITLE = 120


def _forbidden(message: str) -> DomainError:
    return DomainError(message, code="forbidden")


def _viewer(actor, school):
    return build_viewer(actor, school) if actor is not None else None


def _name(actor) -> str:
    if actor is None:
        return _("the system")
    for attr in ("student", "staff_person"):
        person = getattr(actor, attr, None) if hasattr(actor, attr) else None
        if person is not None:
            return person.name
    return actor.get_full_name() or actor.get_username()


def is_late(notice: Notice, when: dt.datetime | None) -> bool:
    return bool(notice.is_task and when is not None and when > notice.deadline)


# -- who is told -----------------------------------------------------------------------------


def college_forwarders(college_ids) -> dict[int, list]:
    """Each college's forwarders: its League committee and its union's presidium members."""
    out: dict[int, list] = {cid: [] for cid in college_ids}
    for g in RoleGrant.objects.filter(
        role=Role.COLLEGE_LEAGUE, college_id__in=out, revoked_at__isnull=True
    ).select_related("user"):
        out[g.college_id].append(g.user)
    for m in Membership.objects.filter(
        union__college_id__in=out,
        title__in=PRESIDIUM_TITLES,
        end__isnull=True,
        student__user__isnull=False,
    ).select_related("student__user", "union"):
        out[m.union.college_id].append(m.student.user)
    return out


def class_readers(class_ids, *, day: dt.date | None = None) -> dict[int, list]:
    """Each class's readers: its League branch secretary and this term's role holders."""
    out: dict[int, list] = {cid: [] for cid in class_ids}
    if not out:
        return out
    for g in RoleGrant.objects.filter(
        role=Role.LEAGUE_BRANCH, class_group_id__in=out, revoked_at__isnull=True
    ).select_related("user"):
        out[g.class_group_id].append(g.user)
    school = ClassGroup.objects.filter(pk__in=list(out)[:1]).values_list("school", flat=True)
    term = None
    if school:
        from tuanxue.core.models import School

        term = access.term_on(School.objects.get(pk=school[0]), day or timezone.localdate())
    if term is not None:
        for r in ClassRole.objects.filter(
            class_group_id__in=out, semester=term, student__user__isnull=False
        ).select_related("student__user"):
            out[r.class_group_id].append(r.student.user)
    return out


def _url(notice: Notice) -> str:
    return reverse("linkage:notice", args=[notice.school.code, notice.pk])


# -- sending ---------------------------------------------------------------------------------


def notice_send(
    *,
    actor,
    school,
    kind: str,
    sender: str,
    title: str,
    body: str,
    deadline: dt.datetime | None = None,
    colleges: list[College] | None = None,
    now: dt.datetime | None = None,
) -> Notice:
    """Send a notice or a task to every college (or the ``colleges`` chosen)."""
    now = now or timezone.now()
    viewer = _viewer(actor, school)
    if viewer is not None and sender not in access.sender_choices(viewer, school):
        raise _forbidden(_("Only the school League committee or the union's presidium may send."))
    if kind not in NoticeKind.values:
        raise DomainError(_("Choose a notice or a task."), field="kind")
    if sender not in Sender.values:
        raise DomainError(_("Choose who sends it."), field="sender")
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(_("The title is required."), field="title")
    if len(title) > MAX_TITLE:
        raise DomainError(
            _("The title is longer than %(n)s characters.") % {"n": MAX_TITLE}, field="title"
        )
    if not body:
        raise DomainError(_("The text is required."), field="body")
    if kind == NoticeKind.TASK:
        if deadline is None:
            raise DomainError(_("A task needs a deadline."), field="deadline")
        if deadline <= now:
            raise DomainError(_("The deadline has already passed."), field="deadline")
    else:
        deadline = None
    every = list(College.objects.filter(school=school))
    if colleges is None:
        chosen = every
    else:
        chosen = [c for c in every if c.pk in {c.pk for c in colleges}]
        if len(chosen) != len({c.pk for c in colleges}):
            raise DomainError(_("A chosen college is not of this school."), field="colleges")
    if not chosen:
        raise DomainError(_("Choose at least one college."), field="colleges")
    with transaction.atomic():
        notice = Notice.objects.create(
            school=school,
            kind=kind,
            sender=sender,
            title=title,
            body=body,
            deadline=deadline,
            sent_by=actor,
            sent_at=now,
        )
        CollegeCopy.objects.bulk_create([CollegeCopy(notice=notice, college=c) for c in chosen])
        audit_record(
            school=school,
            actor=actor,
            action="linkage.notice.sent",
            target=notice,
            new={
                "kind": kind,
                "sender": sender,
                "title": title,
                "deadline": deadline,
                "colleges": [c.name for c in chosen],
            },
        )
        users = [u for us in college_forwarders([c.pk for c in chosen]).values() for u in us]
        notify(
            users=users,
            school=school,
            text=_("New %(kind)s to forward to your classes: %(title)s")
            % {"kind": notice.get_kind_display(), "title": title},
            url=_url(notice),
        )
    return notice


def college_forward(
    *,
    actor,
    copy: CollegeCopy,
    addition: str = "",
    classes: list[ClassGroup] | None = None,
    now: dt.datetime | None = None,
) -> list[ClassCopy]:
    """Forward a college's copy, with its additions, to its classes (all, or those chosen)."""
    now = now or timezone.now()
    notice = copy.notice
    viewer = _viewer(actor, notice.school)
    if viewer is not None and copy.college_id not in access.forwarder_college_ids(
        viewer, notice.school
    ):
        raise _forbidden(_("Only the college's League committee or presidium may forward it."))
    every = list(ClassGroup.objects.filter(college_id=copy.college_id))
    if classes is None:
        chosen = every
    else:
        wanted = {c.pk for c in classes}
        chosen = [c for c in every if c.pk in wanted]
        if len(chosen) != len(wanted):
            raise DomainError(_("A chosen class is not of this college."), field="classes")
    if not chosen:
        raise DomainError(_("The college has no class to forward it to."), field="classes")
    addition = (addition or "").strip()
    with transaction.atomic():
        changed = CollegeCopy.objects.filter(pk=copy.pk, forwarded_at__isnull=True).update(
            forwarded_at=now, forwarded_by=actor, addition=addition
        )
        if not changed:
            raise DomainError(_("This college has already forwarded it."))
        CollegeCopy.objects.filter(pk=copy.pk, read_at__isnull=True).update(read_at=now)
        copy.refresh_from_db()
        rows = ClassCopy.objects.bulk_create(
            [
                ClassCopy(notice=notice, college_copy=copy, class_group=c, received_at=now)
                for c in chosen
            ]
        )
        if actor is not None:
            _receipt(actor=actor, notice=notice, college_copy=copy, now=now)
        audit_record(
            school=notice.school,
            actor=actor,
            action="linkage.notice.forwarded",
            target=copy,
            new={
                "classes": [c.name for c in chosen],
                "addition": addition,
                "late": is_late(notice, now),
            },
        )
        users = [u for us in class_readers([c.pk for c in chosen]).values() for u in us]
        notify(
            users=users,
            school=notice.school,
            text=_("%(college)s forwarded a %(kind)s: %(title)s")
            % {
                "college": copy.college.name,
                "kind": notice.get_kind_display(),
                "title": notice.title,
            },
            url=_url(notice),
        )
    return rows


# -- reading and reporting -------------------------------------------------------------------


def _receipt(*, actor, notice, college_copy=None, class_copy=None, now) -> bool:
    """One receipt per reader and copy; the copy's first reading time. True when new.
    Forwarding and reporting done count as reading."""
    try:
        with transaction.atomic():
            Receipt.objects.create(
                notice=notice,
                college_copy=college_copy,
                class_copy=class_copy,
                user=actor,
                name=_name(actor)[:60],
                read_at=now,
            )
    except IntegrityError:
        return False
    model, copy = (CollegeCopy, college_copy) if college_copy else (ClassCopy, class_copy)
    model.objects.filter(pk=copy.pk, read_at__isnull=True).update(read_at=now)
    return True


def _check_reader(actor, copy) -> None:
    notice = copy.notice
    viewer = _viewer(actor, notice.school)
    if viewer is None:
        return  # the system (the demo builder) acts for a level
    if isinstance(copy, CollegeCopy):
        allowed = copy.college_id in access.forwarder_college_ids(viewer, notice.school)
        message = _("Only the college's League committee or presidium acts on its copy.")
    else:
        allowed = copy.class_group_id in access.class_reader_ids(viewer, notice.school)
        message = _("Only the class's League branch secretary and class committee act on it.")
    if not allowed:
        raise _forbidden(message)


def copy_read(*, actor, copy: CollegeCopy | ClassCopy, now: dt.datetime | None = None) -> bool:
    """Record that ``actor`` read this level's copy. True the first time, False after."""
    now = now or timezone.now()
    if actor is None:
        raise DomainError(_("Only a person reads."))
    _check_reader(actor, copy)
    notice = copy.notice
    with transaction.atomic():
        kwargs = {"college_copy": copy} if isinstance(copy, CollegeCopy) else {"class_copy": copy}
        new = _receipt(actor=actor, notice=notice, now=now, **kwargs)
        if new:
            audit_record(
                school=notice.school,
                actor=actor,
                action="linkage.notice.read",
                target=copy,
                new={"read_at": now},
            )
    return new


def copy_report_done(
    *,
    actor,
    copy: CollegeCopy | ClassCopy,
    report: str,
    file=None,
    now: dt.datetime | None = None,
) -> None:
    """Report a task done for this level (a college, or a class), with an optional file."""
    now = now or timezone.now()
    _check_reader(actor, copy)
    notice = copy.notice
    if not notice.is_task:
        raise DomainError(_("A notice is read, not reported done."))
    report = (report or "").strip()
    if not report:
        raise DomainError(_("Say in the report what was done."), field="report")
    if file:
        check_upload(file)
    model = type(copy)
    with transaction.atomic():
        changed = model.objects.filter(pk=copy.pk, done_at__isnull=True).update(
            done_at=now, done_by=actor, report=report
        )
        if not changed:
            raise DomainError(_("The task is already reported done here."))
        model.objects.filter(pk=copy.pk, read_at__isnull=True).update(read_at=now)
        if file:
            copy = model.objects.select_for_update().get(pk=copy.pk)
            copy.report_file.save(file.name, file, save=True)
        kwargs = {"college_copy": copy} if model is CollegeCopy else {"class_copy": copy}
        if actor is not None:
            _receipt(actor=actor, notice=notice, now=now, **kwargs)
        audit_record(
            school=notice.school,
            actor=actor,
            action="linkage.task.done",
            target=copy,
            new={"report": report, "late": is_late(notice, now), "file": bool(file)},
        )


# -- reminders -------------------------------------------------------------------------------


def laggards(notice: Notice, *, college_id: int | None = None) -> tuple[list[int], list[int]]:
    """The colleges and the reached classes that have not read, forwarded or done it."""
    copies = notice.college_copies.all()
    classes = notice.class_copies.all()
    if college_id is not None:
        copies = copies.filter(college_id=college_id)
        classes = classes.filter(class_group__college_id=college_id)
    late_colleges = [
        c.college_id
        for c in copies
        if c.read_at is None or c.forwarded_at is None or (notice.is_task and c.done_at is None)
    ]
    late_classes = [
        c.class_group_id
        for c in classes
        if c.read_at is None or (notice.is_task and c.done_at is None)
    ]
    if college_id is not None:
        late_colleges = []  # a college reminds its classes, not itself
    return late_colleges, late_classes


def notice_remind(
    *, actor, notice: Notice, college_id: int | None = None, now: dt.datetime | None = None
) -> int:
    """Tell everyone who still owes a reading, a forwarding or a report. The school's senders
    remind every level; a college's forwarders remind their own classes. Returns how many
    people were told."""
    now = now or timezone.now()
    school = notice.school
    viewer = _viewer(actor, school)
    if viewer is not None:
        if college_id is None and not access.may_send(viewer, school):
            raise _forbidden(_("Only the senders may remind every level."))
        if college_id is not None and college_id not in access.forwarder_college_ids(
            viewer, school
        ):
            raise _forbidden(_("Only the college's League committee or presidium may remind."))
    colleges, classes = laggards(notice, college_id=college_id)
    users = [u for us in college_forwarders(colleges).values() for u in us]
    users += [u for us in class_readers(classes).values() for u in us]
    with transaction.atomic():
        rows = notify(
            users=users,
            school=school,
            text=_("Reminder: %(kind)s %(title)s is waiting for you")
            % {"kind": notice.get_kind_display(), "title": notice.title},
            url=_url(notice),
        )
        if college_id is None:
            Notice.objects.filter(pk=notice.pk).update(last_reminded_at=now)
        audit_record(
            school=school,
            actor=actor,
            action="linkage.notice.reminded",
            target=notice,
            new={
                "colleges": len(colleges),
                "classes": len(classes),
                "people": len(rows),
                "college_id": college_id,
            },
        )
    return len(rows)


def remind_overdue(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Remind the laggards of every task past its deadline, at most once a day per task.
    Returns (tasks reminded, people told)."""
    now = now or timezone.now()
    tasks = Notice.objects.filter(kind=NoticeKind.TASK, deadline__lt=now).select_related("school")
    count = people = 0
    for notice in tasks:
        if notice.last_reminded_at and notice.last_reminded_at > now - dt.timedelta(days=1):
            continue
        colleges, classes = laggards(notice)
        if not colleges and not classes:
            continue
        # Claim the day's reminder first, so two runs at once remind once.
        claimed = Notice.objects.filter(
            pk=notice.pk, last_reminded_at=notice.last_reminded_at
        ).update(last_reminded_at=now)
        if not claimed:
            continue
        people += notice_remind(actor=None, notice=notice, now=now)
        count += 1
    return count, people
