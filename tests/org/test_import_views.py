"""The upload pages: who may use them, upload → preview → confirm or cancel, double submit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.builders.org import (
    STUDENT_HEADERS,
    counts,
    student_row,
    student_rows,
    upload,
    write_csv,
    write_xlsx,
)
from tuanxue.core.models import AuditEvent
from tuanxue.org import services
from tuanxue.org.imports import import_job_create
from tuanxue.org.models import ImportJob, ImportStatus, Major, Role, Student


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager(kit, client):
    user = kit.user(role=Role.SCHOOL_LEAGUE)
    client.force_login(user)
    return user


def test_the_page_shows_the_form_and_an_empty_state(kit, client, manager):
    response = client.get(reverse("org:imports", args=[kit.school.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'class="empty"' in body
    assert "学号" in body


def test_upload_preview_confirm(kit, client, manager, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", STUDENT_HEADERS, student_rows(25))
    before = counts()
    response = upload(client, kit, path)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("org:import_detail", args=[kit.school.code, job.pk])
    assert job.status == ImportStatus.PREVIEWED
    assert job.created_by == manager
    assert counts() == before  # the preview writes nothing to the registry

    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("org:import_confirm", args=[kit.school.code, job.pk]) in body
    assert reverse("org:import_cancel", args=[kit.school.code, job.pk]) in body
    assert "2021000020" in body and "2021000021" not in body  # first 20 rows

    response = client.post(reverse("org:import_confirm", args=[kit.school.code, job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Student.objects.filter(school=kit.school).count() == 25
    event = AuditEvent.objects.get(action="org.import.students")
    assert event.actor == manager
    assert client.get(reverse("org:imports", args=[kit.school.code])).status_code == 200


def test_a_bad_file_is_refused_with_every_row_listed(kit, client, manager, tmp_path):
    rows = student_rows(5)
    rows[0][2] = "?"
    rows[3][6] = "二零二一"
    path = write_csv(tmp_path / "名单.csv", STUDENT_HEADERS, rows, "gbk")
    before = counts()
    response = upload(client, kit, path)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REFUSED
    assert [e["row"] for e in job.errors] == [2, 5]
    body = client.get(response["Location"]).content.decode()
    assert "import-errors" in body
    assert "二零二一" in body
    assert reverse("org:import_confirm", args=[kit.school.code, job.pk]) not in body
    assert counts() == before
    # A refused job cannot be confirmed.
    client.post(reverse("org:import_confirm", args=[kit.school.code, job.pk]))
    assert Student.objects.count() == 0


def test_a_file_of_the_wrong_type_is_refused(kit, client, manager):
    response = client.post(
        reverse("org:imports", args=[kit.school.code]),
        {"kind": "students", "file": SimpleUploadedFile("名单.pdf", b"%PDF-1.4")},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REFUSED
    assert ".xlsx" in job.errors[0]["message"]
    assert client.get(response["Location"]).status_code == 200


def test_a_file_over_the_limit_is_refused_unread(kit, client, manager, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.post(
        reverse("org:imports", args=[kit.school.code]),
        {"kind": "students", "file": SimpleUploadedFile("big.csv", b"x" * 101)},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REFUSED
    assert not job.file


def test_double_confirm_imports_once(kit, client, manager, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", STUDENT_HEADERS, student_rows(5))
    upload(client, kit, path)
    job = ImportJob.objects.get()
    url = reverse("org:import_confirm", args=[kit.school.code, job.pk])
    first = client.post(url)
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    assert Student.objects.filter(school=kit.school).count() == 5
    assert AuditEvent.objects.filter(action="org.import.students").count() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE


def test_confirm_after_the_registry_changed_refuses(kit, client, manager, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", STUDENT_HEADERS, [student_row(1)])
    upload(client, kit, path)
    job = ImportJob.objects.get()
    # Meanwhile someone creates the class under another college.
    major = Major.objects.create(school=kit.school, college=kit.college, name="数控技术")
    services.class_group_create(
        actor=None, school=kit.school, college=kit.college, major=major, name="数控2101", grade=2021
    )
    client.post(reverse("org:import_confirm", args=[kit.school.code, job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.REFUSED
    assert job.errors and job.errors[0]["row"] == 2
    assert not Student.objects.filter(student_no="2021000001").exists()


def test_cancel(kit, client, manager, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", STUDENT_HEADERS, student_rows(3))
    upload(client, kit, path)
    job = ImportJob.objects.get()
    response = client.post(reverse("org:import_cancel", args=[kit.school.code, job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    client.post(reverse("org:import_confirm", args=[kit.school.code, job.pk]))
    assert Student.objects.count() == 0


# -- who may -------------------------------------------------------------------------------------


def _all_urls(kit, job_id):
    code = kit.school.code
    return [
        ("get", reverse("org:imports", args=[code])),
        ("post", reverse("org:imports", args=[code])),
        ("get", reverse("org:import_detail", args=[code, job_id])),
        ("post", reverse("org:import_confirm", args=[code, job_id])),
        ("post", reverse("org:import_cancel", args=[code, job_id])),
    ]


@pytest.fixture
def previewed_job(kit, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", STUDENT_HEADERS, student_rows(2))
    return import_job_create(
        actor=None,
        school=kit.school,
        kind="students",
        filename=path.name,
        content=path.read_bytes(),
    )


def test_student_affairs_may_upload(kit, client):
    client.force_login(kit.user(role=Role.STUDENT_AFFAIRS))
    assert client.get(reverse("org:imports", args=[kit.school.code])).status_code == 200


@pytest.mark.parametrize("role", [Role.SCHOOL_PARTY, Role.COLLEGE_LEAGUE, None])
def test_read_only_users_of_the_school_get_403(kit, client, previewed_job, role):
    client.force_login(kit.user(role=role, student=role is None))
    for method, url in _all_urls(kit, previewed_job.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
    previewed_job.refresh_from_db()
    assert previewed_job.status == ImportStatus.PREVIEWED
    assert not Student.objects.filter(student_no__startswith="2021").exists()


def test_users_of_another_school_get_404(kit, other_kit, client, previewed_job):
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    for method, url in _all_urls(kit, previewed_job.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
    # Nor can they reach the job through their own school's pages.
    url = reverse("org:import_detail", args=[other_kit.school.code, previewed_job.pk])
    assert client.get(url).status_code == 404
    previewed_job.refresh_from_db()
    assert previewed_job.status == ImportStatus.PREVIEWED


def test_anonymous_users_are_sent_to_log_in(kit, client, previewed_job):
    for method, url in _all_urls(kit, previewed_job.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("login") in response["Location"]
