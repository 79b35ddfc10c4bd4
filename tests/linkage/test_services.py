"""Sending, forwarding, read receipts, completion per level (with a late college), reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent, Notification
from tuanxue.linkage import selectors, services
from tuanxue.linkage.models import ClassCopy, CollegeCopy, Receipt


def _task(lk, **extra):
    return services.notice_send(
        actor=lk.league,
        school=lk.school,
        kind="task",
        sender="league",
        title="报送推优台账",
        body="请报送。",
        deadline=lk.deadline(),
        **extra,
    )


def test_send_reaches_every_college_and_tells_their_forwarders(lk):
    notice = _task(lk)
    assert set(CollegeCopy.objects.filter(notice=notice).values_list("college", flat=True)) == {
        lk.college1.pk,
        lk.college2.pk,
    }
    assert Notification.objects.filter(user=lk.col1).count() == 1
    assert Notification.objects.filter(user=lk.col2).count() == 1
    assert AuditEvent.objects.filter(
        action="linkage.notice.sent", target_id=str(notice.pk)
    ).exists()


def test_send_to_chosen_colleges_only(lk):
    notice = _task(lk, colleges=[lk.college2])
    assert list(notice.college_copies.values_list("college", flat=True)) == [lk.college2.pk]
    assert not Notification.objects.filter(user=lk.col1).exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": " "}, "title"),
        ({"body": ""}, "body"),
        ({"deadline": None}, "deadline"),
        ({"deadline": timezone.now() - dt.timedelta(hours=1)}, "deadline"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(lk, change, field):
    args = dict(
        actor=lk.league,
        school=lk.school,
        kind="task",
        sender="league",
        title="t",
        body="b",
        deadline=lk.deadline(),
    )
    args.update(change)
    with pytest.raises(DomainError) as exc:
        services.notice_send(**args)
    assert exc.value.field == field
    assert not CollegeCopy.objects.exists()


def test_only_the_school_senders_send(lk):
    for user in (lk.col1, lk.sec1, lk.affairs, lk.student):
        with pytest.raises(DomainError) as exc:
            services.notice_send(
                actor=user, school=lk.school, kind="notice", sender="league", title="t", body="b"
            )
        assert exc.value.code == "forbidden"


def test_forward_once_with_additions_to_the_college_classes_only(lk):
    notice = _task(lk)
    copy = CollegeCopy.objects.get(notice=notice, college=lk.college1)
    with pytest.raises(DomainError):
        services.college_forward(actor=lk.col2, copy=copy)  # another college's forwarder
    rows = services.college_forward(actor=lk.col1, copy=copy, addition="班会传达")
    assert {r.class_group_id for r in rows} == {lk.class1.pk, lk.class2.pk}
    copy.refresh_from_db()
    assert copy.addition == "班会传达" and copy.read_at is not None  # forwarding is reading
    assert Notification.objects.filter(user=lk.sec1).count() == 1
    assert not Notification.objects.filter(user=lk.sec3).exists()
    with pytest.raises(DomainError):
        services.college_forward(actor=lk.col1, copy=copy)
    assert ClassCopy.objects.filter(notice=notice).count() == 2


def test_forward_to_chosen_classes_refuses_another_college_class(lk):
    copy = CollegeCopy.objects.get(notice=_task(lk), college=lk.college1)
    with pytest.raises(DomainError) as exc:
        services.college_forward(actor=lk.col1, copy=copy, classes=[lk.class3])
    assert exc.value.field == "classes"
    services.college_forward(actor=lk.col1, copy=copy, classes=[lk.class2])
    assert list(ClassCopy.objects.values_list("class_group", flat=True)) == [lk.class2.pk]


def test_read_receipts_record_who_and_when_once(lk):
    notice = _task(lk)
    services.college_forward(
        actor=lk.col1, copy=CollegeCopy.objects.get(notice=notice, college=lk.college1)
    )
    k = ClassCopy.objects.get(notice=notice, class_group=lk.class1)
    assert services.copy_read(actor=lk.sec1, copy=k) is True
    assert services.copy_read(actor=lk.sec1, copy=k) is False
    receipt = Receipt.objects.get(class_copy=k)
    assert receipt.user == lk.sec1 and receipt.name == "团支书甲"
    with pytest.raises(DomainError) as exc:
        services.copy_read(actor=lk.sec3, copy=k)
    assert exc.value.code == "forbidden"
    assert AuditEvent.objects.filter(action="linkage.notice.read").count() == 1


def test_completion_counts_per_level_with_a_college_that_forwards_late(lk):
    sent = timezone.now() - dt.timedelta(days=10)
    notice = services.notice_send(
        actor=lk.league,
        school=lk.school,
        kind="task",
        sender="league",
        title="t",
        body="b",
        deadline=sent + dt.timedelta(days=5),
        now=sent,
    )
    deadline = notice.deadline
    c1 = CollegeCopy.objects.get(notice=notice, college=lk.college1)
    c2 = CollegeCopy.objects.get(notice=notice, college=lk.college2)
    # college 1 forwards in time; class1 reports in time, class2 never
    services.college_forward(actor=lk.col1, copy=c1, now=sent + dt.timedelta(days=1))
    k1 = ClassCopy.objects.get(notice=notice, class_group=lk.class1)
    services.copy_report_done(
        actor=lk.sec1, copy=k1, report="已完成", now=sent + dt.timedelta(days=2)
    )
    services.copy_report_done(
        actor=lk.col1, copy=c1, report="汇总", now=sent + dt.timedelta(days=3)
    )
    # before college 2 forwards, its class is "not reached"
    board = selectors.dashboard(notice)
    assert board.classes.total == 3 and [g.pk for g in board.classes.not_reached] == [lk.class3.pk]
    assert board.colleges.forwarded == 1 and board.colleges.not_forwarded == [lk.college2]
    # college 2 forwards after the deadline; its class reports (late) the day after
    late = deadline + dt.timedelta(days=1)
    services.college_forward(actor=lk.col2, copy=c2, now=late)
    k3 = ClassCopy.objects.get(notice=notice, class_group=lk.class3)
    services.copy_report_done(
        actor=lk.sec3, copy=k3, report="补交", now=late + dt.timedelta(days=1)
    )
    board = selectors.dashboard(notice)
    assert (board.colleges.total, board.colleges.read, board.colleges.forwarded) == (2, 2, 2)
    assert board.colleges.forwarded_late == 1
    assert (board.colleges.done, board.colleges.done_late) == (1, 0)
    assert board.colleges.not_done == [lk.college2]
    assert board.classes.total == 3 and board.classes.not_reached == []
    assert (board.classes.read, board.classes.done, board.classes.done_late) == (2, 2, 1)
    assert board.classes.not_done == [lk.class2] and board.classes.not_read == [lk.class2]
    event = AuditEvent.objects.get(action="linkage.notice.forwarded", target_id=str(c2.pk))
    assert event.new["late"] is True


def test_report_needs_text_and_a_real_file_and_happens_once(lk):
    notice = _task(lk)
    c1 = CollegeCopy.objects.get(notice=notice, college=lk.college1)
    with pytest.raises(DomainError) as exc:
        services.copy_report_done(actor=lk.col1, copy=c1, report=" ")
    assert exc.value.field == "report"
    fake = SimpleUploadedFile("r.pdf", b"MZ not a pdf")
    with pytest.raises(DomainError) as exc:
        services.copy_report_done(actor=lk.col1, copy=c1, report="ok", file=fake)
    assert exc.value.field == "file"
    c1.refresh_from_db()
    assert c1.done_at is None
    pdf = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n")
    services.copy_report_done(actor=lk.col1, copy=c1, report="ok", file=pdf)
    c1.refresh_from_db()
    assert c1.done_by == lk.col1 and c1.report_file.read().startswith(b"%PDF-")
    with pytest.raises(DomainError):
        services.copy_report_done(actor=lk.col1, copy=c1, report="again")


def test_a_notice_is_not_reported_done(lk):
    notice = services.notice_send(
        actor=lk.league, school=lk.school, kind="notice", sender="league", title="t", body="b"
    )
    assert notice.deadline is None
    c1 = CollegeCopy.objects.get(notice=notice, college=lk.college1)
    with pytest.raises(DomainError):
        services.copy_report_done(actor=lk.col1, copy=c1, report="x")


def test_remind_tells_the_laggards_of_each_level_only(lk):
    notice = _task(lk)
    c1 = CollegeCopy.objects.get(notice=notice, college=lk.college1)
    services.college_forward(actor=lk.col1, copy=c1)
    services.copy_report_done(actor=lk.col1, copy=c1, report="ok")
    Notification.objects.all().delete()
    with pytest.raises(DomainError):
        services.notice_remind(actor=lk.affairs, notice=notice)
    told = services.notice_remind(actor=lk.league, notice=notice)
    # college 2 has not read it; class1 (sec1) has not read it; college 1 is done
    assert told == 2
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"col2", "sec1"}
    # a college reminds only its own classes
    Notification.objects.all().delete()
    assert services.notice_remind(actor=lk.col1, notice=notice, college_id=lk.college1.pk) == 1
    with pytest.raises(DomainError):
        services.notice_remind(actor=lk.col1, notice=notice, college_id=lk.college2.pk)


def test_remind_command_reminds_overdue_tasks_once_a_day(lk):
    notice = _task(lk)
    Notification.objects.all().delete()
    later = notice.deadline + dt.timedelta(hours=1)
    call_command("linkage", "remind", "--now", later.isoformat())
    assert Notification.objects.filter(user__username="col2").count() == 1
    call_command("linkage", "remind", "--now", (later + dt.timedelta(hours=2)).isoformat())
    assert Notification.objects.filter(user__username="col2").count() == 1
    call_command("linkage", "remind", "--now", (later + dt.timedelta(days=2)).isoformat())
    assert Notification.objects.filter(user__username="col2").count() == 2
    event = AuditEvent.objects.filter(action="linkage.notice.reminded").first()
    assert event.actor_label == "system"


def test_dashboard_query_count_does_not_grow_with_classes(lk, django_assert_max_num_queries):
    notice = _task(lk)
    for copy in CollegeCopy.objects.filter(notice=notice, college=lk.college1):
        services.college_forward(actor=lk.col1, copy=copy)
    with django_assert_max_num_queries(5):
        board = selectors.dashboard(notice)
        assert board.classes.total == 3
