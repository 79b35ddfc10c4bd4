"""An account with an initial or reset password goes to the password-change page first.

The answer is found once, at login (``remember_on_login``, connected to ``user_logged_in``), and
kept in the session with a fingerprint of the password hash, so pages cost no extra query. A
session from before that (or whose password hash changed) is checked once on its next request.
The API with tokens has no session and is not affected; a session call to the API gets a 403
until the password is changed.
"""

from __future__ import annotations

import hashlib

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tuanxue.org.people.accounts import must_change_password

SESSION_KEY = "tx_password_state"
OPEN_PREFIXES = ("/static/", "/media/", "/i18n/", "/logout/", "/login/", "/account/password/")


def _fingerprint(user) -> str:
    return hashlib.sha256(f"{user.pk}:{user.password}".encode()).hexdigest()[:16]


def needs_change(request) -> bool:
    user = request.user
    key = _fingerprint(user)
    cached = request.session.get(SESSION_KEY)
    if cached and cached[0] == key:
        return cached[1]
    answer = must_change_password(user)
    request.session[SESSION_KEY] = [key, answer]
    return answer


def remember_on_login(sender, request, user, **kwargs) -> None:
    """The login hook: one query per login."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = [_fingerprint(user), must_change_password(user)]


def forget(request) -> None:
    """After the owner changed their password in this session."""
    request.session[SESSION_KEY] = [_fingerprint(request.user), False]


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_change(request)
        ):
            if request.path.startswith("/api/"):
                if "HTTP_AUTHORIZATION" not in request.META:
                    return JsonResponse(
                        {"detail": _("Change your initial password before going on.")},
                        status=403,
                    )
            else:
                return redirect(reverse("password_change"))
        return self.get_response(request)
