"""The transcript: what it counts (areas, union service, review, congress, requirements),
issuing, superseding after a correction, revoking, the public verification page, who may see
what, the settings page and the command."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from tests.chartcheck import SVG, bars, figures, svg_title
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent, Semester
from tuanxue.ledger import services as ledger
from tuanxue.org import services as org_services
from tuanxue.org.models import Membership, Role
from tuanxue.transcript import selectors, services
from tuanxue.transcript.models import IssuedTranscript, TranscriptSettings, TranscriptStatus


def hours(content):
    return {a["area"]: (a["hours"], a["required"], a["met"]) for a in content["areas"]}


# -- computation ------------------------------------------------------------------------------


def test_certified_entries_count_in_their_areas_with_union_and_congress_service(books):
    content = selectors.transcript_content(books.pupil)
    assert hours(content) == {
        "moral": ("6.00", "8.00", False),
        "innovation": ("0.00", "4.00", False),
        "culture_sports": ("0.00", "4.00", False),
        "aesthetics": ("4.00", "4.00", True),
        "labour": ("0.00", "4.00", False),  # the labour credit is not certified yet
        "volunteer": ("9.00", "8.00", True),
        # one semester served (8 h) + the certified duty-review hours (2 h)
        "union_service": ("10.00", "0.00", True),
        "congress_service": ("4.00", "0.00", True),
    }
    assert content["total_hours"] == "33.00"
    assert content["requirements_met"] is False
    assert content["union_semesters"] == ["2020-2021-1"]
    assert [r["grade"] for r in content["reviews"]] == ["excellent"]
    assert [c["session"] for c in content["congress"]] == ["第十四次学生代表大会"]
    assert "劳动周" not in json.dumps(content, ensure_ascii=False)
    # The same figures for a chart.
    totals = selectors.student_area_totals(books.pupil)
    assert (totals[0].area, totals[0].hours, totals[0].required, totals[0].met) == (
        "moral",
        Decimal("6.00"),
        Decimal("8.00"),
        False,
    )
    assert totals[0].percent == 75


def test_a_correction_counts_in_its_entrys_area_once_certified(books):
    fix = ledger.credit_correct(
        actor=books.league, entry=books.moral, amount=Decimal("2"), note="漏记"
    )
    assert hours(selectors.transcript_content(books.pupil))["moral"][0] == "6.00"
    ledger.certify_batch(actor=books.league, school=books.school, entries=[fix])
    assert hours(selectors.transcript_content(books.pupil))["moral"] == ("8.00", "8.00", True)


def test_union_service_rule_counts_ended_semesters_half_covered_once(db):
    s1 = Semester(pk=1, code="2020-2021-1", start=dt.date(2020, 9, 1), end=dt.date(2021, 1, 20))
    s2 = Semester(pk=2, code="2020-2021-2", start=dt.date(2021, 2, 25), end=dt.date(2021, 7, 10))
    s3 = Semester(pk=3, code="2021-2022-1", start=dt.date(2021, 9, 1), end=dt.date(2022, 1, 20))
    late = Membership(pk=10, start=dt.date(2020, 11, 10), end=None)  # covers 72 of 142 days
    too_late = Membership(pk=11, start=dt.date(2020, 11, 20), end=dt.date(2021, 5, 10))
    today = dt.date(2021, 12, 1)  # 2021-2022-1 has not ended
    served = selectors.semesters_served([late, too_late], [s1, s2, s3], today)
    assert served == {10: ["2020-2021-1", "2020-2021-2"], 11: ["2020-2021-2"]}


def test_requirements_come_from_the_school_settings(books):
    services.transcript_settings_update(
        actor=books.league,
        school=books.school,
        values={
            **{n: "0" for n in services.SETTING_NAMES},
            "min_moral": "6",
            "union_hours_per_semester": "10",
        },
    )
    content = selectors.transcript_content(books.pupil)
    assert hours(content)["moral"] == ("6.00", "6.00", True)
    assert hours(content)["union_service"][0] == "12.00"
    assert hours(content)["congress_service"][0] == "0.00"
    assert content["requirements_met"] is True
    event = AuditEvent.objects.get(action="transcript.settings.changed")
    assert event.old["min_moral"] == "8.00" and event.new["min_moral"] == "6.00"


def test_bad_settings_name_the_field_and_change_nothing(books):
    with pytest.raises(DomainError) as caught:
        services.transcript_settings_update(
            actor=books.league,
            school=books.school,
            values={**{n: "1" for n in services.SETTING_NAMES}, "min_labour": "-3"},
        )
    assert caught.value.field == "min_labour"
    assert not TranscriptSettings.objects.exists()
    student_user = books.pupil_user
    with pytest.raises(DomainError) as caught:
        services.transcript_settings_update(
            actor=student_user,
            school=books.school,
            values={n: "1" for n in services.SETTING_NAMES},
        )
    assert caught.value.code == "forbidden"


# -- issuing ----------------------------------------------------------------------------------


def test_issue_freezes_content_with_hash_and_code_and_reuses_an_unchanged_one(books):
    first, created = services.transcript_issue(actor=books.pupil_user, student=books.pupil)
    assert created and first.status == TranscriptStatus.CURRENT
    assert len(first.code) == 12 and set(first.code) <= set(services.CODE_ALPHABET)
    assert first.content_hash == selectors.content_hash(first.content)
    assert len(first.content_hash) == 64
    again, created = services.transcript_issue(actor=books.pupil_user, student=books.pupil)
    assert not created and again.pk == first.pk
    assert IssuedTranscript.objects.count() == 1
    assert AuditEvent.objects.filter(action="transcript.issued").count() == 1


def test_a_correction_then_issuing_again_supersedes_the_old_one(books):
    old, _ = services.transcript_issue(actor=books.league, student=books.pupil)
    fix = ledger.credit_correct(
        actor=books.league, entry=books.volunteer, amount=Decimal("-1"), note="多记一小时"
    )
    ledger.certify_batch(actor=books.league, school=books.school, entries=[fix])
    new, created = services.transcript_issue(actor=books.league, student=books.pupil)
    old.refresh_from_db()
    assert created and new.code != old.code
    assert (old.status, old.superseded_by) == (TranscriptStatus.SUPERSEDED, new)
    assert hours(new.content)["volunteer"][0] == "8.00"
    assert hours(old.content)["volunteer"][0] == "9.00"  # the snapshot never changes
    assert AuditEvent.objects.filter(action="transcript.superseded", target_id=str(old.pk)).exists()


def test_only_the_school_league_committee_revokes_with_a_reason(books):
    issued, _ = services.transcript_issue(actor=books.league, student=books.pupil)
    with pytest.raises(DomainError) as caught:
        services.transcript_revoke(actor=books.pupil_user, transcript=issued, reason="x")
    assert caught.value.code == "forbidden"
    with pytest.raises(DomainError) as caught:
        services.transcript_revoke(actor=books.league, transcript=issued, reason="  ")
    assert caught.value.field == "reason"
    services.transcript_revoke(actor=books.league, transcript=issued, reason="信息有误")
    issued.refresh_from_db()
    assert (issued.status, issued.revoke_reason) == (TranscriptStatus.REVOKED, "信息有误")
    with pytest.raises(DomainError):
        services.transcript_revoke(actor=books.league, transcript=issued, reason="again")
    # Revoked is not current: issuing again gives a new one.
    new, created = services.transcript_issue(actor=books.league, student=books.pupil)
    assert created and new.pk != issued.pk


# -- the public verification ------------------------------------------------------------------


def test_verification_page_without_login_current_superseded_revoked(client, books):
    old, _ = services.transcript_issue(actor=books.league, student=books.pupil)
    page = client.get(reverse("verify", args=[old.code.lower()]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="current"' in body and old.content_hash in body
    assert books.school.name in body and 'data-area="volunteer" data-hours="9.00"' in body
    assert books.pupil.name not in body and books.pupil.student_no not in body
    assert selectors.masked_name(books.pupil.name) in body
    assert "迎新志愿者" not in body  # the entries stay private

    fix = ledger.credit_correct(
        actor=books.league, entry=books.volunteer, amount=Decimal("1"), note="补"
    )
    ledger.certify_batch(actor=books.league, school=books.school, entries=[fix])
    new, _ = services.transcript_issue(actor=books.league, student=books.pupil)
    body = client.get(reverse("verify", args=[old.code])).content.decode()
    assert 'data-status="superseded"' in body and new.code not in body

    services.transcript_revoke(actor=books.league, transcript=new, reason="内部原因")
    body = client.get(reverse("verify", args=[new.code])).content.decode()
    assert 'data-status="revoked"' in body and "内部原因" not in body
    assert client.get(reverse("verify", args=["NOSUCHCODE22"])).status_code == 404


def test_masked_names():
    assert selectors.masked_name("张三") == "张*"
    assert selectors.masked_name("欧阳娜娜") == "欧**娜"
    assert selectors.masked_name("李") == "*"


# -- pages and who may see them ---------------------------------------------------------------


def student_url(kit, name="student"):
    return reverse(f"transcript:{name}", args=[kit.school.code, kit.pupil.pk])


def test_a_student_sees_issues_and_downloads_their_own(client, books):
    client.force_login(books.pupil_user)
    page = client.get(reverse("transcript:home", args=[books.school.code]))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-area="moral" data-hours="6.00"' in body
    assert "迎新志愿者" in body and 'id="total-hours">33.00' in body
    response = client.post(student_url(books, "issue"))
    issued = IssuedTranscript.objects.get()
    assert response.status_code == 302 and issued.issued_by == books.pupil_user
    pdf = client.get(reverse("transcript:pdf", args=[books.school.code, issued.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert issued.code in text and issued.content_hash in text


def test_the_transcript_page_draws_each_area_against_its_requirement(client, books):
    client.force_login(books.pupil_user)
    body = client.get(reverse("transcript:home", args=[books.school.code])).content.decode()
    totals = selectors.student_area_totals(books.pupil)
    (root, rows), *_rest = figures(body)
    assert svg_title(root) == "各领域学时与要求"
    assert bars(root) == [(t.label, f"{float(t.hours):g}") for t in totals]
    assert [row[:2] for row in rows] == [[t.label, f"{float(t.hours):g}"] for t in totals]
    # the requirement is drawn as a tick on each bar that has one
    assert len(root.findall(f".//{SVG}line[@class='limit']")) == sum(
        1 for t in totals if t.required
    )


def test_another_student_gets_404_everywhere(client, books):
    issued, _ = services.transcript_issue(actor=books.league, student=books.pupil)
    other = books.user(student=True)
    client.force_login(other)
    assert client.get(student_url(books)).status_code == 404
    assert client.post(student_url(books, "issue")).status_code == 404
    assert (
        client.get(reverse("transcript:pdf", args=[books.school.code, issued.pk])).status_code
        == 404
    )
    assert client.get(reverse("transcript:staff", args=[books.school.code])).status_code == 404
    assert client.get(reverse("transcript:settings", args=[books.school.code])).status_code == 404
    assert (
        client.get(reverse("transcript:revoke", args=[books.school.code, issued.pk])).status_code
        == 404
    )


def test_the_league_committee_sees_issues_revokes_and_sets_requirements(client, books):
    client.force_login(books.league)
    lookup = client.get(
        reverse("transcript:staff", args=[books.school.code]),
        {"student_no": books.pupil.student_no},
    )
    assert lookup["Location"] == student_url(books)
    assert client.get(student_url(books)).status_code == 200
    client.post(student_url(books, "issue"))
    issued = IssuedTranscript.objects.get()
    revoke_url = reverse("transcript:revoke", args=[books.school.code, issued.pk])
    assert "reason" in client.get(revoke_url).content.decode()
    refused = client.post(revoke_url, {"reason": ""})
    assert refused.status_code == 200 and IssuedTranscript.objects.get().status == "current"
    client.post(revoke_url, {"reason": "学号有误"})
    assert IssuedTranscript.objects.get().status == TranscriptStatus.REVOKED
    values = {n: "2" for n in services.SETTING_NAMES}
    response = client.post(reverse("transcript:settings", args=[books.school.code]), values)
    assert response.status_code == 302
    assert TranscriptSettings.objects.get().min_moral == Decimal("2.00")
    bad = client.post(
        reverse("transcript:settings", args=[books.school.code]), {**values, "min_moral": "abc"}
    )
    assert bad.status_code == 200 and TranscriptSettings.objects.get().min_moral == Decimal("2")


def test_student_affairs_reads_but_may_not_revoke_or_edit(client, books):
    issued, _ = services.transcript_issue(actor=books.league, student=books.pupil)
    client.force_login(books.user(role=Role.STUDENT_AFFAIRS))
    assert client.get(student_url(books)).status_code == 200
    assert client.get(reverse("transcript:settings", args=[books.school.code])).status_code == 200
    values = {n: "2" for n in services.SETTING_NAMES}
    assert (
        client.post(reverse("transcript:settings", args=[books.school.code]), values).status_code
        == 403
    )
    revoke_url = reverse("transcript:revoke", args=[books.school.code, issued.pk])
    assert client.post(revoke_url, {"reason": "x"}).status_code == 403
    assert client.post(student_url(books, "issue")).status_code == 403


def test_college_committee_sees_its_college_only(client, books):
    own = books.user(role=Role.COLLEGE_LEAGUE)
    client.force_login(own)
    assert client.get(student_url(books)).status_code == 200
    other_college = org_services.college_create(actor=None, school=books.school, name="机电学院")
    stranger = books.user()
    org_services.role_grant_create(
        actor=None,
        user=stranger,
        role=Role.COLLEGE_LEAGUE,
        school=books.school,
        college=other_college,
    )
    client.force_login(stranger)
    assert client.get(student_url(books)).status_code == 404


def test_another_schools_staff_and_anonymous_are_kept_out(client, books, other_kit):
    client.logout()
    page = client.get(student_url(books))
    assert page.status_code == 302 and "/login/" in page["Location"]
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(student_url(books)).status_code == 404


# -- the command ------------------------------------------------------------------------------


def test_the_command_issues_prints_json_writes_the_pdf_and_reuses(books, tmp_path):
    out = io.StringIO()
    pdf = tmp_path / "t.pdf"
    call_command(
        "transcript",
        school=books.school.code,
        student=books.pupil.student_no,
        pdf=str(pdf),
        json=True,
        stdout=out,
    )
    data = json.loads(out.getvalue())
    issued = IssuedTranscript.objects.get()
    assert data["code"] == issued.code and data["new"] is True
    assert data["url"].endswith(f"/verify/{issued.code}/")
    assert data["areas"]["volunteer"] == {"hours": "9.00", "required": "8.00", "met": True}
    reader = PdfReader(str(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    assert issued.code in text and issued.content_hash in text and "33.00" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)
    out = io.StringIO()
    call_command("transcript", school=books.school.code, student=books.pupil.student_no, stdout=out)
    assert f"验证码：{issued.code}" in out.getvalue() and "沿用" in out.getvalue()
    assert IssuedTranscript.objects.count() == 1


def test_the_command_refuses_an_unknown_student(books):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="学号"):
        call_command("transcript", school=books.school.code, student="NOPE")
