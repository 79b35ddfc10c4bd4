"""``tuanxue audit verify [--school CODE]``: walk each school's hash chain and report breaks."""

from django.core.management.base import BaseCommand, CommandError

from tuanxue.core.audit import verify_chain
from tuanxue.core.models import AuditEvent, School


class Command(BaseCommand):
    help = "Check the audit log: an edited, inserted or deleted event breaks its school's chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the hash chains")
        verify.add_argument("--school", help="school code (default: every school)")

    def handle(self, *args, action, school=None, **options):
        schools = School.objects.all()
        if school:
            schools = schools.filter(code=school)
            if not schools.exists():
                raise CommandError(f"no school with code {school!r}")
        broken = 0
        for s in schools:
            count = AuditEvent.objects.filter(school=s).count()
            problems = verify_chain(s)
            if problems:
                broken += 1
                self.stdout.write(f"{s.code}: BROKEN ({count} events)")
                for p in problems:
                    where = f"event {p.seq}" if p.seq is not None else "chain"
                    self.stdout.write(f"  {where}: {p.problem}")
            else:
                self.stdout.write(f"{s.code}: ok ({count} events)")
        if broken:
            raise CommandError(f"{broken} school(s) have a broken audit chain")
