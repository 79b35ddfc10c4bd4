"""``tuanxue linkage remind``: remind everyone who still owes a task past its deadline.

Run it from cron (daily is plenty); each overdue task is reminded at most once a day, and a
repeated or concurrent run reminds once.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tuanxue.linkage.services import remind_overdue


class Command(BaseCommand):
    help = "School–college–class linkage jobs. 'remind': remind the laggards of overdue tasks."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["remind"])
        parser.add_argument("--now", help="act as if it were this time (ISO 8601)")

    def handle(self, *args, job, now=None, **options):
        when = None
        if now:
            try:
                when = dt.datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now: not an ISO 8601 time: {now}") from exc
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        tasks, people = remind_overdue(now=when)
        self.stdout.write(f"reminded {people} people about {tasks} overdue tasks")
