"""Review sessions through the services: the panel's composition (refused with the rule named,
at setting and at opening), reviewees from the posts, one sheet per member and reviewee, grades
by trimmed mean, publication with ledger credit and removal proposals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.review.conftest import scores
from tuanxue.charter import services as charter_services
from tuanxue.charter.rules import SEED_2020
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.ledger.models import Certification, CreditEntry
from tuanxue.org.models import EndReason, Membership
from tuanxue.review import effects, publishing, services
from tuanxue.review.models import (
    PanelKind,
    ProposalStatus,
    RemovalProposal,
    ReviewStatus,
    ScoreSheet,
)
from tuanxue.review.scoring import grade_for, trimmed_mean

pytestmark = pytest.mark.django_db


def test_reviewees_are_presidium_and_heads_from_the_posts(rk):
    session = rk.session()
    names = [r.student.name for r in session.reviewees.all()]
    assert names == ["主席甲", "部长乙"]  # presidium first; the staff member is not reviewed
    assert AuditEvent.objects.filter(action="review.session.created").count() == 1


def test_a_second_session_for_the_same_semester_is_refused(rk):
    rk.session()
    with pytest.raises(DomainError) as exc:
        rk.session()
    assert exc.value.field == "semester"


def test_panel_without_student_majority_is_refused_with_the_rule_named(rk):
    session = rk.session()
    with pytest.raises(DomainError) as exc:
        services.panel_set(actor=rk.league, session=session, members=rk.good_panel(rk.reps[:2]))
    assert "2020年修改版" in exc.value.message
    assert "学生代表为主" in exc.value.message
    assert "4人中学生代表2人" in exc.value.message
    assert not session.panel.exists()


def test_panel_needs_both_offices(rk):
    session = rk.session()
    members = [(u, PanelKind.STUDENT) for u in rk.reps] + [(rk.league, PanelKind.LEAGUE)]
    with pytest.raises(DomainError) as exc:
        services.panel_set(actor=rk.league, session=session, members=members)
    assert exc.value.code == "charter"


def test_a_reviewee_cannot_sit_on_their_own_panel(rk):
    session = rk.session()
    members = [*rk.good_panel(), (rk.minister_user, PanelKind.STUDENT)]
    with pytest.raises(DomainError) as exc:
        services.panel_set(actor=rk.league, session=session, members=members)
    assert "部长乙" in exc.value.message
    assert not session.panel.exists()


def test_a_panel_member_cannot_be_added_as_reviewee(rk):
    session = rk.session()
    services.panel_set(actor=rk.league, session=session, members=rk.good_panel())
    rep_post = rk.kit.post(rk.reps[0].student, rk.dept, "staff")
    with pytest.raises(DomainError) as exc:
        services.reviewee_add(
            actor=rk.league, session=session, membership=rep_post, reason="代理部长"
        )
    assert exc.value.field == "membership"
    assert not session.reviewees.filter(student=rk.reps[0].student).exists()


def test_changing_the_list_needs_a_reason_and_is_audited(rk):
    session = rk.session()
    reviewee = session.reviewees.get(student=rk.minister)
    with pytest.raises(DomainError) as exc:
        services.reviewee_remove(actor=rk.league, reviewee=reviewee, reason="  ")
    assert exc.value.field == "reason"
    services.reviewee_remove(actor=rk.league, reviewee=reviewee, reason="学期中途调任")
    event = AuditEvent.objects.get(action="review.reviewee.removed")
    assert event.new["reason"] == "学期中途调任"
    services.reviewee_add(
        actor=rk.league, session=session, membership=rk.staff_post, reason="代理部长职责"
    )
    assert session.reviewees.filter(active=True, student=rk.staff).exists()


def test_only_the_league_committee_manages(rk):
    with pytest.raises(DomainError) as exc:
        services.session_create(
            actor=rk.chair_user,
            union=rk.union,
            semester=rk.kit.semester,
            held_on=dt.date(2020, 9, 11),
        )
    assert exc.value.code == "forbidden"


def test_opening_checks_the_composition_again(rk):
    session = rk.session()
    services.panel_set(actor=rk.league, session=session, members=rk.good_panel())
    stricter = SEED_2020.to_json() | {"review_min_student_affairs": 2}
    charter_services.charter_adopt(
        actor=None,
        school=rk.school,
        name="章程",
        version_label="2020年9月修改版",
        effective_from=dt.date(2020, 9, 5),
        rules=stricter,
    )
    with pytest.raises(DomainError) as exc:
        services.session_open(actor=rk.league, session=session)
    assert "2020年9月修改版" in exc.value.message
    session.refresh_from_db()
    assert session.status == ReviewStatus.PLANNED


def test_reports_only_by_the_reviewee(rk):
    session = rk.session()
    reviewee = session.reviewees.get(student=rk.chair)
    with pytest.raises(DomainError):
        services.report_submit(actor=rk.minister_user, reviewee=reviewee, text="x")
    with pytest.raises(DomainError) as exc:
        services.report_submit(actor=rk.chair_user, reviewee=reviewee, text=" ")
    assert exc.value.field == "report"
    services.report_submit(actor=rk.chair_user, reviewee=reviewee, text="本学期主持例会十二次。")
    reviewee.refresh_from_db()
    assert reviewee.report.startswith("本学期") and reviewee.report_at is not None


def test_one_sheet_per_member_and_reviewee(rk):
    session = rk.opened()
    reviewee = session.reviewees.get(student=rk.chair)
    services.sheet_submit(
        actor=rk.reps[0], session=session, reviewee=reviewee, scores=scores(90, 90, 90, 90, 90)
    )
    with pytest.raises(DomainError) as exc:
        services.sheet_submit(
            actor=rk.reps[0], session=session, reviewee=reviewee, scores=scores(1, 1, 1, 1, 1)
        )
    assert exc.value.code == "duplicate"
    assert ScoreSheet.objects.get().political == 90


def test_bad_scores_name_the_field_and_outsiders_cannot_score(rk):
    session = rk.opened()
    reviewee = session.reviewees.get(student=rk.chair)
    with pytest.raises(DomainError) as exc:
        services.sheet_submit(
            actor=rk.reps[0], session=session, reviewee=reviewee, scores=scores(90, 101, 9, 9, 9)
        )
    assert exc.value.field == "moral"
    with pytest.raises(DomainError) as exc:
        services.sheet_submit(
            actor=rk.reps[0], session=session, reviewee=reviewee, scores=scores(90, "八十", 9, 9, 9)
        )
    assert exc.value.field == "moral"
    with pytest.raises(DomainError) as exc:
        services.sheet_submit(
            actor=rk.chair_user, session=session, reviewee=reviewee, scores=scores(9, 9, 9, 9, 9)
        )
    assert exc.value.code == "forbidden"
    assert not ScoreSheet.objects.exists()


def test_trimmed_mean_by_hand():
    # 5 sheets: drop 95 and 60, mean of 70, 80, 90 = 80
    assert trimmed_mean([95, 60, 80, 70, 90]) == (Decimal("80.00"), True)
    # 4 sheets: no trimming, (60 + 70 + 80 + 95) / 4 = 76.25
    assert trimmed_mean([60, 70, 80, 95]) == (Decimal("76.25"), False)
    thresholds = {"excellent": 90, "good": 80, "pass": 60}
    assert grade_for(Decimal("90"), thresholds) == "excellent"
    assert grade_for(Decimal("89.99"), thresholds) == "good"
    assert grade_for(Decimal("60"), thresholds) == "pass"
    assert grade_for(Decimal("59.99"), thresholds) == "fail"


def _score_all(rk, session, table):
    members = {m.user_id: m for m in session.panel.all()}
    users = [*rk.reps, rk.affairs, rk.league]
    assert set(members) == {u.pk for u in users}
    for reviewee_student, rows in table.items():
        reviewee = session.reviewees.get(student=reviewee_student)
        for user, row in zip(users, rows, strict=True):
            services.sheet_submit(
                actor=user,
                session=session,
                reviewee=reviewee,
                scores=scores(*row),
                comment=f"意见{user.username}",
            )


def test_grades_with_trimming_credit_and_removal(rk):
    session = rk.opened()
    _score_all(
        rk,
        session,
        {
            # five sheets each: per sheet means 100, 95, 90, 85, 40 -> drop 100 and 40
            rk.chair: [
                (100, 100, 100, 100, 100),
                (95, 95, 95, 95, 95),
                (90, 90, 90, 90, 90),
                (85, 85, 85, 85, 85),
                (40, 40, 40, 40, 40),
            ],
            # a failing head: 50, 55, 58, 70, 30 -> drop 70 and 30, mean 54.33
            rk.minister: [
                (50, 50, 50, 50, 50),
                (55, 55, 55, 55, 55),
                (58, 58, 58, 58, 58),
                (70, 70, 70, 70, 70),
                (30, 30, 30, 30, 30),
            ],
        },
    )
    with pytest.raises(DomainError):
        publishing.session_publish(actor=rk.league, session=session)  # not closed yet
    publishing.session_close(actor=rk.league, session=session)
    chair = session.reviewees.get(student=rk.chair).result
    assert (chair.overall, chair.grade, chair.trimmed, chair.sheets) == (
        Decimal("90.00"),
        "excellent",
        True,
        5,
    )
    assert chair.dimensions["work"] == "90.00"
    minister = session.reviewees.get(student=rk.minister).result
    assert (minister.overall, minister.grade) == (Decimal("54.33"), "fail")
    assert not CreditEntry.objects.exists()  # nothing before publication

    publishing.session_publish(actor=rk.league, session=session)
    entries = CreditEntry.objects.filter(student=rk.chair).order_by("unit")
    assert [(e.unit, e.amount) for e in entries] == [
        ("hours", Decimal("8.00")),
        ("points", Decimal("2.00")),
    ]
    for entry in entries:
        assert effects.result_for_entry(entry) == chair
        assert Certification.objects.filter(entry=entry).exists()
    assert not CreditEntry.objects.filter(student=rk.minister).exists()  # 不合格 earns nothing
    proposal = RemovalProposal.objects.get()
    assert proposal.membership == rk.minister_post and proposal.result == minister
    assert rk.minister_post.end is None  # people decide

    with pytest.raises(DomainError):
        effects.proposal_decide(actor=rk.chair_user, proposal=proposal, remove=True, comment="x")
    effects.proposal_decide(actor=rk.league, proposal=proposal, remove=True, comment="经研究免职")
    post = Membership.objects.get(pk=rk.minister_post.pk)
    assert post.end is not None and post.end_reason == EndReason.REMOVAL
    removed = AuditEvent.objects.get(action="selection.member.removed")
    assert removed.new["basis"] == "review"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REMOVED


def test_closing_waits_for_every_reviewee(rk):
    session = rk.opened()
    with pytest.raises(DomainError) as exc:
        publishing.session_close(actor=rk.league, session=session)
    assert "主席甲" in exc.value.message


def test_a_school_that_scores_in_grades(rk):
    graded = SEED_2020.to_json() | {"review_scale_grades": {"优": 95, "良": 85, "中": 75, "差": 55}}
    charter_services.charter_adopt(
        actor=None,
        school=rk.school,
        name="章程",
        version_label="等级制",
        effective_from=dt.date(2020, 9, 5),
        rules=graded,
    )
    session = rk.opened()
    reviewee = session.reviewees.get(student=rk.chair)
    with pytest.raises(DomainError) as exc:
        services.sheet_submit(
            actor=rk.reps[0], session=session, reviewee=reviewee, scores=scores(90, 90, 90, 90, 90)
        )
    assert exc.value.field == "political" and "优" in exc.value.message
    sheet = services.sheet_submit(
        actor=rk.reps[0],
        session=session,
        reviewee=reviewee,
        scores=scores("优", "良", "良", "中", "优"),
    )
    assert sheet.scores() == scores(95, 85, 85, 75, 95)


def test_reviewees_are_told_to_write_their_report(rk):
    from tuanxue.core.models import Notification

    rk.session()
    assert Notification.objects.filter(user=rk.chair_user, url__contains="my-review").exists()


def test_the_review_settings_are_adopted_on_the_charter_page(client, rk):
    from django.urls import reverse

    from tests.builders.charter import adopt_data
    from tuanxue.charter.models import Charter

    client.force_login(rk.league)
    url = reverse("charter:adopt", args=["tst"])
    refused = client.post(url, adopt_data(review_threshold_good="95"))
    assert refused.status_code == 200 and not Charter.objects.filter(version_label="2022年修改版")
    done = client.post(
        url,
        adopt_data(
            review_threshold_excellent="92",
            review_credit_excellent_hours="10",
            sanction_ineligible_semesters="3",
        ),
    )
    assert done.status_code == 302
    rules = Charter.objects.get(version_label="2022年修改版").parsed
    assert rules.review_thresholds == {"excellent": 92, "good": 80, "pass": 60}
    assert rules.review_credit["excellent"] == {"hours": "10", "points": "2"}
    assert rules.sanction_ineligible_semesters == 3
    assert rules.review_min_league == 1  # left empty: the version in force's value


def test_the_assessment_item_wants_the_review_of_each_semester(rk):
    from tuanxue.charter.assessment import assess
    from tuanxue.org.services import semester_ensure

    semester_ensure(actor=None, school=rk.school, code="2020-2021-1")
    session = rk.opened()
    users = [*rk.reps, rk.affairs, rk.league]
    for reviewee in session.reviewees.all():
        for user in users:
            services.sheet_submit(
                actor=user, session=session, reviewee=reviewee, scores=scores(*[85] * 5)
            )

    def item(day):
        return next(i for i in assess(rk.school, day).items if i.code == "11")

    assert item(dt.date(2020, 9, 30)).status == "not_evidenced"  # open, not closed yet
    publishing.session_close(actor=rk.league, session=session)
    result = item(dt.date(2020, 9, 30))
    assert (result.status, result.basis, result.actual["reviewees"]) == ("pass", "data", 2)
    # 2020-2021-1 ended 2021-01-31; in March its review may still come
    assert item(dt.date(2021, 3, 15)).status == "pass"
    late = item(dt.date(2021, 6, 1))
    assert late.status == "fail" and "2020-2021-1" in late.detail
