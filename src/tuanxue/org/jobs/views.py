"""A background job's progress: a page (refreshes itself without JavaScript) and its JSON.

Who may watch a job is the job kind's rule (``JobKind.may_view``); a job of a kind without one is
seen by its owner only. Looking at a running job whose worker has gone silent queues it again.
"""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tuanxue.org.jobs.services import STATUS_HELP, job_recover, job_state, kind_of
from tuanxue.org.models import BackgroundJob
from tuanxue.org.views import login_required_page


def get_job_for_viewer(job_id: int, viewer) -> BackgroundJob:
    """The job, for a viewer its kind lets watch it (404 / 403 otherwise); a lost job is requeued."""
    job = BackgroundJob.objects.select_related("school", "owner").filter(pk=job_id).first()
    if job is None:
        raise Http404
    kind = kind_of(job)
    if kind is not None and kind.may_view is not None:
        kind.may_view(viewer, job)
    elif job.owner_id is None or job.owner_id != getattr(viewer.user, "pk", None):
        raise Http404
    job_recover(job)
    return job


@login_required_page
@never_cache
def job_detail(request, job_id: int):
    job = get_job_for_viewer(job_id, request.viewer)
    kind = kind_of(job)
    return render(
        request,
        "org/job_detail.html",
        {
            "job": job,
            "kind_label": kind.label if kind else job.kind,
            "state": job_state(job),
            "help": STATUS_HELP.get(job.status, ""),
        },
    )


@login_required_page
@never_cache
def job_progress(request, job_id: int):
    job = get_job_for_viewer(job_id, request.viewer)
    return JsonResponse(job_state(job).as_dict())
