"""Activity and proposal pages: who may see and do what (the organiser, a read-only role of the
same school, an outsider, an anonymous visitor), forms that refuse bad input, bounded queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders.activities import build_world, make_activity, make_proposal
from tuanxue.activities import services
from tuanxue.activities.models import (
    Activity,
    ActivityStatus,
    Attendance,
    CheckMethod,
    Proposal,
    ProposalStatus,
    Rating,
)
from tuanxue.activities.proposals import services as proposals
from tuanxue.org.models import Role

FMT = "%Y-%m-%dT%H:%M"


def url(w, name, *args):
    return reverse(f"activities:{name}", args=[w.school.code, *args])


@pytest.fixture
def w(kit, other_kit):
    w = build_world(kit)
    w.draft = make_activity(w, title="草稿活动")
    w.published = services.activity_submit(
        actor=w.minister_user, activity=make_activity(w, title="已发布活动")
    )
    w.filed = services.activity_submit(
        actor=w.minister_user, activity=make_activity(w, title="报备活动", capacity=1500)
    )
    w.proposal = make_proposal(w)
    w.outsider = other_kit.user("outsider", role=Role.SCHOOL_LEAGUE)
    return w


def login(client, user):
    client.force_login(user)
    return client


def private_pages(w):
    """Every page that needs a login (GET)."""
    return [
        url(w, "manage"),
        url(w, "new"),
        url(w, "filings"),
        url(w, "edit", w.draft.pk),
        url(w, "cancel", w.draft.pk),
        url(w, "decide", w.filed.pk),
        url(w, "proposals"),
        url(w, "proposal_new"),
        url(w, "proposal_queue"),
        url(w, "proposal", w.proposal.pk),
        url(w, "proposal_decide", w.proposal.pk),
    ]


def post_pages(w):
    return [
        url(w, "submit", w.draft.pk),
        url(w, "rate", w.published.pk),
        url(w, "proposal_support", w.proposal.pk),
    ]


# -- anonymous and outsiders -------------------------------------------------------------------


def test_anonymous_reads_the_public_catalogue_and_published_detail(client, w):
    response = client.get(url(w, "catalogue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "已发布活动" in body
    assert "草稿活动" not in body and "报备活动" not in body
    assert client.get(url(w, "detail", w.published.pk)).status_code == 200


def test_anonymous_gets_404_for_unpublished_activities(client, w):
    assert client.get(url(w, "detail", w.draft.pk)).status_code == 404
    assert client.get(url(w, "detail", w.filed.pk)).status_code == 404


def test_anonymous_is_sent_to_log_in_for_the_rest(client, w):
    for page in private_pages(w):
        response = client.get(page)
        assert response.status_code == 302, page
        assert reverse("login") in response["Location"], page
    for page in post_pages(w):
        response = client.post(page)
        assert response.status_code == 302, page


def test_unknown_school_is_404(client, w):
    assert client.get(reverse("activities:catalogue", args=["nope"])).status_code == 404


def test_outsider_reads_the_public_catalogue_only(client, w):
    login(client, w.outsider)
    assert client.get(url(w, "catalogue")).status_code == 200
    assert client.get(url(w, "detail", w.published.pk)).status_code == 200
    assert client.get(url(w, "detail", w.draft.pk)).status_code == 404
    for page in private_pages(w):
        assert client.get(page).status_code == 404, page
    for page in post_pages(w):
        assert client.post(page).status_code == 404, page


def test_activity_of_another_school_is_404_under_this_school(client, w, other_kit):
    other = build_world(other_kit)
    published = services.activity_submit(actor=other.minister_user, activity=make_activity(other))
    assert client.get(url(w, "detail", published.pk)).status_code == 404


# -- the catalogue -----------------------------------------------------------------------------


def test_catalogue_filters(client, w):
    services.activity_submit(
        actor=w.minister_user,
        activity=make_activity(w, title="劳动周", area="labour", brands=["college_brand"]),
    )
    page = client.get(url(w, "catalogue"), {"area": "labour"}).content.decode()
    assert "劳动周" in page and "已发布活动" not in page
    page = client.get(url(w, "catalogue"), {"brand": "college_brand"}).content.decode()
    assert "劳动周" in page and "已发布活动" not in page
    page = client.get(url(w, "catalogue"), {"q": "劳动"}).content.decode()
    assert "劳动周" in page and "已发布活动" not in page
    page = client.get(url(w, "catalogue"), {"organiser": "school"}).content.decode()
    assert "劳动周" in page and "已发布活动" in page
    page = client.get(url(w, "catalogue"), {"organiser": str(w.kit.college.pk)}).content.decode()
    assert "劳动周" not in page
    page = client.get(url(w, "catalogue"), {"when": "past"}).content.decode()
    assert "劳动周" not in page and 'class="empty"' in page
    page = client.get(url(w, "catalogue"), {"when": "upcoming"}).content.decode()
    assert "劳动周" in page


def test_catalogue_shows_the_rating_average(client, w):
    Activity.objects.filter(pk=w.published.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    for score in (4, 5):
        student = w.kit.student()
        Attendance.objects.create(
            school=w.school,
            activity=w.published,
            student=student,
            checked_in_at=timezone.now(),
            check_in_method=CheckMethod.QR,
        )
        Rating.objects.create(activity=w.published, student=student, score=score)
    page = client.get(url(w, "catalogue")).content.decode()
    assert "4.5" in page


def test_catalogue_empty_state(client, kit):
    page = client.get(reverse("activities:catalogue", args=[kit.school.code])).content.decode()
    assert 'class="empty"' in page


def test_catalogue_query_count_is_bounded(client, w, django_assert_max_num_queries):
    for i in range(30):
        services.activity_submit(actor=w.minister_user, activity=make_activity(w, title=f"活动{i}"))
    with django_assert_max_num_queries(4):
        assert client.get(url(w, "catalogue")).status_code == 200
    login(client, w.student_user)
    with django_assert_max_num_queries(12):
        assert client.get(url(w, "catalogue"), {"page": 2}).status_code == 200


# -- organisers --------------------------------------------------------------------------------


def _activity_form(w, **extra):
    data = {
        "organiser": f"body:{w.dept.pk}",
        "title": "迎新晚会",
        "description": "欢迎新同学",
        "area": "culture_sports",
        "brands": ["school_brand"],
        "starts_at": (timezone.localtime() + dt.timedelta(days=20)).strftime(FMT),
        "ends_at": (timezone.localtime() + dt.timedelta(days=20, hours=2)).strftime(FMT),
        "place": "礼堂",
        "capacity": "200",
        "audience_grades": "2024, 2025",
        "credit": "1.5",
        "credit_unit": "hours",
        "external_contact": "",
    }
    data.update(extra)
    return data


def test_organiser_creates_and_submits(client, w):
    login(client, w.minister_user)
    assert client.get(url(w, "manage")).status_code == 200
    assert client.get(url(w, "new")).status_code == 200
    response = client.post(url(w, "new"), _activity_form(w))
    activity = Activity.objects.get(title="迎新晚会")
    assert response.status_code == 302
    assert activity.audience_grades == [2024, 2025]
    assert client.get(url(w, "detail", activity.pk)).status_code == 200
    client.post(url(w, "submit", activity.pk))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED


def test_create_form_shows_the_service_refusal(client, w):
    login(client, w.minister_user)
    start = timezone.localtime() + dt.timedelta(days=20)
    response = client.post(
        url(w, "new"),
        _activity_form(w, ends_at=(start - dt.timedelta(hours=1)).strftime(FMT)),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"]
    assert not Activity.objects.filter(title="迎新晚会").exists()


def test_create_refuses_an_organiser_not_offered(client, w, other_kit):
    login(client, w.minister_user)
    other = other_kit.department("外校部门", "x")
    response = client.post(url(w, "new"), _activity_form(w, organiser=f"body:{other.pk}"))
    assert response.status_code == 200
    assert "organiser" in response.context["form"].errors


def test_student_without_a_post_may_not_organise(client, w):
    login(client, w.student_user)
    assert client.get(url(w, "manage")).status_code == 403
    assert client.get(url(w, "new")).status_code == 403


def test_edit_rights(client, w):
    login(client, w.student_user)
    # a student sees the published activity but may not change it; the draft is hidden
    assert client.get(url(w, "edit", w.published.pk)).status_code == 403
    assert client.get(url(w, "edit", w.draft.pk)).status_code == 404
    assert client.post(url(w, "submit", w.draft.pk)).status_code == 404
    assert client.get(url(w, "cancel", w.published.pk)).status_code == 403
    login(client, w.party)
    # a school office sees drafts (read-only)
    assert client.get(url(w, "detail", w.draft.pk)).status_code == 200
    assert client.get(url(w, "edit", w.draft.pk)).status_code == 403


def test_editing_an_approved_activity_sends_it_back(client, w):
    services.activity_decide(actor=w.league, activity=w.filed, decision="approve", comment="")
    login(client, w.minister_user)
    page = client.get(url(w, "edit", w.filed.pk))
    assert page.status_code == 200 and page.context["warning"]
    data = {
        k: v
        for k, v in _activity_form(w, capacity="1500", title="报备活动").items()
        if k != "organiser"
    }
    client.post(url(w, "edit", w.filed.pk), data)
    w.filed.refresh_from_db()
    assert w.filed.status == ActivityStatus.FILED
    detail = client.get(url(w, "detail", w.filed.pk)).content.decode()
    assert 'id="routing"' in detail


def test_cancel_page(client, w):
    login(client, w.minister_user)
    response = client.post(url(w, "cancel", w.draft.pk), {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    client.post(url(w, "cancel", w.draft.pk), {"reason": "场地冲突"})
    w.draft.refresh_from_db()
    assert w.draft.status == ActivityStatus.CANCELLED


# -- the filing queue --------------------------------------------------------------------------


def test_filing_queue_for_the_league_committee(client, w):
    login(client, w.league)
    page = client.get(url(w, "filings"))
    assert page.status_code == 200 and "报备活动" in page.content.decode()
    decide = client.get(url(w, "decide", w.filed.pk))
    assert decide.status_code == 200 and decide.context["form"] is not None
    response = client.post(url(w, "decide", w.filed.pk), {"decision": "return", "comment": ""})
    assert response.status_code == 200 and response.context["form"].errors["comment"]
    client.post(url(w, "decide", w.filed.pk), {"decision": "approve", "comment": "同意"})
    w.filed.refresh_from_db()
    assert w.filed.status == ActivityStatus.PUBLISHED
    page = client.get(url(w, "filings")).content.decode()
    assert "同意" in page


def test_filing_queue_read_only_office(client, w):
    login(client, w.party)
    assert client.get(url(w, "filings")).status_code == 200
    decide = client.get(url(w, "decide", w.filed.pk))
    assert decide.status_code == 200 and decide.context["form"] is None
    response = client.post(url(w, "decide", w.filed.pk), {"decision": "approve", "comment": ""})
    assert response.status_code == 403
    w.filed.refresh_from_db()
    assert w.filed.status == ActivityStatus.FILED


def test_filing_queue_refuses_students_and_organisers(client, w):
    for user in (w.student_user, w.minister_user):
        login(client, user)
        assert client.get(url(w, "filings")).status_code == 403
    # the organiser sees their filed activity's detail, but not the League's decision page
    assert client.get(url(w, "decide", w.filed.pk)).status_code == 403


def test_filing_queue_empty_state(client, w):
    services.activity_decide(actor=w.league, activity=w.filed, decision="approve", comment="")
    login(client, w.league)
    assert 'class="empty"' in client.get(url(w, "filings")).content.decode()


# -- ratings -----------------------------------------------------------------------------------


def test_rating_form_for_a_checked_in_participant_after_the_start(client, w):
    login(client, w.student_user)
    page = client.get(url(w, "detail", w.published.pk))
    assert page.context["rating_state"] == "not_attended"
    Attendance.objects.create(
        school=w.school,
        activity=w.published,
        student=w.student,
        checked_in_at=timezone.now(),
        check_in_method=CheckMethod.QR,
    )
    assert client.get(url(w, "detail", w.published.pk)).context["rating_state"] == "not_started"
    Activity.objects.filter(pk=w.published.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    page = client.get(url(w, "detail", w.published.pk))
    assert page.context["rating_state"] == "rate" and 'id="rating-form"' in page.content.decode()
    client.post(url(w, "rate", w.published.pk), {"score": "5", "comment": "很棒"})
    assert Rating.objects.get().score == 5
    assert client.get(url(w, "detail", w.published.pk)).context["rating_state"] == "rated"


def test_rating_without_check_in_is_403(client, w):
    login(client, w.student_user)
    response = client.post(url(w, "rate", w.published.pk), {"score": "5", "comment": ""})
    assert response.status_code == 403
    assert not Rating.objects.exists()


# -- proposals ---------------------------------------------------------------------------------


def test_proposals_page_for_students(client, w, settings):
    settings.PROPOSAL_SUPPORT_THRESHOLD = 2
    supporter = w.kit.user("supporter", student=True)
    login(client, supporter)
    page = client.get(url(w, "proposals"))
    assert page.status_code == 200
    assert "周末草地音乐会" in page.content.decode() and "<progress" in page.content.decode()
    client.post(url(w, "proposal_support", w.proposal.pk), {"next": "list"})
    w.proposal.refresh_from_db()
    assert w.proposal.supports == 1
    # a second click does not count twice
    client.post(url(w, "proposal_support", w.proposal.pk))
    w.proposal.refresh_from_db()
    assert w.proposal.supports == 1
    assert client.get(url(w, "proposal", w.proposal.pk)).context["supported"] is True


def test_proposal_form(client, w):
    login(client, w.student_user)
    assert client.get(url(w, "proposal_new")).status_code == 200
    until = (timezone.localtime() + dt.timedelta(days=10)).strftime(FMT)
    data = {
        "body": w.dept.pk,
        "title": "编程马拉松",
        "goal": "用 24 小时做出一个服务同学的小程序。",
        "audience": "信息学院同学",
        "budget": "1200",
        "organisers": "学生甲等",
        "support_until": until,
    }
    bad = client.post(url(w, "proposal_new"), {**data, "goal": "太短"})
    assert bad.status_code == 200 and bad.context["form"].errors["goal"]
    assert client.post(url(w, "proposal_new"), data).status_code == 302
    assert Proposal.objects.filter(title="编程马拉松").exists()


def test_proposal_form_is_for_students_only(client, w):
    login(client, w.party)
    assert client.get(url(w, "proposals")).status_code == 200
    assert client.get(url(w, "proposal", w.proposal.pk)).status_code == 200
    assert client.get(url(w, "proposal_new")).status_code == 403
    assert client.post(url(w, "proposal_support", w.proposal.pk)).status_code == 403


def test_department_list_and_decision(client, w, settings):
    settings.PROPOSAL_SUPPORT_THRESHOLD = 1
    proposal = make_proposal(w)
    proposals.proposal_support(actor=w.kit.user("fan", student=True), proposal=proposal)
    login(client, w.minister_user)
    page = client.get(url(w, "proposal_queue"))
    assert page.status_code == 200 and proposal in page.context["proposals"]
    assert client.get(url(w, "proposal_decide", proposal.pk)).status_code == 200
    bad = client.post(url(w, "proposal_decide", proposal.pk), {"adopt": "decline", "reason": ""})
    assert bad.status_code == 200 and bad.context["form"].errors["reason"]
    client.post(url(w, "proposal_decide", proposal.pk), {"adopt": "decline", "reason": "经费不足"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    # the decision is public within the school
    login(client, w.student_user)
    page = client.get(url(w, "proposals")).content.decode()
    assert "经费不足" in page
    assert client.get(url(w, "proposal_queue")).status_code == 403
    assert client.get(url(w, "proposal_decide", proposal.pk)).status_code == 403


def test_proposals_empty_state(client, kit):
    user = kit.user("lonely", student=True)
    client.force_login(user)
    page = client.get(reverse("activities:proposals", args=[kit.school.code]))
    assert page.content.decode().count('class="empty"') == 3


def test_a_lapsed_proposal_shows_without_a_support_button(client, w):
    Proposal.objects.filter(pk=w.proposal.pk).update(
        support_until=timezone.now() - dt.timedelta(hours=1)
    )
    login(client, w.kit.user("late", student=True))
    page = client.get(url(w, "proposals"))
    assert w.proposal in page.context["groups"]["decided"]
    assert url(w, "proposal_support", w.proposal.pk) not in page.content.decode()
    detail = client.get(url(w, "proposal", w.proposal.pk))
    assert detail.context["is_open"] is False
    assert url(w, "proposal_support", w.proposal.pk) not in detail.content.decode()


def test_pages_still_render_when_the_creator_account_is_gone(client, w):
    creator = w.filed.created_by
    assert creator is not None
    creator.delete()
    w.filed.refresh_from_db()
    assert w.filed.created_by is None
    login(client, w.league)
    for name in ("decide", "detail"):
        response = client.get(url(w, name, w.filed.pk))
        assert response.status_code == 200, name
    assert "账号已删除" in client.get(url(w, "decide", w.filed.pk)).content.decode()
    assert client.get(url(w, "filings")).status_code == 200
