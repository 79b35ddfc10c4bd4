"""Background jobs on Django's task framework (the ``django-tasks`` backport).

A feature registers a *kind* once (``register``): the function that does the work, the labels of
its stages, where its result is shown and who may watch it. Then:

- ``job_start(actor=..., school=..., kind=..., params=...)`` writes a ``BackgroundJob`` row and
  queues the ``run_job`` task when the transaction commits;
- the worker (``tuanxue db_worker``) claims the job with a conditional UPDATE on its token, calls
  the kind's function with a ``progress(stage, done, total)`` callback, then records the result or
  the error and notifies the owner;
- ``job_state(job)`` is what the progress page and its JSON show.

Progress goes to the ``jobs`` cache, not to the row: a job usually does its writes in one
transaction, and what it writes inside it (its progress too) is invisible until it commits.

A worker that dies leaves its job ``running`` and silent. ``job_recover`` (called whenever the
job is looked at, and by ``tuanxue jobs recover``) queues such a job again with a new token, up to
``JOB_MAX_ATTEMPTS`` attempts. A kind's function must therefore be safe to run again: the
imports do all their writes in one transaction guarded by a conditional UPDATE, so a rerun either
redoes a rolled-back import or finds it done.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskContext, task

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.core.notify import notify
from tuanxue.org.models import BackgroundJob, JobStatus

log = logging.getLogger(__name__)

# progress(stage, done, total) as the imports already report it.
Progress = Callable[[str, int, int], None]
# Progress is written to the cache at most this often (stage changes are written at once).
PROGRESS_EVERY = 0.5


@dataclass
class JobKind:
    """What a feature tells the job runner about one kind of job."""

    name: str
    label: str
    # run(job=..., progress=...) -> result dict (JSON). A DomainError's message is shown as is.
    run: Callable[..., dict]
    stages: dict[str, str] = field(default_factory=dict)
    # Where the owner sees the result (also the notification's link).
    url: Callable[[BackgroundJob], str] | None = None
    # may_view(viewer, job): raises Http404 / PermissionDenied like the feature's own pages.
    may_view: Callable[..., None] | None = None
    # The notification text once the job is done (the generic one when None).
    done_text: Callable[[BackgroundJob], str] | None = None


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


def kind_of(job: BackgroundJob) -> JobKind | None:
    return KINDS.get(job.kind)


# -- starting ---------------------------------------------------------------------------------


def job_start(
    *, actor, school: School | None, kind: str, params: dict, total: int = 0
) -> BackgroundJob:
    """Record a job and queue it once the caller's transaction commits."""
    if kind not in KINDS:
        raise DomainError(_("Unknown job kind %(kind)s.") % {"kind": kind})
    job = BackgroundJob.objects.create(
        school=school,
        owner=actor if actor is not None and actor.pk else None,
        kind=kind,
        params=params,
        total=total,
        token=uuid.uuid4().hex,
    )
    _enqueue_on_commit(job.pk, job.token)
    return job


def _enqueue_on_commit(job_id: int, token: str) -> None:
    def enqueue() -> None:
        result = run_job.enqueue(job_id, token)
        # The immediate backend has already run the job; others have only queued it.
        BackgroundJob.objects.filter(pk=job_id, token=token, task_id="").update(
            task_id=str(result.id)[:64]
        )

    transaction.on_commit(enqueue)


# -- progress ---------------------------------------------------------------------------------


def _progress_key(job: BackgroundJob) -> str:
    return f"tuanxue:job:{job.pk}:{job.token}"


def _cache():
    return caches["jobs"]


class Reporter:
    """The progress callback handed to a job: throttled writes to the jobs cache."""

    def __init__(self, job: BackgroundJob):
        self.key = _progress_key(job)
        self.stage = ""
        self.written = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.written < PROGRESS_EVERY and done < total:
            return
        self.stage, self.written = stage, now
        _cache().set(
            self.key,
            {"stage": stage, "done": done, "total": total, "at": timezone.now().timestamp()},
            timeout=7 * 24 * 3600,
        )


@dataclass
class JobState:
    status: str
    status_label: str
    stage: str
    stage_label: str
    done: int
    total: int
    percent: int | None
    error: str
    result_url: str
    finished: bool

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "status_label": self.status_label,
            "stage": self.stage,
            "stage_label": self.stage_label,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "error": self.error,
            "result_url": self.result_url,
            "finished": self.finished,
        }


def _live(job: BackgroundJob) -> dict | None:
    if job.status != JobStatus.RUNNING:
        return None
    return _cache().get(_progress_key(job))


def job_state(job: BackgroundJob) -> JobState:
    """Status and progress as the owner should see them now."""
    kind = kind_of(job)
    stage, done, total = job.stage, job.done, job.total
    live = _live(job)
    if live is not None:
        stage, done, total = live["stage"], live["done"], live["total"]
    finished = job.status in (JobStatus.DONE, JobStatus.FAILED)
    if job.status == JobStatus.DONE:
        percent = 100
    elif total > 0:
        percent = min(99, done * 100 // total)
    else:
        percent = None
    stages = kind.stages if kind else {}
    if job.status == JobStatus.QUEUED:
        stage_label = _("Waiting for the background worker")
    else:
        stage_label = str(stages.get(stage, stage))
    result_url = kind.url(job) if kind and kind.url else ""
    return JobState(
        status=job.status,
        status_label=str(job.get_status_display()),
        stage=stage,
        stage_label=stage_label,
        done=done,
        total=total,
        percent=percent,
        error=job.error,
        result_url=result_url,
        finished=finished,
    )


# -- running ----------------------------------------------------------------------------------


def _claim(job_id: int, token: str, task_id: str) -> BackgroundJob | None:
    now = timezone.now()
    with transaction.atomic():
        claimed = BackgroundJob.objects.filter(
            pk=job_id, token=token, status=JobStatus.QUEUED
        ).update(
            status=JobStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            task_id=task_id[:64],
            stage="",
            done=0,
        )
    if claimed != 1:
        return None
    return BackgroundJob.objects.select_related("school", "owner").get(pk=job_id)


def _finish(job: BackgroundJob, *, status: str, result: dict, error: str = "") -> bool:
    """Record the outcome and tell the owner. False when the job was taken over meanwhile."""
    kind = kind_of(job)
    with transaction.atomic():
        finished = BackgroundJob.objects.filter(
            pk=job.pk, token=job.token, status=JobStatus.RUNNING
        ).update(
            status=status,
            result=result,
            error=error[:2000],
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
            stage="",
            done=F("total") if status == JobStatus.DONE else F("done"),
        )
        if finished != 1:
            return False
        job.refresh_from_db()
        # The owner is told, also of a job for no one school (the federation's province check).
        if job.owner is not None:
            if status == JobStatus.DONE:
                text = (
                    kind.done_text(job)
                    if kind and kind.done_text
                    else _("The background job “%(kind)s” has finished.")
                    % {"kind": kind.label if kind else job.kind}
                )
            else:
                text = _("The background job “%(kind)s” failed: %(error)s") % {
                    "kind": kind.label if kind else job.kind,
                    "error": error,
                }
            notify(
                users=[job.owner],
                school=job.school,
                text=text,
                url=kind.url(job) if kind and kind.url else "",
            )
    _cache().delete(_progress_key(job))
    return True


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int, token: str) -> str:
    """The task the worker runs: claim the job, do it, record the outcome."""
    job = _claim(job_id, token, str(context.task_result.id))
    if job is None:
        return "skipped"
    kind = kind_of(job)
    if kind is None:
        _finish(
            job,
            status=JobStatus.FAILED,
            result={},
            error=_("Unknown job kind %(kind)s.") % {"kind": job.kind},
        )
        return "failed"
    reporter = Reporter(job)
    try:
        result = kind.run(job=job, progress=reporter)
    except DomainError as exc:
        _finish(job, status=JobStatus.FAILED, result={}, error=exc.message)
        return "failed"
    except Exception:
        log.exception("background job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            status=JobStatus.FAILED,
            result={},
            error=_("An unexpected error stopped the job; it has been logged."),
        )
        return "failed"
    _finish(job, status=JobStatus.DONE, result=result or {})
    return "done"


# -- recovery ---------------------------------------------------------------------------------


def _last_sign_of_life(job: BackgroundJob) -> dt.datetime | None:
    beat = job.heartbeat_at
    live = _cache().get(_progress_key(job))
    if live is not None:
        at = dt.datetime.fromtimestamp(live["at"], tz=dt.UTC)
        if beat is None or at > beat:
            beat = at
    return beat


def job_recover(job: BackgroundJob) -> bool:
    """Queue again a running job whose worker has gone silent. True when it was requeued."""
    if job.status != JobStatus.RUNNING:
        return False
    beat = _last_sign_of_life(job)
    stale_before = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    if beat is not None and beat > stale_before:
        return False
    with transaction.atomic():
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            BackgroundJob.objects.filter(
                pk=job.pk, token=job.token, status=JobStatus.RUNNING
            ).update(
                status=JobStatus.FAILED,
                finished_at=timezone.now(),
                error=_("The worker stopped %(count)s times while running this job.")
                % {"count": job.attempts},
            )
            job.refresh_from_db()
            return False
        token = uuid.uuid4().hex
        requeued = BackgroundJob.objects.filter(
            pk=job.pk, token=job.token, status=JobStatus.RUNNING
        ).update(status=JobStatus.QUEUED, token=token, task_id="")
        if requeued != 1:
            job.refresh_from_db()
            return False
        log.warning("background job %s was silent since %s; queued again", job.pk, beat)
        _enqueue_on_commit(job.pk, token)
    job.refresh_from_db()
    return True


def jobs_recover_all() -> int:
    """Requeue every silent running job (for `tuanxue jobs recover` and worker start-up)."""
    stale_before = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    count = 0
    for job in BackgroundJob.objects.filter(
        status=JobStatus.RUNNING, heartbeat_at__lt=stale_before
    ):
        count += job_recover(job)
    return count


STATUS_HELP = {
    JobStatus.QUEUED: gettext_lazy(
        "If it does not start within a minute, the background worker may not be running; "
        "ask the administrator to start it (tuanxue db_worker)."
    ),
}
