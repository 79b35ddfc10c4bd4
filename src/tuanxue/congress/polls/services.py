"""Polls: creating a vote on a motion or a presidium election (or its runoff) and opening it.

Polls are run by the school League committee (``voters``). Closing a poll and what its decision
sets in motion live in ``decisions``. Opening, closing and results are audited; single ballots
never are (see ``ballots``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.services import charter_in_force
from tuanxue.congress.models import (
    Candidate,
    CongressSession,
    Motion,
    MotionKind,
    Poll,
    PollKind,
    PollStatus,
)
from tuanxue.congress.polls.strokes import stroke_order
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.org.access import require_league_committee
from tuanxue.org.models import Student


def presidium_seats_max(session: CongressSession) -> int | None:
    charter = charter_in_force(session.school, session.held_on)
    if charter is None:
        return None
    return charter.parsed.school.presidium_max


# -- creating ---------------------------------------------------------------------------------


def poll_create_for_motion(*, actor, motion: Motion, title: str = "") -> Poll:
    session = motion.session
    require_league_committee(actor, session.school)
    if motion.kind == MotionKind.DELEGATE:
        have = motion.cosigners.count()
        if have < session.cosigners_needed:
            raise DomainError(
                _(
                    "A delegate motion needs %(need)s co-signers before it is put to a vote; "
                    "it has %(have)s."
                )
                % {"need": session.cosigners_needed, "have": have},
                code="cosigners",
            )
    with transaction.atomic():
        poll = Poll.objects.create(
            session=session,
            kind=PollKind.MOTION,
            motion=motion,
            title=(title or motion.title)[:160],
        )
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.poll.created",
            target=poll,
            new={"kind": poll.kind, "motion": motion.pk, "title": poll.title},
        )
    return poll


def poll_create_election(
    *,
    actor,
    session: CongressSession,
    title: str,
    seats: int,
    candidates: list[Student],
    write_in: bool = False,
    runoff_of: Poll | None = None,
) -> Poll:
    require_league_committee(actor, session.school)
    seats = int(seats)
    if seats < 1:
        raise DomainError(_("An election needs at least one seat."), field="seats")
    limit = presidium_seats_max(session)
    if limit is not None and seats > limit:
        raise DomainError(
            _("The charter allows at most %(max)s presidium members.") % {"max": limit},
            field="seats",
        )
    if not candidates:
        raise DomainError(_("An election needs candidates."), field="candidates")
    if len({c.pk for c in candidates}) != len(candidates):
        raise DomainError(_("A candidate is listed twice."), field="candidates")
    if any(c.school_id != session.school_id for c in candidates):
        raise DomainError(
            _("Every candidate must be a student of this school."), field="candidates"
        )
    if not title.strip():
        raise DomainError(_("Give the election a title."), field="title")
    with transaction.atomic():
        poll = Poll.objects.create(
            session=session,
            kind=PollKind.ELECTION,
            title=title.strip()[:160],
            seats=seats,
            write_in=write_in,
            runoff_of=runoff_of,
        )
        ordered = stroke_order(candidates, name=lambda s: s.name)
        Candidate.objects.bulk_create(
            [Candidate(poll=poll, student=s, order=i) for i, s in enumerate(ordered, start=1)]
        )
        audit_record(
            school=session.school,
            actor=actor,
            action="congress.poll.created",
            target=poll,
            new={
                "kind": poll.kind,
                "title": poll.title,
                "seats": seats,
                "write_in": write_in,
                "candidates": [s.name for s in ordered],
                "runoff_of": runoff_of.pk if runoff_of else None,
            },
        )
    return poll


# -- opening and closing ----------------------------------------------------------------------

# A poll's one sequence: draft -> open -> closed. Views and templates ask these predicates.


def may_open(poll: Poll) -> bool:
    return poll.status == PollStatus.DRAFT


def may_close(poll: Poll) -> bool:
    return poll.status == PollStatus.OPEN


def poll_open(*, actor, poll: Poll) -> Poll:
    require_league_committee(actor, poll.session.school)
    with transaction.atomic():
        now = timezone.now()
        changed = Poll.objects.filter(pk=poll.pk, status=PollStatus.DRAFT).update(
            status=PollStatus.OPEN, opened_at=now
        )
        if not changed:
            raise DomainError(_("Only a poll that has not been opened can be opened."))
        poll.refresh_from_db()
        audit_record(
            school=poll.session.school,
            actor=actor,
            action="congress.poll.opened",
            target=poll,
            old={"status": PollStatus.DRAFT},
            new={"status": PollStatus.OPEN},
        )
    return poll


def runoff_poll_create(*, actor, poll: Poll, candidates: list[Student], seats: int) -> Poll:
    """A runoff round for the tied or remaining candidates and the remaining seats (once)."""
    existing = poll.runoffs.first()
    if existing is not None:
        return existing
    return poll_create_election(
        actor=actor,
        session=poll.session,
        title=_("%(title)s (runoff)") % {"title": poll.title},
        seats=seats,
        candidates=candidates,
        write_in=False,
        runoff_of=poll,
    )


def get_poll(poll_id: int, school) -> Poll | None:
    return (
        Poll.objects.select_related("session__school", "session__union", "motion")
        .filter(pk=poll_id, session__school=school)
        .first()
    )
