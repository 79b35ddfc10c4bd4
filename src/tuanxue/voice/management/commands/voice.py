"""``tuanxue voice tick``: reminders, escalation of overdue demands and closing of answered ones.

Run it from cron (hourly is plenty); a repeated or concurrent run acts once.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tuanxue.voice.deadlines.tick import voice_tick


class Command(BaseCommand):
    help = "Student voice jobs. 'tick': remind, escalate overdue demands, close answered ones."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["tick"])
        parser.add_argument(
            "--now",
            help="act as if it were this time (ISO 8601, e.g. 2020-09-30T09:00+08:00)",
        )

    def handle(self, *args, job, now=None, **options):
        when = None
        if now:
            try:
                when = dt.datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now: not an ISO 8601 time: {now}") from exc
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        result = voice_tick(now=when)
        self.stdout.write(
            f"reminded {result.reminded}, escalated {result.escalated}, "
            f"to the school leader {result.to_leader}, closed {result.closed}"
        )
