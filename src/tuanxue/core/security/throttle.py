"""Login throttling, applied inside authentication itself so that every login path (the login
page, any other form that calls ``authenticate``) is covered.

- An account is locked for the window after ``LOGIN_THROTTLE_LIMIT`` failures. The account is
  counted by its normalised name (NFKC, case-folded), the same form Django logs in with, so a
  full-width spelling of a locked name is the same locked account.
- An address that keeps failing is slowed down, not locked out: after ``LOGIN_THROTTLE_ADDRESS_LIMIT``
  failures it must wait between attempts, twice as long after each further failure (at most
  ``LOGIN_THROTTLE_MAX_DELAY`` seconds). Other people's accounts are never locked by it, which
  matters behind a campus gateway where thousands share one address.
- ``X-Forwarded-For`` is read only when the request comes from an address in ``TRUSTED_PROXIES``.

Failures are kept in the database so that every worker process sees them.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tuanxue.core.models import LoginFailure


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().casefold()[:150]


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for proxy in settings.TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request) -> str:
    """The client's address: the connection's, or behind trusted proxies the last address in
    ``X-Forwarded-For`` that is not one of them (the one a trusted proxy saw)."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "")
    if _trusted(address):
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        for hop in reversed([h for h in hops if h]):
            if not _trusted(hop):
                address = hop
                break
    return address[:64]


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)


@dataclass
class Verdict:
    account_locked: bool = False
    wait_seconds: int = 0  # the address must wait this long before its next attempt

    @property
    def refused(self) -> bool:
        return self.account_locked or self.wait_seconds > 0


def check(*, username: str, address: str) -> Verdict:
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    verdict = Verdict()
    key = normalise_username(username)
    if key:
        verdict.account_locked = (
            recent.filter(username=key).count() >= settings.LOGIN_THROTTLE_LIMIT
        )
    if address:
        failures = list(
            recent.filter(address=address).order_by("-at").values_list("at", flat=True)[:64]
        )
        over = len(failures) - settings.LOGIN_THROTTLE_ADDRESS_LIMIT
        if over >= 0:
            delay = min(2**over, settings.LOGIN_THROTTLE_MAX_DELAY)
            ready = failures[0] + timedelta(seconds=delay)
            remaining = (ready - timezone.now()).total_seconds()
            verdict.wait_seconds = max(0, int(remaining + 0.999))
    return verdict


def is_locked(*, username: str, address: str) -> bool:
    return check(username=username, address=address).refused


def record_failure(*, username: str, address: str) -> None:
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(
        username=normalise_username(username), address=address, at=timezone.now()
    )


def clear_failures(*, username: str) -> None:
    LoginFailure.objects.filter(username=normalise_username(username)).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's password backend with the throttle in front of it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if username is None or password is None:
            return None
        address = client_address(request)
        if check(username=username, address=address).refused:
            # Stops every backend: a locked account cannot be tried with any password.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username=username, address=address)
        else:
            clear_failures(username=username)
        return user
