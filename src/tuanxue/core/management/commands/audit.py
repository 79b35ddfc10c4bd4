"""``tuanxue audit verify|seal|checkpoint``: the audit log's chains and their checkpoints.

- ``verify [--school CODE] [--checkpoint FILE] [--unsealed-after SECONDS]`` walks each
  school's chain and exits 1 naming the first bad event; with a checkpoint file the log must
  still extend every checkpoint in it.
- ``seal [--school CODE]`` chains every committed event still unsealed (after a crash).
- ``checkpoint --school CODE`` prints a signed checkpoint (school, seq, head, time,
  signature) and appends it to the checkpoint file.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tuanxue.core.audit import verify_chain
from tuanxue.core.chain import checkpoints, sealer
from tuanxue.core.models import AuditEvent, School


class Command(BaseCommand):
    help = "Check, seal and checkpoint the audit log (a hash chain with a keyed MAC per school)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the chains")
        verify.add_argument("--school", help="school code (default: every school)")
        verify.add_argument(
            "--checkpoint", help="a file of signed checkpoints the log must still extend"
        )
        verify.add_argument(
            "--unsealed-after",
            type=int,
            default=None,
            help="report events unsealed for longer than this many seconds",
        )
        seal = sub.add_parser("seal", help="chain every committed event still unsealed")
        seal.add_argument("--school", help="school code (default: every school)")
        checkpoint = sub.add_parser("checkpoint", help="print a signed checkpoint")
        checkpoint.add_argument("--school", required=True, help="school code")

    def _schools(self, code):
        schools = School.objects.all()
        if code:
            schools = schools.filter(code=code)
            if not schools.exists():
                raise CommandError(f"no school with code {code!r}")
        return schools

    def handle(self, *args, action, school=None, **options):
        try:
            return getattr(self, f"handle_{action}")(school, **options)
        except (ImproperlyConfigured, checkpoints.CheckpointError) as exc:
            raise CommandError(str(exc)) from exc

    def handle_seal(self, school, **options):
        for s in self._schools(school):
            try:
                done = sealer.seal_until_done(s.pk, patience=30.0)
            except sealer.ChainHeadMissing as exc:
                raise CommandError(str(exc)) from exc
            left = AuditEvent.objects.filter(school=s, seq__isnull=True).count()
            self.stdout.write(
                _("%(code)s: sealed %(done)s events (%(left)s still unsealed)")
                % {"code": s.code, "done": done, "left": left}
            )

    def handle_checkpoint(self, school, **options):
        s = self._schools(school).get()
        sealer.seal_until_done(s.pk, patience=10.0)
        cp = checkpoints.current(s)
        checkpoints.append(cp)
        self.stdout.write(cp.to_line())

    def handle_verify(self, school, checkpoint=None, unsealed_after=None, **options):
        marks = None
        if checkpoint:
            path = Path(checkpoint)
            if not path.is_file():
                raise CommandError(_("No checkpoint file at %(path)s") % {"path": checkpoint})
            marks = checkpoints.parse(path.read_text(encoding="utf-8"), school=school)
            if not marks:
                raise CommandError(
                    _("%(path)s holds no checkpoint for %(school)s")
                    % {"path": checkpoint, "school": school or _("any school")}
                )
        broken = 0
        for s in self._schools(school):
            count = AuditEvent.objects.filter(school=s).count()
            mine = [m for m in marks if m.school == s.code] if marks is not None else None
            problems = verify_chain(s, checkpoints=mine, unsealed_bound=unsealed_after)
            if problems:
                broken += 1
                self.stdout.write(
                    _("%(code)s: BROKEN (%(count)s events)") % {"code": s.code, "count": count}
                )
                for p in problems:
                    where = _("event %(seq)s") % {"seq": p.seq} if p.seq is not None else _("chain")
                    self.stdout.write(f"  {where}: {p.problem}")
            else:
                note = _(", extends %(n)s checkpoints") % {"n": len(mine)} if mine else ""
                self.stdout.write(
                    _("%(code)s: ok (%(count)s events%(note)s)")
                    % {"code": s.code, "count": count, "note": note}
                )
        if broken:
            raise CommandError(_("%(n)s schools have a broken audit chain") % {"n": broken})
