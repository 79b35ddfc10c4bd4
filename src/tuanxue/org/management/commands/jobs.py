"""tuanxue jobs recover | list — look after background jobs.

The worker itself is django-tasks-db's ``tuanxue db_worker``. Run ``tuanxue jobs recover`` before
starting it (for example as systemd's ExecStartPre) and now and then from cron: it queues again
every running job whose worker has gone silent for JOB_STALE_SECONDS.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tuanxue.org.jobs.services import jobs_recover_all
from tuanxue.org.models import BackgroundJob, JobStatus


class Command(BaseCommand):
    help = _("Look after background jobs: requeue those lost with their worker, or list them.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["recover", "list"])

    def handle(self, *args, action: str, **options):
        if action == "recover":
            count = jobs_recover_all()
            self.stdout.write(_("Jobs queued again: %(count)s") % {"count": count})
            return
        jobs = BackgroundJob.objects.exclude(status__in=[JobStatus.DONE, JobStatus.FAILED])
        for job in jobs.order_by("created_at"):
            self.stdout.write(
                f"#{job.pk} {job.kind} {job.get_status_display()} "
                f"{job.done}/{job.total} {job.created_at:%Y-%m-%d %H:%M}"
            )
