"""Congress API: sessions, delegates, polls, published results, and casting a ballot.

The rules are the pages': everyone of the school sees its sessions, delegates (name, college,
status — no personal data) and polls; results only once a poll is closed; a ballot is cast by a
confirmed, checked-in delegate with their own token. Anyone outside the school gets 404.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from tuanxue.congress.api_schemas import (
    BallotIn,
    BallotMarks,
    DelegateOut,
    PollOut,
    PollResultOut,
    ReceiptOut,
    SessionDetailOut,
    SessionOut,
)
from tuanxue.congress.models import (
    CongressSession,
    Delegate,
    Majority,
    MajorityBase,
    Poll,
    PollKind,
    PollStatus,
)
from tuanxue.congress.polls.ballots import ballot_cast
from tuanxue.congress.polls.results import count_complete
from tuanxue.congress.sessions.agenda import attendance, election_tally, motion_tally
from tuanxue.core.api.errors import ErrorOut
from tuanxue.core.api.types import PathId, PathText
from tuanxue.core.errors import DomainError
from tuanxue.org.access import api_viewer, get_school_for_viewer

router = Router(tags=["congress"])

# ``ballots.ballot_cast`` refusals, as the API names them: the poll's state or the voter's is a
# 409 (``tuanxue.core.api.errors`` maps the codes to statuses); not being a delegate is a 403.
BALLOT_CODES = {"not_open": "closed", "forbidden": "not_a_delegate"}


def _choice(code: str, label) -> dict:
    return {"code": code, "label": str(label)}


def _session_for(request, code: str, session_id: int) -> CongressSession:
    school = get_school_for_viewer(code, api_viewer(request))
    session = (
        CongressSession.objects.select_related("union", "school")
        .filter(school=school, pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def _poll_for(request, poll_id: PathId) -> Poll:
    poll = Poll.objects.select_related("session__school", "motion").filter(pk=poll_id).first()
    if poll is None or not api_viewer(request).can_see_school(poll.session.school):
        raise Http404
    return poll


def _session_row(session: CongressSession) -> dict:
    return {
        "id": session.pk,
        "number": session.number,
        "name": session.name,
        "held_on": session.held_on,
        "venue": session.venue,
        "status": _choice(session.status, session.get_status_display()),
        "union": {"id": session.union.pk, "name": session.union.name},
    }


def _poll_row(poll: Poll) -> dict:
    return {
        "id": poll.pk,
        "kind": _choice(poll.kind, poll.get_kind_display()),
        "title": poll.title,
        "status": _choice(poll.status, poll.get_status_display()),
        "motion": poll.motion_id,
        "seats": poll.seats,
        "write_in": poll.write_in,
        "candidates": [
            {"id": c.pk, "name": c.student.name, "order": c.order} for c in poll.candidates.all()
        ],
    }


@router.get(
    "/schools/{code}/congress/sessions",
    response={200: list[SessionOut]},
    summary="Congress sessions of a school, newest first",
    operation_id="congress_session_list",
)
def session_list(request, code: PathText):
    school = get_school_for_viewer(code, api_viewer(request))
    rows = CongressSession.objects.filter(school=school).select_related("union")
    return [_session_row(s) for s in rows.order_by("-held_on", "-pk")]


@router.get(
    "/schools/{code}/congress/sessions/{session_id}",
    response={200: SessionDetailOut},
    summary="One congress session with its counts",
    operation_id="congress_session_detail",
)
def session_detail(request, code: PathText, session_id: PathId):
    session = _session_for(request, code, session_id)
    seen = attendance(session)
    counts = CongressSession.objects.filter(pk=session.pk).aggregate(
        delegates=Count("delegates", distinct=True),
        motions=Count("motions", distinct=True),
        polls=Count("polls", distinct=True),
    )
    return {
        **_session_row(session),
        "roster_cutoff": session.roster_cutoff,
        "notice_until": session.notice_until,
        **counts,
        "entitled": seen.entitled,
        "present": seen.present,
        "quorum_needed": seen.quorum_needed,
        "quorum_reached": seen.quorum_reached,
    }


@router.get(
    "/schools/{code}/congress/sessions/{session_id}/delegates",
    response={200: list[DelegateOut]},
    summary="The delegates of a session: name, college, status",
    operation_id="congress_delegate_list",
)
def delegate_list(request, code: PathText, session_id: PathId):
    session = _session_for(request, code, session_id)
    rows = Delegate.objects.filter(session=session).select_related("student", "college", "society")
    return [
        {
            "id": d.pk,
            "name": d.student.name,
            "college": {"id": d.college.pk, "name": d.college.name},
            "society": {"id": d.society.pk, "name": d.society.name} if d.society else None,
            "status": _choice(d.status, d.get_status_display()),
            "present": d.checked_in_at is not None,
        }
        for d in rows.order_by("college__order", "college__pk", "student__student_no")
    ]


@router.get(
    "/schools/{code}/congress/sessions/{session_id}/polls",
    response={200: list[PollOut]},
    summary="The polls of a session, with their candidates",
    operation_id="congress_poll_list",
)
def poll_list(request, code: PathText, session_id: PathId):
    session = _session_for(request, code, session_id)
    polls = Poll.objects.filter(session=session).prefetch_related("candidates__student")
    return [_poll_row(p) for p in polls.order_by("pk")]


@router.get(
    "/polls/{poll_id}/results",
    response={200: PollResultOut, 409: ErrorOut},
    summary="A closed poll's published result",
    operation_id="congress_poll_results",
)
def poll_results(request, poll_id: PathId):
    poll = _poll_for(request, poll_id)
    if poll.status != PollStatus.CLOSED:
        raise DomainError(_("The poll is not closed yet."), code="not_closed")
    if not count_complete(poll):
        raise DomainError(_("The paper ballots are still being counted."), code="counting")
    seen = attendance(poll.session)
    row = {
        "poll": poll.pk,
        "kind": _choice(poll.kind, poll.get_kind_display()),
        "title": poll.title,
        "entitled": seen.entitled,
        "present": seen.present,
        "issued": poll.issued,
    }
    if poll.kind == PollKind.ELECTION:
        tally = election_tally(poll)
        return {
            **row,
            "returned": tally.returned,
            "valid": tally.valid,
            "invalid": tally.invalid,
            "rule": _("more than half of the valid ballots, within %(n)s seats")
            % {"n": poll.seats},
            "void": tally.void,
            "candidates": [
                {
                    "id": c.candidate_id,
                    "name": c.student.name,
                    "votes": c.votes,
                    "elected": c.elected,
                }
                for c in tally.candidates
            ],
            "winners": [s.name for s in tally.winners],
        }
    motion = poll.motion
    tally = motion_tally(motion, poll=poll, seen=seen)
    valid = tally.yes + tally.no + tally.abstain
    return {
        **row,
        "returned": valid + tally.invalid,
        "valid": valid,
        "invalid": tally.invalid,
        "rule": f"{Majority(motion.majority).label} {MajorityBase(motion.base).label}",
        "yes": tally.yes,
        "no": tally.no,
        "abstain": tally.abstain,
        "needed": tally.needed,
        "adopted": tally.adopted,
    }


@router.post(
    "/polls/{poll_id}/ballots",
    response={201: ReceiptOut, 409: ErrorOut},
    summary="Cast the delegate's own ballot; returns the receipt code",
    operation_id="congress_ballot_cast",
)
def ballot_create(request, poll_id: PathId, payload: BallotIn):
    poll = _poll_for(request, poll_id)
    try:
        choice = payload.choice
        if isinstance(choice, BallotMarks):
            choice = choice.model_dump()
        receipt = ballot_cast(actor=request.auth, poll=poll, choice=choice)
    except DomainError as exc:
        code = BALLOT_CODES.get(exc.code, exc.code)
        raise DomainError(exc.message, field=exc.field, code=code) from exc
    return Status(201, {"receipt": receipt})
