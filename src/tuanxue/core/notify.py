"""Notifications: a row the user sees in the web app, and an e-mail where one is configured.

E-mail never goes out on a request's path: ``send_mail_task`` is queued on Django's task framework
after the transaction commits, and the worker (``tuanxue db_worker``) talks to the mail server."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task

from tuanxue.core.models import Notification, School

log = logging.getLogger(__name__)


def notify(*, users, school: School | None, text: str, url: str = "") -> list[Notification]:
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
        body = f"{text}\n\n{settings.SITE_URL.rstrip('/')}{url}" if url else text
        mail_after_commit(subject=text[:78], body=body, recipients=recipients)
    return rows


def mail_after_commit(*, subject: str, body: str, recipients: list[str], html: str = "") -> None:
    """Queue one e-mail for the worker once the caller's transaction commits."""
    transaction.on_commit(lambda: send_mail_task.enqueue(subject, body, recipients, html))


@task()
def send_mail_task(subject: str, body: str, recipients: list[str], html: str = "") -> None:
    """Send one e-mail (on the worker). A failure is logged and marks the task failed."""
    message = EmailMultiAlternatives(subject, body, None, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError:
        log.exception("could not send an e-mail to %s", ", ".join(recipients))
        raise


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
