"""Check-in by the rotating QR on a phone, check-out, and the hours in the ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from e2e.conftest import log_in
from tuanxue.activities import qr
from tuanxue.activities.models import Attendance
from tuanxue.ledger.models import CreditEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def event(db):
    from tests.conftest import SchoolKit
    from tests.ledger import factories as f

    kit = SchoolKit(code="e2e")
    now = timezone.now()
    kit.activity = f.activity(kit, start=now - dt.timedelta(minutes=10), hours=2)
    kit.role = f.shift(kit.activity, start=now - dt.timedelta(minutes=10), minutes=60)
    kit.head = f.organiser(kit)
    kit.volunteer = kit.user("volunteer", student=True)
    kit.signup = f.confirmed(kit.role, kit.volunteer.student)
    return kit


@pytest.fixture
def recruiting(db):
    """An event under way whose volunteer project still takes sign-ups."""
    from tests.conftest import SchoolKit
    from tests.ledger import factories as f
    from tuanxue.activities.models import VolunteerProject

    kit = SchoolKit(code="e2e")
    now = timezone.now()
    kit.activity = f.activity(kit, start=now - dt.timedelta(minutes=10), hours=2)
    kit.role = f.shift(kit.activity, start=now - dt.timedelta(minutes=10), minutes=60)
    VolunteerProject.objects.filter(pk=kit.role.project_id).update(
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(hours=1),
        withdraw_until=now + dt.timedelta(hours=1),
    )
    kit.head = f.organiser(kit)
    kit.volunteer = kit.user("volunteer", student=True)
    return kit


def test_a_student_signs_up_checks_in_and_sees_the_hours(browser, phone, live_server, recruiting):
    kit = recruiting
    log_in(phone, live_server.url, "volunteer")
    phone.goto(f"{live_server.url}/s/e2e/volunteer/{kit.role.project_id}/")
    phone.click(f'[data-role="{kit.role.pk}"] button[type=submit]')
    phone.wait_for_load_state()
    assert phone.locator("#my-signup").get_attribute("data-status") == "confirmed"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    url = organiser_qr_url(browser, live_server.url, kit)
    phone.goto(url)
    assert phone.locator("#outcome").get_attribute("data-outcome") == "checked_in"
    row = Attendance.objects.get(student=kit.volunteer.student)
    assert row.signup is not None and row.signup.status == "confirmed"
    Attendance.objects.filter(pk=row.pk).update(
        checked_in_at=timezone.now() - dt.timedelta(minutes=10)
    )
    phone.click("#checkout-form button[type=submit]")
    phone.wait_for_load_state()
    hours = Decimal(phone.locator("#hours").inner_text())
    assert hours > 0
    phone.goto(f"{live_server.url}/s/e2e/ledger/")
    entry = CreditEntry.objects.get(student=kit.volunteer.student)
    assert phone.locator(f'[data-entry="{entry.pk}"]').get_attribute("data-amount") == str(hours)


def organiser_qr_url(browser, base_url, kit) -> str:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        log_in(page, base_url, kit.head.username)
        page.goto(f"{base_url}/s/e2e/activities/{kit.activity.pk}/checkin/")
        box = page.locator("#qr")
        box.wait_for()
        assert page.locator("#qr-img svg").count() == 1
        return box.get_attribute("data-checkin-url")
    finally:
        context.close()


def test_volunteer_checks_in_by_qr_and_sees_hours(browser, phone, live_server, event):
    url = organiser_qr_url(browser, live_server.url, event)
    assert url.startswith(live_server.url)

    log_in(phone, live_server.url, "volunteer")
    phone.goto(url)
    assert phone.locator("#outcome").get_attribute("data-outcome") == "checked_in"
    row = Attendance.objects.get(student=event.volunteer.student)
    assert row.signup_id == event.signup.pk
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # Ten minutes pass at the event.
    Attendance.objects.filter(pk=row.pk).update(
        checked_in_at=timezone.now() - dt.timedelta(minutes=10)
    )
    phone.click("#checkout-form button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator("#outcome").get_attribute("data-outcome") == "checked_out"
    hours = Decimal(phone.locator("#hours").inner_text())
    assert Decimal("0.15") <= hours <= Decimal("0.20")

    phone.goto(f"{live_server.url}/s/e2e/ledger/")
    entry = CreditEntry.objects.get(student=event.volunteer.student)
    assert entry.amount == hours
    line = phone.locator(f'[data-entry="{entry.pk}"]')
    assert line.get_attribute("data-amount") == str(hours)
    assert "新生文艺汇演" in line.inner_text()
    assert phone.locator("[data-total]").first.inner_text() == str(hours)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_expired_qr_is_refused(phone, live_server, event):
    old = qr.make_token(event.activity.pk, window=qr.window_index() - 2)
    log_in(phone, live_server.url, "volunteer")
    phone.goto(f"{live_server.url}/s/e2e/checkin/{old}/")
    assert phone.locator("#outcome").get_attribute("data-outcome") == "expired"
    assert not Attendance.objects.exists()
