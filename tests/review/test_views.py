"""Every review page for an allowed role, a role that may see but not act (403) and an outsider
of another school (404); the scoring flow on the pages; the reviewee's result without names; the
export with formula-like text kept as text."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.review.conftest import scores
from tuanxue.core.models import AuditEvent
from tuanxue.review import publishing, services
from tuanxue.review.models import (
    RemovalProposal,
    ReviewSession,
    ReviewStatus,
    ScoreSheet,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(other_kit):
    return other_kit.user("outsider", student=True)


def _as(client, user):
    client.force_login(user)
    return client


def _published(rk, *, comment='=HYPERLINK("x")', low=False):
    session = rk.opened()
    users = [*rk.reps, rk.affairs, rk.league]
    for reviewee in session.reviewees.all():
        for n, user in enumerate(users):
            value = 50 if low and reviewee.student == rk.minister else 80 + n
            services.sheet_submit(
                actor=user,
                session=session,
                reviewee=reviewee,
                scores=scores(*[value] * 5),
                comment=f"{comment}{n}" if n == 0 else f"第{n}位意见",
            )
    publishing.session_close(actor=rk.league, session=session)
    publishing.session_publish(actor=rk.league, session=session)
    return session


def test_session_list_and_detail(client, rk, outsider):
    session = rk.session()
    for url in (
        reverse("review:sessions", args=["tst"]),
        reverse("review:session", args=["tst", session.pk]),
    ):
        assert _as(client, rk.chair_user).get(url).status_code == 200
        assert _as(client, outsider).get(url).status_code == 404


def test_plan_a_session_on_the_page(client, rk, outsider):
    url = reverse("review:session_new", args=["tst"])
    assert _as(client, rk.chair_user).get(url).status_code == 403
    assert _as(client, outsider).get(url).status_code == 404
    page = _as(client, rk.league).get(url)
    assert page.status_code == 200
    data = {
        "union": rk.union.pk,
        "semester": rk.kit.semester.pk,
        "held_on": "2020-01-01",
        "place": "会议室",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "held_on" in refused.context["form"].errors
    assert not ReviewSession.objects.exists()
    data["held_on"] = "2020-09-11"
    done = client.post(url, data)
    session = ReviewSession.objects.get()
    assert done.url == reverse("review:session", args=["tst", session.pk])


def test_panel_page_refuses_a_panel_without_student_majority(client, rk, outsider):
    session = rk.session()
    url = reverse("review:panel", args=["tst", session.pk])
    assert _as(client, rk.chair_user).get(url).status_code == 403
    assert _as(client, outsider).get(url).status_code == 404
    client = _as(client, rk.league)
    page = client.post(url, {"members": "rep0 student\naffairs student_affairs\nleague league"})
    assert page.status_code == 200
    assert "2020年修改版" in str(page.context["form"].errors["members"])
    assert not session.panel.exists()
    page = client.post(url, {"members": "rep0 student\nnobody student"})
    assert "nobody" in str(page.context["form"].errors["members"])
    ok = client.post(
        url,
        {
            "members": "rep0 student\nrep1 student\nrep2 student\naffairs student_affairs\n"
            "league league"
        },
    )
    assert ok.status_code == 302 and session.panel.count() == 5


def test_transitions_need_the_league_committee(client, rk, outsider):
    session = rk.session()
    services.panel_set(actor=rk.league, session=session, members=rk.good_panel())
    url = reverse("review:open", args=["tst", session.pk])
    assert _as(client, rk.chair_user).post(url).status_code == 403
    assert _as(client, outsider).post(url).status_code == 404
    _as(client, rk.league).post(url)
    session.refresh_from_db()
    assert session.status == ReviewStatus.OPEN
    close = reverse("review:close", args=["tst", session.pk])
    assert _as(client, rk.chair_user).post(close, {"confirm": "on"}).status_code == 403
    client = _as(client, rk.league)
    client.post(close)  # without the confirmation nothing happens
    session.refresh_from_db()
    assert session.status == ReviewStatus.OPEN
    client.post(close, {"confirm": "on"})  # refused: nobody scored yet
    session.refresh_from_db()
    assert session.status == ReviewStatus.OPEN
    publish = reverse("review:publish", args=["tst", session.pk])
    assert _as(client, outsider).post(publish).status_code == 404
    assert _as(client, rk.chair_user).post(publish, {"confirm": "on"}).status_code == 403


def test_reviewee_list_changes_on_the_page(client, rk, outsider):
    session = rk.session()
    reviewee = session.reviewees.get(student=rk.minister)
    remove = reverse("review:reviewee_remove", args=["tst", session.pk, reviewee.pk])
    add = reverse("review:reviewee_add", args=["tst", session.pk])
    for url in (remove, add):
        assert _as(client, rk.chair_user).get(url).status_code == 403
        assert _as(client, outsider).get(url).status_code == 404
    client = _as(client, rk.league)
    assert client.post(remove, {"reason": ""}).status_code == 200
    assert client.post(remove, {"reason": "调任"}).status_code == 302
    assert (
        client.post(add, {"membership": rk.minister_post.pk, "reason": "复核后恢复"}).status_code
        == 302
    )
    assert AuditEvent.objects.filter(action__startswith="review.reviewee.").count() == 2


def test_scoring_pages_for_panel_members_only(client, rk, outsider):
    session = rk.opened()
    reviewee = session.reviewees.get(student=rk.chair)
    listing = reverse("review:score", args=["tst", session.pk])
    sheet = reverse("review:score_sheet", args=["tst", session.pk, reviewee.pk])
    for url in (listing, sheet):
        assert _as(client, rk.chair_user).get(url).status_code == 403
        assert _as(client, outsider).get(url).status_code == 404
    client = _as(client, rk.reps[0])
    assert client.get(listing).context["left"] == 2
    bad = client.post(sheet, {**scores(90, 90, 900, 90, 90), "comment": ""})
    assert bad.status_code == 200 and "study" in bad.context["form"].errors
    assert client.post(sheet, {**scores(90, 90, 90, 90, 90), "comment": "好"}).status_code == 302
    assert client.get(listing).context["left"] == 1
    again = client.post(sheet, {**scores(10, 10, 10, 10, 10), "comment": ""})
    assert again.status_code == 200 and ScoreSheet.objects.get().political == 90


def test_sheets_only_for_the_league_committee(client, rk, outsider):
    session = _published(rk)
    url = reverse("review:sheets", args=["tst", session.pk])
    assert _as(client, rk.affairs).get(url).status_code == 403  # results yes, sheets no
    assert _as(client, outsider).get(url).status_code == 404
    page = _as(client, rk.league).get(url)
    assert page.status_code == 200 and len(page.context["sheets"]) == 10
    detail = _as(client, rk.affairs).get(reverse("review:session", args=["tst", session.pk]))
    assert len(detail.context["results"]) == 2
    detail = _as(client, rk.chair_user).get(reverse("review:session", args=["tst", session.pk]))
    assert detail.context["results"] == []


def test_reviewee_reads_result_and_comments_without_names(client, rk, outsider):
    session = rk.opened()
    mine = reverse("review:mine", args=["tst"])
    page = _as(client, rk.chair_user).get(mine)
    assert page.context["rows"][0]["result"] is None
    users = [*rk.reps, rk.affairs, rk.league]
    for reviewee in session.reviewees.all():
        for n, user in enumerate(users):
            services.sheet_submit(
                actor=user,
                session=session,
                reviewee=reviewee,
                scores=scores(*[85] * 5),
                comment=f"意见{n}",
            )
    publishing.session_close(actor=rk.league, session=session)
    page = _as(client, rk.chair_user).get(mine)
    assert page.context["rows"][0]["result"] is None  # closed, not published
    publishing.session_publish(actor=rk.league, session=session)
    page = _as(client, rk.chair_user).get(mine)
    row = page.context["rows"][0]
    assert row["result"].grade == "good" and row["result"].overall == 85
    assert row["comments"] == [f"意见{n}" for n in range(5)]
    html = page.content.decode()
    for user in users:
        assert user.username not in html
    for member in session.panel.all():
        assert member.name not in html
    assert _as(client, outsider).get(mine).status_code == 404


def test_report_page(client, rk, outsider):
    session = rk.session()
    reviewee = session.reviewees.get(student=rk.chair)
    url = reverse("review:report", args=["tst", reviewee.pk])
    assert _as(client, rk.minister_user).get(url).status_code == 403
    assert _as(client, outsider).get(url).status_code == 404
    client = _as(client, rk.chair_user)
    assert client.post(url, {"report": "本学期组织活动六次。"}).status_code == 302
    reviewee.refresh_from_db()
    assert reviewee.report == "本学期组织活动六次。"


def test_export_keeps_formula_text_as_text(client, rk, outsider):
    session = _published(rk, comment="")
    reviewee = session.reviewees.get(student=rk.chair)
    reviewee.post = "=1+1 部长"
    reviewee.save(update_fields=["post"])
    url = reverse("review:export", args=["tst", session.pk])
    assert _as(client, rk.chair_user).get(url).status_code == 403
    assert _as(client, outsider).get(url).status_code == 404
    response = _as(client, rk.league).get(url)
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert [c.value for c in sheet[1]][:3] == ["学号", "姓名", "职务"]
    cell = sheet.cell(row=2, column=3)
    assert cell.value == "=1+1 部长" and cell.data_type == "s"
    assert sheet.cell(row=2, column=10).value in {"优秀", "良好", "合格", "不合格"}


def test_removal_proposals_page(client, rk, outsider):
    _published(rk, low=True)
    proposal = RemovalProposal.objects.get()
    listing = reverse("review:proposals", args=["tst"])
    decide = reverse("review:proposal_decide", args=["tst", proposal.pk])
    for url in (listing, decide):
        assert _as(client, rk.chair_user).get(url).status_code == 403
        assert _as(client, outsider).get(url).status_code == 404
    client = _as(client, rk.league)
    assert len(client.get(listing).context["rows"]) == 1
    assert client.post(decide, {"decision": "keep", "comment": ""}).status_code == 200
    assert client.post(decide, {"decision": "keep", "comment": "给予改正机会"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "kept"
    rk.minister_post.refresh_from_db()
    assert rk.minister_post.end is None


def test_scoring_page_in_grades(client, rk):
    import datetime as dt

    from tuanxue.charter import services as charter_services
    from tuanxue.charter.rules import SEED_2020

    charter_services.charter_adopt(
        actor=None,
        school=rk.school,
        name="章程",
        version_label="等级制",
        effective_from=dt.date(2020, 9, 5),
        rules=SEED_2020.to_json() | {"review_scale_grades": {"优": 95, "良": 85}},
    )
    session = rk.opened()
    reviewee = session.reviewees.get(student=rk.chair)
    url = reverse("review:score_sheet", args=["tst", session.pk, reviewee.pk])
    client = _as(client, rk.reps[0])
    assert '<select name="political"' in client.get(url).content.decode()
    data = {"political": "优", "moral": "良", "study": "优", "work": "优", "discipline": "良"}
    assert client.post(url, {**data, "comment": ""}).status_code == 302
    assert ScoreSheet.objects.get().scores()["moral"] == 85


def test_session_page_queries_do_not_grow_with_reviewees(client, rk, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = _published(rk)
    url = reverse("review:session", args=["tst", session.pk])
    client = _as(client, rk.league)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(2):
        student = rk.kit.good_student(f"副部长{n}")
        post = rk.kit.post(student, rk.dept, "vice_minister")
        reviewee = session.reviewees.create(
            membership=post, student=student, post="学习权益部 副部长", order=10 + n
        )
        assert reviewee.pk
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)
    with django_assert_max_num_queries(20):
        client.get(url)
