"""``tuanxue assess --school CODE [--date D] [--json] [--docx PATH] [--pdf PATH]``, and
``tuanxue assess --all [--date D] [--json]`` for every school (see ``tuanxue.federation``)."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanxue.charter.assessment import assess
from tuanxue.core.commands import parse_date, school_by_code

STATUS_LABELS = {
    "pass": gettext_lazy("passed"),
    "fail": gettext_lazy("not passed"),
    "not_evidenced": gettext_lazy("no evidence"),
}


class Command(BaseCommand):
    help = (
        "Evaluate the acceptance checklist for a school from live data. Exit code 0 when every "
        "core item passes, 1 otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", help="school code (may be left out when there is one)")
        parser.add_argument(
            "--date",
            help="assessment date YYYY-MM-DD (default: the latest "
            "recorded self-assessment's date, or today)",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--docx", metavar="PATH", help="write the report as a Word document")
        parser.add_argument("--pdf", metavar="PATH", help="write the report as a PDF")
        parser.add_argument(
            "--all",
            action="store_true",
            help="assess every school; exit code 1 when any core item fails anywhere",
        )

    def handle(self, *args, **options):
        if options["all"]:
            from tuanxue.federation.commands import assess_all_command

            return assess_all_command(self, options)
        school = school_by_code(options["school"])
        day = None
        if options["date"]:
            day = parse_date(options["date"])
        report = assess(school, day)
        if options["docx"] or options["pdf"]:
            from tuanxue.charter.documents import build as documents

            if options["docx"]:
                documents.write_docx(report, options["docx"])
            if options["pdf"]:
                documents.write_pdf(report, options["pdf"])
        if options["json"]:
            self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        else:
            for item in report.items:
                mark = STATUS_LABELS[item.status]
                kind = _("core") if item.core else _("observed")
                self.stdout.write(f"[{mark}] [{kind}] {item.code:>3} {item.title}  {item.detail}")
            verdict = _("passed") if report.passed else _("not passed")
            self.stdout.write(
                _("%(school)s on %(day)s: %(verdict)s")
                % {"school": school.name, "day": report.day, "verdict": verdict}
            )
        if not report.passed:
            raise SystemExit(1)
