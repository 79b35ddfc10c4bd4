"""Poll pages: the delegate's phone ballot, receipts, the League committee's control and the
observer view, results and downloads, paper tallies and the scrutineers' sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuanxue.congress.models import PaperTally, Poll, PollKind, PollStatus, VoterMark
from tuanxue.congress.polls import ballots, decisions, results, voters
from tuanxue.congress.polls import services as polls
from tuanxue.congress.polls.ballots import MOTION_CHOICES
from tuanxue.congress.polls.documents import paper_ballot_pdf, result_sheet_pdf
from tuanxue.congress.polls.results import poll_result
from tuanxue.congress.scrutiny.auditpack import audit_pack_zip
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_message
from tuanxue.core.parsing import is_number
from tuanxue.org.access import get_school_for_viewer, is_league_committee
from tuanxue.org.views import login_required_page


def fetch_poll(request, school: str, poll_id: int) -> Poll:
    """The poll in the viewer's school; 404 for anyone outside it."""
    school_obj = get_school_for_viewer(school, request.viewer)
    poll = polls.get_poll(poll_id, school_obj)
    if poll is None:
        raise Http404
    return poll


def turnout(poll: Poll) -> dict:
    rows = voters.entitled(poll.session)
    return {
        "status": poll.status,
        "entitled": rows.count(),
        "present": rows.filter(checked_in_at__isnull=False).count(),
        "voted": VoterMark.objects.filter(poll=poll).count(),
        "issued": poll.issued,
    }


def _candidates(poll: Poll):
    return list(poll.candidates.select_related("student").order_by("order"))


# -- the delegate's ballot --------------------------------------------------------------------


@login_required_page
def ballot(request, school: str, poll_id: int):
    poll = fetch_poll(request, school, poll_id)
    delegate = voters.delegate_of(request.user, poll.session)
    if delegate is None:
        raise PermissionDenied
    context = {
        "poll": poll,
        "school": poll.session.school,
        "candidates": _candidates(poll),
        "delegate": delegate,
        "voted": VoterMark.objects.filter(poll=poll, delegate=delegate).exists(),
    }
    if request.method == "POST":
        if poll.kind == PollKind.MOTION:
            choice = request.POST.get("choice", "")
        else:
            marks = request.POST.getlist("c")
            write_in = request.POST.get("write_in", "").strip()
            if ballots.over_marked(poll, marks, write_in):
                messages.error(
                    request,
                    _("Mark at most %(seats)s names; this ballot would be invalid.")
                    % {"seats": poll.seats},
                )
                return render(request, "congress/ballot.html", context, status=400)
            choice = {"marks": marks, "write_in": write_in}
        try:
            receipt = ballots.ballot_cast(actor=request.user, poll=poll, choice=choice)
        except DomainError as exc:
            refuse_message(request, exc)
            return render(request, "congress/ballot.html", context, status=400)
        # The receipt is shown once, in this POST's answer, and kept nowhere with the voter.
        response = render(request, "congress/ballot_done.html", {**context, "receipt": receipt})
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "congress/ballot.html", context)


@login_required_page
def receipt(request, school: str, poll_id: int):
    """Check a receipt code. The code is sent in a POST body and shown only in the answer: it
    never goes into a URL (URLs end up in server logs, proxies and browser history)."""
    poll = fetch_poll(request, school, poll_id)
    code, found, shown = "", None, None
    if request.method == "POST":
        code = request.POST.get("code", "").strip()[:32]
        found = ballots.receipt_check(poll, code) if code else None
        if found is not None and poll.status == PollStatus.CLOSED:
            shown = _choice_label(poll, found.choice, found.valid)
    response = render(
        request,
        "congress/ballot_receipt.html",
        {"poll": poll, "code": code, "found": found, "shown": shown},
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _choice_label(poll: Poll, choice, valid: bool, names: dict | None = None) -> str:
    if poll.kind == PollKind.MOTION:
        labels = {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}
        return labels.get(choice, _("invalid")) if isinstance(choice, str) else _("invalid")
    if not isinstance(choice, dict) or "marks" not in choice:
        return _("invalid")
    if names is None:
        names = dict(poll.candidates.values_list("pk", "student__name"))
    picked = [names.get(m, "?") for m in choice["marks"]]
    if choice.get("write_in"):
        picked.append(_("write-in: %(name)s") % {"name": choice["write_in"]})
    text = "、".join(picked) or _("no name marked")
    return text if valid else _("%(text)s (invalid)") % {"text": text}


# -- the League committee ---------------------------------------------------------------------


@login_required_page
def control(request, school: str, poll_id: int):
    poll = fetch_poll(request, school, poll_id)
    if not is_league_committee(request.user, poll.session.school):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                polls.poll_open(actor=request.user, poll=poll)
                messages.success(request, _("The poll is open."))
            elif action == "close" and request.POST.get("confirm") != "1":
                messages.error(
                    request, _("Tick the confirmation: closing ends the voting for good.")
                )
            elif action == "close":
                decisions.poll_close(
                    actor=request.user,
                    poll=poll,
                    paper_ballots=request.POST.get("paper_ballots") == "1",
                )
                messages.success(request, _("The poll is closed."))
        except DomainError as exc:
            refuse_message(request, exc)
        return redirect("polls:control", school=school, poll_id=poll.pk)
    return render(
        request,
        "congress/poll_control.html",
        {
            "poll": poll,
            "t": turnout(poll),
            "candidates": _candidates(poll),
            "may_open": polls.may_open(poll),
            "may_close": polls.may_close(poll),
        },
    )


def _may_observe(request, poll: Poll) -> bool:
    return request.viewer.has_school_office(poll.session.school)


@login_required_page
def observe(request, school: str, poll_id: int):
    poll = fetch_poll(request, school, poll_id)
    if not _may_observe(request, poll):
        raise PermissionDenied
    closed = poll.status == PollStatus.CLOSED
    return render(
        request,
        "congress/poll_observe.html",
        {
            "poll": poll,
            "t": turnout(poll),
            "result": poll_result(poll) if closed else None,
            "pending": closed and not results.count_complete(poll),
            "paper": results.paper_state(poll),
            "signoffs": poll.signoffs.select_related("scrutineer"),
        },
    )


@login_required_page
def turnout_json(request, school: str, poll_id: int):
    poll = fetch_poll(request, school, poll_id)
    if not _may_observe(request, poll):
        raise PermissionDenied
    return JsonResponse(turnout(poll))


# -- results and downloads --------------------------------------------------------------------


def _closed(request, school, poll_id) -> Poll:
    poll = fetch_poll(request, school, poll_id)
    if poll.status != PollStatus.CLOSED:
        raise Http404
    return poll


@login_required_page
def result(request, school: str, poll_id: int):
    poll = fetch_poll(request, school, poll_id)
    context = {"poll": poll, "closed": poll.status == PollStatus.CLOSED}
    if context["closed"]:
        context["result"] = poll_result(poll)
        context["pending"] = not results.count_complete(poll)
        names = dict(poll.candidates.values_list("pk", "student__name"))
        context["ballots"] = [
            (b.receipt, _choice_label(poll, b.choice, b.valid, names), b.valid)
            for b in results.published_ballots(poll)
        ]
        context["signoffs"] = poll.signoffs.select_related("scrutineer").order_by("signed_at")
        context["runoff"] = poll.runoffs.first()
    return render(request, "congress/result.html", context)


@login_required_page
def result_pdf(request, school: str, poll_id: int):
    poll = _closed(request, school, poll_id)
    response = HttpResponse(result_sheet_pdf(poll), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="result-{poll.pk}.pdf"'
    return response


@login_required_page
def audit_pack(request, school: str, poll_id: int):
    """The audit pack: everyone of the school gets the published ballots and totals; the
    voters list (student numbers, voted or not) is in it only for the League committee and the
    poll's scrutineers."""
    poll = _closed(request, school, poll_id)
    with_voters = voters.may_see_voters(request.user, poll)
    response = HttpResponse(
        audit_pack_zip(poll, with_voters=with_voters), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-audit.zip"'
    return response


@login_required_page
def paper_pdf(request, school: str, poll_id: int):
    poll = fetch_poll(request, school, poll_id)
    if not (is_league_committee(request.user, poll.session.school) or _may_observe(request, poll)):
        raise PermissionDenied
    response = HttpResponse(paper_ballot_pdf(poll), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ballot-{poll.pk}.pdf"'
    return response


# -- counters and scrutineers -----------------------------------------------------------------


def _parse_groups(poll: Poll, text: str) -> list[dict]:
    """Lines such as ``1,3: 12`` — candidate numbers on the sheet, then how many ballots were
    marked that way; ``0: 2`` for ballots marking nobody; ``+name: 1`` adds a write-in."""
    by_order = dict(poll.candidates.values_list("order", "pk"))
    groups = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        marks_text, sep, count = line.rpartition(":")
        if not sep:
            raise DomainError(_("Line %(n)s: write the numbers, a colon and the count.") % {"n": n})
        marks, write_in = [], ""
        for part in marks_text.replace("，", ",").split(","):
            part = part.strip()
            if part.startswith("+"):
                write_in = part[1:].strip()
            elif part and part != "0":
                if not is_number(part) or int(part) not in by_order:
                    raise DomainError(
                        _("Line %(n)s: no candidate number %(c)s.") % {"n": n, "c": part}
                    )
                marks.append(by_order[int(part)])
        groups.append({"marks": marks, "write_in": write_in, "count": count.strip()})
    return groups


@login_required_page
def tally(request, school: str, poll_id: int):
    poll = fetch_poll(request, school, poll_id)
    if not voters.is_official(request.user, poll.session.school):
        raise PermissionDenied
    mine = PaperTally.objects.filter(poll=poll, counter=request.user).first()
    if request.method == "POST":
        post = request.POST
        try:
            counts = {"issued": post.get("issued"), "invalid": post.get("invalid")}
            if poll.kind == PollKind.MOTION:
                counts.update({k: post.get(k) for k in MOTION_CHOICES})
            else:
                counts["groups"] = _parse_groups(poll, post.get("groups", ""))
            ballots.paper_tally_enter(actor=request.user, poll=poll, counts=counts)
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(request, _("Your count was saved."))
            return redirect("polls:tally", school=school, poll_id=poll.pk)
    return render(
        request,
        "congress/poll_tally.html",
        {
            "poll": poll,
            "mine": mine,
            "state": results.paper_state(poll),
            "candidates": _candidates(poll),
            "choices": MOTION_CHOICES,
        },
    )


@login_required_page
def sign(request, school: str, poll_id: int):
    poll = fetch_poll(request, school, poll_id)
    if not voters.is_official(request.user, poll.session.school):
        raise PermissionDenied
    if request.method == "POST":
        try:
            ballots.signoff(actor=request.user, poll=poll)
        except DomainError as exc:
            refuse_message(request, exc)
        else:
            messages.success(request, _("You signed the result."))
        return redirect("polls:sign", school=school, poll_id=poll.pk)
    closed = poll.status == PollStatus.CLOSED
    return render(
        request,
        "congress/poll_sign.html",
        {
            "poll": poll,
            "result": poll_result(poll) if closed else None,
            "pending": closed and not results.count_complete(poll),
            "closed": closed,
            "paper": results.paper_state(poll),
            "signoffs": poll.signoffs.select_related("scrutineer").order_by("signed_at"),
            "signed": poll.signoffs.filter(scrutineer=request.user).exists(),
        },
    )
