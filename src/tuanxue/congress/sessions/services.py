"""Congress sessions: create with a preparation timeline, the public notice, open and close.

Who may do what (``actor=None`` is the operator, e.g. a management command or the demo):
the school League committee prepares, opens and closes a session; door staff (the League
committee or a presidium member of the session's union) check delegates in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuanxue.congress.models import (
    CongressSession,
    Delegate,
    DelegateStatus,
    Milestone,
    Objection,
    SessionStatus,
)
from tuanxue.congress.polls.install import congress_record_sync
from tuanxue.congress.sessions.quota import coverage
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import build_viewer, require_league_committee
from tuanxue.org.models import PRESIDIUM_TITLES, Union

# The preparation timeline: (title, days before the session). Titles are stored in the
# language of the school (zh-hans) through gettext when the session is created.
TIMELINE = (
    (gettext_noop("Delegate quotas announced"), 42),
    (gettext_noop("Class League branches nominate"), 35),
    (gettext_noop("College elections of delegates"), 28),
    (gettext_noop("Credential review"), 21),
    (gettext_noop("Public notice of delegates"), 14),
    (gettext_noop("The session"), 0),
)

# Delegates may change until the session opens.
EDITABLE = (SessionStatus.PREPARING, SessionStatus.NOTICE)


# -- who may -------------------------------------------------------------------------------------


def is_door_staff(actor, session: CongressSession) -> bool:
    """The League committee, or a user holding a presidium post of the session's union."""
    if actor is None:
        return True
    viewer = build_viewer(actor)
    if viewer.is_league_committee(session.school):
        return True
    return any(
        post.union_id == session.union_id and post.title in PRESIDIUM_TITLES
        for post in viewer.posts
    )


def require_editable(session: CongressSession) -> None:
    if session.status not in EDITABLE:
        raise DomainError(
            _("The delegates of %(session)s can no longer change: it is %(status)s.")
            % {"session": session.name, "status": session.get_status_display()},
            code="state",
        )


def lock_session(session: CongressSession) -> CongressSession:
    return CongressSession.objects.select_for_update().get(pk=session.pk)


# -- sessions ------------------------------------------------------------------------------------


def session_create(
    *,
    actor,
    union: Union,
    number: int,
    name: str,
    held_on: dt.date,
    venue: str,
    roster_cutoff: dt.date,
    notice_until: dt.date | None = None,
    quorum: Decimal | str = Decimal("0.667"),
    cosigners_needed: int = 10,
) -> CongressSession:
    school = union.school
    require_league_committee(actor, school)
    name = (name or "").strip()
    venue = (venue or "").strip()
    if not name:
        raise DomainError(_("The session's name is required."), field="name")
    if not venue:
        raise DomainError(_("The venue is required."), field="venue")
    if number is None or number < 1:
        raise DomainError(_("The number must be 1 or more."), field="number")
    if roster_cutoff > held_on:
        raise DomainError(
            _("The roster cut-off must not be after the session's date."), field="roster_cutoff"
        )
    if notice_until is not None and notice_until > held_on:
        raise DomainError(
            _("The public notice must end by the session's date."), field="notice_until"
        )
    try:
        quorum = Decimal(str(quorum))
    except InvalidOperation as exc:
        raise DomainError(_("The quorum must be a number."), field="quorum") from exc
    if not Decimal("0") < quorum <= Decimal("1"):
        raise DomainError(_("The quorum must be above 0 and at most 1."), field="quorum")
    if cosigners_needed is None or cosigners_needed < 0:
        raise DomainError(_("The co-signers needed must be 0 or more."), field="cosigners_needed")
    with transaction.atomic():
        if CongressSession.objects.filter(union=union, number=number).exists():
            raise DomainError(
                _("%(union)s already has a session number %(number)s.")
                % {"union": union.name, "number": number},
                field="number",
            )
        session = CongressSession.objects.create(
            school=school,
            union=union,
            number=number,
            name=name,
            held_on=held_on,
            venue=venue,
            roster_cutoff=roster_cutoff,
            notice_until=notice_until,
            quorum=quorum,
            cosigners_needed=cosigners_needed,
            created_by=actor if actor is not None and actor.pk else None,
        )
        Milestone.objects.bulk_create(
            Milestone(session=session, title=_(title), due=held_on - dt.timedelta(days=days))
            for title, days in TIMELINE
        )
        audit_record(
            school=school,
            actor=actor,
            action="congress.session.created",
            target=session,
            new={
                "union": union.name,
                "number": number,
                "name": name,
                "held_on": held_on,
                "venue": venue,
                "roster_cutoff": roster_cutoff,
                "quorum": quorum,
                "cosigners_needed": cosigners_needed,
            },
        )
    return session


def milestone_done(*, actor, milestone: Milestone, on: dt.date | None = None) -> Milestone:
    session = milestone.session
    require_league_committee(actor, session.school)
    on = on or timezone.localdate()
    with transaction.atomic():
        updated = Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(done_on=on)
        if not updated:
            raise DomainError(
                _("%(title)s is already marked done.") % {"title": milestone.title}, code="state"
            )
        milestone.done_on = on
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.milestone.done",
            target=milestone,
            old={"done_on": None},
            new={"done_on": on},
        )
    return milestone


def notice_start(*, actor, session: CongressSession, until: dt.date) -> CongressSession:
    """Put the delegates on public notice (公示) until the given day (inclusive)."""
    require_league_committee(actor, session.school)
    if until < timezone.localdate():
        raise DomainError(_("The public notice cannot end in the past."), field="until")
    if until > session.held_on:
        raise DomainError(_("The public notice must end by the session's date."), field="until")
    with transaction.atomic():
        locked = lock_session(session)
        if locked.status != SessionStatus.PREPARING:
            raise DomainError(
                _("Only a session in preparation can go on public notice."), code="state"
            )
        if not Delegate.objects.filter(session=locked, status=DelegateStatus.CONFIRMED).exists():
            raise DomainError(
                _("No delegate's credentials are confirmed yet: nothing to put on notice."),
                code="state",
            )
        old = {"status": locked.status, "notice_until": locked.notice_until}
        locked.status = SessionStatus.NOTICE
        locked.notice_until = until
        locked.save(update_fields=["status", "notice_until"])
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.session.notice",
            target=locked,
            old=old,
            new={"status": locked.status, "notice_until": until},
        )
    session.status, session.notice_until = locked.status, locked.notice_until
    return session


def notice_running(session: CongressSession, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return session.status == SessionStatus.NOTICE and (
        session.notice_until is None or today <= session.notice_until
    )


def open_problems(session: CongressSession) -> list[str]:
    """What stops the session from opening: coverage gaps, unanswered objections."""
    problems = list(coverage(session).gaps)
    unanswered = Objection.objects.filter(delegate__session=session, answered_at__isnull=True)
    count = unanswered.count()
    if count:
        problems.append(
            _("%(count)s objection(s) not answered yet") % {"count": count},
        )
    return problems


def session_open(*, actor, session: CongressSession) -> CongressSession:
    require_league_committee(actor, session.school)
    with transaction.atomic():
        locked = lock_session(session)
        if locked.status != SessionStatus.NOTICE:
            raise DomainError(
                _("A session opens after the public notice of its delegates."), code="state"
            )
        problems = open_problems(locked)
        if problems:
            raise DomainError(
                _("The session cannot open: %(problems)s") % {"problems": "；".join(problems)},
                code="gaps",
            )
        locked.status = SessionStatus.OPEN
        locked.save(update_fields=["status"])
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.session.opened",
            target=locked,
            old={"status": SessionStatus.NOTICE},
            new={"status": SessionStatus.OPEN},
        )
    session.status = locked.status
    return session


def session_close(*, actor, session: CongressSession) -> CongressSession:
    require_league_committee(actor, session.school)
    with transaction.atomic():
        updated = CongressSession.objects.filter(pk=session.pk, status=SessionStatus.OPEN).update(
            status=SessionStatus.CLOSED
        )
        if not updated:
            raise DomainError(_("Only an open session can be closed."), code="state")
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.session.closed",
            target=session,
            old={"status": SessionStatus.OPEN},
            new={"status": SessionStatus.CLOSED},
        )
        session.status = SessionStatus.CLOSED
        # The self-assessment reads the congress from the charter's record of it; written in
        # the same transaction as the closing.
        congress_record_sync(session, actor=actor)
    return session
