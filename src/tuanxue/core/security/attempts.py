"""Limits on guessing short codes.

A six-digit code has a million values; without a limit a script tries them all within its
validity. Each wrong try is recorded under a scope ("checkin-code", "hall-code") and a key
(the user); after ``limit`` wrong tries within ``seconds`` the key must wait until the oldest of
them leaves the window. Rows are in the database so every worker process sees them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import ngettext

from tuanxue.core.models import FailedAttempt


def wait_seconds(*, scope: str, key: str, limit: int, seconds: int) -> int:
    """How long ``key`` must wait before its next try (0: it may try now)."""
    now = timezone.now()
    since = now - dt.timedelta(seconds=seconds)
    recent = list(
        FailedAttempt.objects.filter(scope=scope, key=key, at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return 0
    oldest = recent[-1]
    return max(1, int((oldest + dt.timedelta(seconds=seconds) - now).total_seconds() + 0.999))


def record_failure(*, scope: str, key: str, seconds: int) -> None:
    now = timezone.now()
    FailedAttempt.objects.filter(at__lt=now - dt.timedelta(seconds=max(seconds, 3600))).delete()
    FailedAttempt.objects.create(scope=scope, key=key[:80], at=now)


def too_many_message(wait: int) -> str:
    """What the person who guessed too often reads."""
    minutes = max(1, (wait + 59) // 60)
    return ngettext(
        "Too many wrong codes. Wait %(minutes)s minute, then type the code shown now.",
        "Too many wrong codes. Wait %(minutes)s minutes, then type the code shown now.",
        minutes,
    ) % {"minutes": minutes}
