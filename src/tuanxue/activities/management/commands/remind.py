"""``tuanxue remind [--hours H]``: remind volunteers of shifts starting within H hours."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from tuanxue.activities.reminders import shift_reminders_send


class Command(BaseCommand):
    help = "Remind confirmed volunteers of their shift (each once). Run it from cron."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24, help="look-ahead (default 24)")

    def handle(self, *args, hours, **options):
        sent = shift_reminders_send(within=dt.timedelta(hours=hours))
        self.stdout.write(
            ngettext("%(n)s reminder sent", "%(n)s reminders sent", sent) % {"n": sent}
        )
