"""``tuanxue accounts create --school CODE (--students [--college NAME] [--class NAME] | --staff)
--out FILE.xlsx``: logins for the people who have none, their one-time passwords in a workbook."""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.models import ClassGroup, College
from tuanxue.org.people import accounts


class Command(BaseCommand):
    help = _(
        "Create logins for students or staff who have none. The username is the student or "
        "staff number; the one-time passwords go to an .xlsx workbook (one sheet per class, "
        "staff: per department) and must be changed at first login."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create",
            help=_("create logins"),
        )
        create.add_argument("--school", required=True, help=_("the school's code"))
        who = create.add_mutually_exclusive_group(required=True)
        who.add_argument("--students", action="store_true", help=_("students"))
        who.add_argument("--staff", action="store_true", help=_("staff"))
        create.add_argument("--college", help=_("only this college's students"))
        create.add_argument("--class", dest="class_name", help=_("only this class's students"))
        create.add_argument("--out", required=True, help=_("the .xlsx workbook to write"))

    def handle(self, *args, action: str, school: str, **options):
        school_obj = School.objects.filter(code=school.strip().lower()).first()
        if school_obj is None:
            raise CommandError(_("There is no school with code %(code)s.") % {"code": school})
        out = options["out"]
        if not out.lower().endswith(".xlsx"):
            raise CommandError(_("--out must name an .xlsx file, not %(file)s.") % {"file": out})
        if os.path.exists(out):
            raise CommandError(
                _(
                    "%(file)s already exists; choose another name (the passwords in it would be lost)."
                )
                % {"file": out}
            )
        folder = os.path.dirname(os.path.abspath(out))
        if not os.path.isdir(folder):
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": folder})
        if options["staff"] and (options.get("college") or options.get("class_name")):
            raise CommandError(_("--college and --class go with --students only."))
        college = None
        if options.get("college"):
            college = College.objects.filter(school=school_obj, name=options["college"]).first()
            if college is None:
                raise CommandError(
                    _("There is no college %(name)s in this school.") % {"name": options["college"]}
                )
        class_group = None
        if options.get("class_name"):
            class_group = ClassGroup.objects.filter(
                school=school_obj, name=options["class_name"]
            ).first()
            if class_group is None:
                raise CommandError(
                    _("There is no class %(name)s in this school.")
                    % {"name": options["class_name"]}
                )
        started = time.monotonic()
        try:
            result = accounts.accounts_create(
                actor=None,
                school=school_obj,
                people="staff" if options["staff"] else "students",
                college=college,
                class_group=class_group,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        elapsed = time.monotonic() - started
        if result.created:
            # Written after the commit; if writing fails the passwords can be reset from the page.
            with open(out, "xb") as handle:
                handle.write(accounts.logins_workbook_bytes(result))
            sheets = len({login.group for login in result.logins})
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Accounts created: %(count)s (in %(seconds)s s). Passwords written to %(file)s, %(sheets)s sheet(s)."
                    )
                    % {
                        "count": result.created,
                        "seconds": f"{elapsed:.1f}",
                        "file": out,
                        "sheets": sheets,
                    }
                )
            )
        else:
            self.stdout.write(_("Accounts created: 0; no workbook was written."))
        self.stdout.write(_("Already had a login: %(count)s") % {"count": result.already})
        if result.taken:
            self.stdout.write(
                _("Skipped, number already used as another account's username: %(count)s")
                % {"count": len(result.taken)}
            )
            for number, name in result.taken:
                self.stdout.write(f"  {number} {name}")
            self.stdout.write(
                _("Link those accounts to their records on the accounts page if they are theirs.")
            )
