"""Login throttling: too many failed attempts for one account or one address lock it out for
a while. Failures are kept in the database so that every worker process sees them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tuanxue.core.models import LoginFailure


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)


def is_locked(*, username: str, address: str) -> bool:
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_THROTTLE_LIMIT
    by_user = recent.filter(username=username.lower()).count() if username else 0
    # An address may try a few accounts (a shared campus gateway), so it gets more room.
    by_address = recent.filter(address=address).count() if address else 0
    return by_user >= limit or by_address >= limit * 4


def record_failure(*, username: str, address: str) -> None:
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=username.lower()[:150], address=address, at=timezone.now())


def clear_failures(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
