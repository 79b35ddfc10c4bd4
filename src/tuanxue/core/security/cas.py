"""Campus sign-on (统一身份认证) over CAS 2.0/3.0, with django-cas-ng.

With ``CAS_SERVER_URL`` set, the login page offers the campus login. The CAS server answers with
the person's campus id, which is their student number or staff number; the registry maps it to
the account linked to that record (``register_campus_lookup``). An id that belongs to nobody in
Tuanxue is refused with a page that says so, and no account is created for it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client
from django_cas_ng.views import LoginView as CasLoginView
from django_cas_ng.views import LogoutView as CasLogoutView

_lookup: Callable[[str, str], object | None] | None = None


def register_campus_lookup(lookup: Callable[[str, str], object | None]) -> None:
    """``lookup(campus_id, school_code)`` → the user linked to that student or staff record."""
    global _lookup
    _lookup = lookup


def enabled() -> bool:
    return bool(getattr(settings, "CAS_SERVER_URL", ""))


class CampusBackend(CASBackend):
    """Verifies the ticket with the campus CAS server, then finds the account by the campus id.

    Unlike django-cas-ng's own backend it never creates users: an unknown id is refused."""

    def authenticate(self, request, ticket: str, service: str):
        if not enabled():
            return None
        client = get_cas_client(service_url=service, request=request)
        campus_id, _attributes, _pgtiou = client.verify_ticket(ticket)
        if not campus_id:
            return None
        campus_id = campus_id.strip()
        user = _lookup(campus_id, settings.CAS_SCHOOL) if _lookup else None
        if user is None or not self.user_can_authenticate(user):
            if request is not None:
                request.campus_id_refused = campus_id
            return None
        return user


class CampusLoginView(CasLoginView):
    """Sends the visitor to the campus login, and back; a refusal gets a page of its own."""

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except PermissionDenied:
            return render(
                request,
                "core/cas_refused.html",
                {"campus_id": getattr(request, "campus_id_refused", "")},
                status=403,
            )

    def post(self, request):
        if not enabled():
            raise Http404
        return super().post(request)


class CampusLogoutView(CasLogoutView):
    def get(self, request):
        if not enabled():
            raise Http404
        return super().get(request)
