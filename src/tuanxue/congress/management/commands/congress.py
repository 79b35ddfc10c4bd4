"""``tuanxue congress quota --school CODE [--date D] [--json]``: delegate quotas per college."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.congress.quota import college_quotas
from tuanxue.core.commands import parse_date, school_by_code


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
        school = school_by_code(options.get("school"))
        day = timezone.localdate()
        if options.get("date"):
            day = parse_date(options["date"])
        table = college_quotas(school, day)
        if options.get("json"):
            self.stdout.write(json.dumps(table.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("%(school)s on %(day)s: one delegate per %(ratio)s of students")
            % {"school": school.name, "day": day, "ratio": table.ratio_percent}
        )
        self.stdout.write("\t".join([_("College"), _("Students"), _("Quota")]))
        for row in table.rows:
            self.stdout.write(f"{row.college.name}\t{row.students}\t{row.quota}")
        self.stdout.write(f"{_('Total')}\t{table.students}\t{table.total}")
