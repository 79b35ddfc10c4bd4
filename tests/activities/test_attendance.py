"""Check-in and check-out: idempotent scans, time windows, hours capped at the shift, missed
check-outs settled by hand, and the ledger written once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.builders.activities import scan_in
from tests.ledger import factories as f
from tuanxue.activities import qr
from tuanxue.activities.attendance import services as svc
from tuanxue.activities.models import ActivityStatus, Attendance, CheckMethod
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.ledger.models import CreditCategory, CreditEntry
from tuanxue.org.models import Role


@pytest.fixture
def setup(kit):
    now = timezone.now().replace(microsecond=0)
    kit.now = now
    kit.activity = f.activity(kit, start=now - dt.timedelta(minutes=10), hours=3)
    kit.role = f.shift(kit.activity, start=now - dt.timedelta(minutes=10), minutes=60)
    kit.league = kit.user(role=Role.SCHOOL_LEAGUE)
    kit.pupil = kit.user(student=True)
    kit.volunteer = kit.user(student=True)
    kit.signup = f.confirmed(kit.role, kit.volunteer.student)
    return kit


def scan_out(kit, user, at):
    return svc.check_out(
        actor=user,
        activity=kit.activity,
        student=user.student,
        method=CheckMethod.QR,
        token=qr.make_token(kit.activity.pk, now=at),
        at=at,
    )


def test_repeated_scans_make_one_attendance(setup):
    first = scan_in(setup, setup.volunteer)
    again = scan_in(setup, setup.volunteer, at=setup.now + dt.timedelta(minutes=2))
    assert again.pk == first.pk
    assert Attendance.objects.filter(activity=setup.activity).count() == 1
    assert first.signup_id == setup.signup.pk
    assert first.check_in_method == CheckMethod.QR
    assert AuditEvent.objects.filter(action="attendance.checked_in").count() == 1


def test_a_student_needs_a_valid_token(setup):
    old = qr.make_token(setup.activity.pk, window=qr.window_index(setup.now) - 2)
    with pytest.raises(DomainError) as exc:
        svc.check_in(
            actor=setup.pupil,
            activity=setup.activity,
            student=setup.pupil.student,
            method=CheckMethod.QR,
            token=old,
            at=setup.now,
        )
    assert exc.value.field == "token"
    other = f.activity(setup, title="另一场")
    with pytest.raises(DomainError):
        svc.check_in(
            actor=setup.pupil,
            activity=setup.activity,
            student=setup.pupil.student,
            method=CheckMethod.QR,
            token=qr.make_token(other.pk, now=setup.now),
            at=setup.now,
        )
    assert not Attendance.objects.exists()


def test_a_student_cannot_check_in_someone_else(setup):
    with pytest.raises(DomainError) as exc:
        svc.check_in(
            actor=setup.pupil,
            activity=setup.activity,
            student=setup.volunteer.student,
            method=CheckMethod.QR,
            token=qr.make_token(setup.activity.pk, now=setup.now),
            at=setup.now,
        )
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        svc.check_in(
            actor=setup.pupil,
            activity=setup.activity,
            student=setup.pupil.student,
            method=CheckMethod.HAND,
            reason="我自己",
            at=setup.now,
        )


def test_outside_the_shift_is_refused(setup):
    early = setup.role.shift_starts_at - dt.timedelta(minutes=31)
    late = setup.role.shift_ends_at + dt.timedelta(minutes=1)
    for at in (early, late):
        with pytest.raises(DomainError) as exc:
            scan_in(setup, setup.volunteer, at=at)
        assert exc.value.code == "outside_time"
    # Thirty minutes early is fine.
    row = scan_in(setup, setup.volunteer, at=setup.role.shift_starts_at - dt.timedelta(minutes=30))
    assert row.signup_id == setup.signup.pk


def test_outside_the_activity_is_refused_for_a_participant(setup):
    late = setup.activity.ends_at + dt.timedelta(seconds=1)
    with pytest.raises(DomainError) as exc:
        scan_in(setup, setup.pupil, at=late)
    assert exc.value.code == "outside_time"
    # The volunteer shift ended earlier than the activity; a plain participant may still come.
    row = scan_in(setup, setup.pupil, at=setup.role.shift_ends_at + dt.timedelta(minutes=5))
    assert row.signup_id is None


def test_a_draft_activity_refuses_check_in(setup):
    setup.activity.status = ActivityStatus.DRAFT
    setup.activity.save()
    with pytest.raises(DomainError) as exc:
        scan_in(setup, setup.pupil)
    assert exc.value.code == "closed"


def test_hours_are_capped_at_the_shift_and_credited_once(setup):
    start = setup.role.shift_starts_at
    scan_in(setup, setup.volunteer, at=start - dt.timedelta(minutes=20))
    out_at = setup.role.shift_ends_at + dt.timedelta(hours=2)
    row = scan_out(setup, setup.volunteer, at=out_at)
    assert row.hours == Decimal("1.00")
    again = scan_out(setup, setup.volunteer, at=out_at + dt.timedelta(minutes=1))
    assert again.hours == Decimal("1.00") and again.checked_out_at == row.checked_out_at
    entries = CreditEntry.objects.filter(student=setup.volunteer.student)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.category == CreditCategory.VOLUNTEER
    assert entry.unit == "hours" and entry.amount == Decimal("1.00")
    assert entry.source_type == "activities.signup" and entry.source_id == str(setup.signup.pk)
    assert AuditEvent.objects.filter(action="attendance.checked_out").count() == 1


def test_hours_are_rounded_and_never_negative(setup):
    start = setup.role.shift_starts_at
    scan_in(setup, setup.volunteer, at=start + dt.timedelta(minutes=5))
    row = scan_out(setup, setup.volunteer, at=start + dt.timedelta(minutes=5, seconds=1000))
    assert row.hours == Decimal("0.28")  # 1000 s
    window = svc.Window(start, start + dt.timedelta(hours=1))
    assert svc.hours_between(window, start, start - dt.timedelta(hours=1)) == Decimal("0.00")


def test_a_participant_earns_the_activitys_credit(setup):
    scan_in(setup, setup.pupil)
    row = scan_out(setup, setup.pupil, at=setup.now + dt.timedelta(minutes=90))
    assert row.hours == Decimal("1.50")
    entry = CreditEntry.objects.get(student=setup.pupil.student)
    assert entry.category == CreditCategory.ACTIVITY
    assert entry.amount == Decimal("2.00") and entry.unit == "points"
    assert entry.source_type == "activities.attendance" and entry.source_id == str(row.pk)


def test_organisers_check_in_and_out(setup):
    head = f.organiser(setup)
    row = svc.check_in(
        actor=head,
        activity=setup.activity,
        student=setup.pupil.student,
        method=CheckMethod.STAFF,
        at=setup.now,
    )
    assert row.check_in_method == CheckMethod.STAFF
    out = svc.check_out(
        actor=setup.league,
        activity=setup.activity,
        student=setup.pupil.student,
        method=CheckMethod.STAFF,
        at=setup.now + dt.timedelta(minutes=30),
    )
    assert out.hours == Decimal("0.50")
    outsider = setup.user(role=Role.COLLEGE_PARTY)
    with pytest.raises(DomainError):
        svc.check_in(
            actor=outsider,
            activity=setup.activity,
            student=setup.volunteer.student,
            method=CheckMethod.STAFF,
            at=setup.now,
        )


def test_check_in_by_hand_needs_a_reason_and_is_marked(setup):
    with pytest.raises(DomainError) as exc:
        svc.check_in(
            actor=setup.league,
            activity=setup.activity,
            student=setup.pupil.student,
            method=CheckMethod.HAND,
            at=setup.now,
        )
    assert exc.value.field == "reason"
    row = svc.check_in(
        actor=setup.league,
        activity=setup.activity,
        student=setup.pupil.student,
        method=CheckMethod.HAND,
        reason="手机没电",
        at=setup.now,
    )
    assert row.hand_entered_by == setup.league and "手机没电" in row.hand_entered_reason
    svc.check_out(
        actor=setup.league,
        activity=setup.activity,
        student=setup.pupil.student,
        method=CheckMethod.STAFF,
        at=setup.now + dt.timedelta(minutes=30),
    )
    entry = CreditEntry.objects.get(student=setup.pupil.student)
    assert entry.hand_entered and "手机没电" in entry.note


def test_six_digit_code_checks_in(setup):
    code = qr.make_code(setup.activity.pk, now=setup.now)
    row = svc.check_in(
        actor=setup.pupil,
        activity=setup.activity,
        student=setup.pupil.student,
        method=CheckMethod.CODE,
        code=code,
        at=setup.now,
    )
    assert row.check_in_method == CheckMethod.CODE
    found, _ = svc.activity_for_code(setup.school, code, now=setup.now)
    assert found == setup.activity


def test_missed_check_out_is_flagged_and_settled_by_hand(setup):
    scan_in(setup, setup.volunteer)
    scan_in(setup, setup.pupil)
    during = setup.now + dt.timedelta(minutes=20)
    assert svc.missing_checkouts(setup.activity, now=during) == []
    after_shift = setup.role.shift_ends_at + dt.timedelta(minutes=1)
    missing = svc.missing_checkouts(setup.activity, now=after_shift)
    assert [a.student_id for a in missing] == [setup.volunteer.student.pk]
    after_all = setup.activity.ends_at + dt.timedelta(minutes=1)
    assert len(svc.missing_checkouts(setup.activity, now=after_all)) == 2

    row = missing[0]
    with pytest.raises(DomainError) as exc:
        svc.settle_hours(actor=setup.league, attendance=row, hours=Decimal("0.8"), reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        svc.settle_hours(actor=setup.league, attendance=row, hours=Decimal("1.5"), reason="超时")
    assert exc.value.field == "hours"
    with pytest.raises(DomainError) as exc:
        svc.settle_hours(actor=setup.pupil, attendance=row, hours=Decimal("0.8"), reason="我自己填")
    assert exc.value.code == "forbidden"

    settled = svc.settle_hours(
        actor=setup.league, attendance=row, hours=Decimal("0.8"), reason="忘记签退，组织者确认"
    )
    settled.refresh_from_db()
    assert settled.hours == Decimal("0.80")
    assert settled.check_out_method == CheckMethod.HAND
    assert settled.hand_entered_by == setup.league
    assert "忘记签退" in settled.hand_entered_reason
    entry = CreditEntry.objects.get(student=setup.volunteer.student)
    assert entry.hand_entered and entry.note and "忘记签退" in entry.note
    assert entry.amount == Decimal("0.80")
    assert [a.pk for a in svc.missing_checkouts(setup.activity, now=after_shift)] == []
    with pytest.raises(DomainError):
        svc.settle_hours(actor=setup.league, attendance=row, hours=Decimal("1"), reason="再来")
    assert CreditEntry.objects.filter(student=setup.volunteer.student).count() == 1
    event = AuditEvent.objects.get(action="attendance.hours_settled")
    assert event.actor == setup.league and "忘记签退" in event.new["reason"]


def test_a_race_on_check_in_keeps_one_row(setup, monkeypatch):
    """Another scan inserts between our look-up and our insert: the unique constraint refuses
    ours and the other row is returned."""
    real = svc.confirmed_signups

    def racing(activity, student):
        Attendance.objects.create(
            school=activity.school,
            activity=activity,
            student=student,
            checked_in_at=setup.now,
            check_in_method=CheckMethod.STAFF,
        )
        return real(activity, student)

    monkeypatch.setattr(svc, "confirmed_signups", racing)
    row = scan_in(setup, setup.pupil)
    assert row.check_in_method == CheckMethod.STAFF
    assert Attendance.objects.count() == 1
    assert not AuditEvent.objects.filter(action="attendance.checked_in").exists()


def test_ledger_demo_settles_past_attendance_once(setup):
    from tuanxue.demo.attendance import build_ledger_demo

    scan_in(setup, setup.volunteer)
    scan_in(setup, setup.pupil)
    # The event is over.
    past = dt.timedelta(hours=5)
    type(setup.activity).objects.filter(pk=setup.activity.pk).update(
        starts_at=setup.activity.starts_at - past, ends_at=setup.activity.ends_at - past
    )
    type(setup.role).objects.filter(pk=setup.role.pk).update(
        shift_starts_at=setup.role.shift_starts_at - past,
        shift_ends_at=setup.role.shift_ends_at - past,
    )
    Attendance.objects.update(checked_in_at=setup.now - past)
    first = build_ledger_demo(setup.school)
    assert first == {"checked_out": 2, "certified": 1, "corrections": 1}
    assert Attendance.objects.filter(checked_out_at__isnull=True).count() == 0
    volunteer = CreditEntry.objects.get(student=setup.volunteer.student, corrects__isnull=True)
    assert volunteer.amount == Decimal("0.83")  # came 10 minutes into a one-hour shift
    again = build_ledger_demo(setup.school)
    assert again["checked_out"] == 0 and again["corrections"] == 0
    assert CreditEntry.objects.count() == 3
