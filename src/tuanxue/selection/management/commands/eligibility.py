"""``tuanxue eligibility --school CODE --semester S [--student NO ...] [--json]``.

Judges students on the day after semester S ends, so that S is the "last semester" of a
last-semester charter (``--date`` judges on a later day instead). Without ``--student`` every
student of the school is judged. Reasons are in the site's language unless ``--language`` says
otherwise.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanxue.core.commands import parse_date, school_by_code
from tuanxue.core.models import School, Semester
from tuanxue.org.models import Student
from tuanxue.selection.eligibility import eligibility_many

# Students judged per batch: each batch loads its records in a fixed number of queries.
BATCH = 500

VERDICT_LABELS = {
    True: gettext_lazy("eligible"),
    False: gettext_lazy("not eligible"),
    None: gettext_lazy("cannot decide"),
}


class Command(BaseCommand):
    help = (
        "Judge whether students may hold a union post under the charter in force on the day "
        "after a semester ends, with the reasons for each verdict."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument(
            "--semester", required=True, help="semester code in the school's calendar, 2019-2020-2"
        )
        parser.add_argument(
            "--student",
            nargs="+",
            action="extend",
            metavar="NO",
            help="student numbers (default: every student of the school)",
        )
        parser.add_argument(
            "--date",
            help="judge on this day (YYYY-MM-DD, after the semester ends) instead of the day "
            "after the semester ends",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the reasons (default: the site's)",
        )
        parser.add_argument("--json", action="store_true", help="print the verdicts as JSON")

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            self._run(options)

    def _run(self, options):
        school = school_by_code(options["school"], sole_default=False)
        semester = Semester.objects.filter(school=school, code=options["semester"]).first()
        if semester is None:
            raise CommandError(
                _("The calendar of %(school)s has no semester %(semester)r.")
                % {"school": school.code, "semester": options["semester"]}
            )
        day = semester.end + dt.timedelta(days=1)
        if options["date"]:
            day = parse_date(options["date"])
            if day <= semester.end:
                raise CommandError(
                    _("--date %(day)s must be after %(semester)s ends (%(end)s).")
                    % {"day": day, "semester": semester.code, "end": semester.end}
                )
        students = self._students(school, options["student"])
        rows = []
        for start in range(0, len(students), BATCH):
            for student, verdict in eligibility_many(students[start : start + BATCH], day):
                rows.append(
                    {
                        "student_no": student.student_no,
                        "name": student.name,
                        "eligible": verdict["eligible"],
                        "reasons": [str(r) for r in verdict["reasons"]],
                    }
                )
        if options["json"]:
            out = [
                {"student_no": r["student_no"], "eligible": r["eligible"], "reasons": r["reasons"]}
                for r in rows
            ]
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{school.name} · {semester.code} · {day.isoformat()}")
        for r in rows:
            verdict = str(VERDICT_LABELS[r["eligible"]])
            self.stdout.write(
                f"{r['student_no']:<14} {r['name']:<8} {verdict:<14} " + "；".join(r["reasons"])
            )
        counts = {value: 0 for value in VERDICT_LABELS}
        for r in rows:
            counts[r["eligible"]] += 1
        self.stdout.write(
            _("%(n)s students: %(yes)s eligible, %(no)s not eligible, %(unknown)s cannot decide")
            % {"n": len(rows), "yes": counts[True], "no": counts[False], "unknown": counts[None]}
        )

    def _students(self, school: School, numbers: list[str] | None) -> list[Student]:
        rows = Student.objects.filter(school=school).order_by("student_no")
        if numbers:
            wanted = list(dict.fromkeys(n.strip() for n in numbers))
            rows = rows.filter(student_no__in=wanted)
        students = list(rows)
        for student in students:
            student.school = school  # spares a query per student
        if numbers:
            found = {s.student_no for s in students}
            missing = [n for n in wanted if n not in found]
            if missing:
                raise CommandError(
                    _("No student in %(school)s has the number %(numbers)s.")
                    % {"school": school.code, "numbers": "、".join(missing)}
                )
            order = {n: i for i, n in enumerate(wanted)}
            students.sort(key=lambda s: order[s.student_no])
        return students
