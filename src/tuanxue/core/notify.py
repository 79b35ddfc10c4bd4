"""Notifications: a row the user sees in the web app, and an e-mail where one is configured."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from tuanxue.core.models import Notification, School

log = logging.getLogger(__name__)


def notify(*, users, school: School, text: str, url: str = "") -> list[Notification]:
    """Tell each of ``users`` (once each). E-mail goes out after the transaction commits."""
    seen: set[int] = set()
    rows, recipients = [], []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, school=school, text=text[:300], url=url[:300]))
        if user.email and user.email not in recipients:
            recipients.append(user.email)
    Notification.objects.bulk_create(rows)
    if settings.NOTIFY_BY_EMAIL and recipients:
        transaction.on_commit(lambda: _mail(recipients, text, url))
    return rows


def _mail(recipients: list[str], text: str, url: str) -> None:
    body = f"{text}\n\n{settings.SITE_URL.rstrip('/')}{url}" if url else text
    try:
        send_mail(text[:78], body, None, recipients, fail_silently=False)
    except OSError:
        log.exception("could not send a notification e-mail")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
