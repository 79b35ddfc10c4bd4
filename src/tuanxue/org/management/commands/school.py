"""``tuanxue school add CODE 名称`` and ``tuanxue school list``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org import services


class Command(BaseCommand):
    help = "Add a school (with its school-level union) or list the schools."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a school")
        add.add_argument("code", help="short code: lower-case letters, digits or '-' (e.g. gdgm)")
        add.add_argument("name", help="the school's full name, e.g. 广东工贸职业技术学院")
        sub.add_parser("list", help="list the schools")

    def handle(self, *args, action, **options):
        if action == "add":
            self._add(options["code"], options["name"])
        else:
            self._list()

    def _add(self, code: str, name: str) -> None:
        try:
            school = services.school_add(actor=None, code=code, name=name)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Added school %(code)s: %(name)s") % {"code": school.code, "name": school.name}
            )
        )

    def _list(self) -> None:
        schools = School.objects.annotate(
            college_count=Count("colleges", distinct=True),
            student_count=Count("students", distinct=True),
        ).order_by("code")
        if not schools:
            self.stdout.write(_("No schools yet. Add one with: tuanxue school add CODE NAME"))
            return
        for school in schools:
            self.stdout.write(
                _("%(code)s\t%(name)s\t%(colleges)s colleges\t%(students)s students")
                % {
                    "code": school.code,
                    "name": school.name,
                    "colleges": school.college_count,
                    "students": school.student_count,
                }
            )
