"""Submitting the self-assessment to the federation: a frozen copy, who may submit and read it,
the federation's review and the side-by-side page."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.federation import services
from tuanxue.federation.models import ReviewState, Submission
from tuanxue.org.models import PoliticalStatus, Student, Title

DAY = dt.date(2020, 9, 30)


def submit(kit, day=DAY) -> Submission:
    return services.submission_create(actor=kit.league, school=kit.school, day=day)


def test_a_submission_freezes_the_report_and_its_documents(school):
    kit = school
    submission = submit(kit)
    submission.refresh_from_db()
    assert submission.assessed_on == DAY
    assert submission.submitted_by == kit.league
    assert submission.report["date"] == "2020-09-30"
    assert submission.report["figures"]["staff_total"] == 2
    assert submission.docx_sha256 == hashlib.sha256(bytes(submission.docx)).hexdigest()
    assert submission.pdf_sha256 == hashlib.sha256(bytes(submission.pdf)).hexdigest()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(bytes(submission.docx))).paragraphs)
    assert kit.school.name in text
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(submission.pdf)).pages)
    assert "自评" in pdf_text
    event = AuditEvent.objects.get(action="federation.submission.submitted")
    assert event.new["pdf_sha256"] == submission.pdf_sha256

    frozen = (submission.report, bytes(submission.docx), bytes(submission.pdf))
    # The records change after the submission: a new member, later recorded as not a League
    # member (a corrected roster).
    later = kit.good_student("后来者")
    kit.post(later, kit.dept, Title.STAFF, start=dt.date(2020, 9, 2))
    Student.objects.filter(pk=later.pk).update(political_status=PoliticalStatus.MASSES)
    submission.refresh_from_db()
    assert (submission.report, bytes(submission.docx), bytes(submission.pdf)) == frozen
    assert submission.report["figures"]["staff_total"] == 2
    assert submission.docx_sha256 == hashlib.sha256(frozen[1]).hexdigest()

    # The side-by-side page shows the submitted copy and today's records, the change marked.
    client = _client(kit.league)
    page = client.get(reverse("federation:submission", args=[kit.school.code, submission.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="item-5" data-changed="1"' in html  # political status: passed then, fails now
    figures = page.context["figures"]
    staff = next(f for f in figures if f["then"] == "2")
    assert staff["now"] == "3" and staff["changed"]
    # The documents download exactly as submitted.
    got = client.get(
        reverse("federation:submission_file", args=[kit.school.code, submission.pk, "pdf"])
    )
    assert hashlib.sha256(got.content).hexdigest() == submission.pdf_sha256


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_only_the_league_committee_of_the_school_submits(school, other):
    kit = school
    for actor in (kit.affairs, kit.federation, other.league, kit.pupil, None):
        with pytest.raises(DomainError) as exc:
            services.submission_create(actor=actor, school=kit.school, day=DAY)
        assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        services.submission_create(actor=kit.league, school=kit.school, day=dt.date(2999, 1, 1))
    assert exc.value.field == "assessed_on"
    assert not Submission.objects.exists()


def test_submission_pages_permissions(school, other, django_user_model):
    kit = school
    submission = submit(kit)
    listing = reverse("federation:submissions", args=[kit.school.code])
    detail = reverse("federation:submission", args=[kit.school.code, submission.pk])
    pdf = reverse("federation:submission_file", args=[kit.school.code, submission.pk, "pdf"])
    data = {"assessed_on": "2020-09-30", "confirm": "on"}
    for user, read in (
        (kit.league, 200),
        (kit.affairs, 200),
        (kit.federation, 200),
        (kit.pupil, 404),
        (other.league, 404),
    ):
        client = _client(user)
        for url in (listing, detail, pdf):
            assert client.get(url).status_code == read, (user, url)
    # Reading is not submitting: Student Affairs and the federation get 403, others 404.
    assert _client(kit.affairs).post(listing, data).status_code == 403
    assert _client(kit.federation).post(listing, data).status_code == 403
    assert _client(kit.pupil).post(listing, data).status_code == 404
    assert _client(other.league).post(listing, data).status_code == 404
    assert Submission.objects.count() == 1
    # The League committee submits through the page.
    response = _client(kit.league).post(listing, data)
    assert response.status_code == 302
    assert Submission.objects.count() == 2
    # Bad input names the field and writes nothing.
    response = _client(kit.league).post(listing, {"assessed_on": "2999-01-01", "confirm": "on"})
    assert response.status_code == 200
    assert "assessed_on" in response.context["form"].errors
    response = _client(kit.league).post(listing, {"assessed_on": "2020-09-30"})
    assert "confirm" in response.context["form"].errors
    assert Submission.objects.count() == 2
    # Another school's submission is not found under this school's address.
    other.league_submission = services.submission_create(
        actor=other.league, school=other.school, day=DAY
    )
    wrong = reverse("federation:submission", args=[kit.school.code, other.league_submission.pk])
    assert _client(kit.federation).get(wrong).status_code == 404
    assert (
        _client(kit.league)
        .get(reverse("federation:submission", args=[other.school.code, other.league_submission.pk]))
        .status_code
        == 404
    )
    assert Client().get(detail).status_code == 302


def test_the_federation_reviews_once_and_the_school_sees_it(school):
    kit = school
    submission = submit(kit)
    review = reverse("federation:submission_review", args=[kit.school.code, submission.pk])
    detail = reverse("federation:submission", args=[kit.school.code, submission.pk])
    # The school may see the submission but not review it.
    assert _client(kit.league).post(review, {"decision": "accept"}).status_code == 403
    assert _client(kit.pupil).post(review, {"decision": "accept"}).status_code == 404
    federation = _client(kit.federation)
    # Returning needs reasons: refused with a message, nothing changes.
    response = federation.post(review, {"decision": "return", "reason": "  "}, follow=True)
    with translation.override("zh-hans"):
        expected = gettext("Say why the submission is returned.")
    assert expected in [str(m) for m in response.context["messages"]]
    submission.refresh_from_db()
    assert submission.state == ReviewState.SUBMITTED
    response = federation.post(review, {"decision": "return", "reason": "缺少代表大会的会议纪要"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == ReviewState.RETURNED
    assert submission.review_reason == "缺少代表大会的会议纪要"
    assert submission.reviewed_by == kit.federation
    event = AuditEvent.objects.get(action="federation.submission.returned")
    assert event.new == {"state": "returned", "reason": "缺少代表大会的会议纪要"}
    # A second review is refused.
    with pytest.raises(DomainError) as exc:
        services.submission_review(
            actor=kit.federation, submission=submission, accept=True, reason=""
        )
    assert exc.value.code == "conflict"
    submission.refresh_from_db()
    assert submission.state == ReviewState.RETURNED
    # The school reads the outcome and the reasons.
    page = _client(kit.league).get(detail).content.decode()
    assert "缺少代表大会的会议纪要" in page and 'data-state="returned"' in page
    # A new submission is accepted.
    again = submit(kit)
    services.submission_review(actor=kit.federation, submission=again, accept=True, reason="")
    again.refresh_from_db()
    assert again.state == ReviewState.ACCEPTED and again.reviewed_at is not None
    with pytest.raises(DomainError) as exc:
        services.submission_review(actor=kit.league, submission=again, accept=True, reason="")
    assert exc.value.code == "forbidden"
