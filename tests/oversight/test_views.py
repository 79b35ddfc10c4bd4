"""The oversight and filing pages: who may see them (the League committee edits, Student Affairs
and the school union's presidium read, a student and another school's League committee are told
the page does not exist) and that forms go through the services."""

import datetime as dt

import pytest
from django.urls import reverse

from tuanxue.org.models import Role
from tuanxue.oversight import services
from tuanxue.oversight.models import Filing, FilingStatus, WorkPlan


@pytest.fixture
def plan(kit, people):
    return services.plan_add(
        actor=people.league,
        school=kit.school,
        year=2020,
        document="2020年工作要点",
        excerpt="学生会",
    )


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_records_pages_by_role(client, kit, people, plan, other_kit):
    code = kit.school.code
    for user in (people.league, people.affairs, people.chair):
        page = _get(client, user, "oversight:index", code)
        assert page.status_code == 200 and "2020年工作要点" in page.content.decode()
    # Read-only roles may see but not change.
    for user in (people.affairs, people.chair):
        assert _get(client, user, "oversight:record_new", code, "plan").status_code == 403
        assert _get(client, user, "oversight:record_edit", code, "plan", plan.pk).status_code == 403
        client.force_login(user)
        response = client.post(reverse("oversight:record_delete", args=[code, "plan", plan.pk]))
        assert response.status_code == 403
    # Outsiders: a student, and another school's League committee.
    outsider = other_kit.user(role=Role.SCHOOL_LEAGUE)
    for user in (people.student, outsider):
        assert _get(client, user, "oversight:index", code).status_code == 404
        assert _get(client, user, "oversight:record_edit", code, "plan", plan.pk).status_code == 404
    assert WorkPlan.objects.count() == 1


def test_league_adds_edits_and_deletes_through_the_forms(client, kit, people, plan):
    code = kit.school.code
    client.force_login(people.league)
    response = client.post(
        reverse("oversight:record_new", args=[code, "lecture"]),
        {
            "given_on": "2020-05-04",
            "occasion": "may_fourth",
            "leader": "校党委书记",
            "title": "五四报告",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("oversight:record_new", args=[code, "hearing"]),
        {
            "union": kit.school_union.pk,
            "held_on": "2099-01-01",
            "meeting": "校党委会",
            "topics": ["congress"],
        },
    )
    assert response.status_code == 200 and "2099-01-01" in response.content.decode()
    response = client.post(
        reverse("oversight:record_edit", args=[code, "plan", plan.pk]),
        {"year": "2021", "document": "2021年工作要点", "excerpt": "学生会改革"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.year == 2021
    assert (
        client.get(reverse("oversight:record_delete", args=[code, "plan", plan.pk])).status_code
        == 200
    )
    assert WorkPlan.objects.exists()
    client.post(reverse("oversight:record_delete", args=[code, "plan", plan.pk]))
    assert not WorkPlan.objects.exists()


def test_filing_pages_by_role(client, kit, people, other_kit):
    code = kit.school.code
    client.force_login(people.chair)
    response = client.post(
        reverse("oversight:filing_new", args=[code]),
        {
            "union": kit.school_union.pk,
            "kind": "information",
            "title": "改革进展报送",
            "occurs_on": "2020-07-15",
            "content": "报送改革进展",
        },
    )
    assert response.status_code == 302
    record = Filing.objects.get()
    url = reverse("oversight:filing", args=[code, record.pk])
    # The filer and the school offices see it; Student Affairs may not decide.
    for user in (people.chair, people.affairs, people.league):
        assert _get(client, user, "oversight:filings", code).status_code == 200
        assert _get(client, user, "oversight:filing", code, record.pk).status_code == 200
    for user in (people.chair, people.affairs):
        client.force_login(user)
        assert client.post(url, {"decision": "accept"}).status_code == 403
    assert _get(client, people.affairs, "oversight:filing_new", code).status_code == 403
    for user in (people.student, other_kit.user(role=Role.SCHOOL_LEAGUE)):
        assert _get(client, user, "oversight:filings", code).status_code == 404
        assert _get(client, user, "oversight:filing", code, record.pk).status_code == 404
    # The League committee returns it without a reason: refused on the field, nothing changed.
    client.force_login(people.league)
    response = client.post(url, {"decision": "return", "reason": ""})
    assert response.status_code == 200
    assert Filing.objects.get().status == FilingStatus.FILED
    assert client.post(url, {"decision": "return", "reason": "请补充"}).status_code == 302
    assert Filing.objects.get().status == FilingStatus.RETURNED
    listing = _get(client, people.chair, "oversight:filings", code).content.decode()
    assert "请补充" in listing
    assert _get(client, people.chair, "oversight:filing_refile", code, record.pk).status_code == 200


def test_filing_service_refusal_reaches_the_form(client, kit, people):
    client.force_login(people.chair)
    response = client.post(
        reverse("oversight:filing_new", args=[kit.school.code]),
        {
            "union": kit.school_union.pk,
            "kind": "external",
            "title": "校际交流",
            "occurs_on": "2020-09-20",
            "counterpart": "",
            "content": "交流学生会改革经验",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["counterpart"]
    assert not Filing.objects.exists()


def test_minutes_are_downloaded_only_by_readers(client, kit, people, other_kit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    code = kit.school.code
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.force_login(people.league)
    response = client.post(
        reverse("oversight:record_new", args=[code, "hearing"]),
        {
            "union": kit.school_union.pk,
            "held_on": "2020-06-29",
            "meeting": "校党委会",
            "topics": ["congress", "candidates"],
            "minutes": SimpleUploadedFile("纪要.pdf", pdf, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    from tuanxue.oversight.models import ReportHearing

    hearing = ReportHearing.objects.get()
    assert hearing.file_name == "纪要.pdf"
    for user in (people.league, people.affairs, people.chair):
        got = _get(client, user, "oversight:hearing_minutes", code, hearing.pk)
        assert got.status_code == 200 and b"".join(got.streaming_content) == pdf
    for user in (people.student, other_kit.user(role=Role.SCHOOL_LEAGUE)):
        assert _get(client, user, "oversight:hearing_minutes", code, hearing.pk).status_code == 404
    # A renamed program is refused on the file field, and nothing is recorded.
    client.force_login(people.league)
    response = client.post(
        reverse("oversight:record_new", args=[code, "hearing"]),
        {
            "union": kit.school_union.pk,
            "held_on": "2020-06-30",
            "meeting": "校党委会",
            "topics": ["charter"],
            "minutes": SimpleUploadedFile(
                "纪要.pdf", b"MZ\x90\x00", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["minutes"]
    assert ReportHearing.objects.count() == 1


def test_a_filed_activity_is_decided_on_the_register_page(client, kit, people, other_kit):
    from django.utils import timezone

    from tuanxue.activities import services as activity_services
    from tuanxue.activities.models import Activity, ActivityStatus

    start = timezone.now() + dt.timedelta(days=5)
    activity = activity_services.activity_create(
        actor=None,
        school=kit.school,
        organiser_body=kit.department(),
        title="企业开放日",
        description="与企业合办",
        area="innovation",
        brands=[],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="礼堂",
        capacity=None,
        audience_colleges=[],
        audience_grades=[],
        credit=0,
        credit_unit="hours",
        external_contact="某科技公司",
    )
    activity_services.activity_submit(actor=None, activity=activity)
    url = reverse("oversight:activity_filing", args=[kit.school.code, activity.pk])
    client.force_login(people.affairs)
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "accept"}).status_code == 403
    for user in (people.student, other_kit.user(role=Role.SCHOOL_LEAGUE)):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(people.league)
    assert client.post(url, {"decision": "accept"}).status_code == 302
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.PUBLISHED
