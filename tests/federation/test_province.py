"""The federation's province page: who sees it, its figures, the consent queue across schools,
the Excel export, and a query count that depends neither on students nor on schools."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.builders.selection import PRESIDIUM_ORDER
from tests.conftest import SchoolKit
from tests.federation.conftest import staff_school
from tuanxue.core.models import AuditEvent
from tuanxue.federation.models import Standing, Submission
from tuanxue.federation.services import submission_create
from tuanxue.org.models import Role
from tuanxue.selection import services as selection

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _worker_at_once(settings):
    """The province check runs on the worker; here the worker's part runs at once."""
    settings.TASKS = IMMEDIATE


def _check_now(client):
    """Press "check every school now" and let the job run (its task is queued on commit)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("federation:province_check"))


PROVINCE = reverse("federation:province")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_the_federation_sees_the_province(school, other):
    kit = school
    assert _client(kit.federation).get(PROVINCE).status_code == 200
    for user in (kit.league, kit.affairs, kit.pupil, other.league):
        client = _client(user)
        assert client.get(PROVINCE).status_code == 404
        assert client.get(reverse("federation:province_xlsx")).status_code == 404
        assert client.post(reverse("federation:province_check")).status_code == 404
    assert Client().get(PROVINCE).status_code == 302
    assert not Standing.objects.exists()


def test_the_province_page_lists_every_school_with_its_figures_and_standing(school, other):
    kit = school
    client = _client(kit.federation)
    page = client.get(PROVINCE)
    rows = {r.school.code: r for r in page.context["rows"]}
    assert set(rows) == {"tst", "oth"}
    row = rows["tst"]
    assert (row.staff_total, row.presidium_size, row.department_count) == (2, 1, 1)
    assert str(row.congress_date) == "2020-08-25" and row.congress_delegates == 10
    assert row.standing is None
    # The federation checks every school now: each gets a standing, with its breaches named.
    response = _check_now(client)
    assert response.status_code == 302
    assert response.url.startswith("/jobs/")  # the worker assesses; the page shows progress
    standings = {s.school.code: s for s in Standing.objects.select_related("school")}
    assert set(standings) == {"tst", "oth"}
    assert standings["tst"].passed is False
    assert standings["tst"].failing  # the congress is long overdue today, among others
    assert any(b.startswith("9.") for b in standings["tst"].breaches)
    assert AuditEvent.objects.filter(action="federation.standing.changed").count() == 2
    # Checking again with nothing changed records no new event.
    _check_now(client)
    assert AuditEvent.objects.filter(action="federation.standing.changed").count() == 2
    html = client.get(PROVINCE).content.decode()
    assert 'id="school-tst"' in html and "9. " in html
    # The latest submission of each school, with its review state.
    first = submission_create(actor=kit.league, school=kit.school, day=dt.date(2020, 9, 30))
    later = submission_create(actor=kit.league, school=kit.school, day=dt.date(2020, 10, 8))
    rows = {r.school.code: r for r in client.get(PROVINCE).context["rows"]}
    assert rows["tst"].submission.pk == later.pk != first.pk
    assert rows["oth"].submission is None
    link = reverse("federation:submission", args=["tst", later.pk])
    assert link in client.get(PROVINCE).content.decode()


def test_the_consent_queue_shows_candidates_at_the_federation_step(applicant):
    kit = applicant
    application = selection.application_submit(
        actor=kit.applicant_user,
        rnd=kit.round,
        seat=kit.presidium_seat,
        statement="我希望为同学服务，积累工作经验。",
    )
    client = _client(kit.offices[Role.FEDERATION])
    assert client.get(PROVINCE).context["queue"] == []
    for role in PRESIDIUM_ORDER[:-1]:
        selection.step_act(actor=kit.offices[role], application=application, decision="approve")
    page = client.get(PROVINCE)
    assert [a.pk for a in page.context["queue"]] == [application.pk]
    link = reverse("selection:application", args=[kit.school.code, application.pk])
    assert link in page.content.decode()
    assert client.get(link).status_code == 200
    selection.step_act(
        actor=kit.offices[Role.FEDERATION], application=application, decision="approve"
    )
    assert client.get(PROVINCE).context["queue"] == []


def test_the_excel_export_writes_risky_names_as_text(school):
    kit = school
    kit.school.name = '=HYPERLINK("http://x")'
    kit.school.save()
    response = _client(kit.federation).get(reverse("federation:province_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert len(header) == 17
    row = [c for c in sheet[2]]
    assert row[0].value == "tst"
    assert row[1].value == '=HYPERLINK("http://x")' and row[1].data_type == "s"
    assert row[5].value == 2 and row[6].value == 1


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PROVINCE).status_code == 200
    return len(queries)


def _submitted(kit) -> None:
    """A submission row as the service writes it (documents stand in as short bytes here)."""
    Submission.objects.create(
        school=kit.school,
        assessed_on=dt.date(2020, 9, 30),
        passed=False,
        report={"items": []},
        docx=b"docx",
        pdf=b"pdf",
        docx_sha256="0" * 64,
        pdf_sha256="0" * 64,
        submitted_at=timezone.now(),
        submitted_by_label="league",
    )


def test_query_count_depends_neither_on_students_nor_on_schools(
    school, django_assert_max_num_queries
):
    kit = school
    client = _client(kit.federation)
    _submitted(kit)
    for n in range(2):
        _submitted(staff_school(SchoolKit(code=f"s{n}", name=f"学院{n}"), students=2))
    _check_now(client)
    three = _count(client)
    for n in range(2, 9):
        _submitted(staff_school(SchoolKit(code=f"s{n}", name=f"学院{n}"), students=25))
    _check_now(client)
    with django_assert_max_num_queries(three):
        page = client.get(PROVINCE)
    assert len(page.context["rows"]) == 10
    assert all(r.submission is not None for r in page.context["rows"])
    with django_assert_max_num_queries(three):
        client.get(reverse("federation:province_xlsx"))
    assert _count(client) == three


def test_the_school_home_links_to_submissions_and_the_province(school):
    kit = school
    home = reverse("org:school_home", args=[kit.school.code])
    submissions = reverse("federation:submissions", args=[kit.school.code])
    league_page = _client(kit.league).get(home).content.decode()
    assert submissions in league_page and PROVINCE not in league_page
    federation_page = _client(kit.federation).get(home).content.decode()
    assert submissions in federation_page and PROVINCE in federation_page
    assert submissions not in _client(kit.pupil).get(home).content.decode()


def test_the_province_check_runs_as_a_job_its_owner_watches_and_is_told_of(school, other):
    from tuanxue.core.models import Notification
    from tuanxue.org.models import BackgroundJob, JobStatus

    kit = school
    response = _check_now(_client(kit.federation))
    job = BackgroundJob.objects.get(kind="federation.assess_all")
    assert job.status == JobStatus.DONE and job.owner == kit.federation
    assert job.result["schools"] == 2 and Standing.objects.count() == 2
    page = _client(kit.federation).get(response.url)
    assert page.status_code == 200
    # the job's page is the federation's: a school's League committee does not find it
    assert _client(kit.league).get(response.url).status_code == 404
    [told] = Notification.objects.filter(user=kit.federation)
    assert told.school is None and "2" in told.text


def test_the_province_page_draws_each_checked_school(school, other):
    from tests.chartcheck import bars, figures, svg_title

    kit = school
    client = _client(kit.federation)
    assert figures(client.get(PROVINCE).content.decode()) == []  # nothing checked yet
    _check_now(client)
    standings = {s.school.name: s for s in Standing.objects.select_related("school")}
    [(root, rows)] = figures(client.get(PROVINCE).content.decode())
    assert svg_title(root) == "各校未通过的核心项目"
    assert sorted(bars(root)) == sorted((n, str(len(s.failing))) for n, s in standings.items())
    assert sorted(r[0] for r in rows) == sorted(standings)
