"""Casting ballots, receipts, paper tallies and the scrutineers' signatures.

Secrecy: a phone vote writes a ``VoterMark`` (who) and a ``Ballot`` (what) in one transaction;
nothing links the two, and no audit event is written per ballot or per mark — the audit log
carries a time, so an event per ballot would link a voter to a choice. Only totals are audited.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.congress.models import (
    Ballot,
    BallotSource,
    PaperTally,
    Poll,
    PollKind,
    PollStatus,
    Signoff,
    VoterMark,
)
from tuanxue.congress.polls.decisions import decision_apply
from tuanxue.congress.polls.results import PAPER_COUNTED, paper_counted, paper_state
from tuanxue.congress.polls.voters import delegate_of, is_official, voter_for
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError

MOTION_CHOICES = ("yes", "no", "abstain")


# -- the choice -------------------------------------------------------------------------------


def over_marked(poll: Poll, marks, write_in: str) -> bool:
    """An election ballot naming more people than there are seats (the one definition the
    ballot box, the paper counts and the ballot page use; the independent recount has its own)."""
    return len(set(marks)) + (1 if write_in else 0) > poll.seats


def election_choice(poll: Poll, choice) -> tuple[dict, bool]:
    """Normalise an election choice to ``{"marks": [ids], "write_in": name}`` and say whether
    it is valid. Unknown candidates are refused; an over-marked ballot is kept but invalid."""
    if isinstance(choice, dict):
        marks, write_in = choice.get("marks", []), choice.get("write_in", "")
    else:
        marks, write_in = choice, ""
    if not isinstance(marks, list | tuple):
        raise DomainError(_("The ballot could not be read."), field="choice")
    try:
        marks = sorted({int(m) for m in marks})
    except (TypeError, ValueError) as exc:
        raise DomainError(_("The ballot could not be read."), field="choice") from exc
    known = set(poll.candidates.values_list("pk", flat=True))
    if not set(marks) <= known:
        raise DomainError(_("The ballot names someone who is not a candidate."), field="choice")
    write_in = (write_in or "").strip()[:40]
    if write_in and not poll.write_in:
        raise DomainError(_("This election has no write-in line."), field="write_in")
    return {"marks": marks, "write_in": write_in}, not over_marked(poll, marks, write_in)


def normalise_choice(poll: Poll, choice) -> tuple[object, bool]:
    if poll.kind == PollKind.MOTION:
        if choice not in MOTION_CHOICES:
            raise DomainError(_("Choose yes, no or abstain."), field="choice")
        return choice, True
    return election_choice(poll, choice)


# -- casting ----------------------------------------------------------------------------------


def ballot_cast(*, actor, poll: Poll, choice) -> str:
    """Cast the actor's ballot; return its receipt code (and nothing else)."""
    delegate = voter_for(actor, poll)
    stored, valid = normalise_choice(poll, choice)
    if VoterMark.objects.filter(poll_id=poll.pk, delegate=delegate).exists():
        raise DomainError(_("You have already voted in this poll."), code="already_voted")
    try:
        with transaction.atomic():
            # The conditional update locks the poll row: a ballot commits before a close or
            # sees the poll closed.
            if not Poll.objects.filter(pk=poll.pk, status=PollStatus.OPEN).update(
                issued=F("issued") + 1
            ):
                raise DomainError(_("This poll is not open."), code="not_open")
            VoterMark.objects.create(poll_id=poll.pk, delegate=delegate)
            ballot = Ballot.objects.create(
                poll_id=poll.pk, choice=stored, valid=valid, source=BallotSource.PHONE
            )
    except IntegrityError as exc:
        raise DomainError(_("You have already voted in this poll."), code="already_voted") from exc
    return ballot.receipt


def has_voted(actor, poll: Poll) -> bool:
    delegate = delegate_of(actor, poll.session)
    return delegate is not None and VoterMark.objects.filter(poll=poll, delegate=delegate).exists()


# -- receipts ---------------------------------------------------------------------------------


def receipt_check(poll: Poll, code: str) -> Ballot | None:
    """The ballot with this receipt in the poll's published list, or None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return Ballot.objects.filter(poll=poll, receipt=code).first()


# -- paper ballots ----------------------------------------------------------------------------


def _clean_counts(poll: Poll, counts: dict) -> dict:
    """Motion: ``{"issued", "yes", "no", "abstain", "invalid"}``. Election: ``{"issued",
    "invalid", "groups": [{"marks": [candidate ids], "write_in": "", "count": n}]}`` — one group
    per distinct way the paper ballots were marked."""

    def number(value, field):
        try:
            n = int(value)
        except (TypeError, ValueError) as exc:
            raise DomainError(_("Enter a whole number."), field=field) from exc
        if n < 0:
            raise DomainError(_("A count cannot be negative."), field=field)
        return n

    clean = {"issued": number(counts.get("issued", 0), "issued")}
    clean["invalid"] = number(counts.get("invalid", 0), "invalid")
    if poll.kind == PollKind.MOTION:
        for key in MOTION_CHOICES:
            clean[key] = number(counts.get(key, 0), key)
        return clean
    groups: dict[str, dict] = {}
    for group in counts.get("groups", []):
        stored, _valid = election_choice(poll, group)
        n = number(group.get("count", 0), "groups")
        if not n:
            continue
        key = f"{stored['marks']}|{stored['write_in']}"
        if key in groups:
            groups[key]["count"] += n
        else:
            groups[key] = {**stored, "count": n}
    clean["groups"] = sorted(groups.values(), key=lambda g: (g["marks"], g["write_in"]))
    return clean


def paper_returned(counts: dict) -> int:
    if "groups" in counts:
        return counts["invalid"] + sum(g["count"] for g in counts["groups"])
    return counts["invalid"] + sum(counts[k] for k in MOTION_CHOICES)


def paper_tally_enter(*, actor, poll: Poll, counts: dict) -> PaperTally:
    """A counter enters the paper totals. When two different counters agree, the paper
    ballots become ballot rows."""
    school = poll.session.school
    if not is_official(actor, school):
        raise DomainError(_("Only a counter may enter paper ballots."), code="forbidden")
    if poll.status != PollStatus.CLOSED:
        raise DomainError(_("Paper ballots are counted after the poll closes."))
    if not poll.paper_ballots:
        raise DomainError(
            _("This poll was closed without paper ballots; its result is already decided.")
        )
    if paper_counted(poll):
        raise DomainError(_("The paper ballots of this poll have already been counted."))
    if Signoff.objects.filter(poll=poll, scrutineer=actor).exists():
        raise DomainError(_("A scrutineer cannot also count."), code="forbidden")
    clean = _clean_counts(poll, counts)
    with transaction.atomic():
        tally = PaperTally.objects.filter(poll=poll, counter=actor).first()
        old = tally.counts if tally else None
        if tally is None:
            tally = PaperTally(poll=poll, counter=actor)
        tally.counts = clean
        tally.at = timezone.now()
        tally.save()
        audit_record(
            school=school,
            actor=actor,
            action="congress.paper_tally.entered",
            target=poll,
            old={"counts": old} if old else None,
            new={"counts": clean},
        )
    if paper_tally_agree(poll):
        # Both counters agree: the count is complete, so the decision takes effect — made by
        # the count, not by the counter (actor None).
        decision_apply(actor=None, poll=poll)
    return tally


def paper_tally_agree(poll: Poll) -> bool:
    """Compare the counters' entries. When two different counters agree, store the paper
    ballots (source paper, random receipts, no order) and return True — once: a later call
    returns False, so the decision is applied once."""
    tallies = list(PaperTally.objects.filter(poll=poll).order_by("at"))
    if len(tallies) < 2:
        return False
    if any(t.counts != tallies[0].counts for t in tallies[1:]):
        return False
    if len({t.counter_id for t in tallies}) < 2:
        return False
    counts = tallies[0].counts
    with transaction.atomic():
        Poll.objects.select_for_update().filter(pk=poll.pk).first()
        if paper_counted(poll):
            return False
        rows = []
        if poll.kind == PollKind.MOTION:
            for key in MOTION_CHOICES:
                rows += [(key, True)] * counts[key]
        else:
            for group in counts["groups"]:
                stored = {"marks": group["marks"], "write_in": group["write_in"]}
                valid = not over_marked(poll, stored["marks"], stored["write_in"])
                rows += [(stored, valid)] * group["count"]
        rows += [({"paper": "invalid"}, False)] * counts["invalid"]
        Ballot.objects.bulk_create(
            [Ballot(poll=poll, choice=c, valid=v, source=BallotSource.PAPER) for c, v in rows]
        )
        Poll.objects.filter(pk=poll.pk).update(issued=F("issued") + counts["issued"])
        poll.refresh_from_db()
        audit_record(
            school=poll.session.school,
            actor=None,
            action=PAPER_COUNTED,
            target=poll,
            new={
                "counters": sorted(t.counter.get_username() for t in tallies),
                "issued": counts["issued"],
                "returned": paper_returned(counts),
                "counts": counts,
            },
        )
    return True


# -- scrutineers ------------------------------------------------------------------------------


def signoff(*, actor, poll: Poll) -> Signoff:
    school = poll.session.school
    if not is_official(actor, school):
        raise DomainError(_("Only a scrutineer may sign the result."), code="forbidden")
    if poll.status != PollStatus.CLOSED:
        raise DomainError(_("The result is signed after the poll closes."))
    if PaperTally.objects.filter(poll=poll, counter=actor).exists():
        raise DomainError(_("A counter cannot sign as scrutineer."), code="counter")
    if (poll.paper_ballots and not paper_counted(poll)) or paper_state(poll) == "disagree":
        raise DomainError(_("The two counters' paper totals must agree before signing."))
    try:
        with transaction.atomic():
            row = Signoff.objects.create(poll=poll, scrutineer=actor, signed_at=timezone.now())
            audit_record(
                school=school,
                actor=actor,
                action="congress.poll.signed",
                target=poll,
                new={"scrutineer": actor.get_username()},
            )
    except IntegrityError as exc:
        raise DomainError(_("You have already signed this result.")) from exc
    return row
