"""``tuanxue assess --all [--date D] [--json]``: every school's result on one day.

Run on today's date (the default) it also records each school's standing, which the federation
page shows; run it every night (docs/federation.md)."""

from __future__ import annotations

import json

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.assessment import collector_paused
from tuanxue.core.commands import parse_date
from tuanxue.federation import province, services


def assess_all_command(command, options) -> None:
    if options.get("school") or options.get("docx") or options.get("pdf"):
        raise CommandError(_("--all assesses every school: leave out --school, --docx and --pdf."))
    # The reports hold the whole province's records: the collector's passes would walk them
    # all again while the standings are written and the output formatted.
    with collector_paused():
        _assess_all(command, options)


def _assess_all(command, options) -> None:
    today = timezone.localdate()
    day = parse_date(options["date"]) if options.get("date") else today
    reports = province.assess_all(day)
    if day == today:
        services.standings_record(actor=None, reports=reports)
    failed = [r for r in reports if not r.passed]
    if options.get("json"):
        out = {
            "date": day.isoformat(),
            "schools": [province.summary(r) for r in reports],
            "passed": not failed,
            "failed_schools": [r.school.code for r in failed],
        }
        command.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            verdict = _("passed") if report.passed else _("not passed")
            command.stdout.write(f"[{verdict}] {report.school.code} {report.school.name}")
            for line in province.breaches(report):
                command.stdout.write(f"    {line}")
        command.stdout.write(
            _("%(n)s schools assessed on %(day)s: %(failed)s not passed")
            % {"n": len(reports), "day": day.isoformat(), "failed": len(failed)}
        )
    if failed:
        raise SystemExit(1)
