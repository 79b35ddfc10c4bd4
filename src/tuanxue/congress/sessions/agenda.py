"""The agenda of a congress session and the outcome of each item, read from its rows.

The agenda is the session's motions and election polls in a fixed order: the work report, the
charter amendment, the presidium election, then any other motion (presidium or delegate motions),
each group by primary key. An item's outcome is known once its poll's count is complete (closed, and any paper ballots
counted by two agreeing counters):

- a motion is adopted when the yes votes meet its majority (over half, two thirds) on its base
  (entitled delegates, delegates present, valid votes cast) and the quorum was present;
- an election's winners are the candidates with more than half of the valid ballots, the most
  votes first, within the seats; a tie across the last seat leaves that seat to a runoff; the
  election is void when more ballots were returned than issued.

A ballot's ``choice`` is what ``ballots.normalise_choice`` stores: a motion ballot is
``"yes"|"no"|"abstain"``; an election ballot is ``{"marks": [candidate ids], "write_in": ""}``
(a write-in name is counted by no candidate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tuanxue.congress.models import (
    CongressSession,
    Delegate,
    DelegateStatus,
    Majority,
    Motion,
    MotionKind,
    Poll,
    PollKind,
    PollStatus,
)
from tuanxue.congress.polls.results import count_complete, poll_result
from tuanxue.org.models import Student

# Agenda position of each kind of item.
KIND_ORDER = {
    MotionKind.WORK_REPORT: 0,
    MotionKind.CHARTER: 1,
    "election": 2,
    MotionKind.PRESIDIUM: 3,
    MotionKind.DELEGATE: 3,
}


# -- attendance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    entitled: int
    present: int
    quorum_share: Decimal

    @property
    def quorum_needed(self) -> int:
        return math.ceil(self.entitled * self.quorum_share)

    @property
    def quorum_reached(self) -> bool:
        return self.entitled > 0 and self.present >= self.quorum_needed


def attendance(session: CongressSession) -> Attendance:
    confirmed = Delegate.objects.filter(session=session, status=DelegateStatus.CONFIRMED)
    return Attendance(
        entitled=confirmed.count(),
        present=confirmed.filter(checked_in_at__isnull=False).count(),
        quorum_share=Decimal(session.quorum),
    )


# -- motions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MotionTally:
    poll: Poll
    yes: int
    no: int
    abstain: int
    invalid: int
    base: int
    needed: int
    quorum_reached: bool
    adopted: bool  # decided by ``results`` (the one home of the rule), not again here


def votes_needed(majority: str, base: int) -> int:
    """The fewest yes votes that make the majority on ``base``."""
    if majority == Majority.TWO_THIRDS:
        return math.ceil(base * 2 / 3)
    return base // 2 + 1


def closed_poll(motion: Motion) -> Poll | None:
    return (
        Poll.objects.filter(motion=motion, kind=PollKind.MOTION, status=PollStatus.CLOSED)
        .order_by("-pk")
        .first()
    )


def motion_tally(motion: Motion, poll: Poll | None = None, seen: Attendance | None = None):
    """The count of the motion's closed poll, or ``None`` while it has none. The figures come
    from ``results.poll_result``, the one count every page, document and API share."""
    poll = poll or closed_poll(motion)
    if poll is None or not count_complete(poll):
        return None
    result = poll_result(poll)
    return MotionTally(
        poll=poll,
        yes=result.yes,
        no=result.no,
        abstain=result.abstain,
        invalid=result.invalid,
        base=result.base,
        needed=votes_needed(motion.majority, result.base),
        quorum_reached=result.quorum_met,
        adopted=bool(result.adopted),
    )


# -- elections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateCount:
    candidate_id: int
    student: Student
    order: int
    votes: int
    elected: bool


@dataclass(frozen=True)
class ElectionTally:
    poll: Poll
    returned: int
    valid: int
    invalid: int
    void: bool
    candidates: list[CandidateCount]
    runoff_seats: int

    @property
    def winners(self) -> list[Student]:
        return [c.student for c in self.candidates if c.elected]


def election_tally(poll: Poll) -> ElectionTally | None:
    """The count of a closed election, or ``None`` while its count is not complete (not
    closed, or paper ballots not yet counted) (from ``results.poll_result``)."""
    if poll.kind != PollKind.ELECTION or not count_complete(poll):
        return None
    result = poll_result(poll)
    candidates = {
        c.pk: c for c in poll.candidates.select_related("student__college").order_by("order", "pk")
    }
    rows = [
        CandidateCount(
            candidate_id=row["id"],
            student=candidates[row["id"]].student,
            order=candidates[row["id"]].order,
            votes=row["votes"],
            elected=row["elected"],
        )
        for row in result.votes
    ]
    void = not result.election_valid
    return ElectionTally(
        poll=poll,
        returned=result.returned,
        valid=result.valid,
        invalid=result.invalid,
        void=void,
        candidates=rows,
        runoff_seats=0 if void else result.runoff_seats,
    )


def election_winners(poll: Poll) -> list[Student]:
    tally = election_tally(poll)
    return tally.winners if tally else []


# -- the agenda ----------------------------------------------------------------------------


ADOPTED, NOT_ADOPTED, ELECTED, VOID, PENDING = (
    "adopted",
    "not_adopted",
    "elected",
    "void",
    "pending",
)
OUTCOME_LABELS = {
    ADOPTED: _("adopted"),
    NOT_ADOPTED: _("not adopted"),
    ELECTED: _("elected"),
    VOID: _("void"),
    PENDING: _("not decided yet"),
}


@dataclass
class AgendaItem:
    number: int
    kind: str
    kind_label: str
    title: str
    motion: Motion | None = None
    poll: Poll | None = None
    outcome: str = PENDING
    motion_tally: MotionTally | None = None
    election: ElectionTally | None = None
    winners: list[Student] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])

    @property
    def decided(self) -> bool:
        return self.outcome != PENDING


def agenda(session: CongressSession) -> list[AgendaItem]:
    """The session's agenda in order, each item with its outcome once decided."""
    seen = attendance(session)
    entries: list[tuple[tuple, AgendaItem]] = []
    for motion in Motion.objects.filter(session=session).order_by("pk"):
        tally = motion_tally(motion, seen=seen)
        item = AgendaItem(
            number=0,
            kind=motion.kind,
            kind_label=str(MotionKind(motion.kind).label),
            title=motion.title,
            motion=motion,
            poll=tally.poll if tally else None,
            motion_tally=tally,
        )
        if tally is not None:
            item.outcome = ADOPTED if tally.adopted else NOT_ADOPTED
        entries.append(((KIND_ORDER[motion.kind], motion.pk), item))
    elections = Poll.objects.filter(session=session, kind=PollKind.ELECTION).order_by("pk")
    for poll in elections:
        tally = election_tally(poll)
        item = AgendaItem(
            number=0,
            kind=PollKind.ELECTION,
            kind_label=str(PollKind.ELECTION.label),
            title=poll.title,
            poll=poll,
            election=tally,
        )
        if tally is not None:
            item.winners = tally.winners
            item.outcome = VOID if tally.void else ELECTED
        entries.append(((KIND_ORDER["election"], poll.pk), item))
    entries.sort(key=lambda e: e[0])
    items = [item for _key, item in entries]
    for number, item in enumerate(items, start=1):
        item.number = number
    return items


def elected_presidium(session: CongressSession) -> list[Student]:
    """The winners of the session's closed election polls, in the polls' order."""
    out: list[Student] = []
    for poll in Poll.objects.filter(
        session=session, kind=PollKind.ELECTION, status=PollStatus.CLOSED
    ).order_by("pk"):
        out.extend(election_winners(poll))
    return out
