"""Reminders before a volunteer shift: run ``tuanxue remind`` from cron (e.g. every 15 minutes)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.activities.models import Signup, SignupStatus
from tuanxue.core.notify import notify


def shift_reminders_send(*, within: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Tell every confirmed volunteer whose shift starts within ``within`` (once each)."""
    now = now or timezone.now()
    due = (
        Signup.objects.filter(
            status=SignupStatus.CONFIRMED,
            reminded_at__isnull=True,
            role__shift_starts_at__gt=now,
            role__shift_starts_at__lte=now + within,
        )
        .select_related("student__user", "role__project__activity", "school")
        .order_by("pk")
    )
    sent = 0
    for signup in due:
        with transaction.atomic():
            # Claim it first: two runs at once remind once.
            if not Signup.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            role = signup.role
            start = timezone.localtime(role.shift_starts_at)
            notify(
                users=[signup.student.user],
                school=signup.school,
                text=_("Reminder: your shift as %(role)s at %(activity)s starts at %(time)s.")
                % {
                    "role": role.name,
                    "activity": role.project.activity.title,
                    "time": start.strftime("%m-%d %H:%M"),
                },
                url=reverse("volunteer:project", args=[signup.school.code, role.project_id]),
            )
            sent += 1
    return sent
