"""Check-in pages: delegate cards (print sheet and PDF), the card page a QR code opens, the door,
and the live projector page with its JSON."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tuanxue.congress.checkin import services as checkin
from tuanxue.congress.forms import DoorForm, HallCodeForm
from tuanxue.congress.models import Delegate, DelegateStatus, SessionStatus
from tuanxue.congress.sessions.services import is_door_staff
from tuanxue.congress.views import get_session
from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form, refuse_message
from tuanxue.org.access import is_league_committee
from tuanxue.org.views import login_required_page


def _confirmed(session):
    return list(
        Delegate.objects.filter(session=session, status=DelegateStatus.CONFIRMED)
        .select_related("student", "college", "session__school")
        .order_by("college__order", "college__name", "student__student_no")
    )


def _chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


@login_required_page
def cards(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    if not is_league_committee(request.user, session.school):
        raise PermissionDenied
    delegates = _confirmed(session)
    for delegate in delegates:
        delegate.qr_svg = checkin.card_svg(delegate)
    return render(
        request,
        "congress/cards.html",
        {"school": session.school, "session": session, "pages": _chunks(delegates, 8)},
    )


@login_required_page
def cards_pdf(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    if not is_league_committee(request.user, session.school):
        raise PermissionDenied
    data = checkin.cards_pdf(session, _confirmed(session))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="congress-{session.pk}-cards.pdf"'
    return response


@login_required_page
def card(request, school: str, session_id: int, card_code: str):
    """What a card's QR code opens: door staff check the delegate in with one tap; the delegate
    checks themselves in with the hall code; anyone else of the school sees the card."""
    session = get_session(request, school, session_id)
    delegate = (
        Delegate.objects.select_related("student", "college", "session__school")
        .filter(session=session, card_code=card_code)
        .first()
    )
    if delegate is None:
        raise Http404
    door = is_door_staff(request.user, session)
    own = delegate.student.user_id is not None and delegate.student.user_id == request.user.pk
    form = None
    if own:  # bound on every POST, so an empty POST is refused with a message, not a crash
        form = HallCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            if request.POST.get("door") and door:
                done = checkin.delegate_check_in(
                    actor=request.user, session=session, card_code=card_code
                )
            elif own:
                if not form.is_valid():
                    raise DomainError(form.errors.get("hall", [""])[0], field="hall")
                done = checkin.delegate_self_check_in(
                    actor=request.user,
                    session=session,
                    card_code=card_code,
                    hall=form.cleaned_data["hall"],
                )
            else:
                raise PermissionDenied
        except DomainError as exc:
            if form is not None and exc.field == "hall":
                form.errors.clear()
                refuse_form(form, exc)
            else:
                refuse_message(request, exc)
        else:
            if done.newly_checked_in:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": done.student.name}
                )
            else:
                messages.info(
                    request, _("%(name)s was already checked in.") % {"name": done.student.name}
                )
            return redirect(request.path)
    return render(
        request,
        "congress/card.html",
        {
            "school": session.school,
            "session": session,
            "delegate": delegate,
            "qr_svg": checkin.card_svg(delegate, scale=5) if own or door else "",
            "door": door and session.status in checkin.DOOR_STATUSES,
            "own": own,
            "self_open": own and session.status == SessionStatus.OPEN,
            "form": form,
        },
    )


@login_required_page
def door(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    if not is_door_staff(request.user, session):
        raise PermissionDenied
    form = DoorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = checkin.delegate_check_in(
                actor=request.user, session=session, card_code=form.cleaned_data["card_code"]
            )
        except DomainError as exc:
            refuse_form(form, exc)
        else:
            text = (
                _("%(name)s (%(college)s) is checked in.")
                if done.newly_checked_in
                else _("%(name)s (%(college)s) was already checked in.")
            )
            messages.success(request, text % {"name": done.student.name, "college": done.college})
            return redirect(request.path)
    recent = (
        Delegate.objects.filter(session=session, checked_in_at__isnull=False)
        .select_related("student", "college")
        .order_by("-checked_in_at")[:10]
    )
    return render(
        request,
        "congress/door.html",
        {
            "school": session.school,
            "session": session,
            "form": form,
            "recent": recent,
            "attendance": checkin.attendance(session),
            "open_for_checkin": session.status in checkin.DOOR_STATUSES,
        },
    )


def _projector_data(request, session) -> dict:
    data = checkin.attendance(session).to_json()
    data["status"] = session.status
    if session.status == SessionStatus.OPEN and is_door_staff(request.user, session):
        data["hall_code"] = checkin.hall_code(session)
        data["seconds_left"] = checkin.hall_code_seconds_left()
    else:
        data["hall_code"] = None
        data["seconds_left"] = None
    return data


@login_required_page
def projector(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    return render(
        request,
        "congress/projector.html",
        {"school": session.school, "session": session, "data": _projector_data(request, session)},
    )


@never_cache
@login_required_page
def projector_json(request, school: str, session_id: int):
    session = get_session(request, school, session_id)
    return JsonResponse(_projector_data(request, session))
