"""Discipline, study and meeting pages: who records what (a sanction only by the League
committee, a talk by a department head for their own department), who sees what (a circulated
notice inside the union), the sanction's effect on eligibility and removal, attendance and the
convention list, and the flag on a meeting without study first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tuanxue.review.models import (
    DisciplineRecord,
    RemovalProposal,
    StudyAttendance,
    StudyKind,
    UnionMeeting,
)
from tuanxue.review.records import discipline, study
from tuanxue.selection.eligibility import eligibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(other_kit):
    return other_kit.user("outsider", student=True)


def _as(client, user):
    client.force_login(user)
    return client


def _record(kind, no, **extra):
    return {
        "student_no": no,
        "kind": kind,
        "basis": "《学生会工作人员管理办法》第十二条",
        "facts": "例会无故缺席三次。",
        "decided_by": "学习权益部",
        "decided_on": "2020-10-10",
        **extra,
    }


def test_discipline_rights_and_visibility(client, rk, outsider):
    url = reverse("review:discipline", args=["tst", rk.union.pk])
    assert _as(client, outsider).get(url).status_code == 404
    staff_user = rk.kit.user("staffer")
    rk.staff.user = staff_user
    rk.staff.save(update_fields=["user"])
    # a department head records a talk with a member of their own department
    client = _as(client, rk.minister_user)
    assert client.post(url, _record("talk", rk.staff.student_no)).status_code == 302
    # ...but not a sanction
    assert client.post(url, _record("sanction", rk.staff.student_no)).status_code == 403
    # nor a talk with someone outside their department
    assert client.post(url, _record("talk", rk.chair.student_no)).status_code == 403
    # the student sees their own talk; a plain union member does not see others' talks
    assert len(_as(client, staff_user).get(url).context["records"]) == 1
    assert _as(client, rk.chair_user).get(url).context["records"] == []
    # a circulated notice is visible inside the union
    _as(client, rk.league).post(url, _record("notice", rk.minister.student_no))
    records = _as(client, rk.chair_user).get(url).context["records"]
    assert [r.kind for r in records] == ["notice"]
    # a student of the school outside the union sees no notice
    assert _as(client, rk.reps[0]).get(url).context["records"] == []
    # bad input names the field and writes nothing
    before = DisciplineRecord.objects.count()
    page = _as(client, rk.league).post(url, _record("talk", "NOPE"))
    assert "student_no" in page.context["form"].errors
    assert DisciplineRecord.objects.count() == before


def test_a_sanction_makes_ineligible_and_opens_removal(rk):
    day = dt.date(2020, 10, 10)
    for code in ("2020-2021-1", "2020-2021-2", "2021-2022-1"):
        from tuanxue.org.services import semester_ensure

        semester_ensure(actor=None, school=rk.school, code=code)
    assert eligibility(rk.minister, day)["eligible"] is True
    record = discipline.discipline_record(
        actor=rk.league,
        union=rk.union,
        student=rk.minister,
        kind="sanction",
        basis="《学生会干部自律公约》第五条",
        facts="违规使用学生会公章。",
        decided_by="校团委",
        decided_on=day,
    )
    verdict = eligibility(rk.minister, dt.date(2021, 3, 1))
    assert verdict["eligible"] is False
    assert any("2020-10-10" in r and "2" in r for r in verdict["reasons"])
    # two semesters later (the sanction's own and the next) it no longer counts
    later = eligibility(rk.minister, dt.date(2021, 9, 10))
    assert not any("2020-10-10" in r for r in later["reasons"])
    proposal = RemovalProposal.objects.get()
    assert proposal.discipline == record and proposal.membership == rk.minister_post
    # overturned on appeal, it no longer makes the student ineligible
    discipline.appeal_submit(actor=rk.minister_user, record=record, text="事实有误")
    discipline.appeal_decide(actor=rk.league, record=record, upheld=False, outcome="撤销处分")
    cleared = eligibility(rk.minister, dt.date(2021, 3, 1))
    assert not any("2020-10-10" in r for r in cleared["reasons"])


def test_study_pages_attendance_and_convention(client, rk, outsider):
    url = reverse("review:study", args=["tst", rk.union.pk])
    assert _as(client, outsider).get(url).status_code == 404
    assert _as(client, rk.reps[0]).get(url).status_code == 403
    staff_user = rk.kit.user("staffer")
    rk.staff.user = staff_user
    rk.staff.save(update_fields=["user"])
    assert _as(client, staff_user).post(url, {}).status_code == 403  # members see, heads record
    client = _as(client, rk.chair_user)
    on_day = f"{url}?day=2020-10-15"
    missing = client.get(on_day).context["missing"]
    assert {m.student for m in missing} == {rk.chair, rk.minister, rk.staff}
    done = client.post(
        url,
        {
            "kind": StudyKind.ORIGINAL,
            "topic": "学习《学生会研究生会干部自律公约》",
            "held_on": "2020-09-20",
            "convention": "on",
        },
    )
    assert done.status_code == 302
    session = rk.union.study_sessions.get()
    detail = reverse("review:study_detail", args=["tst", rk.union.pk, session.pk])
    assert (
        _as(client, staff_user).post(detail, {"student_no": rk.chair.student_no}).status_code == 403
    )
    client = _as(client, rk.chair_user)
    bad = client.post(detail, {"student_no": "NOPE"})
    assert "student_no" in bad.context["form"].errors
    client.post(detail, {"student_no": rk.staff.student_no})
    client.post(detail, {"student_no": rk.staff.student_no})  # a second mark changes nothing
    assert StudyAttendance.objects.count() == 1
    missing = client.get(on_day).context["missing"]
    assert rk.staff not in {m.student for m in missing}
    assert rk.chair in {m.student for m in missing}


def test_meeting_without_study_first_is_flagged(client, rk, outsider):
    url = reverse("review:meeting_new", args=["tst", rk.union.pk])
    assert _as(client, outsider).get(url).status_code == 404
    assert _as(client, rk.reps[0]).get(url).status_code == 403
    client = _as(client, rk.chair_user)
    data = {"title": "第三次例会", "held_on": "2020-10-12", "minutes": "略。"}
    client.post(url, {**data, "agenda": "学习全国学联二十七大精神\n部署迎新工作"})
    client.post(url, {**data, "agenda": "部署迎新工作\n学习讲话精神"})
    flags = list(UnionMeeting.objects.order_by("pk").values_list("first_item_study", flat=True))
    assert flags == [True, False]
    assert [m.title for m in study.meetings_without_study(rk.union)] == ["第三次例会"]
    page = client.get(reverse("review:study", args=["tst", rk.union.pk]))
    assert "first item is not study" in page.content.decode() or "第一议题" in page.content.decode()


def test_the_compliance_page_flags_a_meeting_without_study_first(client, rk):
    study.meeting_record(
        actor=rk.chair_user,
        union=rk.union,
        title="第四次例会",
        held_on=dt.date(2020, 10, 20),
        agenda=["部署运动会工作"],
        minutes="略。",
    )
    page = _as(client, rk.league).get(
        reverse("charter:compliance", args=["tst"]) + "?date=2020-10-30"
    )
    html = page.content.decode()
    assert "第四次例会" in html
    school_union = next(u for u in page.context["unions"] if u["s"].union == rk.union)
    row = next(r for r in school_union["rows"] if r.key == "first_item")
    assert row.actual == 1 and not row.ok


def test_appeal_pages(client, rk, outsider):
    record = discipline.discipline_record(
        actor=rk.league,
        union=rk.union,
        student=rk.minister,
        kind="criticism",
        basis="《学生会工作人员管理办法》第八条",
        facts="活动经费报销材料不全。",
        decided_by="校团委",
        decided_on=dt.date(2020, 10, 1),
    )
    url = reverse("review:discipline_appeal", args=["tst", rk.union.pk, record.pk])
    assert _as(client, outsider).post(url, {"appeal": "x"}).status_code == 404
    assert _as(client, rk.chair_user).post(url, {"appeal": "x"}).status_code == 404  # not theirs
    client = _as(client, rk.minister_user)
    client.post(url, {"action": "appeal", "appeal": ""})
    record.refresh_from_db()
    assert record.appeal_status == ""  # an empty appeal changes nothing
    client.post(url, {"action": "appeal", "appeal": "材料已补齐"})
    record.refresh_from_db()
    assert record.appeal_status == "pending"
    assert client.post(url, {"action": "decide", "upheld": "no", "outcome": "x"}).status_code == 403
    _as(client, rk.league).post(url, {"action": "decide", "upheld": "no", "outcome": "撤销批评"})
    record.refresh_from_db()
    assert (record.appeal_status, record.appeal_outcome) == ("overturned", "撤销批评")


def test_the_sanction_check_does_not_grow_with_the_students(rk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuanxue.selection.eligibility import eligibility_many

    discipline.discipline_record(
        actor=rk.league,
        union=rk.union,
        student=rk.staff,
        kind="sanction",
        basis="《学生会干部自律公约》第五条",
        facts="违规。",
        decided_by="校团委",
        decided_on=dt.date(2020, 10, 10),
    )
    few = [rk.staff]
    many = [rk.staff, rk.chair, rk.minister, *[u.student for u in rk.reps]]
    counts = []
    for students in (few, many):
        with CaptureQueriesContext(connection) as queries:
            verdicts = dict(eligibility_many(students, dt.date(2020, 11, 1)))
        counts.append(len(queries))
        assert verdicts[rk.staff]["eligible"] is False
        assert verdicts[rk.staff]["reasons"][-1].startswith(("2020-10-10", "Sanctioned"))
    assert counts[0] == counts[1]


def test_study_attendance_through_the_activity_qr_check_in(rk):
    from django.utils import timezone

    from tests.ledger import factories as f
    from tuanxue.activities import qr
    from tuanxue.activities.attendance import services as attendance
    from tuanxue.activities.models import CheckMethod

    now = timezone.now().replace(microsecond=0)
    activity = f.activity(rk.kit, start=now - dt.timedelta(minutes=5), body=rk.dept, title="学习会")
    session = study.study_create(
        actor=rk.chair_user,
        union=rk.union,
        kind=StudyKind.VIDEO,
        topic="观看全国学联二十七大开幕会",
        held_on=timezone.localdate(),
        activity=activity,
    )
    attendance.check_in(
        actor=rk.minister_user,
        activity=activity,
        student=rk.minister,
        method=CheckMethod.QR,
        token=qr.make_token(activity.pk, now=now),
        at=now,
    )
    study.roll_call(actor=rk.chair_user, session=session, student=rk.staff)
    assert study.attendee_ids(session) == {rk.minister.pk, rk.staff.pk}
