"""Counting: the one home of a poll's count, its result and whether the count is complete.

Motion: adopted when the quorum is present and the yes votes reach the majority (more than half,
or at least two thirds) of the base (entitled delegates, delegates present, or valid ballots
cast). Election: valid only if ballots returned ≤ ballots issued; a winner needs more than half
of the valid ballots; seats are filled by votes; a tie at the last seat and seats left unfilled
go to a runoff round.

The count is complete once the poll is closed and, when paper ballots were handed out, two
counters' paper totals agree. Until then no result is a decision (``count_complete``).

The recount anyone can run from the audit pack lives in ``recount`` and shares no code with
this module.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tuanxue.congress.models import (
    Ballot,
    Majority,
    MajorityBase,
    PaperTally,
    Poll,
    PollKind,
    PollStatus,
)
from tuanxue.congress.polls.voters import entitled
from tuanxue.core.documents.exports import csv_writer
from tuanxue.core.models import AuditEvent

PAPER_COUNTED = "congress.poll.paper_counted"


@dataclass
class Result:
    kind: str
    entitled: int
    present: int
    issued: int
    returned: int
    valid: int
    invalid: int
    # motion
    yes: int = 0
    no: int = 0
    abstain: int = 0
    base: int = 0
    quorum_met: bool = False
    adopted: bool | None = None
    # election
    election_valid: bool | None = None
    seats: int = 0
    votes: list[dict] = field(default_factory=list)  # {"id", "name", "votes", "elected"}
    write_ins: dict[str, int] = field(default_factory=dict)
    winners: list[str] = field(default_factory=list)
    runoff_candidates: list[int] = field(default_factory=list)  # candidate ids
    runoff_seats: int = 0
    rule: str = ""

    def as_json(self) -> dict:
        return asdict(self)


def tally(rows, *, kind: str, seats: int = 0) -> dict:
    """Count ballots given as ``(choice, valid)`` pairs. Used for the result and the recount."""
    counts = {"returned": 0, "valid": 0, "invalid": 0}
    if kind == PollKind.MOTION:
        counts.update(yes=0, no=0, abstain=0)
    else:
        counts.update(votes={}, write_ins={})
    for choice, valid in rows:
        counts["returned"] += 1
        if not valid:
            counts["invalid"] += 1
            continue
        counts["valid"] += 1
        if kind == PollKind.MOTION:
            counts[choice] += 1
            continue
        for mark in choice.get("marks", []):
            counts["votes"][int(mark)] = counts["votes"].get(int(mark), 0) + 1
        if choice.get("write_in"):
            name = choice["write_in"]
            counts["write_ins"][name] = counts["write_ins"].get(name, 0) + 1
    return counts


def _rule_text(poll: Poll) -> str:
    if poll.kind == PollKind.ELECTION:
        return _(
            "A ballot is valid when it marks no more than %(seats)s names; the election is valid "
            "when ballots returned do not exceed ballots issued; a winner needs more than half "
            "of the valid ballots; seats are filled by votes; ties at the last seat and unfilled "
            "seats go to a runoff."
        ) % {"seats": poll.seats}
    motion = poll.motion
    return _("Adopted when %(majority)s %(base)s vote yes, with a quorum of %(quorum)s.") % {
        "majority": Majority(motion.majority).label,
        "base": MajorityBase(motion.base).label,
        "quorum": f"{poll.session.quorum:.3f}",
    }


def poll_result(poll: Poll) -> Result:
    voters = entitled(poll.session)
    n_entitled = voters.count()
    n_present = voters.filter(checked_in_at__isnull=False).count()
    rows = Ballot.objects.filter(poll=poll).values_list("choice", "valid")
    counts = tally(rows, kind=poll.kind, seats=poll.seats)
    result = Result(
        kind=poll.kind,
        entitled=n_entitled,
        present=n_present,
        issued=Poll.objects.filter(pk=poll.pk).values_list("issued", flat=True).first() or 0,
        returned=counts["returned"],
        valid=counts["valid"],
        invalid=counts["invalid"],
        rule=_rule_text(poll),
    )
    if poll.kind == PollKind.MOTION:
        _decide_motion(poll, result, counts)
    else:
        _decide_election(poll, result, counts)
    return result


def _decide_motion(poll: Poll, result: Result, counts: dict) -> None:
    motion = poll.motion
    result.yes, result.no, result.abstain = counts["yes"], counts["no"], counts["abstain"]
    result.quorum_met = Decimal(result.present) >= poll.session.quorum * result.entitled
    result.base = {
        MajorityBase.ENTITLED: result.entitled,
        MajorityBase.PRESENT: result.present,
        MajorityBase.CAST: result.valid,
    }[motion.base]
    if motion.majority == Majority.TWO_THIRDS:
        reached = result.base > 0 and 3 * result.yes >= 2 * result.base
    else:
        reached = result.base > 0 and 2 * result.yes > result.base
    result.adopted = bool(result.quorum_met and reached)


def _decide_election(poll: Poll, result: Result, counts: dict) -> None:
    result.seats = poll.seats
    result.election_valid = result.returned <= result.issued
    result.write_ins = dict(sorted(counts["write_ins"].items(), key=lambda kv: (-kv[1], kv[0])))
    candidates = list(poll.candidates.select_related("student").order_by("order"))
    votes = {c.pk: counts["votes"].get(c.pk, 0) for c in candidates}
    result.votes = [
        {"id": c.pk, "name": c.student.name, "votes": votes[c.pk], "elected": False}
        for c in candidates
    ]
    if not result.election_valid:
        return
    over_half = [c for c in candidates if 2 * votes[c.pk] > result.valid]
    over_half.sort(key=lambda c: -votes[c.pk])
    remaining = poll.seats
    elected: set[int] = set()
    tied: list[int] = []
    groups: dict[int, list] = {}
    for c in over_half:
        groups.setdefault(votes[c.pk], []).append(c)
    for n in sorted(groups, reverse=True):
        group = groups[n]
        if remaining <= 0:
            break
        if len(group) <= remaining:
            elected |= {c.pk for c in group}
            remaining -= len(group)
        else:
            tied = [c.pk for c in group]
            break
    for row in result.votes:
        row["elected"] = row["id"] in elected
    result.winners = [row["name"] for row in result.votes if row["elected"]]
    if remaining > 0:
        result.runoff_seats = remaining
        if tied:
            result.runoff_candidates = tied
        else:
            result.runoff_candidates = [c.pk for c in candidates if c.pk not in elected]


# -- is the count complete? -------------------------------------------------------------------


def paper_counted(poll: Poll) -> bool:
    return AuditEvent.objects.filter(
        target_type="congress.poll", target_id=str(poll.pk), action=PAPER_COUNTED
    ).exists()


def paper_state(poll: Poll) -> str:
    """ "none" (no paper entries), "waiting" (fewer than two), "disagree", or "counted"."""
    if paper_counted(poll):
        return "counted"
    tallies = list(PaperTally.objects.filter(poll=poll))
    if not tallies:
        return "none"
    if len(tallies) < 2:
        return "waiting"
    return "disagree"


def count_complete(poll: Poll) -> bool:
    """Closed, and the paper ballots (if any were handed out) counted by two agreeing
    counters. Only a complete count decides anything."""
    poll.refresh_from_db(fields=["status", "paper_ballots", "issued"])
    if poll.status != PollStatus.CLOSED:
        return False
    return not poll.paper_ballots or paper_counted(poll)


# -- the published list -----------------------------------------------------------------------


def published_ballots(poll: Poll):
    """The published ballot list: ordered by receipt code (random), never by insertion."""
    return (
        Ballot.objects.filter(poll=poll)
        .order_by("receipt")
        .only("receipt", "choice", "valid", "source")
    )


# -- the published CSV ------------------------------------------------------------------------


def choice_text(choice) -> str:
    if isinstance(choice, str):
        return choice
    return json.dumps(choice, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def ballots_csv(poll: Poll) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["receipt", "choice", "valid"])
    for ballot in published_ballots(poll):
        writer.writerow([ballot.receipt, choice_text(ballot.choice), int(ballot.valid)])
    return out.getvalue()
