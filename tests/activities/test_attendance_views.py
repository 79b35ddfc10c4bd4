"""The check-in pages for an organiser, a read-only office, a student, an outsider and an
anonymous visitor."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.ledger import factories as f
from tuanxue.activities import qr
from tuanxue.activities.models import Attendance, CheckMethod
from tuanxue.ledger.models import CreditEntry
from tuanxue.org.models import Role


@pytest.fixture
def event(kit):
    now = timezone.now()
    kit.activity = f.activity(kit, start=now - dt.timedelta(minutes=10), hours=2)
    kit.role = f.shift(kit.activity, start=now - dt.timedelta(minutes=10), minutes=60)
    kit.head = f.organiser(kit)
    kit.pupil = kit.user(student=True)
    kit.volunteer = kit.user(student=True)
    kit.signup = f.confirmed(kit.role, kit.volunteer.student)
    kit.desk = reverse("attendance:desk", args=[kit.school.code, kit.activity.pk])
    return kit


def scan_url(kit, token=None):
    token = token or qr.make_token(kit.activity.pk)
    return reverse("attendance:scan", args=[kit.school.code, token])


def test_organiser_desk_shows_a_rotating_qr(client, event):
    client.force_login(event.head)
    page = client.get(event.desk)
    assert page.status_code == 200
    body = page.content.decode()
    url = re.search(r'data-checkin-url="([^"]+)"', body).group(1)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert qr.check_token(token).ok
    assert 'class="segno"' in body and 'id="qr-countdown"' in body
    feed = client.get(reverse("attendance:desk_qr", args=[event.school.code, event.activity.pk]))
    data = feed.json()
    assert qr.check_token(data["token"]).ok and data["svg"].startswith("<svg")
    assert len(data["code"]) == 6 and 1 <= data["seconds_left"] <= qr.window_seconds()


def test_offices_follow_the_desk_read_only(client, event):
    client.force_login(event.user(role=Role.SCHOOL_PARTY))
    page = client.get(event.desk)
    assert page.status_code == 200
    assert "data-checkin-url" not in page.content.decode()
    qr_feed = reverse("attendance:desk_qr", args=[event.school.code, event.activity.pk])
    assert client.get(qr_feed).status_code == 403
    hand = reverse("attendance:desk_hand", args=[event.school.code, event.activity.pk])
    response = client.post(hand, {"student_no": event.pupil.student.student_no, "reason": "x"})
    assert response.status_code == 403
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("role", [Role.SCHOOL_LEAGUE, Role.STUDENT_AFFAIRS])
def test_the_league_committee_and_registry_managers_run_the_desk(client, event, role):
    client.force_login(event.user(role=role))
    assert "data-checkin-url" in client.get(event.desk).content.decode()


def test_a_student_or_another_colleges_office_may_not_open_the_desk(client, event):
    client.force_login(event.pupil)
    assert client.get(event.desk).status_code == 403
    # The activity belongs to the school union, not to the college.
    client.force_login(event.user(role=Role.COLLEGE_LEAGUE))
    assert client.get(event.desk).status_code == 403


def test_a_college_unions_activity_is_run_by_its_league_committee(client, event):
    college_union = event.college.union
    from tuanxue.org import services as org_services

    department = org_services.department_create(
        actor=None, union=college_union, name="文体部", remit="文体活动"
    )
    own = f.activity(event, body=department, title="院运动会")
    desk = reverse("attendance:desk", args=[event.school.code, own.pk])
    client.force_login(event.user(role=Role.COLLEGE_LEAGUE))
    assert "data-checkin-url" in client.get(desk).content.decode()
    client.force_login(f.organiser(event))  # a head in the school union, not the college's
    assert client.get(desk).status_code == 403


def test_outsiders_get_404_and_anonymous_visitors_log_in(client, event, other_kit):
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(event.desk).status_code == 404
    assert client.get(scan_url(event)).status_code == 404
    client.logout()
    for url in (event.desk, scan_url(event), reverse("attendance:my_code", args=["tst"])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_student_scans_in_and_out(client, event):
    client.force_login(event.volunteer)
    url = scan_url(event)
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-outcome="checked_in"' in page.content.decode()
    again = client.get(url)
    assert 'data-outcome="checked_in"' in again.content.decode()
    assert 'id="checkout-form"' in again.content.decode()
    assert Attendance.objects.count() == 1
    Attendance.objects.update(checked_in_at=timezone.now() - dt.timedelta(minutes=6))
    out = client.post(url)
    assert out.status_code == 200 and 'data-outcome="checked_out"' in out.content.decode()
    row = Attendance.objects.get()
    assert row.hours and row.hours > 0
    assert CreditEntry.objects.get(student=event.volunteer.student).amount == row.hours


def test_an_expired_code_is_refused_with_a_reason(client, event):
    client.force_login(event.pupil)
    old = qr.make_token(event.activity.pk, window=qr.window_index() - 2)
    page = client.get(scan_url(event, old))
    assert page.status_code == 400
    assert 'data-outcome="expired"' in page.content.decode()
    forged = scan_url(event, qr.make_token(event.activity.pk)[:-2] + "zz")
    assert 'data-outcome="invalid"' in client.get(forged).content.decode()
    assert not Attendance.objects.exists()


def test_outside_the_event_time_is_refused(client, event):
    later = f.activity(event, start=timezone.now() + dt.timedelta(hours=2), title="晚会")
    client.force_login(event.pupil)
    page = client.get(scan_url(event, qr.make_token(later.pk)))
    assert page.status_code == 400
    assert 'data-outcome="outside_time"' in page.content.decode()


def test_staff_account_without_student_record_cannot_check_in(client, event):
    client.force_login(event.user(role=Role.SCHOOL_LEAGUE))
    page = client.get(scan_url(event))
    assert 'data-outcome="not_student"' in page.content.decode()


def test_desk_scans_a_students_personal_code(client, event):
    client.force_login(event.pupil)
    page = client.get(reverse("attendance:my_code", args=[event.school.code]))
    assert page.status_code == 200
    code = re.search(r'data-code="([^"]+)"', page.content.decode()).group(1)
    client.force_login(event.head)
    scan = reverse("attendance:desk_scan", args=[event.school.code, event.activity.pk])
    response = client.post(scan, {"code": code, "action": "in"})
    assert response.status_code == 302
    row = Attendance.objects.get(student=event.pupil.student)
    assert row.check_in_method == CheckMethod.STAFF
    client.post(scan, {"code": code + "x", "action": "out"})
    row.refresh_from_db()
    assert row.checked_out_at is None
    client.post(scan, {"code": code, "action": "out"})
    row.refresh_from_db()
    assert row.checked_out_at is not None and row.check_out_method == CheckMethod.STAFF


def test_desk_checks_in_by_student_number_and_settles(client, event):
    client.force_login(event.head)
    hand = reverse("attendance:desk_hand", args=[event.school.code, event.activity.pk])
    client.post(hand, {"student_no": event.volunteer.student.student_no, "reason": "没带手机"})
    row = Attendance.objects.get()
    assert row.check_in_method == CheckMethod.HAND and row.hand_entered_by == event.head
    # The shift ends; the volunteer forgot to check out.
    event.role.__class__.objects.filter(pk=event.role.pk).update(
        shift_starts_at=timezone.now() - dt.timedelta(hours=2),
        shift_ends_at=timezone.now() - dt.timedelta(minutes=1),
    )
    page = client.get(event.desk)
    body = page.content.decode()
    assert f'data-missing="{row.pk}"' in body
    # A student organiser is not allowed the attendees' student numbers.
    assert event.volunteer.student.student_no not in body
    settle = reverse("attendance:desk_settle", args=[event.school.code, event.activity.pk, row.pk])
    client.post(settle, {"hours": "1.00", "reason": "组织者核实"})
    row.refresh_from_db()
    assert row.hours == 1 and "组织者核实" in row.hand_entered_reason
    entry = CreditEntry.objects.get()
    assert entry.hand_entered and "组织者核实" in entry.note


def test_six_digit_code_form_leads_to_check_in(client, event):
    client.force_login(event.pupil)
    my_code = reverse("attendance:my_code", args=[event.school.code])
    wrong = client.post(my_code, {"code": "abc"})
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()
    response = client.post(my_code, {"code": qr.make_code(event.activity.pk)}, follow=True)
    assert 'data-outcome="checked_in"' in response.content.decode()
    assert Attendance.objects.get().check_in_method == CheckMethod.CODE


def test_my_code_is_only_for_students(client, event):
    client.force_login(event.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(reverse("attendance:my_code", args=[event.school.code])).status_code == 404


def test_guessing_the_six_digit_code_is_stopped(client, event, settings):
    settings.CODE_ATTEMPT_LIMIT = 5
    client.force_login(event.pupil)
    my_code = reverse("attendance:my_code", args=[event.school.code])
    right = qr.make_code(event.activity.pk)
    wrong = [f"{n:06d}" for n in range(40) if f"{n:06d}" != right][:40]
    refused = 0
    for code in wrong:
        body = client.post(my_code, {"code": code}).content.decode()
        refused += "错误次数过多" in body
    assert refused == len(wrong) - 5
    # While the wait lasts, even the right code is not tried.
    response = client.post(my_code, {"code": right}, follow=True)
    assert "错误次数过多" in response.content.decode()
    assert not Attendance.objects.exists()
    # Another student is not affected.
    client.force_login(event.user(student=True))
    response = client.post(my_code, {"code": right}, follow=True)
    assert 'data-outcome="checked_in"' in response.content.decode()
