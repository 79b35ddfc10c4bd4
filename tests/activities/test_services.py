"""Activity services: filing routing, re-approval after edits, the League committee's decision;
proposals with supports, threshold and window; ratings after check-in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from tests.builders.activities import build_world, make_activity, make_proposal, supporters
from tuanxue.activities import services
from tuanxue.activities.models import (
    Activity,
    ActivityStatus,
    Attendance,
    CheckMethod,
    FilingDecision,
    Proposal,
    ProposalStatus,
    ProposalSupport,
    Rating,
)
from tuanxue.activities.proposals import services as proposals
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent, Notification
from tuanxue.org.models import Role


def actions(activity) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="activities.activity", target_id=str(activity.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# -- creating ----------------------------------------------------------------------------------


def test_create_is_a_draft_and_audited(w):
    activity = make_activity(w)
    assert activity.status == ActivityStatus.DRAFT
    assert activity.is_major is False
    assert actions(activity) == ["activities.activity.created"]


def test_only_the_organiser_creates(w):
    with pytest.raises(DomainError) as exc:
        make_activity(w, actor=w.student_user)
    assert exc.value.code == "forbidden"
    assert not Activity.objects.exists()


def test_union_manager_may_create_for_a_department(w):
    manager = w.kit.user(role=Role.STUDENT_AFFAIRS)
    assert make_activity(w, actor=manager).status == ActivityStatus.DRAFT


def test_society_activity_needs_the_league_committee(w):
    from tuanxue.org.models import Society

    society = Society.objects.create(school=w.school, name="摄影协会")
    kwargs = dict(
        school=w.school,
        organiser_society=society,
        title="摄影展",
        description="作品展",
        area="aesthetics",
        brands=[],
        starts_at=w.start,
        ends_at=w.start + dt.timedelta(hours=2),
        place="图书馆",
        capacity=None,
        audience_colleges=[],
        audience_grades=[],
        credit=0,
        credit_unit="points",
        external_contact="",
    )
    with pytest.raises(DomainError):
        services.activity_create(actor=w.minister_user, **kwargs)
    assert services.activity_create(actor=w.league, **kwargs).organiser_society == society


def test_bad_input_names_the_field_and_writes_nothing(w):
    with pytest.raises(DomainError) as exc:
        make_activity(w, ends_at=w.start - dt.timedelta(hours=1))
    assert exc.value.field == "ends_at"
    with pytest.raises(DomainError) as exc:
        make_activity(w, area="nonsense")
    assert exc.value.field == "area"
    with pytest.raises(DomainError) as exc:
        make_activity(w, brands=["other"])
    assert exc.value.field == "brands"
    assert not Activity.objects.exists()


def test_major_threshold_without_a_charter_is_300(w):
    assert make_activity(w, capacity=299).is_major is False
    assert make_activity(w, capacity=300).is_major is True


def test_major_threshold_follows_the_charter(chartered):
    w = build_world(chartered)
    rules = chartered.charter.parsed
    limit = rules.major_activity_capacity
    assert make_activity(w, capacity=limit - 1).is_major is False
    assert make_activity(w, capacity=limit).is_major is True


# -- filing routing ----------------------------------------------------------------------------


def test_non_major_activity_publishes_directly(w):
    activity = services.activity_submit(actor=w.minister_user, activity=make_activity(w))
    assert activity.status == ActivityStatus.PUBLISHED
    assert actions(activity)[-1] == "activities.activity.published"
    assert not FilingDecision.objects.exists()


def test_major_activity_is_filed_and_published_only_on_approval(w):
    activity = services.activity_submit(
        actor=w.minister_user, activity=make_activity(w, capacity=1500)
    )
    assert activity.status == ActivityStatus.FILED
    assert Notification.objects.filter(user=w.league).exists()
    services.activity_decide(actor=w.league, activity=activity, decision="approve", comment="")
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED
    assert FilingDecision.objects.get(activity=activity).decision == "approve"
    assert actions(activity) == [
        "activities.activity.created",
        "activities.activity.filed",
        "activities.filing.approved",
    ]
    assert Notification.objects.filter(user=w.minister_user).exists()


def test_external_contact_is_filed_too(w):
    activity = services.activity_submit(
        actor=w.minister_user, activity=make_activity(w, external="赞助商：某科技公司")
    )
    assert activity.status == ActivityStatus.FILED


def test_only_the_league_committee_decides(w):
    activity = services.activity_submit(
        actor=w.minister_user, activity=make_activity(w, capacity=1500)
    )
    for user in (w.minister_user, w.party, w.student_user):
        with pytest.raises(DomainError) as exc:
            services.activity_decide(actor=user, activity=activity, decision="approve", comment="")
        assert exc.value.code == "forbidden"
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.FILED


def test_return_needs_a_comment_and_can_be_resubmitted(w):
    activity = services.activity_submit(
        actor=w.minister_user, activity=make_activity(w, capacity=1500)
    )
    with pytest.raises(DomainError) as exc:
        services.activity_decide(actor=w.league, activity=activity, decision="return", comment="")
    assert exc.value.field == "comment"
    services.activity_decide(
        actor=w.league, activity=activity, decision="return", comment="请补充安全预案"
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.RETURNED
    activity = services.activity_submit(actor=w.minister_user, activity=activity)
    assert activity.status == ActivityStatus.FILED


def test_a_decision_twice_is_refused(w):
    activity = services.activity_submit(
        actor=w.minister_user, activity=make_activity(w, capacity=1500)
    )
    services.activity_decide(actor=w.league, activity=activity, decision="approve", comment="")
    with pytest.raises(DomainError) as exc:
        services.activity_decide(actor=w.league, activity=activity, decision="approve", comment="")
    assert exc.value.code == "state"
    assert FilingDecision.objects.count() == 1


def _approved(w, **extra):
    activity = services.activity_submit(
        actor=w.minister_user, activity=make_activity(w, capacity=1500, **extra)
    )
    services.activity_decide(actor=w.league, activity=activity, decision="approve", comment="")
    activity.refresh_from_db()
    return activity


@pytest.mark.parametrize(
    "change",
    [
        {"place": "体育馆"},
        {"capacity": 1600},
        {"starts_at": "shift"},
        {"ends_at": "shift"},
    ],
)
def test_edit_of_time_place_or_capacity_after_approval_sends_it_back(w, change):
    activity = _approved(w)
    if "starts_at" in change:
        change = {"starts_at": activity.starts_at - dt.timedelta(hours=1)}
    if "ends_at" in change:
        change = {"ends_at": activity.ends_at + dt.timedelta(hours=1)}
    Notification.objects.all().delete()
    updated = services.activity_update(actor=w.minister_user, activity=activity, **change)
    assert updated.status == ActivityStatus.FILED
    event = AuditEvent.objects.filter(action="activities.activity.sent_back").get()
    field = next(iter(change))
    assert field in event.old and field in event.new
    assert event.old["status"] == "published" and event.new["status"] == "filed"
    assert Notification.objects.filter(user=w.league).exists()


def test_title_edit_after_approval_keeps_it_published(w):
    activity = _approved(w)
    updated = services.activity_update(actor=w.minister_user, activity=activity, title="新名字")
    assert updated.status == ActivityStatus.PUBLISHED
    event = AuditEvent.objects.filter(action="activities.activity.updated").get()
    assert event.old == {"title": "校园歌手大赛"} and event.new == {"title": "新名字"}


def test_edit_of_a_published_non_major_activity_keeps_it_published(w):
    activity = services.activity_submit(actor=w.minister_user, activity=make_activity(w))
    updated = services.activity_update(actor=w.minister_user, activity=activity, place="操场")
    assert updated.status == ActivityStatus.PUBLISHED


def test_raising_capacity_to_major_sends_a_published_activity_to_filing(w):
    activity = services.activity_submit(actor=w.minister_user, activity=make_activity(w))
    updated = services.activity_update(actor=w.minister_user, activity=activity, capacity=800)
    assert updated.is_major and updated.status == ActivityStatus.FILED


def test_unchanged_edit_writes_nothing(w):
    activity = _approved(w)
    before = AuditEvent.objects.count()
    services.activity_update(actor=w.minister_user, activity=activity, place=activity.place)
    assert AuditEvent.objects.count() == before


def test_only_the_organiser_edits(w):
    activity = make_activity(w)
    with pytest.raises(DomainError) as exc:
        services.activity_update(actor=w.student_user, activity=activity, title="x")
    assert exc.value.code == "forbidden"


def test_cancel_needs_a_reason(w):
    activity = make_activity(w)
    with pytest.raises(DomainError):
        services.activity_cancel(actor=w.minister_user, activity=activity, reason=" ")
    services.activity_cancel(actor=w.minister_user, activity=activity, reason="场地冲突")
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    with pytest.raises(DomainError):
        services.activity_update(actor=w.minister_user, activity=activity, title="x")


# -- proposals ---------------------------------------------------------------------------------


def test_proposal_threshold_puts_it_on_the_list_and_tells_the_heads(w, settings):
    settings.PROPOSAL_SUPPORT_THRESHOLD = 3
    proposal = make_proposal(w)
    assert proposal.threshold == 3 and proposal.status == ProposalStatus.COLLECTING
    users = supporters(w, 4)
    for user in users[:2]:
        proposals.proposal_support(actor=user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.supports == 2 and proposal.status == ProposalStatus.COLLECTING
    assert not Notification.objects.filter(user=w.minister_user).exists()
    proposals.proposal_support(actor=users[2], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ON_LIST
    assert Notification.objects.filter(user=w.minister_user).count() == 1
    # support keeps counting while it waits on the list
    proposals.proposal_support(actor=users[3], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.supports == 4
    assert Notification.objects.filter(user=w.minister_user).count() == 1


def test_default_threshold_is_20(w):
    assert proposals.SUPPORT_THRESHOLD == 20
    assert make_proposal(w).threshold == 20


def test_double_support_is_refused(w):
    proposal = make_proposal(w)
    user = supporters(w, 1)[0]
    proposals.proposal_support(actor=user, proposal=proposal)
    with pytest.raises(DomainError) as exc:
        proposals.proposal_support(actor=user, proposal=proposal)
    assert exc.value.code == "duplicate"
    proposal.refresh_from_db()
    assert proposal.supports == 1
    assert ProposalSupport.objects.count() == 1


def test_support_after_the_window_is_refused(w):
    proposal = make_proposal(w)
    Proposal.objects.filter(pk=proposal.pk).update(
        support_until=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(DomainError) as exc:
        proposals.proposal_support(actor=supporters(w, 1)[0], proposal=proposal)
    assert exc.value.code == "closed"
    assert not ProposalSupport.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).supports == 0


def test_own_proposal_and_non_students_cannot_support(w):
    proposal = make_proposal(w)
    with pytest.raises(DomainError):
        proposals.proposal_support(actor=w.student_user, proposal=proposal)
    with pytest.raises(DomainError) as exc:
        proposals.proposal_support(actor=w.league, proposal=proposal)
    assert exc.value.code == "forbidden"


def test_proposal_window_must_be_in_the_future(w):
    with pytest.raises(DomainError) as exc:
        make_proposal(w, until=timezone.now() - dt.timedelta(days=1))
    assert exc.value.field == "support_until"
    with pytest.raises(DomainError) as exc:
        make_proposal(w, actor=w.league)
    assert exc.value.code == "forbidden"


def _listed(w, settings):
    settings.PROPOSAL_SUPPORT_THRESHOLD = 1
    proposal = make_proposal(w)
    proposals.proposal_support(actor=supporters(w, 1)[0], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ON_LIST
    return proposal


def test_decline_needs_a_reason_and_is_public(w, settings):
    proposal = _listed(w, settings)
    with pytest.raises(DomainError) as exc:
        proposals.proposal_decide(actor=w.minister_user, proposal=proposal, adopt=False, reason="")
    assert exc.value.field == "reason"
    proposals.proposal_decide(
        actor=w.minister_user, proposal=proposal, adopt=False, reason="预算超出部门经费"
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.decision_reason == "预算超出部门经费"
    assert proposal.decided_by == w.minister_user
    assert Notification.objects.filter(user=w.student_user).exists()


def test_adopt_links_an_activity(w, settings):
    proposal = _listed(w, settings)
    activity = make_activity(w)
    proposals.proposal_decide(
        actor=w.league, proposal=proposal, adopt=True, reason="", activity=activity
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED and proposal.activity == activity
    assert AuditEvent.objects.filter(action="activities.proposal.adopted").count() == 1


def test_only_heads_presidium_or_league_decide(w, settings):
    proposal = _listed(w, settings)
    for user in (w.student_user, w.party):
        with pytest.raises(DomainError) as exc:
            proposals.proposal_decide(actor=user, proposal=proposal, adopt=True, reason="")
        assert exc.value.code == "forbidden"


def test_a_collecting_proposal_cannot_be_decided(w):
    proposal = make_proposal(w)
    with pytest.raises(DomainError) as exc:
        proposals.proposal_decide(actor=w.league, proposal=proposal, adopt=True, reason="")
    assert exc.value.code == "state"


# -- ratings -----------------------------------------------------------------------------------


def checked_in(w, activity, student):
    return Attendance.objects.create(
        school=w.school,
        activity=activity,
        student=student,
        checked_in_at=timezone.now(),
        check_in_method=CheckMethod.QR,
    )


def _started(activity):
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    activity.refresh_from_db()
    return activity


def test_rating_only_after_check_in(w):
    activity = _started(services.activity_submit(actor=w.minister_user, activity=make_activity(w)))
    with pytest.raises(DomainError) as exc:
        proposals.rating_add(actor=w.student_user, activity=activity, score=5, comment="")
    assert exc.value.code == "forbidden"
    checked_in(w, activity, w.student)
    rating = proposals.rating_add(actor=w.student_user, activity=activity, score=4, comment="好")
    assert rating.score == 4
    assert AuditEvent.objects.filter(action="activities.rating.added").count() == 1


def test_rating_only_once(w):
    activity = _started(services.activity_submit(actor=w.minister_user, activity=make_activity(w)))
    checked_in(w, activity, w.student)
    proposals.rating_add(actor=w.student_user, activity=activity, score=4, comment="")
    with pytest.raises(DomainError) as exc:
        proposals.rating_add(actor=w.student_user, activity=activity, score=5, comment="")
    assert exc.value.code == "duplicate"
    assert Rating.objects.count() == 1


def test_rating_only_after_the_start(w):
    activity = services.activity_submit(actor=w.minister_user, activity=make_activity(w))
    checked_in(w, activity, w.student)
    with pytest.raises(DomainError) as exc:
        proposals.rating_add(actor=w.student_user, activity=activity, score=5, comment="")
    assert exc.value.code == "state"


@pytest.mark.parametrize("score", [0, 6, "x"])
def test_rating_score_is_1_to_5(w, score):
    activity = _started(services.activity_submit(actor=w.minister_user, activity=make_activity(w)))
    checked_in(w, activity, w.student)
    with pytest.raises(DomainError) as exc:
        proposals.rating_add(actor=w.student_user, activity=activity, score=score, comment="")
    assert exc.value.field == "score"
    assert not Rating.objects.exists()


def test_audit_runs_in_the_change_transaction(w):
    """A failure after the audit rolls back the change and its event together."""
    activity = make_activity(w)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.activity_update(actor=w.minister_user, activity=activity, title="回滚")
        raise RuntimeError
    activity.refresh_from_db()
    assert activity.title == "校园歌手大赛"
    assert AuditEvent.objects.count() == before
