"""Closing a poll, and the one place that applies a decided poll's effects.

A poll is decided when its count is complete (``results.count_complete``): it is closed and,
if paper ballots were handed out, two counters' paper totals agree. Whichever of the two
happens last — closing a phone-only poll, or the second counter agreeing — calls
``decision_apply``, which sets the decision in motion exactly once:

- an election with seats left (a tie at the last seat, or too few over half) gets its runoff;
- otherwise the elected presidium is installed;
- an adopted charter amendment becomes the new charter version.

Before the count is complete nothing is created, installed or adopted.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.congress.models import MotionKind, Poll, PollKind, PollStatus
from tuanxue.congress.polls.amendment import amendment_adopt
from tuanxue.congress.polls.install import presidium_install
from tuanxue.congress.polls.results import count_complete, poll_result
from tuanxue.congress.polls.secrecy import storage_shuffle
from tuanxue.congress.polls.services import runoff_poll_create
from tuanxue.congress.sessions.agenda import motion_tally
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.notify import notify
from tuanxue.org.access import require_league_committee
from tuanxue.org.models import Role


def poll_close(*, actor, poll: Poll, paper_ballots: bool = False) -> Poll:
    """Close the poll; no ballot is accepted afterwards. ``paper_ballots``: paper ballots were
    handed out too, so the result waits for the two counters.

    In the same transaction the voter marks and ballots are rewritten in random order with new
    keys (``secrecy.storage_shuffle``), so no storage order links a ballot to its voter."""
    require_league_committee(actor, poll.session.school)
    with transaction.atomic():
        now = timezone.now()
        # The conditional update takes the poll's row lock, which every cast also takes: a
        # ballot either commits before the close or sees the poll closed.
        changed = Poll.objects.filter(pk=poll.pk, status=PollStatus.OPEN).update(
            status=PollStatus.CLOSED, closed_at=now, paper_ballots=bool(paper_ballots)
        )
        if not changed:
            raise DomainError(_("Only an open poll can be closed."))
        storage_shuffle(poll)
        poll.refresh_from_db()
        audit_record(
            school=poll.session.school,
            actor=actor,
            action="congress.poll.closed",
            target=poll,
            old={"status": PollStatus.OPEN},
            new={
                "status": PollStatus.CLOSED,
                "issued": poll.issued,
                "marks": poll.voter_marks.count(),
                "ballots": poll.ballots.count(),
                "paper_ballots": poll.paper_ballots,
            },
        )
    decision_apply(actor=actor, poll=poll)
    return poll


def runoff_create(*, actor, poll: Poll) -> Poll | None:
    """Create the runoff round a decided election needs (once); None when it needs none or its
    count is not complete."""
    if poll.kind != PollKind.ELECTION or not count_complete(poll):
        return None
    existing = poll.runoffs.first()
    if existing is not None:
        return existing
    result = poll_result(poll)
    if not result.election_valid or not result.runoff_seats or not result.runoff_candidates:
        return None
    students = [
        c.student
        for c in poll.candidates.select_related("student").filter(pk__in=result.runoff_candidates)
    ]
    return runoff_poll_create(
        actor=actor, poll=poll, candidates=students, seats=result.runoff_seats
    )


def decision_apply(*, actor, poll: Poll) -> bool:
    """Set a decided poll's effects in motion; False (and nothing done) while its count is not
    complete. A step the charter refuses leaves the poll decided and tells the League
    committee why."""
    if not count_complete(poll):
        return False
    try:
        if poll.kind == PollKind.ELECTION:
            if runoff_create(actor=actor, poll=poll) is None:
                presidium_install(actor=actor, poll=poll)
        elif poll.motion.kind == MotionKind.CHARTER:
            tally = motion_tally(poll.motion, poll=poll)
            if tally is not None and tally.adopted:
                amendment_adopt(actor=actor, motion=poll.motion)
    except DomainError as exc:
        school = poll.session.school
        league = get_user_model().objects.filter(
            role_grants__school=school, role_grants__role=Role.SCHOOL_LEAGUE
        )
        notify(
            users=[actor, *league],
            school=school,
            text=_("%(poll)s is decided, but its result could not be applied: %(reason)s")
            % {"poll": poll.title, "reason": exc.message},
        )
    return True
