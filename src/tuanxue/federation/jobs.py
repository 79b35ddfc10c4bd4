"""The province-wide check as a background job: every school assessed on the worker, with
progress, and the standings recorded at the end (the federation's button starts it)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanxue.charter.assessment import assess_schools, collector_paused
from tuanxue.core.models import School
from tuanxue.federation import services
from tuanxue.org.jobs.services import JobKind, register
from tuanxue.org.models import BackgroundJob

KIND = "federation.assess_all"
BATCH = 25
STAGES = {
    "assess": gettext_lazy("Assessing every school"),
    "record": gettext_lazy("Recording the standings"),
}


def run_assess_all(*, job: BackgroundJob, progress) -> dict:
    """Safe to run again: the standings are one upsert, and an unchanged standing records no
    event."""
    day = dt.date.fromisoformat(job.params["day"])
    schools = list(School.objects.order_by("code"))
    reports = []
    progress("assess", 0, len(schools))
    with collector_paused():  # as in ``assess --all``: the reports hold every school's records
        # In batches: each batch's records are read once for its schools, and the page shows
        # the progress batch by batch.
        for start in range(0, len(schools), BATCH):
            reports.extend(assess_schools(schools[start : start + BATCH], day))
            progress("assess", len(reports), len(schools))
        progress("record", len(schools), len(schools))
        changed = services.standings_record(actor=job.owner, reports=reports)
    return {
        "day": day.isoformat(),
        "schools": len(reports),
        "not_passed": sum(1 for r in reports if not r.passed),
        "changed": changed,
    }


def may_view(viewer, job: BackgroundJob) -> None:
    if not viewer.is_federation:
        raise Http404


def _url(job: BackgroundJob) -> str:
    return reverse("federation:province")


def _done_text(job: BackgroundJob) -> str:
    return _(
        "%(n)s schools assessed on %(day)s: %(failed)s not passed, %(changed)s changed their "
        "standing."
    ) % {
        "n": job.result.get("schools", 0),
        "day": job.result.get("day", ""),
        "failed": job.result.get("not_passed", 0),
        "changed": job.result.get("changed", 0),
    }


register(
    JobKind(
        name=KIND,
        label=gettext_lazy("Province-wide self-assessment"),
        run=run_assess_all,
        stages=STAGES,
        url=_url,
        may_view=may_view,
        done_text=_done_text,
    )
)
