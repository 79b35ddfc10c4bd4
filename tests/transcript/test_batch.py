"""Batch transcripts in the background: progress, the zip of PDFs and who may fetch it, the
owner's notification, and a worker that dies half-way: the job runs again without issuing
anyone a second transcript."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from tuanxue.core.models import AuditEvent, Notification
from tuanxue.org import services as org_services
from tuanxue.org.jobs import services as background
from tuanxue.org.models import BackgroundJob, JobStatus, Role
from tuanxue.transcript import batch
from tuanxue.transcript.models import IssuedTranscript, TranscriptStatus

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        **settings.CACHES,
        "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"},
    }


@pytest.fixture
def cohort(kit):
    kit.league = kit.user(role=Role.SCHOOL_LEAGUE)
    kit.students = [kit.student() for _i in range(5)]
    return kit


class WorkerDied(BaseException):
    """What a killed worker looks like to the job: it simply stops (not an Exception)."""


def dying_after(count):
    def progress(stage, done, total):
        if stage == "issue" and done >= count:
            raise WorkerDied

    return progress


def test_a_batch_dies_half_way_and_runs_again_without_duplicates(
    cohort, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY  # queued; the "worker" below runs it by hand
    with django_capture_on_commit_callbacks(execute=True):
        job = batch.transcript_batch_start(actor=cohort.league, target=cohort.class_group)
    assert (job.status, job.total) == (JobStatus.QUEUED, 5)
    assert AuditEvent.objects.filter(action="transcript.batch.started").count() == 1

    claimed = background._claim(job.pk, job.token, "worker-1")
    with pytest.raises(WorkerDied):
        batch.run_batch(job=claimed, progress=dying_after(3))
    assert IssuedTranscript.objects.count() == 3
    assert not batch.zip_path(job).exists()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING

    # The worker is gone: after JOB_STALE_SECONDS of silence the job is queued again and run.
    BackgroundJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    settings.TASKS = IMMEDIATE
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert background.job_recover(job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert job.result == {
        "students": 5,
        "issued": 2,
        "reused": 3,
        "file": f"batch-{job.pk}.zip",
    }
    assert IssuedTranscript.objects.count() == 5
    for student in cohort.students:
        assert student.issued_transcripts.get().status == TranscriptStatus.CURRENT
    with zipfile.ZipFile(batch.zip_path(job)) as pack:
        names = pack.namelist()
        assert len(names) == 5 and all(n.endswith(".pdf") for n in names)
        assert pack.read(names[0]).startswith(b"%PDF")
    assert not list(batch.zip_path(job).parent.glob("*.part"))
    notice = Notification.objects.get(user=cohort.league)
    assert "5" in notice.text and notice.url == reverse(
        "transcript:batch_detail", args=[cohort.school.code, job.pk]
    )


def test_the_page_starts_a_batch_shows_progress_and_serves_the_zip(
    client, cohort, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    client.force_login(cohort.league)
    response = client.post(
        reverse("transcript:batch_start", args=[cohort.school.code]),
        {"college": cohort.college.pk},
    )
    job = BackgroundJob.objects.get(kind=batch.KIND)
    assert response["Location"] == reverse(
        "transcript:batch_detail", args=[cohort.school.code, job.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and '<meta http-equiv="refresh" content="3">' in page
    # One of the org app's generic progress JSON serves this kind too.
    state = client.get(reverse("org:job_progress", args=[job.pk])).json()
    assert state["status"] == "queued" and state["total"] == 5

    claimed = background._claim(job.pk, job.token, "worker-1")
    seen = []
    batch.run_batch(job=claimed, progress=lambda stage, done, total: seen.append((stage, done)))
    assert seen[0] == ("issue", 0) and ("issue", 5) in seen and seen[-1] == ("pack", 5)
    background._finish(claimed, status=JobStatus.DONE, result={"students": 5, "issued": 5})
    page = client.get(response["Location"]).content.decode()
    assert 'id="download"' in page
    download = client.get(reverse("transcript:batch_download", args=[cohort.school.code, job.pk]))
    data = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == 5


def test_who_may_start_and_fetch_a_batch(client, cohort, settings):
    settings.TASKS = DUMMY
    start = reverse("transcript:batch_start", args=[cohort.school.code])
    client.force_login(cohort.user(role=Role.COLLEGE_LEAGUE))
    assert client.post(start, {"class": cohort.class_group.pk}).status_code == 302
    job = BackgroundJob.objects.get(kind=batch.KIND)
    detail = reverse("transcript:batch_detail", args=[cohort.school.code, job.pk])
    download = reverse("transcript:batch_download", args=[cohort.school.code, job.pk])
    assert client.get(detail).status_code == 200
    assert client.get(download).status_code == 404  # not finished

    # Student Affairs may look up transcripts but not run batches.
    client.force_login(cohort.user(role=Role.STUDENT_AFFAIRS))
    assert client.post(start, {"college": cohort.college.pk}).status_code == 403
    assert client.get(detail).status_code == 404

    other_college = org_services.college_create(actor=None, school=cohort.school, name="机电学院")
    stranger = cohort.user()
    org_services.role_grant_create(
        actor=None,
        user=stranger,
        role=Role.COLLEGE_LEAGUE,
        school=cohort.school,
        college=other_college,
    )
    client.force_login(stranger)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("org:job_progress", args=[job.pk])).status_code == 404
    assert client.post(start, {"college": cohort.college.pk}).status_code == 403

    client.force_login(cohort.students[0].user or cohort.user(student=True))
    assert client.get(detail).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302
