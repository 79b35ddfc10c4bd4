"""``tuanxue congress quota --school CODE [--date D] [--json]``: delegate quotas per college."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tuanxue.congress.quota import college_quotas
from tuanxue.core.models import School


class Command(BaseCommand):
    help = "Student congress tools. `congress quota`: the delegate quota of each college."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        quota = sub.add_parser(
            "quota",
            help="quota per college = ceil(charter ratio × students of the college)",
        )
        quota.add_argument("--school", help="school code (may be left out when there is one)")
        quota.add_argument(
            "--date",
            help="session date YYYY-MM-DD: the charter in force then sets the ratio "
            "(default: today). Students are counted from the current roster.",
        )
        quota.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        if options["subcommand"] == "quota":
            self._quota(options)

    def _quota(self, options):
        school = self._school(options.get("school"))
        day = timezone.localdate()
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, got {options['date']!r}") from exc
        table = college_quotas(school, day)
        if options.get("json"):
            self.stdout.write(json.dumps(table.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{school.name} {day}: ratio {table.ratio_percent}")
        for row in table.rows:
            self.stdout.write(f"{row.college.name}\t{row.students}\t{row.quota}")
        self.stdout.write(f"total\t{table.students}\t{table.total}")

    def _school(self, code):
        if code:
            school = School.objects.filter(code=code).first()
            if school is None:
                raise CommandError(f"no school with code {code!r}")
            return school
        schools = list(School.objects.all()[:2])
        if len(schools) != 1:
            raise CommandError("--school is required when there is not exactly one school")
        return schools[0]
