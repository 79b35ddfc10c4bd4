"""A session's polls and motions: tabling, co-signing and reviewing motions, putting them to a
vote, and setting up a presidium election."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuanxue.congress.models import (
    CongressSession,
    Majority,
    MajorityBase,
    Motion,
    MotionKind,
    PollStatus,
    VoterMark,
)
from tuanxue.congress.polls import motions, voters
from tuanxue.congress.polls import services as polls
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_message
from tuanxue.core.parsing import is_number
from tuanxue.org.access import get_school_for_viewer, is_league_committee
from tuanxue.org.models import Student
from tuanxue.org.views import login_required_page
from tuanxue.selection.models import Application, ApplicationStatus


def fetch_session(request, school: str, session_id: int) -> CongressSession:
    school_obj = get_school_for_viewer(school, request.viewer)
    session = (
        CongressSession.objects.select_related("school", "union")
        .filter(pk=session_id, school=school_obj)
        .first()
    )
    if session is None:
        raise Http404
    return session


def fetch_motion(request, school: str, motion_id: int) -> Motion:
    school_obj = get_school_for_viewer(school, request.viewer)
    motion = (
        Motion.objects.select_related("session__school", "session__union", "proposer__student")
        .filter(pk=motion_id, session__school=school_obj)
        .first()
    )
    if motion is None:
        raise Http404
    return motion


@login_required_page
def session_polls(request, school: str, session_id: int):
    session = fetch_session(request, school, session_id)
    delegate = voters.delegate_of(request.user, session)
    poll_rows = list(session.polls.order_by("pk"))
    voted = set()
    if delegate is not None:
        voted = set(
            VoterMark.objects.filter(delegate=delegate, poll__in=poll_rows).values_list(
                "poll_id", flat=True
            )
        )
    return render(
        request,
        "congress/poll_list.html",
        {
            "session": session,
            "polls": [(p, p.pk in voted) for p in poll_rows],
            "motions": session.motions.select_related("proposer__student").order_by("pk"),
            "delegate": delegate,
            "league": is_league_committee(request.user, session.school),
            "observer": request.viewer.has_school_office(session.school),
            "may_review": motions.may_review(request.user, session),
            "open": PollStatus.OPEN,
        },
    )


@login_required_page
def motion_new(request, school: str, session_id: int):
    session = fetch_session(request, school, session_id)
    delegate = voters.delegate_of(request.user, session)
    reviewer = motions.may_review(request.user, session)
    if delegate is None and not reviewer:
        raise PermissionDenied
    kinds = [(v, label) for v, label in MotionKind.choices if reviewer or v == MotionKind.DELEGATE]
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            motion = motions.motion_create(
                actor=request.user,
                session=session,
                kind=data.get("kind", MotionKind.DELEGATE),
                title=data.get("title", ""),
                text=data.get("text", ""),
                majority=data.get("majority", Majority.HALF),
                base=data.get("base", MajorityBase.PRESENT),
            )
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(request, _("The motion was tabled."))
            return redirect("polls:motion", school=school, motion_id=motion.pk)
    return render(
        request,
        "congress/motion_form.html",
        {
            "session": session,
            "kinds": kinds,
            "majorities": Majority.choices,
            "bases": MajorityBase.choices,
            "data": data,
        },
    )


@login_required_page
def motion_detail(request, school: str, motion_id: int):
    motion = fetch_motion(request, school, motion_id)
    session = motion.session
    delegate = voters.delegate_of(request.user, session)
    reviewer = motions.may_review(request.user, session)
    league = is_league_committee(request.user, session.school)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cosign":
                motions.motion_cosign(actor=request.user, motion=motion)
                messages.success(request, _("You co-signed the motion."))
            elif action == "review":
                motions.motion_review(
                    actor=request.user,
                    motion=motion,
                    recommendation=request.POST.get("recommendation", ""),
                )
                messages.success(request, _("The recommendation was saved."))
            elif action == "vote":
                poll = polls.poll_create_for_motion(actor=request.user, motion=motion)
                return redirect("polls:control", school=school, poll_id=poll.pk)
            else:  # no or an unknown action: a malformed request, not a missing page
                raise BadRequest
        except DomainError as exc:
            refuse_message(request, exc)
        return redirect("polls:motion", school=school, motion_id=motion.pk)
    cosigners = list(motion.cosigners.select_related("student"))
    return render(
        request,
        "congress/motion_detail.html",
        {
            "motion": motion,
            "session": session,
            "cosigners": cosigners,
            "may_cosign": (
                delegate is not None
                and motion.kind == MotionKind.DELEGATE
                and motion.proposer_id != delegate.pk
                and all(c.pk != delegate.pk for c in cosigners)
            ),
            "may_review": reviewer,
            "league": league,
            "ready": motions.may_be_put_to_vote(motion),
            "polls": motion.polls.all(),
        },
    )


def _chain_candidates(session) -> dict:
    """The form starts with the candidates the selection chain put forward for this union."""
    numbers = (
        Application.objects.filter(round__union=session.union, status=ApplicationStatus.CANDIDATE)
        .order_by("student__student_no")
        .values_list("student__student_no", flat=True)
    )
    return {"candidates": " ".join(numbers), "title": _("Presidium election")}


@login_required_page
def election_new(request, school: str, session_id: int):
    session = fetch_session(request, school, session_id)
    if not is_league_committee(request.user, session.school):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else _chain_candidates(session)
    if request.method == "POST":
        numbers = [n.strip() for n in data.get("candidates", "").split() if n.strip()]
        found = {
            s.student_no: s
            for s in Student.objects.filter(school=session.school, student_no__in=numbers)
        }
        missing = [n for n in numbers if n not in found]
        try:
            if missing:
                raise DomainError(
                    _("No student with the number %(numbers)s.") % {"numbers": "、".join(missing)}
                )
            seats = data.get("seats", "")
            if not is_number(str(seats), max_length=3):
                raise DomainError(_("Enter the number of seats."), field="seats")
            poll = polls.poll_create_election(
                actor=request.user,
                session=session,
                title=data.get("title", ""),
                seats=int(seats),
                candidates=[found[n] for n in numbers],
                write_in=bool(data.get("write_in")),
            )
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            return redirect("polls:control", school=school, poll_id=poll.pk)
    return render(
        request,
        "congress/poll_election_form.html",
        {"session": session, "data": data, "max_seats": polls.presidium_seats_max(session)},
    )
