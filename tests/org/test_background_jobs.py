"""Large imports in the background: the job facility (queue, claim, progress, outcome, notice),
the progress page with and without JavaScript, recovery after a worker dies, and one run of the
real database worker (django-tasks-db's ``db_worker``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.builders.org import STUDENT_HEADERS, counts, student_rows, upload, write_xlsx
from tuanxue.core.models import AuditEvent, Notification
from tuanxue.org.imports.jobs import import_job_confirm_later, import_job_queue
from tuanxue.org.jobs import services as background
from tuanxue.org.jobs.services import JobKind, Reporter, job_recover, job_start, job_state, register
from tuanxue.org.models import BackgroundJob, ImportJob, ImportStatus, JobStatus, Role, Student

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        **settings.CACHES,
        "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"},
    }
    # Large files: anything over 1 byte is checked, anything over 1 row imported, off the request.
    settings.IMPORT_SYNC_MAX_BYTES = 1
    settings.IMPORT_SYNC_MAX_ROWS = 1


@pytest.fixture
def manager(kit, client):
    user = kit.user(role=Role.SCHOOL_LEAGUE)
    client.force_login(user)
    return user


def roster(tmp_path, count=30, name="名单.xlsx"):
    return write_xlsx(tmp_path / name, STUDENT_HEADERS, student_rows(count))


def test_a_large_upload_is_checked_then_imported_in_the_background(
    kit, client, manager, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, kit, roster(tmp_path))
    imported = ImportJob.objects.get()
    assert response["Location"] == reverse("org:import_detail", args=[kit.school.code, imported.pk])
    check_job = imported.background
    assert (check_job.kind, check_job.owner, check_job.status) == (
        "import.check",
        manager,
        JobStatus.DONE,
    )
    assert imported.status == ImportStatus.PREVIEWED and imported.rows == 30
    assert counts()["students"] == before["students"]
    assert Notification.objects.filter(user=manager, text__contains="名单.xlsx").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:import_confirm", args=[kit.school.code, imported.pk]))
    imported.refresh_from_db()
    assert imported.status == ImportStatus.DONE
    write_job = imported.background
    assert (write_job.kind, write_job.status, write_job.done, write_job.total) == (
        "import.write",
        JobStatus.DONE,
        30,
        30,
    )
    assert write_job.started_at and write_job.finished_at
    assert Student.objects.filter(school=kit.school).count() == 30
    assert AuditEvent.objects.get(action="org.import.students").actor == manager
    notice = Notification.objects.filter(user=manager).order_by("-pk").first()
    assert "30" in notice.text and notice.url == response["Location"]


def test_a_bad_large_file_is_refused_by_the_background_check(
    kit, manager, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    rows = student_rows(5)
    rows[2][2] = "X"
    path = write_xlsx(tmp_path / "bad.xlsx", STUDENT_HEADERS, rows)
    with django_capture_on_commit_callbacks(execute=True):
        imported = import_job_queue(
            actor=manager,
            school=kit.school,
            kind="students",
            filename=path.name,
            content=path.read_bytes(),
        )
    imported.refresh_from_db()
    assert imported.status == ImportStatus.REFUSED
    assert [e["row"] for e in imported.errors] == [4]
    assert imported.background.result == {"status": "refused", "rows": 5, "problems": 1}
    assert not Student.objects.filter(school=kit.school).exists()


def test_the_progress_page_without_a_worker_refreshes_itself_and_polls(
    kit, client, manager, tmp_path, settings
):
    settings.TASKS = DUMMY  # queued, never run
    upload(client, kit, roster(tmp_path))
    imported = ImportJob.objects.get()
    assert imported.status == ImportStatus.CHECKING
    page = client.get(reverse("org:import_detail", args=[kit.school.code, imported.pk]))
    body = page.content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in body
    assert "<progress" in body and "job_progress.js" in body
    assert reverse("org:job_progress", args=[imported.background.pk]) in body
    assert "tuanxue db_worker" in body  # the hint for a job still waiting
    state = client.get(reverse("org:job_progress", args=[imported.background.pk])).json()
    assert state["status"] == "queued" and state["finished"] is False

    # Once running, the page and the JSON show the stage and how far it got.
    job = imported.background
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    job.refresh_from_db()
    Reporter(job)("validate", 12, 30)
    state = client.get(reverse("org:job_progress", args=[job.pk])).json()
    assert (state["stage"], state["done"], state["total"], state["percent"]) == (
        "validate",
        12,
        30,
        40,
    )
    assert state["stage_label"] == "正在逐行检查"
    body = client.get(reverse("org:import_detail", args=[kit.school.code, imported.pk])).content
    assert 'value="40"' in body.decode()


def test_job_pages_follow_the_kind_rules(kit, other_kit, client, manager, tmp_path, settings):
    settings.TASKS = DUMMY
    upload(client, kit, roster(tmp_path))
    job = ImportJob.objects.get().background
    urls = [reverse("org:job_detail", args=[job.pk]), reverse("org:job_progress", args=[job.pk])]
    for url in urls:
        assert client.get(url).status_code == 200
    client.force_login(kit.user(role=Role.STUDENT_AFFAIRS))  # another registry manager
    for url in urls:
        assert client.get(url).status_code == 200
    client.force_login(kit.user(role=Role.COLLEGE_LEAGUE))  # same school, read-only
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    for url in urls:
        assert client.get(url).status_code == 404
    client.logout()
    for url in urls:
        assert reverse("login") in client.get(url)["Location"]
    client.force_login(manager)
    assert client.get(reverse("org:job_detail", args=[job.pk + 1000])).status_code == 404


@pytest.fixture
def sample_kind():
    calls = []

    def run(*, job, progress):
        calls.append(job.pk)
        progress("work", 1, 2)
        if job.params.get("fail"):
            raise RuntimeError("boom")
        return {"answer": 42}

    register(JobKind(name="test.sample", label="样例任务", run=run, stages={"work": "工作中"}))
    yield calls
    background.KINDS.pop("test.sample")


def test_a_kind_without_rules_is_seen_by_its_owner_only(
    kit, client, sample_kind, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    owner = kit.user(role=Role.SCHOOL_LEAGUE)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=owner, school=kit.school, kind="test.sample", params={})
    job.refresh_from_db()
    assert (job.status, job.result, job.attempts) == (JobStatus.DONE, {"answer": 42}, 1)
    assert Notification.objects.filter(user=owner, text__contains="样例任务").exists()
    client.force_login(owner)
    page = client.get(reverse("org:job_detail", args=[job.pk]))
    assert page.status_code == 200 and "已完成" in page.content.decode()
    client.force_login(kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(reverse("org:job_detail", args=[job.pk])).status_code == 404


def test_a_failing_job_is_recorded_and_its_owner_told(
    kit, sample_kind, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    owner = kit.user()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=owner, school=kit.school, kind="test.sample", params={"fail": 1})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "boom" not in job.error and job.error  # the user sees a plain sentence
    assert job_state(job).finished
    assert Notification.objects.filter(user=owner, text__contains="失败").exists()


def test_a_job_claimed_by_a_dead_worker_is_queued_again(
    kit, sample_kind, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    settings.JOB_STALE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=None, school=kit.school, kind="test.sample", params={})
    # A worker claimed it and died: running, silent for two minutes.
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=2),
    )
    job.refresh_from_db()
    old_token = job.token
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        assert job_recover(job) is True
    job.refresh_from_db()
    assert job.token != old_token
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 2, {"answer": 42})
    # The dead worker's task, were it to come back, finds its token gone and does nothing.
    assert background.run_job.call(_Context(), job.pk, old_token) == "skipped"


class _Context:
    class task_result:
        id = "late"


def test_a_job_that_keeps_losing_its_worker_fails(kit, sample_kind, settings):
    settings.TASKS = DUMMY
    settings.JOB_MAX_ATTEMPTS = 2
    job = BackgroundJob.objects.create(
        school=kit.school,
        kind="test.sample",
        token="t",
        status=JobStatus.RUNNING,
        attempts=2,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert job_recover(job) is False
    assert job.status == JobStatus.FAILED and "2" in job.error


def test_a_live_job_is_left_alone(kit, sample_kind, settings):
    job = BackgroundJob.objects.create(
        school=kit.school,
        kind="test.sample",
        token="t",
        status=JobStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    Reporter(job)("work", 1, 2)  # progress just now
    assert job_recover(job) is False
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.token == "t"


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_imports_a_confirmed_file_after_a_restart(kit, tmp_path, settings):
    """The real db_worker: a confirmed import whose first worker died is imported once."""
    settings.TASKS = DATABASE
    settings.JOB_STALE_SECONDS = 60
    owner = kit.user(role=Role.SCHOOL_LEAGUE)
    path = roster(tmp_path, count=12)
    settings.IMPORT_SYNC_MAX_BYTES = 10**9
    from tuanxue.org.imports import import_job_create

    imported = import_job_create(
        actor=owner,
        school=kit.school,
        kind="students",
        filename=path.name,
        content=path.read_bytes(),
    )
    imported = import_job_confirm_later(actor=owner, job=imported)
    assert imported.status == ImportStatus.IMPORTING
    job = imported.background
    # The first worker claims the job and dies before committing anything.
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5),
    )
    call_command("jobs", "recover", stdout=_Sink())
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    imported.refresh_from_db()
    job.refresh_from_db()
    assert imported.status == ImportStatus.DONE
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert Student.objects.filter(school=kit.school).count() == 12
    assert AuditEvent.objects.filter(action="org.import.students").count() == 1
    # The original task row (the dead worker's) ran too, found its token stale and skipped.
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 2
    assert Notification.objects.filter(user=owner, text__contains="12").exists()


class _Sink:
    def write(self, text):
        pass

    def flush(self):
        pass
