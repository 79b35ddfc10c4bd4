"""The recruitment pages: who may see and do what, forms that refuse bad input, the queue."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from tuanxue.org import services as org_services
from tuanxue.org.models import Role, Title
from tuanxue.selection import services
from tuanxue.selection.models import (
    Application,
    ApplicationStatus,
    RecruitmentRound,
    RoundStatus,
    StepAction,
)

STATEMENT = "我希望为同学服务，积累工作经验。"


def url(kit, name, *args):
    return reverse(f"selection:{name}", args=[kit.school.code, *args])


def submit(kit, user=None, seat=None):
    return services.application_submit(
        actor=user or kit.applicant_user,
        rnd=kit.round,
        seat=seat or kit.presidium_seat,
        statement=STATEMENT,
    )


def act(kit, application, role, decision="approve", comment="同意"):
    return services.step_act(
        actor=kit.offices[role], application=application, decision=decision, comment=comment
    )


def new_applicant(kit, name):
    user = kit.user(f"stu-{name}")
    kit.good_student(name, user=user)
    return user


@pytest.fixture
def second_college(applicant):
    """Another college of the same school, with its own League committee."""
    kit = applicant
    kit.college2 = org_services.college_create(actor=None, school=kit.school, name="机电学院")
    kit.league2 = kit.user("league-2")
    org_services.role_grant_create(
        actor=None,
        user=kit.league2,
        role=Role.COLLEGE_LEAGUE,
        school=kit.school,
        college=kit.college2,
    )
    return kit


# -- anonymous and outsiders ----------------------------------------------------------------


def _every_page(kit, application):
    return [
        url(kit, "rounds"),
        url(kit, "round", kit.round.pk),
        url(kit, "round_new", kit.school_union.pk),
        url(kit, "round_cancel", kit.round.pk),
        url(kit, "apply", kit.round.pk),
        url(kit, "my_applications"),
        url(kit, "application", application.pk),
        url(kit, "application_withdraw", application.pk),
        url(kit, "queue"),
    ]


def test_anonymous_is_sent_to_log_in(client, applicant):
    kit = applicant
    application = submit(kit)
    for page in _every_page(kit, application):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url.startswith("/login/"), page


def test_outsiders_get_404_everywhere(client, applicant, other_kit):
    kit = applicant
    application = submit(kit)
    for user in (
        other_kit.user(role=Role.SCHOOL_LEAGUE),
        other_kit.user(role=Role.COLLEGE_LEAGUE),
        other_kit.user(student=True),
    ):
        client.force_login(user)
        for page in _every_page(kit, application):
            assert client.get(page).status_code == 404, page
        decide = url(kit, "application_decide", application.pk)
        assert (
            client.post(decide, {"decision": "approve", "step": 1, "cycle": 1}).status_code == 404
        )


# -- the list of rounds ---------------------------------------------------------------------


def test_student_sees_open_rounds_without_manage_links(client, applicant):
    kit = applicant
    client.force_login(kit.applicant_user)
    response = client.get(url(kit, "rounds"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["current"]] == [kit.round.pk]
    assert response.context["unions"] == []
    assert url(kit, "round_new", kit.school_union.pk) not in response.content.decode()


def test_open_and_past_rounds_are_separated(client, applicant):
    kit = applicant
    now = timezone.now()
    from tuanxue.selection.rounds import services as rounds

    old = rounds.round_open(
        actor=kit.offices[Role.SCHOOL_LEAGUE],
        union=kit.school_union,
        name="上一届遴选",
        term_start=dt.date(2019, 9, 1),
        opens_at=now - dt.timedelta(days=400),
        closes_at=now - dt.timedelta(days=390),
        seats=[(kit.dept, Title.STAFF, 3)],
    )
    client.force_login(kit.applicant_user)
    response = client.get(url(kit, "rounds"))
    assert [r.pk for r in response.context["past"]] == [old.pk]
    body = response.content.decode()
    assert body.index(kit.round.name) < body.index("上一届遴选")


def test_round_managers_see_open_links_for_their_unions(client, applicant):
    kit = applicant
    college_union = kit.college.union
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    response = client.get(url(kit, "rounds"))
    assert {u.pk for u in response.context["unions"]} == {kit.school_union.pk, college_union.pk}
    assert url(kit, "round_new", kit.school_union.pk) in response.content.decode()
    client.force_login(kit.offices[Role.COLLEGE_LEAGUE])
    response = client.get(url(kit, "rounds"))
    assert [u.pk for u in response.context["unions"]] == [college_union.pk]


# -- opening a round ------------------------------------------------------------------------


def _round_post(kit, **overrides):
    now = timezone.localtime()
    data = {
        "name": "2021年春季补选",
        "term_start": "2021-03-01",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        f"seat_{kit.presidium.pk}_{Title.PRESIDIUM_MEMBER}": "0",
        f"seat_{kit.dept.pk}_{Title.MINISTER}": "1",
        f"seat_{kit.dept.pk}_{Title.VICE_MINISTER}": "0",
        f"seat_{kit.dept.pk}_{Title.STAFF}": "4",
    }
    data.update(overrides)
    return data


def test_league_committee_opens_a_round_through_the_form(client, applicant):
    kit = applicant
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    page = url(kit, "round_new", kit.school_union.pk)
    response = client.get(page)
    assert response.status_code == 200
    assert f'name="seat_{kit.dept.pk}_{Title.STAFF}"' in response.content.decode()
    assert f'name="seat_{kit.presidium.pk}_{Title.STAFF}"' not in response.content.decode()
    response = client.post(page, _round_post(kit))
    rnd = RecruitmentRound.objects.get(name="2021年春季补选")
    assert response.status_code == 302
    assert response.url == url(kit, "round", rnd.pk)
    assert sorted((s.body_id, s.title, s.count) for s in rnd.seats.all()) == sorted(
        [(kit.dept.pk, Title.MINISTER, 1), (kit.dept.pk, Title.STAFF, 4)]
    )
    assert rnd.opens_at < rnd.closes_at


def test_closing_before_opening_is_refused_on_the_form(client, applicant):
    kit = applicant
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    rounds_before = RecruitmentRound.objects.count()
    now = timezone.localtime()
    response = client.post(
        url(kit, "round_new", kit.school_union.pk),
        _round_post(kit, closes_at=(now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"]
    assert 'role="alert"' in response.content.decode()
    assert RecruitmentRound.objects.count() == rounds_before


def test_a_round_without_seats_is_refused_on_the_form(client, applicant):
    kit = applicant
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    rounds_before = RecruitmentRound.objects.count()
    data = _round_post(kit)
    for key in list(data):
        if key.startswith("seat_"):
            data[key] = "0"
    response = client.post(url(kit, "round_new", kit.school_union.pk), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert RecruitmentRound.objects.count() == rounds_before


def test_negative_places_are_refused(client, applicant):
    kit = applicant
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    rounds_before = RecruitmentRound.objects.count()
    data = _round_post(kit, **{f"seat_{kit.dept.pk}_{Title.STAFF}": "-2"})
    response = client.post(url(kit, "round_new", kit.school_union.pk), data)
    assert response.status_code == 200
    assert RecruitmentRound.objects.count() == rounds_before


@pytest.mark.parametrize("who", ["student", Role.SCHOOL_PARTY, Role.COLLEGE_LEAGUE])
def test_others_of_the_school_may_not_open_a_school_round(client, applicant, who):
    kit = applicant
    user = kit.applicant_user if who == "student" else kit.offices[who]
    client.force_login(user)
    page = url(kit, "round_new", kit.school_union.pk)
    assert client.get(page).status_code == 403
    assert client.post(page, _round_post(kit)).status_code == 403
    assert not RecruitmentRound.objects.filter(name="2021年春季补选").exists()


# -- one round ------------------------------------------------------------------------------


def test_student_sees_the_round_with_an_apply_button_then_their_application(client, applicant):
    kit = applicant
    client.force_login(kit.applicant_user)
    response = client.get(url(kit, "round", kit.round.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert url(kit, "apply", kit.round.pk) in body
    assert response.context["applications"] == []
    application = submit(kit)
    response = client.get(url(kit, "round", kit.round.pk))
    body = response.content.decode()
    assert url(kit, "apply", kit.round.pk) not in body
    assert url(kit, "application", application.pk) in body


def test_manager_sees_counts_and_applications_with_step_and_wait(client, applicant):
    kit = applicant
    application = submit(kit)
    other = new_applicant(kit, "乙同学")
    submit(kit, other, kit.staff_seat)
    act(kit, application, Role.COLLEGE_LEAGUE)
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    response = client.get(url(kit, "round", kit.round.pk))
    assert response.status_code == 200
    assert response.context["total"] == 2
    rows = {a.pk: a for a in response.context["applications"]}
    assert rows[application.pk].current_step.order == 2
    assert rows[application.pk].waited
    assert "乙同学" in response.content.decode()


def test_a_student_does_not_see_other_applicants_on_the_round(client, applicant):
    kit = applicant
    submit(kit)
    client.force_login(new_applicant(kit, "丙同学"))
    response = client.get(url(kit, "round", kit.round.pk))
    assert response.status_code == 200
    assert "申请人" not in response.content.decode()
    assert response.context["total"] == 1


def test_manager_extends_and_closes_a_round(client, applicant):
    kit = applicant
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    later = timezone.localtime(kit.round.closes_at) + dt.timedelta(days=3)
    response = client.post(
        url(kit, "round_extend", kit.round.pk), {"closes_at": later.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    kit.round.refresh_from_db()
    assert timezone.localtime(kit.round.closes_at).date() == later.date()
    # An earlier time is refused on the page, nothing changes.
    response = client.post(
        url(kit, "round_extend", kit.round.pk),
        {"closes_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 200
    assert response.context["extend_form"].errors["closes_at"]
    response = client.post(url(kit, "round_close", kit.round.pk))
    assert response.status_code == 302
    kit.round.refresh_from_db()
    assert kit.round.status == RoundStatus.CLOSED


def test_cancelling_asks_for_a_reason_and_says_how_many(client, applicant):
    kit = applicant
    application = submit(kit)
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    page = url(kit, "round_cancel", kit.round.pk)
    response = client.get(page)
    assert response.status_code == 200
    assert response.context["affected"] == 1
    response = client.post(page, {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    kit.round.refresh_from_db()
    assert kit.round.status == RoundStatus.OPEN
    response = client.post(page, {"reason": "章程修订，择期重新遴选"})
    assert response.status_code == 302
    kit.round.refresh_from_db()
    application.refresh_from_db()
    assert kit.round.status == RoundStatus.CANCELLED
    assert application.status == ApplicationStatus.CANCELLED


@pytest.mark.parametrize("who", ["student", Role.SCHOOL_PARTY])
def test_others_may_not_manage_a_round(client, applicant, who):
    kit = applicant
    client.force_login(kit.applicant_user if who == "student" else kit.offices[who])
    assert client.get(url(kit, "round", kit.round.pk)).status_code == 200
    assert client.get(url(kit, "round_cancel", kit.round.pk)).status_code == 403
    assert client.post(url(kit, "round_cancel", kit.round.pk), {"reason": "x"}).status_code == 403
    assert client.post(url(kit, "round_close", kit.round.pk)).status_code == 403
    later = (timezone.localtime() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(url(kit, "round_extend", kit.round.pk), {"closes_at": later}).status_code == 403
    )
    kit.round.refresh_from_db()
    assert kit.round.status == RoundStatus.OPEN


# -- applying -------------------------------------------------------------------------------


def test_student_applies_through_the_page(client, applicant):
    kit = applicant
    client.force_login(kit.applicant_user)
    page = url(kit, "apply", kit.round.pk)
    response = client.get(page)
    assert response.status_code == 200
    assert response.context["verdict"]["eligible"] is True
    body = response.content.decode()
    for line in response.context["verdict"]["reasons"]:
        assert line in body
    response = client.post(
        page,
        {"seat": kit.presidium_seat.pk, "second_seat": kit.staff_seat.pk, "statement": STATEMENT},
    )
    application = Application.objects.get(student=kit.applicant)
    assert response.status_code == 302
    assert response.url == url(kit, "application", application.pk)
    assert application.second_seat == kit.staff_seat
    assert application.eligibility["eligible"] is True
    # Coming back to the apply page leads to the application.
    assert client.get(page).url == url(kit, "application", application.pk)


def test_a_short_statement_is_refused_on_the_form(client, applicant):
    kit = applicant
    client.force_login(kit.applicant_user)
    response = client.post(
        url(kit, "apply", kit.round.pk), {"seat": kit.staff_seat.pk, "statement": "想加入"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["statement"]
    assert not Application.objects.exists()


def test_an_ineligible_student_sees_why_and_cannot_apply(client, open_round):
    kit = open_round
    user = kit.user("weak")
    kit.good_student("成绩不足", user=user, study=30, size=40)
    client.force_login(user)
    page = url(kit, "apply", kit.round.pk)
    response = client.get(page)
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["verdict"]["eligible"] is False
    assert "30/40" in body
    assert 'id="cannot-apply"' in body
    assert 'name="statement"' not in body
    response = client.post(page, {"seat": kit.staff_seat.pk, "statement": STATEMENT})
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_a_closed_round_takes_no_application(client, applicant):
    kit = applicant
    from tuanxue.selection.rounds import services as rounds

    rounds.round_close(actor=kit.offices[Role.SCHOOL_LEAGUE], rnd=kit.round)
    client.force_login(kit.applicant_user)
    response = client.post(
        url(kit, "apply", kit.round.pk), {"seat": kit.staff_seat.pk, "statement": STATEMENT}
    )
    assert response.status_code == 200
    assert not response.context["accepts"]
    assert not Application.objects.exists()


@pytest.mark.parametrize("role", [Role.SCHOOL_LEAGUE, Role.COLLEGE_LEAGUE])
def test_non_students_may_not_apply(client, applicant, role):
    kit = applicant
    client.force_login(kit.offices[role])
    page = url(kit, "apply", kit.round.pk)
    assert client.get(page).status_code == 403
    assert client.post(page, {"seat": kit.staff_seat.pk, "statement": STATEMENT}).status_code == 403
    assert client.get(url(kit, "my_applications")).status_code == 403


def test_my_applications_shows_where_each_stands(client, applicant):
    kit = applicant
    application = submit(kit)
    act(kit, application, Role.COLLEGE_LEAGUE)
    client.force_login(kit.applicant_user)
    response = client.get(url(kit, "my_applications"))
    assert response.status_code == 200
    (row,) = response.context["applications"]
    assert row.current_step.order == 2
    assert row.current_step.name in response.content.decode()


# -- one application ------------------------------------------------------------------------


def test_who_sees_an_application(client, second_college):
    kit = second_college
    application = submit(kit)
    page = url(kit, "application", application.pk)
    for user in (
        kit.applicant_user,
        kit.offices[Role.COLLEGE_LEAGUE],
        kit.offices[Role.COLLEGE_PARTY],
        kit.offices[Role.SCHOOL_PARTY],
        kit.offices[Role.FEDERATION],
        kit.offices[Role.STUDENT_AFFAIRS],
    ):
        client.force_login(user)
        response = client.get(page)
        assert response.status_code == 200, user
        body = response.content.decode()
        assert STATEMENT in body
        for line in application.eligibility["reasons"]:
            assert line in body
        assert application.eligibility["charter"] in body
    for user in (new_applicant(kit, "丁同学"), kit.league2, kit.user(role=Role.LEAGUE_BRANCH)):
        client.force_login(user)
        assert client.get(page).status_code == 404, user


def test_presidium_members_of_the_union_see_applications(client, applicant):
    kit = applicant
    application = submit(kit)
    member = kit.user("chair-member")
    kit.post(kit.good_student(user=member), kit.presidium, Title.EXECUTIVE_CHAIR)
    client.force_login(member)
    assert client.get(url(kit, "application", application.pk)).status_code == 200


def test_the_timeline_shows_steps_actions_and_the_wait(client, applicant):
    kit = applicant
    application = submit(kit)
    act(kit, application, Role.COLLEGE_LEAGUE, comment="推荐")
    act(kit, application, Role.COLLEGE_PARTY)
    act(kit, application, Role.STUDENT_AFFAIRS, comment="面试通过")
    client.force_login(kit.applicant_user)
    response = client.get(url(kit, "application", application.pk))
    states = [(v.step.order, v.state) for v in response.context["timeline"]]
    assert states == [(1, "done"), (2, "done"), (3, "current"), (4, "pending"), (5, "pending")]
    third = response.context["timeline"][2]
    assert [str(label) for label in third.awaiting] == [str(Role.SCHOOL_LEAGUE.label)]
    assert third.waited
    body = response.content.decode()
    assert "推荐" in body and "面试通过" in body and "office-college_league" in body
    assert response.context["decision_form"] is None


def test_an_office_decides_through_the_page(client, applicant):
    kit = applicant
    application = submit(kit)
    client.force_login(kit.offices[Role.COLLEGE_LEAGUE])
    response = client.get(url(kit, "application", application.pk))
    assert response.context["decision_form"] is not None
    assert 'name="step" value="1"' in response.content.decode()
    response = client.post(
        url(kit, "application_decide", application.pk),
        {"decision": "approve", "comment": "同意推荐", "step": 1, "cycle": 1},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.step == 2
    action = StepAction.objects.get(application=application)
    assert (action.role, action.decision, action.comment) == (
        Role.COLLEGE_LEAGUE,
        "approve",
        "同意推荐",
    )
    # The office has acted: no form any more.
    assert client.get(url(kit, "application", application.pk)).context["decision_form"] is None


def test_a_return_without_a_reason_is_refused_on_the_form(client, applicant):
    kit = applicant
    application = submit(kit)
    client.force_login(kit.offices[Role.COLLEGE_LEAGUE])
    response = client.post(
        url(kit, "application_decide", application.pk),
        {"decision": "return", "comment": "", "step": 1, "cycle": 1},
    )
    assert response.status_code == 200
    assert response.context["decision_form"].errors["comment"]
    assert not StepAction.objects.exists()


def test_a_stale_form_is_told_the_application_moved_on(client, applicant):
    kit = applicant
    application = submit(kit)
    act(kit, application, Role.COLLEGE_LEAGUE)
    actions = StepAction.objects.count()
    client.force_login(kit.offices[Role.COLLEGE_LEAGUE])
    response = client.post(
        url(kit, "application_decide", application.pk),
        {"decision": "approve", "comment": "", "step": 1, "cycle": 1},
    )
    assert response.status_code == 200
    assert response.context["error"] == gettext(
        "Someone acted on this application while you were looking; it has moved on."
    )
    assert response.context["error"] in response.content.decode()
    assert StepAction.objects.count() == actions
    application.refresh_from_db()
    assert application.step == 2


def test_a_wrong_step_approver_gets_403_and_a_wrong_scope_one_404_on_deciding(
    client, second_college
):
    kit = second_college
    application = submit(kit)
    decide = url(kit, "application_decide", application.pk)
    data = {"decision": "approve", "comment": "", "step": 1, "cycle": 1}
    # Offices that see the application but do not own its current step.
    for user in (kit.offices[Role.SCHOOL_PARTY], kit.offices[Role.COLLEGE_PARTY]):
        client.force_login(user)
        assert client.post(decide, data).status_code == 403, user
    # Another college's League committee may not see it at all.
    client.force_login(kit.league2)
    assert client.post(decide, data).status_code == 404
    assert client.get(url(kit, "application", application.pk)).status_code == 404
    assert not StepAction.objects.exists()


def test_a_student_gets_404_on_someone_elses_application(client, applicant):
    kit = applicant
    application = submit(kit)
    client.force_login(new_applicant(kit, "戊同学"))
    assert client.get(url(kit, "application", application.pk)).status_code == 404
    data = {"decision": "approve", "comment": "", "step": 1, "cycle": 1}
    assert client.post(url(kit, "application_decide", application.pk), data).status_code == 404
    assert client.get(url(kit, "application_withdraw", application.pk)).status_code == 404
    assert not StepAction.objects.exists()


def test_the_applicant_withdraws_after_confirming(client, applicant):
    kit = applicant
    application = submit(kit)
    client.force_login(kit.applicant_user)
    page = url(kit, "application_withdraw", application.pk)
    response = client.get(page)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert client.post(page).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    client.force_login(kit.offices[Role.COLLEGE_LEAGUE])
    assert client.get(page).status_code == 403


def test_returned_then_resubmitted_through_the_page(client, applicant):
    kit = applicant
    application = submit(kit)
    act(kit, application, Role.COLLEGE_LEAGUE, decision="return", comment="请补充工作设想")
    client.force_login(kit.applicant_user)
    response = client.get(url(kit, "application", application.pk))
    assert response.context["resubmit_form"] is not None
    assert "请补充工作设想" in response.content.decode()
    resubmit = url(kit, "application_resubmit", application.pk)
    response = client.post(resubmit, {"statement": "太短"})
    assert response.status_code == 200
    assert response.context["resubmit_form"].errors["statement"]
    response = client.post(resubmit, {"statement": "补充：我计划组织每月一次的学习交流活动。"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.cycle) == (ApplicationStatus.IN_REVIEW, 2)


def test_league_committee_records_the_election(client, applicant):
    kit = applicant
    application = submit(kit)
    for role in (
        Role.COLLEGE_LEAGUE,
        Role.COLLEGE_PARTY,
        Role.STUDENT_AFFAIRS,
        Role.SCHOOL_LEAGUE,
        Role.SCHOOL_PARTY,
        Role.FEDERATION,
    ):
        act(kit, application, role)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CANDIDATE
    page = url(kit, "application", application.pk)
    election = url(kit, "application_election", application.pk)
    client.force_login(kit.offices[Role.STUDENT_AFFAIRS])
    assert client.get(page).context["election_form"] is None
    assert client.post(election, {"elected": "yes"}).status_code == 403
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    assert client.get(page).context["election_form"] is not None
    assert client.post(election, {"elected": "yes"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED


def test_a_held_application_is_tried_again(client, applicant):
    kit = applicant
    application = submit(kit, seat=kit.staff_seat)
    posts = [kit.post(kit.good_student(), kit.dept, Title.STAFF) for _ in range(6)]
    for role in (Role.COLLEGE_LEAGUE, Role.STUDENT_AFFAIRS, Role.SCHOOL_LEAGUE):
        act(kit, application, role)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HELD
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    response = client.get(url(kit, "application", application.pk))
    assert response.context["may_retry"]
    assert application.held_reason in response.content.decode()
    org_services.membership_end(
        actor=None, membership=posts[0], end=timezone.localdate(), reason="resignation"
    )
    assert client.post(url(kit, "application_retry", application.pk)).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED


# -- the queue ------------------------------------------------------------------------------


def test_queue_shows_exactly_what_waits_for_that_office(client, second_college):
    kit = second_college
    mine = submit(kit)  # step 1, college League committee
    moved = submit(kit, new_applicant(kit, "己同学"), kit.staff_seat)
    act(kit, moved, Role.COLLEGE_LEAGUE)  # now at the joint school step
    elsewhere_user = kit.user("stu-elsewhere")
    kit.good_student("庚同学", user=elsewhere_user, college=kit.college2)
    elsewhere = submit(kit, elsewhere_user, kit.staff_seat)

    def queue_ids(user):
        client.force_login(user)
        response = client.get(url(kit, "queue"))
        assert response.status_code == 200
        return [row.application.pk for row in response.context["rows"]]

    assert queue_ids(kit.offices[Role.COLLEGE_LEAGUE]) == [mine.pk]
    assert queue_ids(kit.league2) == [elsewhere.pk]
    assert queue_ids(kit.offices[Role.STUDENT_AFFAIRS]) == [moved.pk]
    assert queue_ids(kit.offices[Role.SCHOOL_LEAGUE]) == [moved.pk]
    assert queue_ids(kit.offices[Role.SCHOOL_PARTY]) == []
    act(kit, moved, Role.STUDENT_AFFAIRS)
    assert queue_ids(kit.offices[Role.STUDENT_AFFAIRS]) == []
    assert queue_ids(kit.offices[Role.SCHOOL_LEAGUE]) == [moved.pk]
    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    response = client.get(url(kit, "queue"))
    (row,) = response.context["rows"]
    assert row.waited and row.step.order == 2
    assert "己同学" in response.content.decode()


def test_queue_is_oldest_first(client, applicant):
    kit = applicant
    first = submit(kit)
    second = submit(kit, new_applicant(kit, "辛同学"))
    Application.objects.filter(pk=second.pk).update(
        step_since=timezone.now() - dt.timedelta(days=3)
    )
    client.force_login(kit.offices[Role.COLLEGE_LEAGUE])
    response = client.get(url(kit, "queue"))
    assert [r.application.pk for r in response.context["rows"]] == [second.pk, first.pk]
    assert "3" in response.context["rows"][0].waited


def test_queue_empty_states(client, applicant):
    kit = applicant
    client.force_login(kit.applicant_user)
    response = client.get(url(kit, "queue"))
    assert response.status_code == 200
    assert response.context["rows"] == [] and not response.context["has_office"]
    assert 'id="queue-empty"' in response.content.decode()
    client.force_login(kit.offices[Role.SCHOOL_PARTY])
    response = client.get(url(kit, "queue"))
    assert response.context["rows"] == [] and response.context["has_office"]


def test_queue_query_count_does_not_grow_with_rows(
    client, applicant, django_assert_max_num_queries
):
    kit = applicant

    def add(n, start):
        for i in range(start, start + n):
            application = submit(kit, new_applicant(kit, f"批量{i}"), kit.staff_seat)
            if i % 2:
                act(kit, application, Role.COLLEGE_LEAGUE)

    def count(page):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200
        return len(queries), response

    client.force_login(kit.offices[Role.SCHOOL_LEAGUE])
    add(2, 0)
    few_queue, _ = count(url(kit, "queue"))
    few_round, _ = count(url(kit, "round", kit.round.pk))
    add(10, 2)
    many_queue, response = count(url(kit, "queue"))
    assert len(response.context["rows"]) == 6
    many_round, response = count(url(kit, "round", kit.round.pk))
    assert len(response.context["applications"]) == 12
    assert many_queue == few_queue
    assert many_round == few_round
    with django_assert_max_num_queries(12):
        client.get(url(kit, "queue"))
