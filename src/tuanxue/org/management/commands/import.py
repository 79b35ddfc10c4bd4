"""tuanxue import students|records|memberships FILE --school CODE [--dry-run]"""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.imports import import_file
from tuanxue.org.imports.common import ImportRefused, Plan
from tuanxue.org.imports.files.reading import check_file
from tuanxue.org.imports.jobs import refuse_unread
from tuanxue.org.imports.labels import counts_text
from tuanxue.org.models import ImportKind

# Files with fewer data rows than this import quietly.
PROGRESS_FROM_ROWS = 2000


class ProgressReporter:
    """Writes 'reading… 40%' lines to stderr, once per 10% step, for large files only."""

    def __init__(self, write, *, threshold: int | None = None):
        self.write = write
        self.threshold = PROGRESS_FROM_ROWS if threshold is None else threshold
        self.last: dict[str, int] = {}
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        if total <= 0:
            # Size not known in advance: a line now and then once the file is large.
            if done >= self.threshold:
                line = _("reading… %(done)s rows so far") % {"done": done}
                self.write(f"{line}  ({elapsed:.1f}s)")
            return
        if total < self.threshold:
            return
        percent = min(100, done * 100 // total)
        step = percent // 10 * 10
        if self.last.get(stage, -1) >= step:
            return
        self.last[stage] = step
        label = {
            "read": _("reading %(total)s rows…"),
            "validate": _("validating %(total)s rows…"),
            "write": _("writing %(total)s rows…"),
        }.get(stage, stage)
        self.write(f"{label % {'total': total}} {step:3d}%  ({elapsed:.1f}s)")


class Command(BaseCommand):
    help = _(
        "Import students, academic records or union memberships from an .xlsx or .csv file. "
        "A file with any bad row is refused whole and every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--school", required=True, help=_("the school's code"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("check the file only; write nothing")
        )

    def handle(self, *args, kind: str, file: str, school: str, dry_run: bool, **options):
        school_obj = School.objects.filter(code=school.strip().lower()).first()
        if school_obj is None:
            raise CommandError(_("There is no school with code %(code)s.") % {"code": school})
        filename = os.path.basename(file)
        try:
            size = os.path.getsize(file)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}
            ) from exc
        try:
            check_file(filename, size)
        except ImportRefused as refused:
            if not dry_run:
                refuse_unread(
                    actor=None,
                    school=school_obj,
                    kind=kind,
                    filename=filename,
                    errors=refused.errors,
                )
            for error in refused.errors:
                self.stderr.write(error.message)
            raise CommandError(
                _("The file was refused; nothing was imported."), returncode=2
            ) from None
        reporter = ProgressReporter(self.stderr.write) if options.get("verbosity", 1) >= 1 else None
        try:
            outcome = import_file(
                actor=None,
                school=school_obj,
                kind=kind,
                filename=filename,
                content=file,
                dry_run=dry_run,
                progress=reporter,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        plan = outcome.plan
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(error.message)
            raise CommandError(
                _("%(count)s problem(s) found; nothing was imported.")
                % {"count": len(plan.errors)},
                returncode=2,
            )
        self._report(plan, outcome, dry_run)

    def _report(self, plan: Plan, outcome, dry_run: bool) -> None:
        counts = counts_text(plan.counts)
        if dry_run:
            self.stdout.write(
                _("Dry run: %(rows)s rows are good; nothing was written. Would do: %(counts)s")
                % {"rows": plan.rows, "counts": counts}
            )
            return
        job = outcome.job
        counts = counts_text(job.summary["counts"])
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(rows)s rows from %(file)s (import #%(job)s): %(counts)s")
                % {"rows": job.rows, "file": job.filename, "job": job.pk, "counts": counts}
            )
        )
