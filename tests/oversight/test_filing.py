"""Filing with the League committee: the union's presidium files each of the four kinds, the
League committee accepts or returns with a reason, a returned filing is filed again, a decision
is taken once; an activity filed in the activities module is decided from the register too."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.oversight.conftest import events
from tuanxue.activities import services as activity_services
from tuanxue.activities.models import Activity, ActivityStatus
from tuanxue.core.errors import DomainError
from tuanxue.core.models import Notification
from tuanxue.oversight import filing, selectors
from tuanxue.oversight.models import Filing, FilingKind, FilingReview, FilingStatus

DAY = dt.date(2020, 9, 20)


def _file(people, kind, **extra):
    values = {
        "title": f"报备：{kind}",
        "content": "时间、地点、参加人员",
        "occurs_on": DAY,
        "counterpart": "兄弟院校学生会" if kind == FilingKind.EXTERNAL else "",
    }
    values.update(extra)
    return filing.filing_submit(
        actor=people.chair, union=people.kit.school_union, kind=kind, **values
    )


@pytest.mark.parametrize("kind", FilingKind.values)
def test_each_kind_is_filed_and_accepted(kit, people, kind):
    record = _file(people, kind)
    assert record.status == FilingStatus.FILED and record.filed_by == people.chair
    assert Notification.objects.filter(user=people.league).exists()
    filing.filing_decide(actor=people.league, filing=record, decision="accept")
    record.refresh_from_db()
    assert record.status == FilingStatus.ACCEPTED
    assert [e.new["status"] for e in events("oversight.filing.accepted")] == ["accepted"]
    assert Notification.objects.filter(user=people.chair).exists()


@pytest.mark.parametrize("kind", FilingKind.values)
def test_each_kind_is_returned_with_a_reason_and_filed_again(kit, people, kind):
    record = _file(people, kind)
    with pytest.raises(DomainError) as exc:
        filing.filing_decide(actor=people.league, filing=record, decision="return", reason=" ")
    assert exc.value.field == "reason"
    assert Filing.objects.get(pk=record.pk).status == FilingStatus.FILED
    filing.filing_decide(
        actor=people.league, filing=record, decision="return", reason="写明参加人员"
    )
    record.refresh_from_db()
    assert record.status == FilingStatus.RETURNED
    [row] = selectors.filing_register(kit.school)
    assert row.status == FilingStatus.RETURNED and row.reason == "写明参加人员"
    filing.filing_resubmit(
        actor=people.chair,
        filing=record,
        kind=kind,
        title=record.title,
        content="时间、地点、参加人员：主席团2人",
        occurs_on=DAY,
        counterpart=record.counterpart,
    )
    filing.filing_decide(actor=people.league, filing=record, decision="accept")
    assert list(FilingReview.objects.filter(filing=record).values_list("decision", flat=True)) == [
        "return",
        "accept",
    ]


def test_a_filing_is_decided_once(kit, people):
    record = _file(people, FilingKind.MATTER)
    filing.filing_decide(actor=people.league, filing=record, decision="accept")
    with pytest.raises(DomainError) as exc:
        filing.filing_decide(actor=people.league, filing=record, decision="return", reason="x")
    assert exc.value.code == "state"
    assert FilingReview.objects.filter(filing=record).count() == 1


def test_who_files_and_who_decides(kit, people):
    for actor in (people.student, people.league, people.affairs):
        with pytest.raises(DomainError) as exc:
            filing.filing_submit(
                actor=actor,
                union=kit.school_union,
                kind=FilingKind.MATTER,
                title="x",
                content="y",
                occurs_on=DAY,
            )
        assert exc.value.code == "forbidden"
    record = _file(people, FilingKind.INFORMATION)
    for actor in (people.chair, people.affairs, people.student):
        with pytest.raises(DomainError) as exc:
            filing.filing_decide(actor=actor, filing=record, decision="accept")
        assert exc.value.code == "forbidden"
    assert Filing.objects.get(pk=record.pk).status == FilingStatus.FILED


def test_an_external_contact_names_the_other_party(kit, people):
    with pytest.raises(DomainError) as exc:
        _file(people, FilingKind.EXTERNAL, counterpart="")
    assert exc.value.field == "counterpart"
    assert not Filing.objects.exists()


def test_a_filed_activity_is_decided_from_the_register(kit, people):
    body = kit.department()
    start = timezone.now() + dt.timedelta(days=10)
    activity = activity_services.activity_create(
        actor=None,
        school=kit.school,
        title="校园开放日",
        description="与企业合办",
        area="innovation",
        brands=[],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        place="礼堂",
        capacity=None,
        audience_colleges=[],
        audience_grades=[],
        credit=0,
        credit_unit="hours",
        organiser_body=body,
        external_contact="某科技公司",
    )
    activity_services.activity_submit(actor=None, activity=activity)
    [row] = selectors.filing_register(kit.school)
    assert (row.source, row.kind, row.status) == ("activity", FilingKind.EXTERNAL, "filed")
    with pytest.raises(DomainError):
        filing.activity_filing_decide(
            actor=people.league, activity=activity, decision="return", reason=""
        )
    filing.activity_filing_decide(actor=people.league, activity=activity, decision="accept")
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.PUBLISHED
    [row] = selectors.filing_register(kit.school, status="accepted")
    assert row.title == "校园开放日"
