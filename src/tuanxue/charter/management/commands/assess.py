"""``tuanxue assess --school CODE [--date D] [--json] [--docx PATH] [--pdf PATH]``."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from tuanxue.charter.assessment import assess
from tuanxue.core.models import School


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

    def handle(self, *args, **options):
        school = self._school(options["school"])
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, got {options['date']!r}") from exc
        report = assess(school, day)
        if options["docx"] or options["pdf"]:
            from tuanxue.charter import documents

            if options["docx"]:
                documents.write_docx(report, options["docx"])
            if options["pdf"]:
                documents.write_pdf(report, options["pdf"])
        if options["json"]:
            self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        else:
            for item in report.items:
                mark = {"pass": "✓", "fail": "✗", "not_evidenced": "?"}[item.status]
                core = "★" if item.core else "▲"
                self.stdout.write(f"{mark} {core} {item.code:>3} {item.title}  {item.detail}")
            verdict = "PASSED" if report.passed else "NOT PASSED"
            self.stdout.write(f"{school.name} {report.day}: {verdict}")
        if not report.passed:
            raise SystemExit(1)

    def _school(self, code):
        if code:
            school = School.objects.filter(code=code).first()
            if school is None:
                raise CommandError(f"no school with code {code!r}")
            return school
        schools = list(School.objects.all()[:2])
        if len(schools) == 1:
            return schools[0]
        raise CommandError("name the school with --school CODE")
