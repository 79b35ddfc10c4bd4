"""``tuanxue charter adopt|show``: adopt a charter version from the command line, or print the
one in force. Adopting goes through the same service as the charter page, so it is checked and
audited the same way."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.models import Charter
from tuanxue.charter.rules import SEED_2020
from tuanxue.charter.services import charter_adopt, charter_in_force
from tuanxue.core.errors import DomainError
from tuanxue.core.models import School

PRESETS = {"seed-2020": SEED_2020}


def _school(code: str) -> School:
    school = School.objects.filter(code=code).first()
    if school is None:
        raise CommandError(_("No school has the code %(code)s.") % {"code": code})
    return school


def _day(raw: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(
            _("%(option)s must be a date such as 2020-08-25, not “%(value)s”.")
            % {"option": option, "value": raw}
        ) from exc


def read_rules_file(path: str) -> dict:
    """The rules in a JSON file, or a CommandError that says what is wrong and where."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as exc:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
        ) from exc
    except UnicodeDecodeError as exc:
        raise CommandError(_("%(path)s is not UTF-8 text.") % {"path": path}) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            _("%(path)s is not valid JSON: line %(line)s, column %(col)s: %(reason)s")
            % {"path": path, "line": exc.lineno, "col": exc.colno, "reason": exc.msg}
        ) from exc
    if not isinstance(data, dict):
        raise CommandError(
            _('%(path)s must hold one JSON object of rules, e.g. {"rotation": true}.')
            % {"path": path}
        )
    return data


class Command(BaseCommand):
    help = _("Adopt a charter version for a school, or show the one in force.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        adopt = sub.add_parser("adopt", help=_("adopt a new charter version"))
        adopt.add_argument("--school", required=True, help=_("school code"))
        source = adopt.add_mutually_exclusive_group(required=True)
        source.add_argument("--preset", choices=sorted(PRESETS), help=_("a built-in set of rules"))
        source.add_argument("--file", metavar="RULES.json", help=_("rules as a JSON object"))
        adopt.add_argument(
            "--from",
            dest="effective_from",
            required=True,
            metavar="YYYY-MM-DD",
            help=_("the day the version takes effect"),
        )
        adopt.add_argument(
            "--adopted-by", required=True, help=_("who adopted it, e.g. 第十四次学生代表大会")
        )
        adopt.add_argument("--name", help=_("the charter's name (default: <school>学生会章程)"))
        adopt.add_argument(
            "--version-label", help=_("the version's label (default: <year>年修订版)")
        )
        show = sub.add_parser("show", help=_("show the charter version in force"))
        show.add_argument("--school", required=True, help=_("school code"))
        show.add_argument("--date", metavar="YYYY-MM-DD", help=_("the day (default: today)"))

    def handle(self, *args, **options):
        if options["action"] == "adopt":
            self.adopt(options)
        else:
            self.show(options)

    def adopt(self, options):
        school = _school(options["school"])
        day = _day(options["effective_from"], "--from")
        if options["preset"]:
            rules = PRESETS[options["preset"]].to_json()
        else:
            rules = read_rules_file(options["file"])
        try:
            charter = charter_adopt(
                actor=None,
                school=school,
                name=options["name"] or f"{school.name}学生会章程",
                version_label=options["version_label"] or f"{day.year}年修订版",
                effective_from=day,
                rules=rules,
                adopted_by=options["adopted_by"].strip(),
            )
        except DomainError as exc:
            raise CommandError(
                _("Nothing was adopted: %(reason)s (field: %(field)s)")
                % {"reason": exc.message, "field": exc.field or "—"}
            ) from exc
        self.stdout.write(
            _("Adopted %(name)s (%(version)s) for %(school)s, in force from %(day)s.")
            % {
                "name": charter.name,
                "version": charter.version_label,
                "school": school.name,
                "day": day.isoformat(),
            }
        )

    def show(self, options):
        school = _school(options["school"])
        day = _day(options["date"], "--date") if options["date"] else timezone.localdate()
        charter = charter_in_force(school, day)
        if charter is None:
            later = Charter.objects.filter(school=school, effective_from__gt=day).count()
            self.stdout.write(
                _("%(school)s has no charter in force on %(day)s.")
                % {"school": school.name, "day": day.isoformat()}
            )
            if later:
                self.stdout.write(_("%(n)s version(s) take effect later.") % {"n": later})
            return
        rules = charter.parsed
        self.stdout.write(
            _("%(name)s (%(version)s), in force from %(day)s, adopted by %(by)s")
            % {
                "name": charter.name,
                "version": charter.version_label,
                "day": charter.effective_from.isoformat(),
                "by": charter.adopted_by or "—",
            }
        )
        for level, label in (("school", _("School union")), ("college", _("Each college union"))):
            limits = getattr(rules, level)
            self.stdout.write(
                _(
                    "%(level)s: staff %(staff)s, presidium %(presidium)s, departments "
                    "%(departments)s"
                )
                % {
                    "level": label,
                    "staff": _range(limits.staff_min, limits.staff_max),
                    "presidium": _range(None, limits.presidium_max),
                    "departments": _range(None, limits.departments_max),
                }
            )
        self.stdout.write(
            _("Rotating executive chair: %(yes)s; delegates: %(ratio)s of each college's students")
            % {
                "yes": _("yes") if rules.rotation else _("no"),
                "ratio": f"{float(rules.ratio) * 100:g}%",
            }
        )


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}"
    if high is not None:
        return f"≤ {high}"
    if low is not None:
        return f"≥ {low}"
    return _("no limit")
